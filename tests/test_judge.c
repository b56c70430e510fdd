// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of content judgement (user/judge.c) on real processes: shells
 * started under other names, as copies, links, memfd and deleted files,
 * through the loader and as busybox applets, read back from /proc as the
 * start-up scan reads them. Each process waits on a pipe the test holds,
 * so it lives until the test has looked.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "classify.h"
#include "judge.h"
#include "procscan.h"
#include "shells.h"
#include "verdicts.h"
#include "sw_proc.h"
#include "sw_rows.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define LDSO		"/lib64/ld-linux-x86-64.so.2"

enum how { PLAIN, COPY, LINK, MEMFD, DELETED };

struct judge_case {
	const char *what;
	enum how how;
	const char *binary;	/* what runs (copied, linked, ...) */
	const char *as;		/* the copy's file name */
	const char *argv[8];	/* argv; "@" is the path run */
	bool shell;
	const char *match;
	const char *name;
};

/* the shells read a line from the pipe and end */
static const struct judge_case cases[] = {
	/* renamed copies and links */
	{ "bash copy", COPY, "/usr/bin/bash", "innocent",
	  { "innocent", "-c", "read x; exit 0" }, true, "content", "bash" },
	{ "dash copy", COPY, "/usr/bin/dash", "kworker",
	  { "kworker", "-c", "read x; exit 0" }, true, "content", "dash" },
	{ "dash hard link", LINK, "/usr/bin/dash", "python3",
	  { "python3", "-c", "read x; exit 0" }, true, "content", "dash" },
	{ "bash memfd", MEMFD, "/usr/bin/bash", NULL,
	  { "systemd", "-c", "read x; exit 0" }, true, "content", "bash" },
	{ "bash deleted", DELETED, "/usr/bin/bash", "gone",
	  { "gone", "-c", "read x; exit 0" }, true, "content", "bash" },
	{ "lksh", PLAIN, "/usr/bin/lksh", NULL,
	  { "lksh", "-c", "read x; exit 0" }, true, "binary", "lksh" },
	{ "zsh as sh", COPY, "/usr/bin/zsh", "sh",
	  { "sh", "-c", "read x; exit 0" }, true, "binary", "sh" },
	/* loaders */
	{ "loader", PLAIN, LDSO, NULL,
	  { LDSO, "/usr/bin/bash", "-c", "read x; exit 0" }, true, "loader",
	  "bash" },
	{ "loader argv0", PLAIN, LDSO, NULL,
	  { LDSO, "--argv0", "innocent", "--inhibit-cache", "/usr/bin/dash",
	    "-c", "read x; exit 0" }, true, "loader", "dash" },
	{ "loader busybox", PLAIN, LDSO, NULL,
	  { LDSO, "--argv0", "sh", "/usr/bin/busybox", "-c", "read x; exit 0" },
	  true, "loader", "sh" },
	{ "loader renamed copy", PLAIN, LDSO, NULL,
	  { LDSO, "@/innocent", "-c", "read x; exit 0" }, true,
	  "loader", "bash" },
	/* busybox applets */
	{ "busybox renamed", COPY, "/usr/bin/busybox", "busybox-x86_64",
	  { "busybox-x86_64", "sh", "-c", "read x; exit 0" }, true, "applet",
	  "sh" },
	{ "busybox login", COPY, "/usr/bin/busybox", "bb",
	  { "-sh", "-c", "read x; exit 0" }, true, "applet", "sh" },
	{ "busybox busybox sh", PLAIN, "/usr/bin/busybox", NULL,
	  { "busybox", "busybox", "ash", "-c", "read x; exit 0" }, true,
	  "applet", "ash" },
	{ "busybox.static", COPY, "/usr/bin/busybox", "busybox.static",
	  { "busybox.static", "sh", "-c", "read x; exit 0" }, true, "applet",
	  "sh" },
	{ "busybox cat", COPY, "/usr/bin/busybox", "bb",
	  { "cat" }, false, NULL, NULL },
	/* names still count, for what is no shell */
	{ "cat named bash", COPY, "/usr/bin/cat", "bash",
	  { "bash" }, true, "binary", "bash" },
	{ "cat", COPY, "/usr/bin/cat", "innocent",
	  { "innocent" }, false, NULL, NULL },
	{ "loader cat", PLAIN, LDSO, NULL,
	  { LDSO, "/usr/bin/cat" }, false, NULL, NULL },
};

