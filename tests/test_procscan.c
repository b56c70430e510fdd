// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the start-up scan (user/procscan.c): tty names from tty_nr,
 * and real shells started by the test, read back from /proc.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "cgroups.h"
#include "procscan.h"
#include "shells.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
/* a string literal as pointer and length, embedded NULs included */
#define A(s)		(s), sizeof(s) - 1

/* the shells' command: not a lone "sleep 5", which a shell would exec */
#define SHELL_CMD	"sleep 5; exit 0"

struct tty_case {
	unsigned int major, minor;
	const char *want;
};

static const struct tty_case tty_cases[] = {
	/* pseudo-terminals: majors 136-143 */
	{ 136, 0, "pts0" },
	{ 136, 1, "pts1" },
	{ 136, 255, "pts255" },
	{ 136, 256, "pts256" },		/* 20-bit minor of today's kernels */
	{ 136, 300, "pts300" },
	{ 137, 44, "pts300" },		/* 256 minors per major */
	{ 143, 255, "pts2047" },
	/* virtual consoles */
	{ 4, 0, "tty0" },
	{ 4, 1, "tty1" },
	{ 4, 63, "tty63" },
	/* serial ports */
	{ 4, 64, "ttyS0" },
	{ 4, 65, "ttyS1" },
	{ 4, 255, "ttyS191" },
	/* the console */
	{ 5, 1, "console" },
	/* unknown */
	{ 0, 0, "" },
	{ 5, 0, "" },			/* /dev/tty */
	{ 5, 2, "" },			/* /dev/ptmx */
	{ 3, 0, "" },			/* BSD pty slave */
	{ 135, 0, "" },
	{ 144, 0, "" },
	{ 188, 0, "" },			/* ttyUSB0 */
	{ 229, 0, "" },			/* hvc0 */
	{ 204, 64, "" },		/* ttyAMA0 */
};

ParameterizedTestParameters(procscan, tty_name)
{
	return sw_rows(ARRAY_SIZE(tty_cases));
}

ParameterizedTest(int *row, procscan, tty_name)
{
	const struct tty_case *c = &tty_cases[*row];
	/* /proc/pid/stat's tty_nr: the low 32 bits of a dev_t */
	unsigned int tty_nr = (unsigned int)makedev(c->major, c->minor);
	char buf[64];

	memset(buf, 'x', sizeof(buf));
	procscan_tty_name(tty_nr, buf, sizeof(buf));
	cr_assert_str_eq(buf, c->want, "tty %u:%u (tty_nr %u): '%s', want '%s'",
			 c->major, c->minor, tty_nr, buf, c->want);
}

/* a short buffer holds a cut, terminated name */
Test(procscan, tty_name_small_buffer)
{
	char *buf = malloc(4);

	cr_assert_not_null(buf);
	procscan_tty_name((unsigned int)makedev(136, 300), buf, 4);
	cr_assert_str_eq(buf, "pts", "pts300 into 4 bytes: '%s'", buf);
	free(buf);
}

/* a child started for a test, killed when the test ends */
struct child {
	pid_t pid;
};

/*
 * Start path with argv, and wait until the exec is done and /proc shows
 * the new program (its comm and cmdline), for at most 5 s.
 */
