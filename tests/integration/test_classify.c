// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The real sensor against shells started every way an attacker would hide
 * one: through the dynamic loader, as copies, links and overlay files under
 * other names, as memfd and deleted files, as busybox under other names and
 * with odd arguments. Each gets exactly one exec record saying what ran
 * and why; a thousand non-shell execs, many of never-seen binaries, get
 * none, and a binary judged once is not read again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_run.h"

#define WAIT_MS		10000
#define LDSO		"/lib64/ld-linux-x86-64.so.2"
#define LDSO_REAL	"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
#define X10		"xxxxxxxxxx"
#define X100		X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define LONG_DIR	"/" X100 X100 X100

static char dir[64];

enum how { PLAIN, COPY, LINK, MEMFD, DELETED, OVERLAY, SCRIPT, SCRIPT_COPY };

struct way {
	const char *what;
	enum how how;
	const char *binary;	/* what is copied, linked or run */
	const char *as;		/* the file name it gets */
	const char *argv[8];	/* "@" stands for the path run */
	const char *shell;	/* shell.name */
	const char *matched_by;
	const char *exe;	/* process.executable.path; NULL: the path run */
};

/* every shell reads one line from its stdin, then exits */
#define READ	"-c", "read x; exit 0"

static const struct way ways[] = {
	/* the dynamic loader */
	{ "loader", PLAIN, LDSO, NULL, { LDSO, "/usr/bin/bash", READ },
	  "bash", "loader", LDSO_REAL },
	{ "loader --argv0", PLAIN, LDSO, NULL,
	  { LDSO, "--argv0", "innocent", "/usr/bin/dash", READ },
	  "dash", "loader", LDSO_REAL },
	{ "loader options", PLAIN, LDSO, NULL,
	  { LDSO, "--inhibit-cache", "--library-path", "/nowhere",
	    "/usr/bin/bash", READ }, "bash", "loader", LDSO_REAL },
	{ "loader #! line", SCRIPT, LDSO, "run",
	  { "@" }, "bash", "loader", LDSO_REAL },
	/* copies and links under other names */
	{ "bash copy", COPY, "/usr/bin/bash", "innocent", { "innocent", READ },
	  "bash", "content", NULL },
	{ "dash copy", COPY, "/usr/bin/dash", "python3", { "python3", READ },
	  "dash", "content", NULL },
	{ "bash hard link", LINK, "/usr/bin/bash", "kworker", { "kworker", READ },
	  "bash", "content", NULL },
	{ "dash hard link", LINK, "/usr/bin/dash", "nginx", { "nginx", READ },
	  "dash", "content", NULL },
	{ "bash in an overlay", OVERLAY, "/usr/bin/bash", "app", { "app", READ },
	  "bash", "content", NULL },
	{ "bash memfd", MEMFD, "/usr/bin/bash", NULL, { "systemd", READ },
	  "bash", "content", NULL },
	{ "bash deleted", DELETED, "/usr/bin/bash", "tmpfile",
	  { "containerd", READ }, "bash", "content", NULL },
	{ "zsh-static copy", COPY, "/usr/bin/zsh-static", "kubelet",
	  { "kubelet", "-f", READ }, "zsh", "content", NULL },
	{ "mksh copy", COPY, "/usr/bin/mksh", "cat", { "cat", READ },
	  "mksh", "content", NULL },
	{ "yash copy", COPY, "/usr/bin/yash", "sleep", { "sleep", READ },
	  "yash", "content", NULL },
	{ "#! a renamed bash copy", SCRIPT_COPY, "/usr/bin/bash", "logrotate",
	  { "@", NULL }, "bash", "content", NULL },
	{ "#! a renamed dash copy, argv[0] a shell's", SCRIPT_COPY,
	  "/usr/bin/dash", "cron", { "bash", NULL }, "dash", "content", NULL },
	/* busybox by content, by its own rules */
	{ "busybox renamed", COPY, "/usr/bin/busybox", "busybox-x86_64",
	  { "busybox-x86_64", "sh", READ }, "sh", "applet", NULL },
	{ "busybox.static", COPY, "/usr/bin/busybox", "busybox.static",
	  { "busybox.static", "ash", READ }, "ash", "applet", NULL },
	{ "busybox -sh", PLAIN, "/usr/bin/busybox", NULL, { "-sh", READ },
	  "sh", "applet", NULL },
	{ "busybox busybox sh", PLAIN, "/usr/bin/busybox", NULL,
	  { "busybox", "busybox", "sh", READ }, "sh", "applet", NULL },
	{ "busybox long argv[0]", COPY, "/usr/bin/busybox", "bb",
	  { LONG_DIR "/sh", READ }, "sh", "applet", NULL },
	{ "busybox long argv[1]", PLAIN, "/usr/bin/busybox", NULL,
	  { "busybox", LONG_DIR "/ash", READ }, "ash", "applet", NULL },
	/* names still count */
	{ "lksh", PLAIN, "/usr/bin/lksh", NULL, { "lksh", READ }, "lksh",
	  "binary", NULL },
	{ "posh", PLAIN, "/usr/bin/posh", NULL, { "posh", READ }, "posh",
	  "binary", NULL },
};