static void copy_to(const char *from, int to)
{
	struct stat st;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	off_t off = 0;

	cr_assert_geq(in, 0, "open %s: %s", from, strerror(errno));
	cr_assert_eq(fstat(in, &st), 0);
	while (off < st.st_size)
		cr_assert_gt(sendfile(to, in, &off, st.st_size - off), 0,
			     "copy %s", from);
	close(in);
}

/* a copy of from at path, executable */
static void copy_file(const char *from, const char *path)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	copy_to(from, fd);
	close(fd);
}

struct child {
	pid_t pid;
	int stdin_w;	/* the test's end of the child's stdin */
};

/*
 * The status pipe closes at the exec's point of no return, before the
 * kernel gives the process its new name and arguments: wait until its
 * cmdline is no longer the test's (empty in between)
 */
static void wait_exec_done(pid_t pid, const char *what)
{
	char path[64], self[4096], now[4096];
	ssize_t ns = sw_read_small("/proc/self/cmdline", self, sizeof(self)), n;
	long deadline = sw_now_ms() + 5000;

	cr_assert_gt(ns, 0, "cannot read /proc/self/cmdline");
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	for (;;) {
		n = sw_read_small(path, now, sizeof(now));
		if (n > 0 && (n != ns || memcmp(now, self, (size_t)n)))
			return;
		cr_assert_lt(sw_now_ms(), deadline,
			     "%s: pid %d did not finish its exec in 5 s", what, (int)pid);
		usleep(1000);
	}
}

/*
 * start c and return once it has exec'd: the status pipe is closed by the
 * exec, or carries errno when the exec failed
 */
/* an argument "@/NAME" is DIR/NAME, a file the case makes in its directory */
static struct child start(const struct judge_case *c, const char *dir)
{
	char path[256], *argv[8] = { 0 }, at[8][256];
	int in[2], status[2], fd = -1, i, err = 0;
	struct child ch;
	ssize_t n;

	snprintf(path, sizeof(path), "%s", c->binary);
	if (c->how == COPY || c->how == DELETED) {
		snprintf(path, sizeof(path), "%s/%s", dir, c->as);
		copy_file(c->binary, path);
	} else if (c->how == LINK) {
		/* a link to a copy: the system's binaries keep their links */
		char orig[256];

		snprintf(orig, sizeof(orig), "%s/original", dir);
		copy_file(c->binary, orig);
		snprintf(path, sizeof(path), "%s/%s", dir, c->as);
		unlink(path);
		cr_assert_eq(link(orig, path), 0, "link %s: %s", path,
			     strerror(errno));
	} else if (c->how == MEMFD) {
		fd = memfd_create("x", MFD_CLOEXEC);
		cr_assert_geq(fd, 0, "memfd_create");
		copy_to(c->binary, fd);
	}
	for (i = 0; i < 7 && c->argv[i]; i++) {
		argv[i] = (char *)c->argv[i];
		if (!strncmp(argv[i], "@/", 2)) {
			snprintf(at[i], sizeof(at[i]), "%s%s", dir, argv[i] + 1);
			argv[i] = at[i];
		}
	}
	cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(status, O_CLOEXEC), 0);
	ch.pid = fork();
	cr_assert_geq(ch.pid, 0, "fork");
	if (!ch.pid) {
		dup2(in[0], 0);
		if (fd >= 0)
			fexecve(fd, argv, environ);
		else
			execv(path, argv);
		err = errno;
		n = write(status[1], &err, sizeof(err));
		_exit(127 + 0 * n);
	}
	close(in[0]);
	close(status[1]);
	n = read(status[0], &err, sizeof(err));
	close(status[0]);
	cr_assert_eq(n, 0, "%s: exec %s: %s", c->what, path, strerror(err));
	wait_exec_done(ch.pid, c->what);
	if (fd >= 0)
		close(fd);
	if (c->how == DELETED)
		unlink(path);
	ch.stdin_w = in[1];
	return ch;
}

static void stop(struct child *ch)
{
	int st;

	close(ch->stdin_w);
	kill(ch->pid, SIGKILL);
	waitpid(ch->pid, &st, 0);
}

ParameterizedTestParameters(judge, started)
{
	return sw_rows(ARRAY_SIZE(cases));
}

