// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Names from a process's own passwd and group files: the parser's bounds
 * on hostile text, and lookups through a stand-in /proc (a root directory,
 * ns/mnt and symlinks that try to leave the root).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "users.h"

struct parse_case {
	const char *what;
	const char *text;
	size_t n;		/* 0: strlen */
	bool cut;
	uint32_t id;
	const char *want;	/* NULL: no name */
};

static const struct parse_case parse_cases[] = {
	/* well-formed */
	{ "passwd", "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/:/bin/sh\n",
	  0, false, 1000, "alice" },
	{ "group", "root:x:0:\nwheel:x:10:alice,bob\n", 0, false, 10, "wheel" },
	{ "group without members field", "staff:x:50", 0, false, 50, "staff" },
	{ "no final newline", "a:x:1:1::/:/bin/sh\nb:x:2:2", 0, false, 2, "b" },
	{ "first line wins", "first:x:7:7\nsecond:x:7:7\n", 0, false, 7, "first" },
	{ "uid 4294967295", "max:x:4294967295:0\n", 0, false, 4294967295u, "max" },
	{ "32-byte name", "abcdefghijabcdefghijabcdefghij12:x:5:5\n", 0, false, 5,
	  "abcdefghijabcdefghijabcdefghij12" },
	/* malformed lines name no one */
	{ "no colon", "root x 0 0\n", 0, false, 0, NULL },
	{ "empty name", ":x:0:0\n", 0, false, 0, NULL },
	{ "empty id", "root:x::0\n", 0, false, 0, NULL },
	{ "id not a number", "root:x:0x1:0\n", 0, false, 1, NULL },
	{ "negative id", "root:x:-1:0\n", 0, false, 4294967295u, NULL },
	{ "id over 32 bits", "big:x:4294967296:0\n", 0, false, 0, NULL },
	{ "11 digits", "big:x:00000000001:0\n", 0, false, 1, NULL },
	{ "33-byte name", "abcdefghijabcdefghijabcdefghij123:x:5:5\n", 0, false, 5,
	  NULL },
	{ "NIS compat +", "+alice:x:1000:1000\n", 0, false, 1000, NULL },
	{ "NIS compat -", "-alice:x:1000:1000\n", 0, false, 1000, NULL },
	{ "comment", "#root:x:0:0\n", 0, false, 0, NULL },
	{ "NUL in name", "ro\0ot:x:0:0\n", 12, false, 0, NULL },
	{ "CR after id", "root:x:0\r\n", 0, false, 0, NULL },
	/* a cut text drops its last, partial line */
	{ "cut line dropped", "a:x:1:1\nb:x:23", 0, true, 23, NULL },
	{ "cut keeps whole lines", "a:x:1:1\nb:x:23", 0, true, 1, "a" },
	/* lines of the other id */
	{ "other id", "root:x:0:0\n", 0, false, 1, NULL },
	{ "empty file", "", 0, false, 0, NULL },
};

ParameterizedTestParameters(users, parse)
{
	return cr_make_param_array(struct parse_case, parse_cases,
				   sizeof(parse_cases) / sizeof(parse_cases[0]));
}

