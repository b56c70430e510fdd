// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The real sensor against real processes: every kind of shell is reported
 * once with the right identity, renames do not hide one, non-shells are
 * never reported.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "sw_assert.h"
#include "sw_run.h"

#define WAIT_MS	5000

struct shell_case {
	const char *path;	/* what is exec'd */
	const char *argv[6];
	const char *name;	/* process.executable.name: the invoked name */
	const char *shell;	/* shell.name: the set member that matched */
	const char *matched_by;
};

static struct shell_case shell_cases[] = {
	/* shells by their own names */
	{ "/bin/bash", { "bash", "-c", "exit 0" }, "bash", "bash", "binary" },
	{ "/bin/dash", { "dash", "-c", "exit 0" }, "dash", "dash", "binary" },
	{ "/bin/zsh", { "zsh", "-f", "-c", "exit 0" }, "zsh", "zsh", "binary" },
	{ "/bin/mksh", { "mksh", "-c", "exit 0" }, "mksh", "mksh", "binary" },
	{ "/bin/tcsh", { "tcsh", "-f", "-c", "exit 0" }, "tcsh", "tcsh", "binary" },
	{ "/usr/bin/fish", { "fish", "--no-config", "-c", "exit 0" }, "fish",
	  "fish", "binary" },
	/* names that resolve to another binary: the invoked name is reported */
	{ "/bin/sh", { "sh", "-c", "exit 0" }, "sh", "dash", "binary" },
	{ "/bin/ksh", { "ksh", "-c", "exit 0" }, "ksh", "ksh93", "binary" },
	{ "/bin/csh", { "csh", "-f", "-c", "exit 0" }, "csh", "bsd-csh",
	  "binary" },
	/* busybox applets */
	{ "/bin/busybox", { "busybox", "sh", "-c", "exit 0" }, "busybox", "sh",
	  "applet" },
	{ "/bin/busybox", { "ash", "-c", "exit 0" }, "busybox", "ash",
	  "applet" },
};

static size_t argv_len(const char *const *argv)
{
	size_t n = 0;

	while (n < 6 && argv[n])
		n++;
	return n;
}

/* run one command under the sensor and return its one exec record */
static const struct jv *run_one(struct sw_run *r, const char *path,
				const char *const *argv, pid_t *pid_out)
{
	const struct jv *rec;
	pid_t pid;
	int status;

	pid = sw_spawn(path, (char *const *)argv);
	status = sw_wait(pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "%s exited with status %d", path, status);
	rec = sw_run_wait_exec(r, pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for %s (pid %d) within %d ms",
			   path, pid, WAIT_MS);
	*pid_out = pid;
	return rec;
}

ParameterizedTestParameters(exec, every_shell)
{
	return cr_make_param_array(struct shell_case, shell_cases,
				   sizeof(shell_cases) / sizeof(shell_cases[0]));
}

ParameterizedTest(struct shell_case *c, exec, every_shell)
{
	char real[PATH_MAX], ctx[128];
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	cr_assert_not_null(realpath(c->path, real), "%s is not installed: %s",
			   c->path, strerror(errno));
	snprintf(ctx, sizeof(ctx), "%s as %s", c->path, c->argv[0]);
	sw_run_start(&r, NULL);
	rec = run_one(&r, c->path, c->argv, &pid);
	sw_assert_num(rec, "process.pid", pid, ctx);
	sw_assert_num(rec, "process.parent_pid", getpid(), ctx);
	sw_assert_str(rec, "process.executable.name", c->name, ctx);
	sw_assert_str(rec, "process.executable.path", real, ctx);
	sw_assert_str(rec, "process.invoked.path", c->path, ctx);
	sw_assert_strs(rec, "process.command_args", c->argv, argv_len(c->argv),
		       ctx);
	sw_assert_str(rec, "shell.name", c->shell, ctx);
	sw_assert_str(rec, "shell.matched_by", c->matched_by, ctx);
	sw_assert_flag(rec, "found_at_start", false, ctx);
	sw_assert_flag(rec, "process.executable.fileless", false, ctx);
	sw_assert_str(rec, "detection.mitre_attack.technique_id", "T1204", ctx);

	cr_assert_eq(sw_run_stop(&r), 0, "the sensor did not exit 0: %s",
		     sw_run_stderr(&r));
	cr_assert_eq(sw_run_count_exec(&r, pid), 1,
		     "%s: %zu exec records for pid %d, want exactly 1", ctx,
		     sw_run_count_exec(&r, pid), pid);
	sw_run_free(&r);
}