ParameterizedTest(int *ix, judge, started, .timeout = 30)
{
	const struct judge_case *c = &cases[*ix];
	char dir[64];
	struct shell_set set;
	struct verdicts v;
	struct judge j;
	struct procscan_opts opts = { .proc = "/proc", .judge = &j };
	struct sw_exec *ex = malloc(sizeof(*ex));
	struct child ch;
	char err[128];
	int r;

	cr_assert_not_null(ex);
	/* rows run in parallel, and so may other runs of this suite: each
	 * row of each run has its own directory */
	snprintf(dir, sizeof(dir), "/tmp/sw-judge-%d-%d", (int)getpid(), *ix);
	mkdir(dir, 0755);
	if (strstr(c->what, "loader renamed")) {
		snprintf(err, sizeof(err), "%s/innocent", dir);
		copy_file("/usr/bin/bash", err);
	}
	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	cr_assert_eq(verdicts_init(&v, -1), 0);
	judge_init(&j, &set, &v, "/proc");
	ch = start(c, dir);
	r = procscan_one(&opts, &set, ch.pid, ex);
	if (!c->shell) {
		cr_expect_eq(r, -ESRCH, "%s: no shell, got %d (match %s)",
			     c->what, r, ex->shell);
	} else {
		cr_expect_eq(r, 0, "%s: a shell, got %d", c->what, r);
		cr_expect_str_eq(classify_match_name(ex->match), c->match,
				 "%s: matched_by", c->what);
		cr_expect_str_eq(ex->shell, c->name, "%s: shell name", c->what);
	}
	stop(&ch);
	if (strstr(c->what, "loader renamed")) {
		snprintf(err, sizeof(err), "%s/innocent", dir);
		unlink(err);
	}
	if (c->how == COPY || c->how == LINK) {
		snprintf(err, sizeof(err), "%s/%s", dir, c->as);
		unlink(err);
		snprintf(err, sizeof(err), "%s/original", dir);
		unlink(err);
	}
	rmdir(dir);
	verdicts_destroy(&v);
	free(ex);
}

/* one binary, judged twice: read once */
Test(judge, cached)
{
	struct sw_inode_key key;
	struct verdicts v;
	unsigned int fam;
	int fd = open("/usr/bin/cat", O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(verdicts_init(&v, -1), 0);
	cr_assert_eq(verdicts_key_of(fd, &key), 0);
	cr_assert_eq(verdicts_judge(&v, &key, fd, &fam), 0);
	cr_assert_eq(fam, SW_FAM_NONE);
	cr_assert_eq(verdicts_judge(&v, &key, fd, &fam), 0);
	cr_assert_eq(v.st.fingerprinted, 1, "read %llu times",
		     (unsigned long long)v.st.fingerprinted);
	cr_assert_eq(v.st.cached, 1);
	/* a changed ctime is another identity: judged again */
	key.ctime_nsec ^= 1;
	cr_assert_eq(verdicts_judge(&v, &key, fd, &fam), 0);
	cr_assert_eq(v.st.fingerprinted, 2);
	verdicts_destroy(&v);
	close(fd);
}

/* past the byte budget a binary is not read, and is read once it refills */
Test(judge, byte_budget)
{
	struct sw_inode_key a, b;
	struct verdicts v;
	unsigned int fam = SW_FAM_UNKNOWN;
	int fa = open("/usr/bin/cat", O_RDONLY);
	int fb = open("/usr/bin/true", O_RDONLY);

	cr_assert_geq(fa, 0);
	cr_assert_geq(fb, 0);
	cr_assert_eq(verdicts_init(&v, -1), 0);
	/* one byte of credit, none added back within the test */
	verdicts_budget(&v, 1, 1);
	cr_assert_eq(verdicts_key_of(fa, &a), 0);
	cr_assert_eq(verdicts_key_of(fb, &b), 0);
	cr_assert_eq(verdicts_judge(&v, &a, fa, &fam), 0);
	cr_assert_eq(fam, SW_FAM_NONE);
	/* the first file overdrew the credit: the next waits */
	cr_assert_eq(verdicts_judge(&v, &b, fb, &fam), -EBUSY,
		     "a second binary was read past the budget");
	cr_assert_eq(v.st.over_budget, 1);
	cr_assert_eq(v.st.fingerprinted, 1);
	/* a verdict kept costs nothing */
	cr_assert_eq(verdicts_judge(&v, &a, fa, &fam), 0);
	cr_assert_eq(v.st.cached, 1);
	/* refilled, it is read */
	verdicts_budget(&v, VERDICTS_BYTES_RATE, VERDICTS_BYTES_BURST);
	cr_assert_eq(verdicts_judge(&v, &b, fb, &fam), 0);
	cr_assert_eq(v.st.fingerprinted, 2);
	verdicts_destroy(&v);
	close(fa);
	close(fb);
}