ParameterizedTest(struct parse_case *c, users, parse)
{
	struct users_table t;
	const char *got;
	size_t n = c->n ? c->n : strlen(c->text);

	cr_assert_eq(users_parse(&t, c->text, n, c->cut), 0, "%s: parse", c->what);
	got = users_find(&t, c->id);
	if (c->want)
		cr_assert(got && !strcmp(got, c->want), "%s: id %u is '%s', want '%s'",
			  c->what, c->id, got ? got : "(none)", c->want);
	else
		cr_assert_null(got, "%s: id %u is '%s', want none", c->what, c->id,
			       got);
	users_table_free(&t);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* entries beyond the cap are not kept; a huge line is cheap */
Test(users, parse_bounds)
{
	size_t len = 8 << 20, n = 0, i;
	char *text = malloc(len);
	struct users_table t;
	double t0;

	cr_assert_not_null(text);
	for (i = 0; i < USERS_ENTRIES_MAX + 1000; i++)
		n += snprintf(text + n, len - n, "u%zu:x:%zu:0::/:/bin/sh\n", i, i);
	cr_assert_eq(users_parse(&t, text, n, false), 0);
	cr_assert_eq(t.n, USERS_ENTRIES_MAX, "%zu entries kept, cap %d", t.n,
		     USERS_ENTRIES_MAX);
	cr_assert_str_eq(users_find(&t, 0), "u0");
	cr_assert_null(users_find(&t, USERS_ENTRIES_MAX + 10), "past the cap");
	users_table_free(&t);
	/* 8 MiB of one line, of colons, of newlines */
	memset(text, 'a', len);
	t0 = now_s();
	cr_assert_eq(users_parse(&t, text, len, false), 0);
	cr_assert_eq(t.n, 0);
	users_table_free(&t);
	memset(text, ':', len);
	cr_assert_eq(users_parse(&t, text, len, false), 0);
	cr_assert_eq(t.n, 0);
	users_table_free(&t);
	memset(text, '\n', len);
	cr_assert_eq(users_parse(&t, text, len, true), 0);
	cr_assert_eq(t.n, 0);
	users_table_free(&t);
	cr_assert_lt(now_s() - t0, 2.0, "8 MiB texts took %.2f s", now_s() - t0);
	free(text);
}

/* a stand-in /proc: <proc>/<pid>/ns/mnt (its inode is the namespace) and
 * <proc>/<pid>/root -> a directory with etc/ */
struct fake {
	char proc[64];
	char root[128];
	char outside[128];
	uint32_t mntns;
};

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static void fake_make(struct fake *f, uint32_t pid)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(f->proc, sizeof(f->proc), "/tmp/sw-users-XXXXXX");
	cr_assert_not_null(mkdtemp(f->proc));
	snprintf(path, sizeof(path), "%s/%u", f->proc, pid);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%u/ns", f->proc, pid);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%u/ns/mnt", f->proc, pid);
	put(path, "");
	cr_assert_eq(stat(path, &st), 0);
	f->mntns = st.st_ino;
	snprintf(f->root, sizeof(f->root), "%s/rootfs", f->proc);
	cr_assert_eq(mkdir(f->root, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc", f->root);
	cr_assert_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%u/root", f->proc, pid);
	cr_assert_eq(symlink(f->root, path), 0);
	/* a file outside the root the lookups must never read */
	snprintf(f->outside, sizeof(f->outside), "%s/outside", f->proc);
	put(f->outside, "outsider:x:1234:1234::/:/bin/sh\n");
}

static void fake_etc(struct fake *f, const char *name, const char *text,
		     const char *link)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/etc/%s", f->root, name);
	unlink(path);
	if (link)
		cr_assert_eq(symlink(link, path), 0, "symlink %s", path);
	else
		put(path, text);
}

static void fake_free(struct fake *f)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->proc);
	cr_assert_eq(system(cmd), 0);
}

static const char *name_of(struct users *u, struct fake *f, uint32_t pid,
			   uint32_t uid)
{
	static char name[128];

	users_name(u, pid, f->mntns, uid, name, sizeof(name));
	return name;
}

Test(users, names_from_the_process_root)
{
	struct users u;
	struct fake f;
	char name[128];

	fake_make(&f, 42);
	fake_etc(&f, "passwd", "root:x:0:0\npodman-user:x:1234:1234::/:/bin/sh\n",
		 NULL);
	fake_etc(&f, "group", "root:x:0:\npodman-group:x:1234:\n", NULL);
	cr_assert_eq(users_init(&u), 0);
	u.proc = f.proc;
	cr_assert_str_eq(name_of(&u, &f, 42, 1234), "podman-user");
	users_group(&u, 42, f.mntns, 1234, name, sizeof(name));
	cr_assert_str_eq(name, "podman-group");
	cr_assert_str_eq(name_of(&u, &f, 42, 99), "", "a uid the file lacks");
	/* cached: the files are read once per namespace */
	cr_assert_eq(u.loads, 1, "%llu loads", (unsigned long long)u.loads);
	fake_etc(&f, "passwd", "changed:x:1234:1234\n", NULL);
	cr_assert_str_eq(name_of(&u, &f, 42, 1234), "podman-user", "cache");
	cr_assert_eq(u.loads, 1);
	/* another pid in the same namespace, gone: the cache answers */
	cr_assert_str_eq(name_of(&u, &f, 43, 1234), "podman-user", "gone pid");
	users_destroy(&u);
	fake_free(&f);
}

struct escape_case {
	const char *what;
	const char *link;	/* passwd -> link; %s: the outside file */
};

static struct escape_case escape_cases[] = {
	{ "absolute link to a host file", "%s" },
	{ "relative link climbing out", "../../../../../../../..%s" },
	{ "link to the sensor's environ", "/proc/self/environ" },
	{ "link through a magic link", "/proc/self/root%s" },
	{ "link to a loop", "passwd" },
};