/* a temporary directory for links, scripts and copies */
static char *make_tmpdir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/shellwatch-test-XXXXXX");
	cr_assert_not_null(mkdtemp(buf), "mkdtemp: %s", strerror(errno));
	return buf;
}

Test(exec, renamed_argv0)
{
	static const char *const argv[] = { "innocent", "-c", "exit 0", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	/* exec -a innocent bash: argv[0] lies, the binary does not */
	sw_run_start(&r, NULL);
	rec = run_one(&r, "/bin/bash", argv, &pid);
	sw_assert_str(rec, "process.executable.name", "bash", "exec -a");
	sw_assert_strs(rec, "process.command_args", argv, 3, "exec -a");
	sw_assert_str(rec, "shell.matched_by", "binary", "exec -a");
	sw_run_stop(&r);
	sw_run_free(&r);
}

Test(exec, innocent_symlink)
{
	static const char *argv[] = { "innocent", "-c", "exit 0", NULL };
	char dir[64], link[128];
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	make_tmpdir(dir, sizeof(dir));
	snprintf(link, sizeof(link), "%s/innocent", dir);
	cr_assert_eq(symlink("/bin/bash", link), 0, "symlink: %s", strerror(errno));
	sw_run_start(&r, NULL);
	rec = run_one(&r, link, argv, &pid);
	sw_assert_str(rec, "process.executable.name", "innocent", "symlink");
	sw_assert_str(rec, "process.invoked.path", link, "symlink");
	sw_assert_str(rec, "shell.name", "bash", "symlink");
	sw_assert_str(rec, "shell.matched_by", "binary", "symlink");
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink(link);
	rmdir(dir);
}

Test(exec, busybox_symlink_applet)
{
	static const char *argv[] = { "sh", "-c", "exit 0", NULL };
	char dir[64], link[128];
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	/* sh -> busybox: the applet is argv[0] */
	make_tmpdir(dir, sizeof(dir));
	snprintf(link, sizeof(link), "%s/sh", dir);
	cr_assert_eq(symlink("/bin/busybox", link), 0, "symlink: %s",
		     strerror(errno));
	sw_run_start(&r, NULL);
	rec = run_one(&r, link, argv, &pid);
	sw_assert_str(rec, "shell.name", "sh", "sh -> busybox");
	sw_assert_bool(rec, "shell.multicall", true, "sh -> busybox");
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink(link);
	rmdir(dir);
}

/* fexecve an fd: the invoked path is /dev/fd/N, the binary stays bash */
static pid_t spawn_fd(int fd, char *const argv[])
{
	static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (!pid) {
		fexecve(fd, argv, envp);
		_exit(127);
	}
	return pid;
}

Test(exec, through_fd)
{
	static char *argv[] = { "innocent", "-c", "exit 0", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;
	int fd;

	fd = open("/bin/bash", O_RDONLY);
	cr_assert(fd >= 0, "open /bin/bash: %s", strerror(errno));
	sw_run_start(&r, NULL);
	pid = spawn_fd(fd, argv);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for bash exec'd through fd %d", fd);
	sw_assert_str(rec, "shell.name", "bash", "fexecve");
	sw_assert_str(rec, "shell.matched_by", "binary", "fexecve");
	sw_assert_flag(rec, "process.executable.fileless", false, "fexecve");
	sw_run_stop(&r);
	sw_run_free(&r);
	close(fd);
}

/* copy a file into a memfd */
static int memfd_copy(const char *path)
{
	char buf[65536];
	ssize_t n;
	int in, fd;

	in = open(path, O_RDONLY);
	fd = memfd_create("x", MFD_CLOEXEC);
	cr_assert(in >= 0 && fd >= 0, "memfd copy of %s: %s", path,
		  strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(fd, buf, n), n);
	close(in);
	return fd;
}

Test(exec, fileless_memfd)
{
	static char *argv[] = { "bash", "-c", "exit 0", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;
	int fd;

	/* a memfd binary has no name to trust: argv[0] counts */
	fd = memfd_copy("/bin/bash");
	sw_run_start(&r, NULL);
	pid = spawn_fd(fd, argv);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for a bash run from a memfd");
	sw_assert_bool(rec, "process.executable.fileless", true, "memfd");
	sw_assert_str(rec, "shell.matched_by", "argv0", "memfd");
	sw_assert_str(rec, "shell.name", "bash", "memfd");
	sw_run_stop(&r);
	sw_run_free(&r);
	close(fd);
}

Test(exec, deleted_binary)
{
	char dir[64], copy[128], cmd[320];
	static char *argv[] = { "bash", "-c", "exit 0", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;
	int fd;

	/* a copy with an innocent name, deleted before exec */
	make_tmpdir(dir, sizeof(dir));
	snprintf(copy, sizeof(copy), "%s/update", dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/bash %s", copy);
	cr_assert_eq(system(cmd), 0);
	fd = open(copy, O_RDONLY | O_CLOEXEC);
	cr_assert(fd >= 0);
	unlink(copy);
	sw_run_start(&r, NULL);
	pid = spawn_fd(fd, argv);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for a deleted copy of bash run as argv[0] bash");
	sw_assert_bool(rec, "process.executable.fileless", true, "deleted");
	sw_assert_str(rec, "shell.matched_by", "argv0", "deleted");
	sw_run_stop(&r);
	sw_run_free(&r);
	close(fd);
	rmdir(dir);
}

Test(exec, shebang_script)
{
	static const char body[] = "#!/bin/sh\nexit 0\n";
	char dir[64], script[128], real[PATH_MAX];
	const char *argv[] = { NULL, "arg1", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;
	int fd;

	make_tmpdir(dir, sizeof(dir));
	snprintf(script, sizeof(script), "%s/job.sh", dir);
	fd = open(script, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, body, sizeof(body) - 1), (ssize_t)sizeof(body) - 1);
	close(fd);
	argv[0] = script;
	cr_assert_not_null(realpath("/bin/sh", real));

	sw_run_start(&r, NULL);
	rec = run_one(&r, script, argv, &pid);
	sw_assert_bool(rec, "shell.script", true, "#!/bin/sh script");
	sw_assert_str(rec, "process.script.path", script, "#!/bin/sh script");
	sw_assert_str(rec, "process.interpreter.path", "/bin/sh", "#!/bin/sh script");
	sw_assert_str(rec, "process.executable.name", "sh", "#!/bin/sh script");
	sw_assert_str(rec, "process.executable.path", real, "#!/bin/sh script");
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink(script);
	rmdir(dir);
}

Test(exec, non_shells_are_not_reported, .timeout = 120)
{
	static const char *const argv[] = { "true", NULL };
	enum { N = 1000 };
	static pid_t pids[N];
	const struct jv *stop;
	struct sw_run r;
	size_t i, j;

	sw_run_start(&r, NULL);
	for (i = 0; i < N; i++) {
		pids[i] = sw_spawn("/bin/true", (char *const *)argv);
		cr_assert_eq(sw_wait(pids[i]), 0);
	}
	cr_assert_eq(sw_run_stop(&r), 0, "sensor exit: %s", sw_run_stderr(&r));
	for (i = 0; i < r.nrecs; i++) {
		const struct jv *p = jv_get(r.recs[i], "process.pid");

		for (j = 0; p && j < N; j++)
			cr_assert_neq(jv_num(p), pids[j],
				      "/bin/true (pid %d) was reported as a shell",
				      pids[j]);
	}
	/* the kernel side saw them all */
	stop = sw_run_find_type(&r, "stop");
	cr_assert_not_null(stop, "no stop record");
	cr_assert_geq(sw_field_num(stop, "stats.execs"), N,
		      "the kernel side counted fewer execs than the %d run", N);
	sw_run_free(&r);
}

Test(exec, shell_running_before_start)
{
	static const char *const argv[] = { "sh", "-c", "sleep 30", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	pid = sw_spawn("/bin/sh", (char *const *)argv);
	usleep(200000);
	sw_run_start(&r, NULL);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "the shell started before the sensor (pid %d) was not reported", pid);
	sw_assert_bool(rec, "found_at_start", true, "running before start");
	sw_assert_str(rec, "process.executable.path", "/usr/bin/dash",
		      "running before start");
	sw_assert_num(rec, "process.parent_pid", getpid(), "running before start");
	kill(pid, SIGKILL);
	sw_wait(pid);
	sw_run_stop(&r);
	cr_assert_eq(sw_run_count_exec(&r, pid), 1,
		     "the shell running at start was reported %zu times, want once",
		     sw_run_count_exec(&r, pid));
	sw_run_free(&r);
}
