// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the process table (user/proctab.c): entries keyed by pid and
 * checked against their start time, and the identities forks share.
 * Memory errors (a use after the last ident_put, a double free in
 * proctab_destroy) show under the sanitizer build: make SAN=1 unit.
 *
 * The tables hold pointers to static strings: the test binary is linked
 * without PIE, so they are valid in the process Criterion runs a case in.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "proctab.h"

/* under AddressSanitizer, check frees and leaks explicitly: a test runs in
 * a child that Criterion ends without LeakSanitizer's exit check */
#if defined(__SANITIZE_ADDRESS__)
#define PT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PT_ASAN 1
#endif
#endif
#ifdef PT_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#endif

#define PT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SEC		1000000000ULL
#define MS		1000000ULL

static struct proctab pt_new(void)
{
	struct proctab t;

	cr_assert_eq(proctab_init(&t), 0, "proctab_init failed");
	cr_assert_not_null(t.buckets);
	cr_assert_gt(t.nbuckets, 0);
	cr_assert_eq(t.count, 0);
	return t;
}

static struct proc *pt_add(struct proctab *t, uint32_t pid, uint64_t start_ns,
			   bool coarse)
{
	struct proc *p = proctab_add(t, pid);

	cr_assert_not_null(p, "proctab_add(%u) failed", pid);
	p->start_ns = start_ns;
	p->coarse = coarse;
	return p;
}

/* p was freed (only known under ASan, where freed memory is poisoned) */
static void pt_assert_freed(const void *p, const char *what)
{
#ifdef PT_ASAN
	cr_assert(__asan_address_is_poisoned(p), "%s was not freed", what);
#else
	(void)p;
	(void)what;
#endif
}

/* nothing unreachable is left (only known under ASan) */
static void pt_assert_no_leaks(const char *what)
{
#ifdef PT_ASAN
	cr_assert_eq(__lsan_do_recoverable_leak_check(), 0,
		     "%s: LeakSanitizer found leaks (see above)", what);
#else
	(void)what;
#endif
}

Test(proctab, init_and_destroy_empty)
{
	struct proctab t = pt_new(), zero;

	cr_assert_null(proctab_find(&t, 1, 0), "empty table finds pid 1");
	cr_assert_null(proctab_find(&t, 0, 0), "empty table finds pid 0");
	proctab_destroy(&t);
	cr_assert_null(t.buckets, "destroy leaves the buckets");
	cr_assert_eq(t.count, 0);
	/* a zeroed table, and destroying twice */
	memset(&zero, 0, sizeof(zero));
	proctab_destroy(&zero);
	proctab_destroy(&t);
}

Test(proctab, add_find_remove)
{
	struct proctab t = pt_new();
	struct proc *p = proctab_add(&t, 4242), *q;
	struct proc zero;

	cr_assert_not_null(p);
	/* zeroed but for pid */
	memset(&zero, 0, sizeof(zero));
	zero.pid = 4242;
	zero.next = p->next;
	cr_assert(!memcmp(p, &zero, sizeof(zero)),
		  "a new entry is not zeroed but for pid");
	cr_assert_eq(t.count, 1);
	p->start_ns = 5 * SEC;

	cr_assert_eq(proctab_find(&t, 4242, 5 * SEC), p, "exact start");
	cr_assert_eq(proctab_find(&t, 4242, 0), p, "start 0: any");
	cr_assert_null(proctab_find(&t, 4243, 0), "another pid");

	q = pt_add(&t, 7, 1 * SEC, false);
	cr_assert_eq(t.count, 2);
	proctab_remove(&t, p);
	cr_assert_eq(t.count, 1, "count after remove is %zu, want 1", t.count);
	cr_assert_null(proctab_find(&t, 4242, 0), "removed entry still found");
	cr_assert_eq(proctab_find(&t, 7, 0), q, "the other entry is gone");
	proctab_remove(&t, q);
	cr_assert_eq(t.count, 0);
	proctab_destroy(&t);
}

/* proctab_find against start times */