ParameterizedTestParameters(users, symlinks_stay_inside)
{
	return cr_make_param_array(struct escape_case, escape_cases,
				   sizeof(escape_cases) / sizeof(escape_cases[0]));
}

ParameterizedTest(struct escape_case *c, users, symlinks_stay_inside)
{
	char link[PATH_MAX];
	struct users u;
	struct fake f;

	fake_make(&f, 42);
	snprintf(link, sizeof(link), c->link, f.outside);
	fake_etc(&f, "passwd", NULL, link);
	cr_assert_eq(users_init(&u), 0);
	u.proc = f.proc;
	cr_assert_str_eq(name_of(&u, &f, 42, 1234), "", "%s: read %s", c->what,
			 link);
	users_destroy(&u);
	fake_free(&f);
}

Test(users, refused_files)
{
	char path[PATH_MAX];
	struct users u;
	struct fake f;

	fake_make(&f, 42);
	cr_assert_eq(users_init(&u), 0);
	u.proc = f.proc;
	/* a FIFO: opened without blocking, then refused */
	snprintf(path, sizeof(path), "%s/etc/passwd", f.root);
	cr_assert_eq(mkfifo(path, 0644), 0);
	cr_assert_str_eq(name_of(&u, &f, 42, 0), "", "FIFO");
	cr_assert_geq(u.refused, 1, "FIFO not counted as refused");
	users_destroy(&u);
	/* a directory */
	cr_assert_eq(users_init(&u), 0);
	u.proc = f.proc;
	unlink(path);
	cr_assert_eq(mkdir(path, 0755), 0);
	cr_assert_str_eq(name_of(&u, &f, 42, 0), "", "directory");
	users_destroy(&u);
	fake_free(&f);
}

/* a namespace that is not the process's any more: nothing read */
Test(users, pid_in_another_namespace)
{
	struct users u;
	struct fake f;
	char name[64];

	fake_make(&f, 42);
	fake_etc(&f, "passwd", "podman-user:x:1234:1234\n", NULL);
	cr_assert_eq(users_init(&u), 0);
	u.proc = f.proc;
	users_name(&u, 42, f.mntns + 1, 1234, name, sizeof(name));
	cr_assert_str_eq(name, "", "read for another namespace");
	cr_assert_eq(u.loads, 0);
	users_destroy(&u);
	fake_free(&f);
}

/* a huge passwd is read to USERS_FILE_MAX: names past it are unknown */
Test(users, huge_file_is_cut)
{
	char path[PATH_MAX];
	struct users u;
	struct fake f;
	FILE *fp;
	size_t i;

	fake_make(&f, 42);
	snprintf(path, sizeof(path), "%s/etc/passwd", f.root);
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("early:x:1:1\n", fp);
	for (i = 0; i < USERS_FILE_MAX / 16 + 1000; i++)
		fputs("################\n", fp);
	fputs("late:x:2:2\n", fp);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_eq(users_init(&u), 0);
	u.proc = f.proc;
	cr_assert_str_eq(name_of(&u, &f, 42, 1), "early");
	cr_assert_str_eq(name_of(&u, &f, 42, 2), "", "a name past the read limit");
	users_destroy(&u);
	fake_free(&f);
}

/* at most USERS_LOADS_PER_S loads a second; then no name, nothing cached */
Test(users, load_budget)
{
	struct fake f[USERS_LOADS_PER_S + 1];
	struct users u;
	time_t start;
	size_t i;

	for (i = 0; i <= USERS_LOADS_PER_S; i++) {
		fake_make(&f[i], 42);
		fake_etc(&f[i], "passwd", "named:x:7:7\n", NULL);
	}
	cr_assert_eq(users_init(&u), 0);
	start = time(NULL);
	for (i = 0; i <= USERS_LOADS_PER_S; i++) {
		u.proc = f[i].proc;
		if (i < USERS_LOADS_PER_S)
			cr_assert_str_eq(name_of(&u, &f[i], 42, 7), "named",
					 "namespace %zu", i);
		else if (u.budget_used == USERS_LOADS_PER_S)
			cr_assert_str_eq(name_of(&u, &f[i], 42, 7), "",
					 "namespace %zu past the budget", i);
	}
	cr_assert_leq(u.loads, USERS_LOADS_PER_S + (time(NULL) != start),
		      "%llu loads", (unsigned long long)u.loads);
	users_destroy(&u);
	for (i = 0; i <= USERS_LOADS_PER_S; i++)
		fake_free(&f[i]);
}