static void copy_into(const char *from, int to)
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

static void copy_file(const char *from, const char *path)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	cr_assert_geq(fd, 0, "create %s: %s", path, strerror(errno));
	copy_into(from, fd);
	close(fd);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	cr_assert_geq(fd, 0, "create %s", path);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

struct child {
	pid_t pid;
	int in;			/* the write end of its stdin */
	char path[512];		/* what was run */
	char cleanup[256];	/* an overlay mount to undo */
	char interp[512];	/* a #! script's interpreter */
};

/* make the file the way runs, start it, return once it has exec'd */
static struct child start(const struct way *w, int n)
{
	char *argv[8] = { 0 }, lower[128], upper[128], work[128], opts[512];
	int in[2], st[2], fd = -1, i, err = 0;
	struct child ch = { 0 };
	ssize_t got;

	snprintf(ch.path, sizeof(ch.path), "%s", w->binary);
	switch (w->how) {
	case COPY:
	case DELETED:
		snprintf(ch.path, sizeof(ch.path), "%s/%d-%s", dir, n, w->as);
		copy_file(w->binary, ch.path);
		break;
	case LINK:
		/* a link to a copy: the system's binaries keep their links */
		snprintf(lower, sizeof(lower), "%s/%d-original", dir, n);
		copy_file(w->binary, lower);
		snprintf(ch.path, sizeof(ch.path), "%s/%d-%s", dir, n, w->as);
		cr_assert_eq(link(lower, ch.path), 0, "link: %s", strerror(errno));
		break;
	case OVERLAY:
		snprintf(lower, sizeof(lower), "%s/%d-lower", dir, n);
		snprintf(upper, sizeof(upper), "%s/%d-upper", dir, n);
		snprintf(work, sizeof(work), "%s/%d-work", dir, n);
		snprintf(ch.cleanup, sizeof(ch.cleanup), "%s/%d-merged", dir, n);
		mkdir(lower, 0755);
		mkdir(upper, 0755);
		mkdir(work, 0755);
		mkdir(ch.cleanup, 0755);
		snprintf(opts, sizeof(opts), "%s/bin", lower);
		copy_file(w->binary, opts);
		snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s",
			 lower, upper, work);
		cr_assert_eq(mount("overlay", ch.cleanup, "overlay", 0, opts), 0,
			     "mount overlay: %s", strerror(errno));
		/* renamed inside the overlay, as an image layer would */
		snprintf(opts, sizeof(opts), "%s/bin", ch.cleanup);
		snprintf(ch.path, sizeof(ch.path), "%s/%s", ch.cleanup, w->as);
		cr_assert_eq(rename(opts, ch.path), 0, "rename: %s",
			     strerror(errno));
		break;
	case MEMFD:
		fd = memfd_create("x", MFD_CLOEXEC);
		cr_assert_geq(fd, 0);
		copy_into(w->binary, fd);
		break;
	case SCRIPT:
		snprintf(ch.path, sizeof(ch.path), "%s/%d-%s", dir, n, w->as);
		write_file(ch.path, "#!" LDSO " /usr/bin/bash\nread x\nexit 0\n",
			   0755);
		break;
	case SCRIPT_COPY:
		/* the interpreter a copy under another name; the script's
		 * own path is what runs */
		snprintf(lower, sizeof(lower), "%s/%d-%s", dir, n, w->as);
		copy_file(w->binary, lower);
		snprintf(ch.path, sizeof(ch.path), "%s/%d-script", dir, n);
		snprintf(opts, sizeof(opts), "#!%s\nread x\nexit 0\n", lower);
		write_file(ch.path, opts, 0755);
		snprintf(ch.interp, sizeof(ch.interp), "%s", lower);
		break;
	case PLAIN:
		break;
	}
	for (i = 0; i < 7 && w->argv[i]; i++)
		argv[i] = strcmp(w->argv[i], "@") ? (char *)w->argv[i] : ch.path;
	cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
	cr_assert_eq(pipe2(st, O_CLOEXEC), 0);
	ch.pid = fork();
	cr_assert_geq(ch.pid, 0);
	if (!ch.pid) {
		dup2(in[0], 0);
		if (fd >= 0)
			fexecve(fd, argv, environ);
		else
			execv(ch.path, argv);
		err = errno;
		got = write(st[1], &err, sizeof(err));
		_exit(126 + 0 * got);
	}
	close(in[0]);
	close(st[1]);
	got = read(st[0], &err, sizeof(err));
	close(st[0]);
	cr_assert_eq(got, 0, "%s: exec %s: %s", w->what, ch.path, strerror(err));
	if (fd >= 0)
		close(fd);
	if (w->how == DELETED)
		unlink(ch.path);
	ch.in = in[1];
	return ch;
}