struct find_case {
	const char *what;
	uint32_t pid;
	uint64_t start_ns;
	uint32_t want_pid;	/* 0: NULL */
};

/* the table every find case runs on; 4196 shares the bucket of 100 */
static const struct {
	uint32_t pid;
	uint64_t start_ns;
	bool coarse;
} find_entries[] = {
	{ 100, 5 * SEC, false },
	{ 4196, 7 * SEC, false },
	/* found at start: /proc's start time, whole ticks (1.23 s) */
	{ 200, 123 * 10 * MS, true },
	{ 1, 10 * MS, true },
};

static struct find_case find_cases[] = {
	/* exact start times, from the kernel */
	{ "exact start", 100, 5 * SEC, 100 },
	{ "start 0 matches any", 100, 0, 100 },
	{ "pid reused: a later start", 100, 5 * SEC + 1, 0 },
	{ "pid reused: an earlier start", 100, 5 * SEC - 1, 0 },
	{ "exact entry, same tick other ns: no match", 100, 5 * SEC + 1 * MS, 0 },
	{ "unknown pid", 101, 0, 0 },
	{ "unknown pid in an occupied bucket", 100 + 2 * 4096, 0, 0 },
	{ "second entry of a bucket", 4196, 7 * SEC, 4196 },
	{ "second entry of a bucket, start of the first", 4196, 5 * SEC, 0 },
	/* coarse start times compare in SW_TICK_NS units */
	{ "coarse: the tick itself", 200, 1230 * MS, 200 },
	{ "coarse: the kernel's exact start in the tick", 200, 1234567891, 200 },
	{ "coarse: last ns of the tick", 200, 1240 * MS - 1, 200 },
	{ "coarse: the next tick", 200, 1240 * MS, 0 },
	{ "coarse: last ns of the previous tick", 200, 1230 * MS - 1, 0 },
	{ "coarse: start 0 matches any", 200, 0, 200 },
	{ "coarse: pid 1 in its first ticks", 1, 15 * MS, 1 },
	{ "coarse: pid 1, tick 0", 1, 5 * MS, 0 },
};

ParameterizedTestParameters(proctab, find)
{
	return cr_make_param_array(struct find_case, find_cases,
				   PT_ARRAY_SIZE(find_cases));
}

ParameterizedTest(struct find_case *c, proctab, find)
{
	struct proctab t = pt_new();
	struct proc *p;
	size_t i;

	for (i = 0; i < PT_ARRAY_SIZE(find_entries); i++)
		pt_add(&t, find_entries[i].pid, find_entries[i].start_ns,
		       find_entries[i].coarse);
	p = proctab_find(&t, c->pid, c->start_ns);
	if (!c->want_pid)
		cr_assert_null(p, "%s: find(%u, %llu) gave pid %u, want NULL",
			       c->what, c->pid, (unsigned long long)c->start_ns,
			       p ? p->pid : 0);
	else
		cr_assert(p && p->pid == c->want_pid,
			  "%s: find(%u, %llu) gave %s%u, want pid %u", c->what,
			  c->pid, (unsigned long long)c->start_ns,
			  p ? "pid " : "NULL ", p ? p->pid : 0, c->want_pid);
	proctab_destroy(&t);
}

