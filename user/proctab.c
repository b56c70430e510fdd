// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "proctab.h"

#define PROCTAB_BUCKETS	4096

int proctab_init(struct proctab *t)
{
	memset(t, 0, sizeof(*t));
	t->buckets = calloc(PROCTAB_BUCKETS, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	t->nbuckets = PROCTAB_BUCKETS;
	return 0;
}

static void free_proc(struct proc *p)
{
	ident_put(p->ident);
	free(p);
}

void proctab_destroy(struct proctab *t)
{
	struct proc *p, *next;
	size_t i;

	for (i = 0; i < t->nbuckets; i++) {
		for (p = t->buckets[i]; p; p = next) {
			next = p->next;
			free_proc(p);
		}
	}
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

static bool same_start(const struct proc *p, uint64_t start_ns)
{
	if (!start_ns)
		return true;
	if (p->coarse)
		return p->start_ns / SW_TICK_NS == start_ns / SW_TICK_NS;
	return p->start_ns == start_ns;
}

struct proc *proctab_find(const struct proctab *t, uint32_t pid,
			  uint64_t start_ns)
{
	struct proc *p;

	for (p = t->buckets[pid % t->nbuckets]; p; p = p->next)
		if (p->pid == pid)
			return same_start(p, start_ns) ? p : NULL;
	return NULL;
}

struct proc *proctab_add(struct proctab *t, uint32_t pid)
{
	struct proc *p = calloc(1, sizeof(*p));
	size_t b = pid % t->nbuckets;

	if (!p)
		return NULL;
	p->pid = pid;
	p->next = t->buckets[b];
	t->buckets[b] = p;
	t->count++;
	return p;
}

void proctab_remove(struct proctab *t, struct proc *p)
{
	struct proc **pp;

	for (pp = &t->buckets[p->pid % t->nbuckets]; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			t->count--;
			free_proc(p);
			return;
		}
	}
}

void proctab_each(struct proctab *t, void (*fn)(struct proc *p, void *ctx),
		  void *ctx)
{
	struct proc *p, *next;
	size_t i;

	for (i = 0; i < t->nbuckets; i++) {
		for (p = t->buckets[i]; p; p = next) {
			next = p->next;
			fn(p, ctx);
		}
	}
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

struct ident *ident_new(const char *name, const char *path,
			const char *command_line, const char *cgroup,
			const char *cgroup_v1, uint32_t uid)
{
	struct ident *id = calloc(1, sizeof(*id));

	if (!id)
		return NULL;
	id->refs = 1;
	id->uid = uid;
	id->entry = "spawned";
	id->name = dup_or_empty(name);
	id->path = dup_or_empty(path);
	id->command_line = dup_or_empty(command_line);
	id->cgroup = dup_or_empty(cgroup);
	id->cgroup_v1 = dup_or_empty(cgroup_v1);
	if (!id->name || !id->path || !id->command_line || !id->cgroup ||
	    !id->cgroup_v1) {
		id->refs = 1;
		ident_put(id);
		return NULL;
	}
	return id;
}

struct ident *ident_get(struct ident *id)
{
	if (id)
		id->refs++;
	return id;
}

void ident_put(struct ident *id)
{
	if (!id || --id->refs)
		return;
	free(id->name);
	free(id->path);
	free(id->command_line);
	free(id->cgroup);
	free(id->cgroup_v1);
	free(id->suppressed_by);
	free(id);
}
