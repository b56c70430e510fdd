/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The look-up answers a recording holds (log links by container id, user
 * names by uid, trail counters by session), kept the same bounded way by
 * the recording side, which writes an answer only when it is new, and by
 * the replay, which answers the pipeline from them.
 */
#ifndef SHELLWATCH_REC_KNOWN_H
#define SHELLWATCH_REC_KNOWN_H

#include <stdbool.h>
#include "recording.h"

#define REC_KNOWN_LINKS		1024	/* direct-mapped by container id */
#define REC_KNOWN_USERS		256	/* by uid */
#define REC_KNOWN_SESSIONS	256	/* by pid */

struct rec_known;

/* an empty set of answers, or NULL when out of memory */
struct rec_known *rec_known_new(void);
/* free; accepts NULL */
void rec_known_free(struct rec_known *k);
/* keep l, replacing what its slot held */
void rec_known_put_link(struct rec_known *k, const struct rec_link *l);
/* the link answer held for cid, or NULL */
const struct rec_link *rec_known_link(const struct rec_known *k,
				      const char *cid);
/* whether the answer held for l's id is l's */
bool rec_known_has_link(const struct rec_known *k, const struct rec_link *l);
/* a user (kind 0) or group (kind 1) name */
void rec_known_put_user(struct rec_known *k, const struct rec_user *u);
/* the name held for uid, or NULL */
const char *rec_known_user(const struct rec_known *k, uint32_t kind,
			   uint32_t id);
void rec_known_put_session(struct rec_known *k, const struct rec_session *s);
/* the answer held for a session, or NULL */
const struct rec_session *rec_known_session(const struct rec_known *k,
					    uint32_t pid, uint64_t start_ns,
					    uint64_t exec_ns);
/* fill l with the answer for cid: e, or none when e is NULL */
void rec_link_fill(struct rec_link *l, const char *cid,
		   const struct pod_entry *e);

#endif /* SHELLWATCH_REC_KNOWN_H */