static void child_start(struct child *ch, const char *path,
			char *const argv[], const char *comm,
			const char *cmdline, size_t cmdline_len)
{
	char procpath[64], buf[4096];
	struct timespec ts = { 0, 1000000 };
	int fds[2], err = 0, i, fd;
	ssize_t n;

	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0, "pipe2 failed");
	ch->pid = fork();
	cr_assert_neq(ch->pid, -1, "fork failed");
	if (!ch->pid) {
		/* die with the test, whatever happens to it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		execv(path, argv);
		err = errno;
		if (write(fds[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(fds[1]);
	/* the pipe closes on exec; it carries errno when exec failed */
	n = read(fds[0], &err, sizeof(err));
	close(fds[0]);
	cr_assert_eq(n, 0, "exec of %s failed: %s", path, strerror(err));

	/* the kernel sets comm and argv after closing the pipe */
	for (i = 0; i < 5000; i++) {
		snprintf(procpath, sizeof(procpath), "/proc/%d/cmdline", ch->pid);
		fd = open(procpath, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (fd >= 0)
			close(fd);
		if (n == (ssize_t)cmdline_len && !memcmp(buf, cmdline, n)) {
			snprintf(procpath, sizeof(procpath), "/proc/%d/comm",
				 ch->pid);
			fd = open(procpath, O_RDONLY);
			n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
			if (fd >= 0)
				close(fd);
			if (n > 0) {
				buf[n] = '\0';
				buf[strcspn(buf, "\n")] = '\0';
				if (!strcmp(buf, comm))
					return;
			}
		}
		nanosleep(&ts, NULL);
	}
	cr_assert_fail("child %s (pid %d) did not show up in /proc", path,
		       ch->pid);
}

static void child_stop(struct child *ch)
{
	if (ch->pid <= 0)
		return;
	kill(ch->pid, SIGKILL);
	waitpid(ch->pid, NULL, 0);
	ch->pid = 0;
}

/* the first line of /proc/self/name, newline stripped */
static void self_line(const char *name, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/%s", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* the path of this process's cgroup line with controller ctrl ("" for v2) */
static void self_cgroup(const char *ctrl, char *out, size_t len)
{
	char line[4096], *a, *b;
	FILE *f = fopen("/proc/self/cgroup", "r");

	out[0] = '\0';
	cr_assert_not_null(f, "cannot open /proc/self/cgroup");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		a = strchr(line, ':');
		b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		if (!strcmp(a + 1, ctrl)) {
			snprintf(out, len, "%s", b + 1);
			break;
		}
	}
	fclose(f);
}

static uint32_t self_ns(const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	cr_assert_eq(stat(path, &st), 0, "cannot stat %s", path);
	return (uint32_t)st.st_ino;
}

static uint64_t boot_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct shell_case {
	const char *what;
	const char *path;		/* what to exec */
	const char *argv[5];
	const char *cmdline;		/* argv as /proc shows it */
	size_t cmdline_len;
	unsigned int argc;
	const char *comm;		/* basename of path, cut to 15 */
	unsigned int match;
	bool multicall;
};

static const struct shell_case shell_cases[] = {
	/* /bin/sh: a link to dash (Debian) or bash */
	{ "/bin/sh -c", "/bin/sh", { "/bin/sh", "-c", SHELL_CMD },
	  A("/bin/sh\0-c\0" SHELL_CMD "\0"), 3, "sh", SW_MATCH_BINARY, false },
	/* renamed argv[0] */
	{ "exec -a innocent bash", "/bin/bash", { "innocent", "-c", SHELL_CMD },
	  A("innocent\0-c\0" SHELL_CMD "\0"), 3, "bash", SW_MATCH_BINARY,
	  false },
	/* busybox applets */
	{ "busybox as sh", "/usr/bin/busybox", { "sh", "-c", SHELL_CMD },
	  A("sh\0-c\0" SHELL_CMD "\0"), 3, "busybox", SW_MATCH_APPLET, true },
	{ "busybox sh", "/usr/bin/busybox",
	  { "busybox", "sh", "-c", SHELL_CMD },
	  A("busybox\0sh\0-c\0" SHELL_CMD "\0"), 4, "busybox", SW_MATCH_APPLET,
	  true },
};

ParameterizedTestParameters(procscan, finds_shell)
{
	return sw_rows(ARRAY_SIZE(shell_cases));
}

ParameterizedTest(int *row, procscan, finds_shell)
{
	const struct shell_case *c = &shell_cases[*row];
	char v2mount[PATH_MAX] = "", want_exe[PATH_MAX], buf[PATH_MAX];
	char v1[PATH_MAX], v2[PATH_MAX], path[PATH_MAX * 2];
	struct procscan_opts opts = {
		.proc = "/proc", .cgroup_v1_name = "memory",
	};
	struct child ch = { 0 };
	struct shell_set set;
	struct sw_exec *ex;
	uint64_t now;
	struct stat st;
	ssize_t n;
	pid_t pid;
	int ret;

	if (access(c->path, X_OK))
		cr_skip_test("case %s: no %s here", c->what, c->path);
	cr_assert_not_null(realpath(c->path, want_exe), "realpath(%s)", c->path);
	if (!cgroups_v2_mount("/proc/self/mountinfo", v2mount, sizeof(v2mount)))
		opts.cgroup_v2_mount = v2mount;
	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, buf, sizeof(buf)), 0);
	ex = malloc(sizeof(*ex));
	cr_assert_not_null(ex);

	child_start(&ch, c->path, (char *const *)c->argv, c->comm, c->cmdline,
		    c->cmdline_len);
	pid = ch.pid;
	ret = procscan_one(&opts, &set, pid, ex);
	now = boot_now_ns();
	child_stop(&ch);

	cr_assert_eq(ret, 0, "case %s: procscan_one: %d", c->what, ret);
	cr_assert_eq(ex->match, c->match, "case %s: match %u, want %u", c->what,
		     ex->match, c->match);
	cr_assert_eq(!!(ex->flags & SW_F_MULTICALL), c->multicall,
		     "case %s: flags %#x, multicall want %d", c->what,
		     ex->flags, c->multicall);
	cr_assert_eq(ex->flags & SW_F_FILELESS, 0, "case %s: fileless",
		     c->what);
	cr_assert(ex->found_at_start, "case %s: found_at_start false", c->what);
	cr_assert_eq(ex->exec_ns, 0, "case %s: exec_ns %llu", c->what,
		     (unsigned long long)ex->exec_ns);
	cr_assert_neq(ex->start_ns, 0, "case %s: start_ns 0", c->what);
	cr_assert_leq(ex->start_ns, now, "case %s: start_ns %llu after now %llu",
		      c->what, (unsigned long long)ex->start_ns,
		      (unsigned long long)now);
	cr_assert_lt(now - ex->start_ns, 60 * 1000000000ULL,
		     "case %s: started %llu ns ago", c->what,
		     (unsigned long long)(now - ex->start_ns));
	cr_assert_eq(ex->pid, (uint32_t)pid, "case %s: pid %u, want %d",
		     c->what, ex->pid, pid);
	cr_assert_eq(ex->vpid, (uint32_t)pid, "case %s: vpid %u, want %d",
		     c->what, ex->vpid, pid);
	cr_assert_eq(ex->ppid, (uint32_t)getpid(), "case %s: ppid %u, want %d",
		     c->what, ex->ppid, getpid());
	cr_assert_eq(ex->sid, (uint32_t)getsid(0), "case %s: sid %u, want %d",
		     c->what, ex->sid, getsid(0));
	cr_assert_eq(ex->uid, getuid(), "case %s: uid %u", c->what, ex->uid);
	cr_assert_eq(ex->euid, geteuid(), "case %s: euid %u", c->what, ex->euid);
	cr_assert_eq(ex->gid, getgid(), "case %s: gid %u", c->what, ex->gid);
	cr_assert_eq(ex->egid, getegid(), "case %s: egid %u", c->what, ex->egid);
	cr_assert_str_eq(ex->comm, c->comm, "case %s: comm '%s', want '%s'",
			 c->what, ex->comm, c->comm);
	cr_assert_str_eq(ex->exe, want_exe, "case %s: exe '%s', want '%s'",
			 c->what, ex->exe, want_exe);
	cr_assert_eq(ex->nlink, 1, "case %s: nlink %u", c->what, ex->nlink);
	cr_assert_eq(ex->argv_len, c->cmdline_len, "case %s: argv_len %zu, want %zu",
		     c->what, ex->argv_len, c->cmdline_len);
	cr_assert_eq(memcmp(ex->argv, c->cmdline, c->cmdline_len), 0,
		     "case %s: argv bytes differ", c->what);
	cr_assert_eq(ex->argc, c->argc, "case %s: argc %u, want %u", c->what,
		     ex->argc, c->argc);
	cr_assert_eq(ex->flags & SW_F_ARGV_TRUNC, 0, "case %s: argv truncated",
		     c->what);

	cr_assert_not_null(getcwd(buf, sizeof(buf)));
	cr_assert_str_eq(ex->cwd, buf, "case %s: cwd '%s', want '%s'", c->what,
			 ex->cwd, buf);
	cr_assert_eq(ex->pidns, self_ns("pid"), "case %s: pidns %u", c->what,
		     ex->pidns);
	cr_assert_eq(ex->mntns, self_ns("mnt"), "case %s: mntns %u", c->what,
		     ex->mntns);
	self_line("comm", buf, sizeof(buf));
	cr_assert_str_eq(ex->parent_comm, buf,
			 "case %s: parent_comm '%s', want '%s'", c->what,
			 ex->parent_comm, buf);
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0, "readlink /proc/self/exe");
	buf[n] = '\0';
	cr_assert_str_eq(ex->parent_exe, buf,
			 "case %s: parent_exe '%s', want '%s'", c->what,
			 ex->parent_exe, buf);
	self_line("loginuid", buf, sizeof(buf));
	cr_assert_eq(ex->loginuid, (uint32_t)strtoul(buf, NULL, 10),
		     "case %s: loginuid %u, want %s", c->what, ex->loginuid,
		     buf);

	/* the child is in the test's cgroups */
	self_cgroup("", v2, sizeof(v2));
	self_cgroup("memory", v1, sizeof(v1));
	cr_assert_str_eq(ex->cgroup, v2, "case %s: cgroup '%s', want '%s'",
			 c->what, ex->cgroup, v2);
	cr_assert_str_eq(ex->cgroup_v1, v1, "case %s: cgroup_v1 '%s', want '%s'",
			 c->what, ex->cgroup_v1, v1);
	if (opts.cgroup_v2_mount && v2[0]) {
		snprintf(path, sizeof(path), "%s%s", v2mount, v2);
		if (!stat(path, &st))
			cr_assert_eq(ex->cgroup_id, st.st_ino,
				     "case %s: cgroup_id %llu, want %llu",
				     c->what, (unsigned long long)ex->cgroup_id,
				     (unsigned long long)st.st_ino);
	}
	free(ex);
}

