// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rec_known.h"

struct rec_known {
	struct rec_link links[REC_KNOWN_LINKS];
	struct rec_user users[2][REC_KNOWN_USERS];	/* by kind */
	struct rec_session sessions[REC_KNOWN_SESSIONS];
	bool link_used[REC_KNOWN_LINKS];
	bool user_used[2][REC_KNOWN_USERS];
	bool session_used[REC_KNOWN_SESSIONS];
};

struct rec_known *rec_known_new(void)
{
	return calloc(1, sizeof(struct rec_known));
}

void rec_known_free(struct rec_known *k)
{
	free(k);
}

/* FNV-1a of the id */
static size_t link_slot(const char *cid)
{
	uint32_t h = 2166136261u;

	for (; *cid; cid++)
		h = (h ^ (unsigned char)*cid) * 16777619u;
	return h % REC_KNOWN_LINKS;
}

void rec_link_fill(struct rec_link *l, const char *cid,
		   const struct pod_entry *e)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->container_id, sizeof(l->container_id), "%s", cid);
	if (!e)
		return;
	l->found = 1;
	l->e = *e;
}

void rec_known_put_link(struct rec_known *k, const struct rec_link *l)
{
	size_t i = link_slot(l->container_id);

	k->links[i] = *l;
	k->link_used[i] = true;
}

const struct rec_link *rec_known_link(const struct rec_known *k,
				      const char *cid)
{
	size_t i = link_slot(cid);

	if (!k->link_used[i] || strcmp(k->links[i].container_id, cid))
		return NULL;
	return &k->links[i];
}

bool rec_known_has_link(const struct rec_known *k, const struct rec_link *l)
{
	const struct rec_link *h = rec_known_link(k, l->container_id);

	return h && !memcmp(h, l, sizeof(*l));
}

void rec_known_put_user(struct rec_known *k, const struct rec_user *u)
{
	size_t i = u->uid % REC_KNOWN_USERS;

	if (u->kind > 1)
		return;
	k->users[u->kind][i] = *u;
	k->user_used[u->kind][i] = true;
}

const char *rec_known_user(const struct rec_known *k, uint32_t kind,
			   uint32_t id)
{
	size_t i = id % REC_KNOWN_USERS;

	if (kind > 1 || !k->user_used[kind][i] || k->users[kind][i].uid != id)
		return NULL;
	return k->users[kind][i].name;
}

void rec_known_put_session(struct rec_known *k, const struct rec_session *s)
{
	size_t i = s->pid % REC_KNOWN_SESSIONS;

	k->sessions[i] = *s;
	k->session_used[i] = true;
}

const struct rec_session *rec_known_session(const struct rec_known *k,
					    uint32_t pid, uint64_t start_ns,
					    uint64_t exec_ns)
{
	const struct rec_session *s = &k->sessions[pid % REC_KNOWN_SESSIONS];

	if (!k->session_used[pid % REC_KNOWN_SESSIONS] || s->pid != pid ||
	    s->start_ns != start_ns || s->exec_ns != exec_ns)
		return NULL;
	return s;
}