/* remove the test's directory and what it made there */
static void remove_dir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
}

/* let the shell read its line and exit */
static void finish(struct child *ch, const char *what)
{
	int status;

	cr_assert_eq(write(ch->in, "\n", 1), 1);
	close(ch->in);
	waitpid(ch->pid, &status, 0);
	cr_expect(WIFEXITED(status) && !WEXITSTATUS(status),
		  "%s exited with status %d", what, status);
	if (ch->cleanup[0])
		umount2(ch->cleanup, MNT_DETACH);
}

Test(classify, every_way, .timeout = 240)
{
	static const char *const args[] = { "--verbose", NULL };
	struct child ch[sizeof(ways) / sizeof(ways[0])];
	const size_t n = sizeof(ways) / sizeof(ways[0]);
	const struct jv *rec;
	char real[PATH_MAX];
	struct sw_run r;
	size_t i;

	snprintf(dir, sizeof(dir), "/tmp/sw-classify-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	sw_run_start(&r, args);
	for (i = 0; i < n; i++) {
		const struct way *w = &ways[i];

		ch[i] = start(w, i);
		rec = sw_run_wait_exec(&r, ch[i].pid, WAIT_MS);
		cr_expect_not_null(rec, "%s: no exec record (pid %d)", w->what,
				   ch[i].pid);
		if (rec) {
			sw_assert_str(rec, "shell.name", w->shell, w->what);
			sw_assert_str(rec, "shell.matched_by", w->matched_by,
				      w->what);
			if (w->how == MEMFD)
				sw_assert_bool(rec, "process.executable.fileless",
					       true, w->what);
			else if (w->how == SCRIPT_COPY)
				sw_assert_str(rec, "process.executable.path",
					      realpath(ch[i].interp, real) ?:
					      ch[i].interp, w->what);
			else if (w->how != DELETED)
				sw_assert_str(rec, "process.executable.path",
					      w->exe ? w->exe :
					      realpath(ch[i].path, real) ?: ch[i].path,
					      w->what);
			if (w->how == SCRIPT || w->how == SCRIPT_COPY)
				sw_assert_bool(rec, "shell.script", true,
					       w->what);
		}
		finish(&ch[i], w->what);
	}
	cr_assert_eq(sw_run_stop(&r), 0, "the sensor did not exit 0: %s",
		     sw_run_stderr(&r));
	for (i = 0; i < n; i++)
		cr_expect_eq(sw_run_count_exec(&r, ch[i].pid), 1,
			     "%s: %zu exec records, want exactly 1", ways[i].what,
			     sw_run_count_exec(&r, ch[i].pid));
	sw_run_free(&r);
	remove_dir();
}

/* count lines of the sensor's stderr naming path as fingerprinted */
static int fingerprints_of(struct sw_run *r, const char *path)
{
	const char *p = sw_run_stderr(r);
	char needle[300];
	int n = 0;

	snprintf(needle, sizeof(needle), "fingerprinted %s:", path);
	while ((p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* the sensor's last stats record: the one written at stop */
static const struct jv *last_stats(struct sw_run *r)
{
	const struct jv *last = NULL;
	const struct jv *type;
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		type = jv_get(r->recs[i], "type");
		if (type && type->type == JV_STRING && !strcmp(type->str, "stats"))
			last = r->recs[i];
	}
	return last;
}

/*
 * a thousand non-shell execs: one never-seen binary run 500 times, 100
 * never-seen copies, the system's true, python and busybox copied as "x"
 * run as "x sh" (busybox runs no applet "x"); no exec record, and the
 * binary run 500 times read once
 */
Test(classify, non_shells_quiet, .timeout = 240)
{
	static const char *const args[] = { "--verbose", NULL };
	static char *const argv_true[] = { "true", NULL };
	static char *const argv_python[] = { "python3", "-c", "pass", NULL };
	static char *const argv_bb_x[] = { "x", "sh", "-c", "exit 0", NULL };
	char path[128], once[128], bb_x[128];
	pid_t pids[1000];
	struct sw_run r;
	int i, n = 0, status;
	const struct jv *stats;

	snprintf(dir, sizeof(dir), "/tmp/sw-quiet-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(bb_x, sizeof(bb_x), "%s/x", dir);
	copy_file("/usr/bin/busybox", bb_x);
	snprintf(once, sizeof(once), "%s/often", dir);
	copy_file("/usr/bin/true", once);
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "%s/new-%d", dir, i);
		copy_file("/usr/bin/true", path);
	}
	sw_run_start(&r, args);
	for (i = 0; i < 500; i++)
		pids[n++] = sw_spawn(once, argv_true);
	for (i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "%s/new-%d", dir, i);
		pids[n++] = sw_spawn(path, argv_true);
	}
	for (i = 0; i < 380; i++)
		pids[n++] = sw_spawn("/usr/bin/true", argv_true);
	/* an interpreter that is no shell */
	for (i = 0; i < 10; i++)
		pids[n++] = sw_spawn("/usr/bin/python3", argv_python);
	/* busybox under a name that is no applet runs none, "sh" or not */
	for (i = 0; i < 10; i++)
		pids[n++] = sw_spawn(bb_x, argv_bb_x);
	for (i = 0; i < n; i++) {
		status = sw_wait(pids[i]);
		/* busybox says "x: applet not found" */
		cr_assert(WIFEXITED(status) &&
			  WEXITSTATUS(status) == (i >= n - 10 ? 127 : 0),
			  "non-shell exec %d exited with status %d", i, status);
	}
	/* a shell after them: when its record is in, theirs would be too */
	pids[0] = sw_spawn("/bin/sh", (char *const[]){ "sh", "-c", "exit 0", NULL });
	sw_wait(pids[0]);
	cr_assert_not_null(sw_run_wait_exec(&r, pids[0], WAIT_MS),
			   "the shell after the non-shells was not reported");
	cr_assert_eq(sw_run_stop(&r), 0, "%s", sw_run_stderr(&r));
	for (i = 1; i < n; i++)
		cr_expect_eq(sw_run_count_exec(&r, pids[i]), 0,
			     "non-shell exec %d (pid %d) was reported", i, pids[i]);
	cr_expect_leq(fingerprints_of(&r, once), 1,
		      "%s was fingerprinted %d times, want at most once", once,
		      fingerprints_of(&r, once));
	stats = last_stats(&r);
	cr_assert_not_null(stats, "no stats record at stop");
	cr_expect_geq(sw_field_num(stats, "stats.classification.verdict_hits"),
		      400, "the kernel decided fewer execs from its verdicts");
	cr_expect_geq(sw_field_num(stats, "stats.classification.fingerprinted"),
		      1, "nothing fingerprinted");
	sw_run_free(&r);
	remove_dir();
}

/*
 * a binary judged no shell, run until each CPU remembers it so, then
 * rewritten in place with bash (the same inode, a new ctime): its next
 * exec is a shell by content, not the remembered "no shell"
 */
Test(classify, rewritten_in_place_is_judged_again, .timeout = 120)
{
	static const char *const args[] = { "--verbose", NULL };
	static char *const argv_tool[] = { "tool", NULL };
	static char *const argv_sh[] = { "sh", "-c", "exit 0", NULL };
	static char *const argv_bash[] = { "tool", "-c", "exit 0", NULL };
	const struct jv *rec;
	struct stat before, after;
	char tool[128];
	struct sw_run r;
	pid_t pid;
	int i, fd;

	snprintf(dir, sizeof(dir), "/tmp/sw-rewrite-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(tool, sizeof(tool), "%s/tool", dir);
	copy_file("/usr/bin/true", tool);
	sw_run_start(&r, args);
	cr_assert_eq(sw_wait(sw_spawn(tool, argv_tool)), 0);
	/* the candidate's verdict is in once a later shell's record is */
	pid = sw_spawn("/bin/sh", argv_sh);
	sw_wait(pid);
	cr_assert_not_null(sw_run_wait_exec(&r, pid, WAIT_MS),
			   "the shell after the first run was not reported");
	for (i = 0; i < 40; i++)
		cr_assert_eq(sw_wait(sw_spawn(tool, argv_tool)), 0);
	cr_assert_eq(stat(tool, &before), 0);
	fd = open(tool, O_WRONLY | O_TRUNC | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open %s: %s", tool, strerror(errno));
	copy_into("/usr/bin/bash", fd);
	close(fd);
	cr_assert_eq(stat(tool, &after), 0);
	cr_assert_eq(before.st_ino, after.st_ino, "the rewrite made a new inode");
	pid = sw_spawn(tool, argv_bash);
	cr_assert_eq(sw_wait(pid), 0);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "bash written over a binary judged no shell "
			   "was not reported");
	sw_assert_str(rec, "shell.name", "bash", "rewritten in place");
	sw_assert_str(rec, "shell.matched_by", "content", "rewritten in place");
	cr_assert_eq(sw_run_stop(&r), 0, "%s", sw_run_stderr(&r));
	sw_run_free(&r);
	remove_dir();
}
