/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The process table: every tracked shell process, keyed by pid and checked
 * against its start time, with what its windows and exit record need.
 */
#ifndef SHELLWATCH_PROCTAB_H
#define SHELLWATCH_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "exec_id.h"
#include "identity.h"
#include "shellwatch.h"

/* what a shell's exec record said of it; shared with its forks */
struct ident {
	unsigned int refs;
	char *name;		/* process.executable.name */
	char *path;		/* process.executable.path */
	char *command_line;
	char *cgroup;		/* cgroup v2 path */
	char *cgroup_v1;
	uint32_t uid;		/* effective */
	struct pod_ident pod;
	const char *entry;	/* a static string: entry_kind() */
	char *suppressed_by;	/* the allowlist rule, NULL when reported */
};

struct proc {
	struct proc *next;	/* hash chain */
	uint32_t pid;
	uint32_t ppid;
	uint64_t start_ns;	/* CLOCK_BOOTTIME start of the process */
	bool coarse;		/* start_ns is /proc's tick time */
	bool forked;		/* a fork of a shell, not an exec */
	uint64_t track_ns;	/* CLOCK_BOOTTIME when tracking began */
	uint64_t exec_ns;	/* a shell's exec (0 when found at start) */
	char exec_id[EXEC_ID_LEN];
	char parent_exec_id[EXEC_ID_LEN]; /* forks: the shell they came from */
	struct ident *ident;
	struct sw_cpu first;	/* counters when tracking began */
	struct sw_cpu base;	/* counters at the start of the current window */
	uint64_t base_ns;	/* CLOCK_BOOTTIME of base */
	bool have_base;		/* found at start: base comes from a sample */
	bool windowed;		/* a window closed: its life spans more than one */
	uint64_t rss_pages;	/* at the last reading */
	uint64_t peak_pages;	/* highest reading */
	struct sw_cpu sample;	/* sum of the current sampling pass */
	uint64_t sample_rss;
	uint32_t sample_seq;	/* which sampling pass filled sample */
	uint32_t missed;	/* edge passes in a row that did not see it */
};

struct proctab {
	struct proc **buckets;
	size_t nbuckets;
	size_t count;
};

/* an empty table; 0 or -ENOMEM */
int proctab_init(struct proctab *t);
/* free every entry; accepts a zeroed t */
void proctab_destroy(struct proctab *t);
/* the entry of pid if its start time matches start_ns (any, when 0) */
struct proc *proctab_find(const struct proctab *t, uint32_t pid,
			  uint64_t start_ns);
/* add an entry for pid (zeroed but for pid); NULL on ENOMEM */
struct proc *proctab_add(struct proctab *t, uint32_t pid);
/* unlink and free p */
void proctab_remove(struct proctab *t, struct proc *p);
/* call fn on every entry; fn may remove the entry it is given */
void proctab_each(struct proctab *t, void (*fn)(struct proc *p, void *ctx),
		  void *ctx);

/* a new identity with one reference; NULL on ENOMEM */
struct ident *ident_new(const char *name, const char *path,
			const char *command_line, const char *cgroup,
			const char *cgroup_v1, uint32_t uid);
/* take a reference */
struct ident *ident_get(struct ident *id);
/* drop a reference; accepts NULL */
void ident_put(struct ident *id);

#endif /* SHELLWATCH_PROCTAB_H */