/* many entries: several per bucket, removed every other */
Test(proctab, many_entries_across_buckets)
{
	enum { N = 5 * 4096 + 123 };
	struct proctab t = pt_new();
	uint32_t pid;
	struct proc *p;

	for (pid = 1; pid <= N; pid++)
		pt_add(&t, pid, (uint64_t)pid * 1000, false);
	cr_assert_eq(t.count, N, "count %zu, want %d", t.count, N);
	for (pid = 1; pid <= N; pid++) {
		p = proctab_find(&t, pid, (uint64_t)pid * 1000);
		cr_assert(p && p->pid == pid, "pid %u not found", pid);
		cr_assert_null(proctab_find(&t, pid, (uint64_t)pid * 1000 + 1),
			       "pid %u found with another start", pid);
	}
	for (pid = 1; pid <= N; pid += 2)
		proctab_remove(&t, proctab_find(&t, pid, 0));
	cr_assert_eq(t.count, N / 2, "count after removing odd pids: %zu, want %d",
		     t.count, N / 2);
	for (pid = 1; pid <= N; pid++) {
		p = proctab_find(&t, pid, 0);
		if (pid % 2)
			cr_assert_null(p, "removed pid %u still found", pid);
		else
			cr_assert(p && p->pid == pid &&
				  p->start_ns == (uint64_t)pid * 1000,
				  "kept pid %u lost", pid);
	}
	/* pids past any bucket count, and the largest */
	p = pt_add(&t, 4194304, 1, false);
	cr_assert_eq(proctab_find(&t, 4194304, 1), p, "pid_max");
	p = pt_add(&t, UINT32_MAX, 2, false);
	cr_assert_eq(proctab_find(&t, UINT32_MAX, 2), p, "pid UINT32_MAX");
	proctab_destroy(&t);
	pt_assert_no_leaks("many_entries_across_buckets");
}

/* removing the head, a middle entry and the tail of one bucket's chain */
struct chain_case {
	const char *what;
	int remove[3];		/* indexes of pids[], -1 ends */
};

static struct chain_case chain_cases[] = {
	{ "first added (tail of the chain)", { 0, -1, -1 } },
	{ "middle", { 1, -1, -1 } },
	{ "last added (head of the chain)", { 2, -1, -1 } },
	{ "head then tail", { 2, 0, -1 } },
	{ "all, middle first", { 1, 0, 2 } },
};

ParameterizedTestParameters(proctab, chain_remove)
{
	return cr_make_param_array(struct chain_case, chain_cases,
				   PT_ARRAY_SIZE(chain_cases));
}

ParameterizedTest(struct chain_case *c, proctab, chain_remove)
{
	uint32_t pids[3] = { 5, 5 + 4096, 5 + 3 * 4096 };
	bool gone[3] = { false, false, false };
	struct proctab t = pt_new();
	struct proc *p[3];
	size_t left = 3;
	int i, k;

	for (i = 0; i < 3; i++)
		p[i] = pt_add(&t, pids[i], (uint64_t)(i + 1) * SEC, false);
	for (k = 0; k < 3 && c->remove[k] >= 0; k++) {
		proctab_remove(&t, p[c->remove[k]]);
		gone[c->remove[k]] = true;
		left--;
	}
	cr_assert_eq(t.count, left, "%s: count %zu, want %zu", c->what,
		     t.count, left);
	for (i = 0; i < 3; i++) {
		struct proc *f = proctab_find(&t, pids[i], 0);

		if (gone[i])
			cr_assert_null(f, "%s: removed pid %u found", c->what,
				       pids[i]);
		else
			cr_assert_eq(f, p[i], "%s: pid %u lost", c->what,
				     pids[i]);
	}
	proctab_destroy(&t);
}

/* proctab_each */

struct each_ctx {
	struct proctab *t;
	unsigned char *seen;	/* visits per pid */
	uint32_t max;
	uint32_t modulo;	/* remove pids that are multiples */
	size_t visits;
};

static void visit(struct proc *p, void *arg)
{
	struct each_ctx *e = arg;

	cr_assert_leq(p->pid, e->max, "visited unknown pid %u", p->pid);
	e->seen[p->pid]++;
	e->visits++;
	if (e->modulo && p->pid % e->modulo == 0)
		proctab_remove(e->t, p);
}