/* the pid is the child's, and the test process itself is no shell */
Test(procscan, pid_and_self)
{
	static char *const argv[] = { "/bin/sh", "-c", SHELL_CMD, NULL };
	struct procscan_opts opts = { .proc = "/proc" };
	struct child ch = { 0 };
	struct shell_set set;
	struct sw_exec *ex = malloc(sizeof(*ex));
	char err[128];
	int ret;

	cr_assert_not_null(ex);
	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	child_start(&ch, "/bin/sh", argv, "sh", A("/bin/sh\0-c\0" SHELL_CMD "\0"));
	ret = procscan_one(&opts, &set, ch.pid, ex);
	cr_assert_eq(ret, 0, "/bin/sh child: %d", ret);
	cr_assert_eq(ex->pid, (uint32_t)ch.pid, "pid %u, want %d", ex->pid,
		     ch.pid);
	cr_assert_eq(ex->vpid, (uint32_t)ch.pid, "vpid %u, want %d", ex->vpid,
		     ch.pid);
	child_stop(&ch);

	ret = procscan_one(&opts, &set, getpid(), ex);
	cr_assert_eq(ret, -ESRCH, "the test process: %d, want -ESRCH", ret);
	free(ex);
}

/* a program that is no shell, run by the test */
Test(procscan, not_a_shell)
{
	static char *const argv[] = { "sleep", "5", NULL };
	struct procscan_opts opts = { .proc = "/proc" };
	struct child ch = { 0 };
	struct shell_set set;
	struct sw_exec *ex = malloc(sizeof(*ex));
	char err[128], path[PATH_MAX];
	int ret;

	cr_assert_not_null(ex);
	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s",
		 access("/bin/sleep", X_OK) ? "/usr/bin/sleep" : "/bin/sleep");
	child_start(&ch, path, argv, "sleep", A("sleep\0" "5\0"));
	ret = procscan_one(&opts, &set, ch.pid, ex);
	child_stop(&ch);
	cr_assert_eq(ret, -ESRCH, "sleep: %d, want -ESRCH", ret);
	free(ex);
}

