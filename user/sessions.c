// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include "sessions.h"

int sessions_init(struct sessions *s)
{
	s->slots = calloc(SESSIONS_SLOTS, sizeof(*s->slots));
	return s->slots ? 0 : -ENOMEM;
}

void sessions_destroy(struct sessions *s)
{
	size_t i;

	if (!s->slots)
		return;
	for (i = 0; i < SESSIONS_SLOTS; i++)
		ident_put(s->slots[i].ident);
	free(s->slots);
	s->slots = NULL;
}

static size_t slot_of(uint32_t pid, uint64_t start_ns, uint64_t exec_ns)
{
	uint64_t h = pid * 0x9e3779b97f4a7c15ULL;

	h ^= start_ns + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
	h ^= exec_ns + 0x632be59bd9b4e019ULL + (h << 6) + (h >> 2);
	return (h ^ (h >> 29)) & (SESSIONS_SLOTS - 1);
}

void sessions_put(struct sessions *s, uint32_t pid, uint64_t start_ns,
		  uint64_t exec_ns, struct ident *id)
{
	struct session_slot *slot;

	if (!s->slots || !id)
		return;
	slot = &s->slots[slot_of(pid, start_ns, exec_ns)];
	ident_put(slot->ident);
	slot->pid = pid;
	slot->start_ns = start_ns;
	slot->exec_ns = exec_ns;
	slot->ident = ident_get(id);
}

struct ident *sessions_find(const struct sessions *s, uint32_t pid,
			    uint64_t start_ns, uint64_t exec_ns)
{
	const struct session_slot *slot;

	if (!s->slots)
		return NULL;
	slot = &s->slots[slot_of(pid, start_ns, exec_ns)];
	if (!slot->ident || slot->pid != pid || slot->start_ns != start_ns ||
	    slot->exec_ns != exec_ns)
		return NULL;
	return slot->ident;
}