static void each_run(uint32_t modulo)
{
	enum { N = 3 * 4096 + 50 };
	struct proctab t = pt_new();
	struct each_ctx e = { .t = &t, .max = N, .modulo = modulo };
	size_t want = 0;
	uint32_t pid;

	e.seen = calloc(N + 1, 1);
	cr_assert_not_null(e.seen);
	for (pid = 1; pid <= N; pid++)
		pt_add(&t, pid, pid, false);
	proctab_each(&t, visit, &e);
	cr_assert_eq(e.visits, N, "modulo %u: %zu visits, want %d", modulo,
		     e.visits, N);
	for (pid = 1; pid <= N; pid++) {
		cr_assert_eq(e.seen[pid], 1, "modulo %u: pid %u visited %d times",
			     modulo, pid, e.seen[pid]);
		if (modulo && pid % modulo == 0)
			cr_assert_null(proctab_find(&t, pid, 0),
				       "modulo %u: pid %u not removed", modulo,
				       pid);
		else
			cr_assert_not_null(proctab_find(&t, pid, pid),
					   "modulo %u: pid %u lost", modulo,
					   pid);
		if (!modulo || pid % modulo)
			want++;
	}
	cr_assert_eq(t.count, want, "modulo %u: count %zu, want %zu", modulo,
		     t.count, want);
	free(e.seen);
	proctab_destroy(&t);
}

Test(proctab, each_visits_every_entry_once)
{
	each_run(0);
}

Test(proctab, each_removing_the_given_entry)
{
	/* every third: heads, middles and tails of 3-entry chains */
	each_run(3);
	/* all of them */
	each_run(1);
}

Test(proctab, each_on_empty_table)
{
	struct proctab t = pt_new();
	struct each_ctx e = { .t = &t, .max = 0 };
	unsigned char seen[1] = { 0 };

	e.seen = seen;
	proctab_each(&t, visit, &e);
	cr_assert_eq(e.visits, 0);
	proctab_destroy(&t);
}

/* identities */

Test(proctab, ident_new_copies)
{
	char name[] = "bash", path[] = "/usr/bin/bash", cmd[] = "bash -i";
	char cg[] = "/kubepods/pod1/abc", cg1[] = "/kubepods/v1";
	struct ident *id = ident_new(name, path, cmd, cg, cg1, 1000);

	cr_assert_not_null(id);
	cr_assert_eq(id->refs, 1, "refs %u, want 1", id->refs);
	cr_assert_eq(id->uid, 1000);
	cr_assert_str_eq(id->entry, "spawned");
	cr_assert_null(id->suppressed_by, "a new ident is suppressed by '%s'",
		       id->suppressed_by);
	/* copies, not the caller's buffers */
	cr_assert_neq(id->name, name);
	memset(name, 'x', sizeof(name) - 1);
	memset(path, 'x', sizeof(path) - 1);
	memset(cmd, 'x', sizeof(cmd) - 1);
	memset(cg, 'x', sizeof(cg) - 1);
	memset(cg1, 'x', sizeof(cg1) - 1);
	cr_assert_str_eq(id->name, "bash");
	cr_assert_str_eq(id->path, "/usr/bin/bash");
	cr_assert_str_eq(id->command_line, "bash -i");
	cr_assert_str_eq(id->cgroup, "/kubepods/pod1/abc");
	cr_assert_str_eq(id->cgroup_v1, "/kubepods/v1");
	ident_put(id);
	pt_assert_no_leaks("ident_new_copies");
}

Test(proctab, ident_new_null_strings_are_empty)
{
	struct ident *id = ident_new(NULL, NULL, NULL, NULL, NULL, 0);

	cr_assert_not_null(id);
	cr_assert(id->name && !id->name[0], "name of NULL is not \"\"");
	cr_assert(id->path && !id->path[0], "path of NULL is not \"\"");
	cr_assert(id->command_line && !id->command_line[0],
		  "command_line of NULL is not \"\"");
	cr_assert(id->cgroup && !id->cgroup[0], "cgroup of NULL is not \"\"");
	cr_assert(id->cgroup_v1 && !id->cgroup_v1[0],
		  "cgroup_v1 of NULL is not \"\"");
	ident_put(id);
	pt_assert_no_leaks("ident_new_null_strings_are_empty");
}