/* pid_max is above every pid */
Test(procscan, no_such_pid)
{
	struct procscan_opts opts = { .proc = "/proc" };
	struct shell_set set;
	struct sw_exec *ex = malloc(sizeof(*ex));
	unsigned int pid_max;
	char err[128];
	FILE *f;
	int ret;

	cr_assert_not_null(ex);
	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	f = fopen("/proc/sys/kernel/pid_max", "r");
	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%u", &pid_max), 1);
	fclose(f);
	ret = procscan_one(&opts, &set, pid_max, ex);
	cr_assert_eq(ret, -ENOENT, "pid %u: %d, want -ENOENT", pid_max, ret);
	ret = procscan_one(&opts, &set, 0, ex);
	cr_assert_eq(ret, -ENOENT, "pid 0: %d, want -ENOENT", ret);
	free(ex);
}

/* the pid of a reaped child: gone */
Test(procscan, exited_child)
{
	struct procscan_opts opts = { .proc = "/proc" };
	struct shell_set set;
	struct sw_exec *ex = malloc(sizeof(*ex));
	char err[128];
	pid_t pid;
	int ret;

	cr_assert_not_null(ex);
	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	ret = procscan_one(&opts, &set, pid, ex);
	cr_assert_eq(ret, -ENOENT, "reaped pid %d: %d, want -ENOENT", pid, ret);
	free(ex);
}

