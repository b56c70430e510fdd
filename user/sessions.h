/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Recent shell sessions, for their commands: the identity and allowlist
 * verdict a command inherits, kept after the shell itself is gone (its
 * commands may outlive it). A fixed table: a newer session can take an old
 * one's slot, and that old session's commands are then judged alone.
 */
#ifndef SHELLWATCH_SESSIONS_H
#define SHELLWATCH_SESSIONS_H

#include <stdint.h>
#include "proctab.h"

#define SESSIONS_SLOTS	512	/* a power of two */

struct session_slot {
	uint32_t pid;
	uint64_t start_ns;
	uint64_t exec_ns;
	struct ident *ident;	/* a reference; NULL for a free slot */
};

struct sessions {
	struct session_slot *slots;
};

/* an empty table; 0 or -ENOMEM */
int sessions_init(struct sessions *s);
/* drop every reference; accepts a zeroed s */
void sessions_destroy(struct sessions *s);
/* remember the session of a shell exec, taking a reference on id */
void sessions_put(struct sessions *s, uint32_t pid, uint64_t start_ns,
		  uint64_t exec_ns, struct ident *id);
/* the identity of a session, or NULL when unknown or forgotten */
struct ident *sessions_find(const struct sessions *s, uint32_t pid,
			    uint64_t start_ns, uint64_t exec_ns);

#endif /* SHELLWATCH_SESSIONS_H */