Test(proctab, ident_refcount)
{
	struct ident *id = ident_new("zsh", "/bin/zsh", "zsh", "/", "", 0);
	const char *name, *path, *cmd, *cg, *cg1;

	cr_assert_not_null(id);
	cr_assert_eq(ident_get(id), id, "ident_get returns another pointer");
	cr_assert_eq(id->refs, 2);
	cr_assert_eq(ident_get(id), id);
	cr_assert_eq(id->refs, 3);
	ident_put(id);
	cr_assert_eq(id->refs, 2);
	ident_put(id);
	cr_assert_eq(id->refs, 1);
	/* still whole: ASan flags any early free here */
	cr_assert_str_eq(id->name, "zsh");
	cr_assert_str_eq(id->path, "/bin/zsh");
	name = id->name;
	path = id->path;
	cmd = id->command_line;
	cg = id->cgroup;
	cg1 = id->cgroup_v1;
	ident_put(id);
	/* the last reference frees the strings and the ident */
	pt_assert_freed(name, "name");
	pt_assert_freed(path, "path");
	pt_assert_freed(cmd, "command_line");
	pt_assert_freed(cg, "cgroup");
	pt_assert_freed(cg1, "cgroup_v1");
	pt_assert_freed(id, "the ident");
	pt_assert_no_leaks("ident_refcount");
	/* NULL is accepted both ways */
	cr_assert_null(ident_get(NULL));
	ident_put(NULL);
}

/* a shell and its forks share one ident; the last entry frees it */
Test(proctab, forks_share_the_ident)
{
	struct proctab t = pt_new();
	struct proc *sh = pt_add(&t, 100, SEC, false);
	struct proc *f1 = pt_add(&t, 101, 2 * SEC, false);
	struct proc *f2 = pt_add(&t, 100 + 4096, 3 * SEC, false);
	const char *name;
	struct ident *id;

	sh->ident = ident_new("bash", "/usr/bin/bash", "bash -c x", "/cg", "",
			      0);
	cr_assert_not_null(sh->ident);
	id = sh->ident;
	f1->ident = ident_get(sh->ident);
	f1->forked = true;
	f2->ident = ident_get(sh->ident);
	f2->forked = true;
	cr_assert_eq(id->refs, 3);

	/* the shell goes first: its forks keep the strings */
	proctab_remove(&t, sh);
	pt_assert_freed(sh, "the shell's entry");
	cr_assert_eq(id->refs, 2, "refs after the shell's removal: %u, want 2",
		     id->refs);
	cr_assert_str_eq(f1->ident->name, "bash");
	cr_assert_str_eq(f2->ident->command_line, "bash -c x");
	proctab_remove(&t, f1);
	cr_assert_eq(id->refs, 1);
	cr_assert_str_eq(f2->ident->path, "/usr/bin/bash");
	name = id->name;
	/* the last reference: freed by proctab_remove */
	proctab_remove(&t, f2);
	pt_assert_freed(name, "the shared name");
	pt_assert_freed(id, "the shared ident");
	cr_assert_eq(t.count, 0);
	proctab_destroy(&t);
	pt_assert_no_leaks("forks_share_the_ident");
}

/* proctab_destroy drops each entry's reference once (ASan: no double free,
 * LSan: no leak) */
Test(proctab, destroy_puts_shared_idents_once)
{
	struct proctab t = pt_new();
	struct ident *a = ident_new("sh", "/bin/sh", "sh", "", "", 0);
	struct ident *b = ident_new("dash", "/bin/dash", "dash", "", "", 0);
	uint32_t pid;

	cr_assert(a && b);
	for (pid = 10; pid < 20; pid++) {
		struct proc *p = pt_add(&t, pid, pid, false);

		p->ident = pid == 10 ? a : ident_get(a);
	}
	for (pid = 10 + 4096; pid < 15 + 4096; pid++) {
		struct proc *p = pt_add(&t, pid, pid, false);

		p->ident = pid == 10 + 4096 ? b : ident_get(b);
	}
	/* an entry without an ident */
	pt_add(&t, 30, 30, false);
	cr_assert_eq(a->refs, 10);
	cr_assert_eq(b->refs, 5);
	proctab_destroy(&t);
	pt_assert_freed(a, "ident a");
	pt_assert_freed(b, "ident b");
	pt_assert_no_leaks("destroy_puts_shared_idents_once");
}