struct scan_ctx {
	pid_t want;
	int seen;		/* times want was reported */
	int self_seen;		/* times the test process was */
	int calls;
	int stop_after;		/* 0: never stop */
};

static int on_found(const struct sw_exec *ex, void *data)
{
	struct scan_ctx *s = data;

	s->calls++;
	if (ex->pid == (uint32_t)s->want)
		s->seen++;
	if (ex->pid == (uint32_t)getpid())
		s->self_seen++;
	cr_assert_neq(ex->match, SW_MATCH_NONE, "pid %u reported, no match",
		      ex->pid);
	return s->stop_after && s->calls == s->stop_after ? 42 : 0;
}

Test(procscan, all_finds_child)
{
	static char *const argv[] = { "/bin/sh", "-c", SHELL_CMD, NULL };
	struct procscan_opts opts = { .proc = "/proc" };
	struct child ch = { 0 };
	struct scan_ctx s = { 0 };
	struct shell_set set;
	char err[128];
	int ret;

	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	child_start(&ch, "/bin/sh", argv, "sh", A("/bin/sh\0-c\0" SHELL_CMD "\0"));
	s.want = ch.pid;
	ret = procscan_all(&opts, &set, on_found, &s);
	child_stop(&ch);
	cr_assert_eq(ret, 0, "procscan_all: %d", ret);
	cr_assert_eq(s.seen, 1, "the /bin/sh child reported %d times", s.seen);
	cr_assert_eq(s.self_seen, 0, "the test process reported");

	/* a non-zero return stops the scan and is returned */
	child_start(&ch, "/bin/sh", argv, "sh", A("/bin/sh\0-c\0" SHELL_CMD "\0"));
	memset(&s, 0, sizeof(s));
	s.stop_after = 1;
	ret = procscan_all(&opts, &set, on_found, &s);
	child_stop(&ch);
	cr_assert_eq(ret, 42, "procscan_all stopped by its callback: %d", ret);
	cr_assert_eq(s.calls, 1, "callback called %d times after a stop",
		     s.calls);
}

Test(procscan, all_bad_proc)
{
	struct procscan_opts opts = { .proc = "/nonexistent/proc" };
	struct scan_ctx s = { 0 };
	struct shell_set set;
	char err[128];
	int ret;

	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0);
	ret = procscan_all(&opts, &set, on_found, &s);
	cr_assert_eq(ret, -ENOENT, "missing proc: %d, want -ENOENT", ret);
	cr_assert_eq(s.calls, 0, "callback called");
}
