// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Session trails with the real sensor: every program a shell session
 * execs gets one command record linked to the session's exec_id, typed
 * into a pty, in a pipeline, in a script, past a setuid binary, after the
 * shell is gone, and within the bounds, the rest counted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define MAX_CMDS	256

static const char *const base_args[] = { "--no-scan", NULL };

/* the string at dotted, or NULL when absent or not a string */
static const char *str_at(const struct jv *rec, const char *dotted)
{
	return jv_str(jv_get(rec, dotted));
}

static bool is_command_in(const struct jv *rec, const char *exec_id)
{
	const char *type = str_at(rec, "type"), *id = str_at(rec, "exec_id");

	return type && !strcmp(type, "command") && id && !strcmp(id, exec_id);
}

/* the command records of a session, in output order */
static size_t commands_of(struct sw_run *r, const char *exec_id,
			  const struct jv **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrecs; i++) {
		if (!is_command_in(r->recs[i], exec_id))
			continue;
		if (n < max)
			out[n] = r->recs[i];
		n++;
	}
	return n;
}

/* the command of a session whose command_line is line, or NULL */
static const struct jv *command_line_in(struct sw_run *r, const char *exec_id,
					const char *line)
{
	const struct jv *cmds[MAX_CMDS];
	size_t i, n = commands_of(r, exec_id, cmds, MAX_CMDS);
	const char *l;

	for (i = 0; i < n && i < MAX_CMDS; i++) {
		l = str_at(cmds[i], "process.command_line");
		if (l && !strcmp(l, line))
			return cmds[i];
	}
	return NULL;
}

/* wait for a session's command with this command_line */
static const struct jv *wait_command(struct sw_run *r, const char *exec_id,
				     const char *line, int timeout_ms)
{
	const struct jv *c;
	int waited;

	for (waited = 0; waited < timeout_ms; waited += 10) {
		sw_run_read(r);
		c = command_line_in(r, exec_id, line);
		if (c)
			return c;
		usleep(10000);
	}
	return NULL;
}

/* a record with the given exec_id and type, or NULL */
static const struct jv *record_with_id(struct sw_run *r, const char *type,
				       const char *exec_id)
{
	const char *t, *id;
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		t = str_at(r->recs[i], "type");
		id = str_at(r->recs[i], "exec_id");
		if (t && id && !strcmp(t, type) && !strcmp(id, exec_id))
			return r->recs[i];
	}
	return NULL;
}

/* the last record of a type (the stats record before stop), or NULL */
static const struct jv *last_of_type(struct sw_run *r, const char *type)
{
	const char *t;
	size_t i;

	for (i = r->nrecs; i-- > 0;) {
		t = str_at(r->recs[i], "type");
		if (t && !strcmp(t, type))
			return r->recs[i];
	}
	return NULL;
}

/* the exec record of pid and a copy of its exec_id */
static const struct jv *session_of(struct sw_run *r, pid_t pid, char *id,
				   size_t len)
{
	const struct jv *ex = sw_run_wait_exec(r, pid, WAIT_MS);

	cr_assert_not_null(ex, "no exec record for the shell %d", pid);
	snprintf(id, len, "%s", sw_field_str(ex, "exec_id"));
	return ex;
}

/* run path argv to its end; its pid */
static pid_t run(const char *path, const char *const *argv)
{
	pid_t pid = sw_spawn(path, (char *const *)argv);

	sw_wait(pid);
	return pid;
}

/* the resolved path of a program, as the kernel walks it */
static const char *real(const char *path)
{
	static char buf[8][PATH_MAX];
	static int next;
	char *out = buf[next++ % 8];

	cr_assert_not_null(realpath(path, out), "realpath %s: %s", path,
			   strerror(errno));
	return out;
}

/* what every command record of a session says of its session */
static void assert_linked(const struct jv *c, const char *exec_id,
			  int depth, const char *what)
{
	sw_assert_str(c, "schema", "4.0", what);
	sw_assert_str(c, "exec_id", exec_id, what);
	sw_assert_num(c, "command.depth", depth, what);
	cr_assert_not_null(str_at(c, "command.id"), "%s: no command.id", what);
	cr_assert_neq(strcmp(str_at(c, "command.id"), exec_id), 0,
		      "%s: command.id is the session's exec_id", what);
	sw_assert_str(c, "scope", "host", what);
	cr_assert_not_null(str_at(c, "cgroup.path"), "%s: no cgroup.path",
			   what);
	cr_assert_not_null(str_at(c, "k8s.node.name"), "%s: no node", what);
}

Test(trail, sh_c_pipeline, .timeout = 30)
{
	static const char *const argv[] = {
		"sh", "-c", "/bin/echo trail-pipe | /usr/bin/tr a-z A-Z | /usr/bin/wc -c",
		NULL,
	};
	static const char *const want[][3] = {
		{ "/bin/echo trail-pipe", "/bin/echo", "echo" },
		{ "/usr/bin/tr a-z A-Z", "/usr/bin/tr", "tr" },
		{ "/usr/bin/wc -c", "/usr/bin/wc", "wc" },
	};
	const struct jv *cmds[MAX_CMDS], *c, *fork_exit;
	char id[128], cwd[PATH_MAX], what[64];
	struct sw_run r;
	size_t n, i, j;
	pid_t pid;

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	sw_run_start(&r, base_args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS),
			   "no exit record for the shell");
	sw_run_stop(&r);

	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 3, "a 3-command pipeline gave %zu command records", n);
	for (i = 0; i < 3; i++) {
		c = command_line_in(&r, id, want[i][0]);
		snprintf(what, sizeof(what), "pipeline member %zu", i);
		cr_assert_not_null(c, "no command record for '%s'", want[i][0]);
		assert_linked(c, id, 1, what);
		sw_assert_str(c, "process.executable.path", real(want[i][1]), what);
		sw_assert_str(c, "process.invoked.path", want[i][1], what);
		sw_assert_str(c, "process.executable.name", want[i][2], what);
		sw_assert_str(c, "process.working_directory", cwd, what);
		sw_assert_num(c, "process.parent_pid", pid, what);
		sw_assert_num(c, "process.user.id", getuid(), what);
		sw_assert_flag(c, "session.user_changed", false, what);
		sw_assert_flag(c, "command.starts_session", false, what);
		sw_assert_none(c, "command.parent_id", what);
		/* the fork that ran it ended its windows with this exec */
		cr_assert_not_null(str_at(c, "command.fork_exec_id"),
				   "%s: no fork_exec_id", what);
		fork_exit = record_with_id(&r, "exit",
					   str_at(c, "command.fork_exec_id"));
		cr_assert_not_null(fork_exit, "%s: no exit record of fork %s",
				   what, str_at(c, "command.fork_exec_id"));
		sw_assert_str(fork_exit, "process.exit.reason", "exec", what);
		sw_assert_num(fork_exit, "process.pid",
			      sw_field_num(c, "process.pid"), what);
		for (j = 0; j < i; j++)
			cr_assert_neq(sw_field_num(c, "process.pid"),
				      sw_field_num(command_line_in(&r, id, want[j][0]),
						   "process.pid"),
				      "members %zu and %zu share a pid", i, j);
	}
	c = record_with_id(&r, "exit", id);
	cr_assert_not_null(c, "no exit record of the session shell");
	sw_assert_num(c, "session.commands", 3, "session exit");
	sw_assert_num(c, "session.commands_over_rate", 0, "session exit");
	sw_assert_num(c, "session.commands_over_count", 0, "session exit");
	sw_run_free(&r);
}

/*
 * a session shell that exec'd away: its exec-away record carries its
 * session's counters; its forks' end records (one exec'd a command, one
 * ran a builtin and exited) carry none, theirs being the parent's
 */
Test(trail, exec_away_carries_the_session, .timeout = 30)
{
	static const char *const argv[] = {
		"sh", "-c", "/bin/true; ( : ); exec /bin/true", NULL,
	};
	const struct jv *ex, *rec;
	const char *type, *parent, *reason;
	char id[128];
	struct sw_run r;
	size_t i, forks = 0;
	pid_t pid;

	sw_run_start(&r, base_args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS),
			   "no exit record for the shell");
	sw_run_stop(&r);

	ex = record_with_id(&r, "exit", id);
	cr_assert_not_null(ex, "no exit record of the session shell");
	sw_assert_str(ex, "process.exit.reason", "exec", "the shell's exec-away");
	sw_assert_num(ex, "session.commands", 2, "the shell's exec-away");
	sw_assert_num(ex, "session.commands_over_rate", 0, "the shell's exec-away");
	sw_assert_num(ex, "session.commands_over_count", 0,
		      "the shell's exec-away");
	sw_assert_num(ex, "session.commands_too_deep", 0, "the shell's exec-away");
	for (i = 0; i < r.nrecs; i++) {
		rec = r.recs[i];
		type = str_at(rec, "type");
		parent = str_at(rec, "parent_exec_id");
		if (!type || strcmp(type, "exit") || !parent || strcmp(parent, id))
			continue;
		forks++;
		reason = str_at(rec, "process.exit.reason");
		cr_assert_null(jv_get(rec, "session"),
			       "the end record (%s) of fork %.0f of shell %d carries a session",
			       reason ? reason : "?",
			       sw_field_num(rec, "process.pid"), pid);
	}
	cr_assert_eq(forks, 2, "%zu fork end records, want /bin/true's and the subshell's",
		     forks);
	sw_run_free(&r);
}

/* a temporary directory anyone may enter, removed by the caller */
static void make_dir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/sw-trail-XXXXXX");
	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	cr_assert_eq(chmod(dir, 0755), 0);
}

static void write_exe(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(path, 0755), 0);
}

Test(trail, script_and_commands_of_commands, .timeout = 30)
{
	char dir[64], script[128], cmd[256], id[128], sid[128], line[256];
	const char *argv[] = { "sh", "-c", cmd, NULL };
	const struct jv *cmds[MAX_CMDS], *s, *c, *env, *deep;
	struct sw_run r;
	size_t n;
	pid_t pid;

	make_dir(dir, sizeof(dir));
	snprintf(script, sizeof(script), "%s/job.sh", dir);
	write_exe(script, "#!/bin/sh\n/bin/echo in-script\nenv /bin/echo deep\n");
	snprintf(cmd, sizeof(cmd), "%s; /bin/true after", script);

	sw_run_start(&r, base_args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	/* the outer session: the script (a shell of its own) and true */
	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 2, "the outer session has %zu commands, want 2", n);
	/* the kernel puts the interpreter before the script in argv */
	snprintf(line, sizeof(line), "/bin/sh %s", script);
	s = command_line_in(&r, id, line);
	cr_assert_not_null(s, "no command record for the script: '%s'", line);
	assert_linked(s, id, 1, "script");
	sw_assert_bool(s, "command.starts_session", true, "script");
	sw_assert_str(s, "process.script.path", script, "script");
	/* its command.id is the exec_id of the script's own exec record */
	snprintf(sid, sizeof(sid), "%s", sw_field_str(s, "command.id"));
	c = record_with_id(&r, "exec", sid);
	cr_assert_not_null(c, "no exec record with the script's command.id %s",
			   sid);
	sw_assert_num(c, "process.pid", sw_field_num(s, "process.pid"),
		      "script exec");
	c = command_line_in(&r, id, "/bin/true after");
	cr_assert_not_null(c, "no command record for /bin/true after");
	assert_linked(c, id, 1, "true after");

	/* the script's session: its commands, and env's own */
	n = commands_of(&r, sid, cmds, MAX_CMDS);
	cr_assert_eq(n, 3, "the script's session has %zu commands, want 3", n);
	c = command_line_in(&r, sid, "/bin/echo in-script");
	cr_assert_not_null(c, "no command record for echo in the script");
	assert_linked(c, sid, 1, "echo in-script");
	env = command_line_in(&r, sid, "env /bin/echo deep");
	cr_assert_not_null(env, "no command record for env");
	assert_linked(env, sid, 1, "env");
	deep = command_line_in(&r, sid, "/bin/echo deep");
	cr_assert_not_null(deep, "no command record for env's echo");
	assert_linked(deep, sid, 2, "env's echo");
	sw_assert_str(deep, "command.parent_id",
		      sw_field_str(env, "command.id"), "env's echo");
	/* env exec'd it in its own process: no shell process ran it */
	sw_assert_none(deep, "command.fork_exec_id",
		       "a depth-2 command (env exec'd it: no fork)");
	sw_assert_num(deep, "process.pid", sw_field_num(env, "process.pid"),
		      "env's echo");
	sw_run_free(&r);
	unlink(script);
	rmdir(dir);
}

/* read what the pty says until the child is gone; keeps it from blocking */
static void drain_pty(int fd, pid_t pid)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];
	int status, i;

	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		if (poll(&p, 1, 10) > 0 && read(fd, buf, sizeof(buf)) <= 0)
			p.fd = -1;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	cr_assert_fail("the interactive shell did not exit");
}

Test(trail, interactive_pty, .timeout = 30)
{
	static const char typed[] =
		"/bin/echo typed-one\n"
		"cd /tmp && /usr/bin/id -u\n"
		"exit\n";
	const struct jv *cmds[MAX_CMDS], *c;
	char id[128], tty[64], want_tty[80];
	struct sw_run r;
	size_t n;
	pid_t pid;
	int fd;

	sw_run_start(&r, base_args);
	pid = forkpty(&fd, tty, NULL, NULL);
	cr_assert(pid >= 0, "forkpty: %s", strerror(errno));
	if (!pid) {
		static char *const env[] = { "PATH=/usr/bin:/bin", "PS1=$ ",
					     "HOME=/tmp", "TERM=dumb", NULL };

		execle("/bin/sh", "sh", "-i", NULL, env);
		_exit(127);
	}
	session_of(&r, pid, id, sizeof(id));
	/* typed after the exec record: the shell reads it as a person would */
	cr_assert_eq(write(fd, typed, sizeof(typed) - 1),
		     (ssize_t)sizeof(typed) - 1);
	drain_pty(fd, pid);
	close(fd);
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 2, "two typed commands gave %zu command records", n);
	c = command_line_in(&r, id, "/bin/echo typed-one");
	cr_assert_not_null(c, "no command record for the first typed line");
	assert_linked(c, id, 1, "typed echo");
	sw_assert_bool(c, "process.interactive", true, "typed echo");
	/* the kernel's tty name: /dev/pts/N is pts<N> */
	snprintf(want_tty, sizeof(want_tty), "pts%s", tty + strlen("/dev/pts/"));
	sw_assert_str(c, "process.tty.name", want_tty, "typed echo");
	c = command_line_in(&r, id, "/usr/bin/id -u");
	cr_assert_not_null(c, "no command record for the second typed line");
	assert_linked(c, id, 1, "typed id");
	sw_assert_str(c, "process.working_directory", "/tmp", "typed id");
	sw_run_free(&r);
}

Test(trail, setuid_shows_uid_change, .timeout = 30)
{
	const char *helper = getenv("SW_SETUID_EXEC");
	char dir[64], bin[128], cmd[1024], id[128];
	const struct jv *c, *deep;
	struct sw_run r;
	int status;
	pid_t pid;

	cr_assert_not_null(helper, "SW_SETUID_EXEC is not set (make integration sets it)");
	make_dir(dir, sizeof(dir));
	snprintf(bin, sizeof(bin), "%s/setuid_exec", dir);
	snprintf(cmd, sizeof(cmd), "cp %s %s && chown 0:0 %s && chmod 4755 %s",
		 helper, bin, bin, bin);
	cr_assert_eq(system(cmd), 0, "cannot install %s setuid root", bin);
	snprintf(cmd, sizeof(cmd), "%s /usr/bin/id -u", bin);

	sw_run_start(&r, base_args);
	/* a shell of nobody's runs the setuid binary, which runs id */
	pid = fork();
	cr_assert(pid >= 0);
	if (!pid) {
		if (chdir("/") || setgid(65534) || setuid(65534) ||
		    !freopen("/dev/null", "w", stdout))
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "the nobody shell failed: status %d", status);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	c = command_line_in(&r, id, cmd);
	cr_assert_not_null(c, "no command record for '%s'", cmd);
	assert_linked(c, id, 1, "setuid binary");
	sw_assert_num(c, "process.user.id", 0, "setuid binary");
	sw_assert_num(c, "process.real_user.id", 65534, "setuid binary");
	sw_assert_num(c, "session.user.id", 65534, "setuid binary");
	/* the session's real user is its user: compact records say it once */
	sw_assert_none(c, "session.real_user", "setuid binary");
	sw_assert_bool(c, "session.user_changed", true, "setuid binary");
	sw_assert_flag(c, "session.group_changed", false, "setuid binary");
	deep = command_line_in(&r, id, "/usr/bin/id -u");
	cr_assert_not_null(deep, "no command record for what it ran");
	assert_linked(deep, id, 2, "id under setuid");
	sw_assert_num(deep, "process.user.id", 0, "id under setuid");
	sw_assert_bool(deep, "session.user_changed", true, "id under setuid");
	sw_assert_str(deep, "command.parent_id", sw_field_str(c, "command.id"),
		      "id under setuid");
	sw_run_free(&r);
	unlink(bin);
	rmdir(dir);
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(trail, command_under_a_millisecond, .timeout = 30)
{
	static const char *const argv[] = {
		"sh", "-c", "exec /bin/true short-lived", NULL,
	};
	static const char *const want_args[] = { "/bin/true", "short-lived" };
	char id[128], cwd[PATH_MAX];
	const struct jv *c;
	struct sw_run r;
	double t0;
	pid_t pid;

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	sw_run_start(&r, base_args);
	t0 = mono_now();
	pid = run("/bin/sh", argv);
	/* sh and true together, spawn to reap: true's own part is smaller */
	fprintf(stderr, "trail::command_under_a_millisecond: sh and true lived %.3f ms in all\n",
		(mono_now() - t0) * 1e3);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	/* gone long before the daemon read anything: complete all the same */
	c = command_line_in(&r, id, "/bin/true short-lived");
	cr_assert_not_null(c, "no command record for the short command");
	assert_linked(c, id, 1, "short command");
	sw_assert_strs(c, "process.command_args", want_args, 2, "short command");
	/* argv is whole: its length is the count, which compact records leave out */
	sw_assert_none(c, "process.args_count", "short command");
	sw_assert_str(c, "process.executable.path", real("/bin/true"),
		      "short command");
	sw_assert_str(c, "process.working_directory", cwd, "short command");
	sw_assert_num(c, "process.pid", pid, "short command");
	/* the shell exec'd it itself: its own exec_id is the fork's */
	sw_assert_str(c, "command.fork_exec_id", id, "short command");
	cr_assert_eq(jv_len(jv_get(c, "truncated")), 0, "truncated fields");
	sw_run_free(&r);
}

Test(trail, hostile_argv_escaped, .timeout = 30)
{
	static const char *const argv[] = {
		"sh", "-c", "/bin/echo \"$@\"", "sh",
		"a\x1b[2J\nb\x7f\x01", "\xff\xfe\xc0\xaf", NULL,
	};
	const struct jv *cmds[MAX_CMDS], *args;
	char id[128];
	struct sw_run r;
	size_t n;
	pid_t pid;

	sw_run_start(&r, base_args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	/* every line parsed strictly: no raw control byte, valid UTF-8 */
	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 1, "one command gave %zu records", n);
	args = jv_get(cmds[0], "process.command_args");
	cr_assert_eq(jv_len(args), 3, "%zu args", jv_len(args));
	cr_assert(jv_strlen(jv_at(args, 1)) == 9 &&
		  !memcmp(jv_str(jv_at(args, 1)), "a\x1b[2J\nb\x7f\x01", 9),
		  "control bytes came back as '%s'", jv_str(jv_at(args, 1)));
	cr_assert_str_eq(jv_str(jv_at(args, 2)),
			 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
			 "invalid UTF-8 is not four U+FFFD");
	sw_run_free(&r);
}

Test(trail, outlives_its_shell, .timeout = 30)
{
	static const char *const argv[] = {
		"sh", "-c", "(/bin/sleep 0.3; /bin/echo orphan) & exit 0", NULL,
	};
	const struct jv *c, *ex;
	char id[128];
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, base_args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	cr_assert_not_null(ex, "no exit record for the shell");
	/* the shell is gone; its background subshell goes on */
	c = wait_command(&r, id, "/bin/echo orphan", WAIT_MS);
	cr_assert_not_null(c, "the orphan's command has no record in the session");
	assert_linked(c, id, 1, "orphan echo");
	cr_assert_not_null(command_line_in(&r, id, "/bin/sleep 0.3"),
			   "no record for the orphan's sleep");
	sw_run_stop(&r);
	sw_run_free(&r);
}

Test(trail, flood_past_the_count_is_counted, .timeout = 60)
{
	static const char *const args[] = {
		"--no-scan", "--trail-max", "25", "--trail-rate", "0", NULL,
	};
	static const char *const argv[] = {
		"sh", "-c",
		"i=0; while [ $i -lt 60 ]; do /bin/true flood-$i; i=$((i+1)); done",
		NULL,
	};
	const struct jv *cmds[MAX_CMDS], *ex, *st;
	char id[128], line[64];
	struct sw_run r;
	size_t n, i;
	pid_t pid;

	sw_run_start(&r, args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 25, "--trail-max 25 wrote %zu command records", n);
	/* the first 25, in order */
	for (i = 0; i < 25; i++) {
		snprintf(line, sizeof(line), "/bin/true flood-%zu", i);
		sw_assert_str(cmds[i], "process.command_line", line, "flood");
	}
	ex = record_with_id(&r, "exit", id);
	cr_assert_not_null(ex, "no exit record of the flooding shell");
	sw_assert_num(ex, "session.commands", 25, "flood exit");
	sw_assert_num(ex, "session.commands_over_count", 35, "flood exit");
	sw_assert_num(ex, "session.commands_over_rate", 0, "flood exit");
	st = last_of_type(&r, "stats");
	cr_assert_not_null(st, "no stats record");
	cr_assert_geq(sw_field_num(st, "stats.trail.over_count"), 35,
		      "stats.trail.over_count %.0f",
		      sw_field_num(st, "stats.trail.over_count"));
	sw_run_free(&r);
}

Test(trail, flood_past_the_rate_is_counted, .timeout = 60)
{
	static const char *const args[] = {
		"--no-scan", "--trail-max", "0", "--trail-rate", "5", NULL,
	};
	static const char *const argv[] = {
		"sh", "-c",
		"i=0; while [ $i -lt 40 ]; do /bin/true rate-$i; i=$((i+1)); done",
		NULL,
	};
	const struct jv *cmds[MAX_CMDS], *ex;
	double t0, secs, over;
	char id[128];
	struct sw_run r;
	size_t n;
	pid_t pid;

	sw_run_start(&r, args);
	t0 = mono_now();
	pid = run("/bin/sh", argv);
	secs = mono_now() - t0;
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	n = commands_of(&r, id, cmds, MAX_CMDS);
	ex = record_with_id(&r, "exit", id);
	cr_assert_not_null(ex, "no exit record of the flooding shell");
	over = sw_field_num(ex, "session.commands_over_rate");
	/* every command is either written or counted */
	cr_assert_eq(n + over, 40, "%zu written + %.0f over the rate != 40",
		     n, over);
	sw_assert_num(ex, "session.commands", n, "rate exit");
	/* 5 per one-second window the loop touched */
	cr_assert(n >= 5 && n <= 5 * ((size_t)secs + 2),
		  "%zu records in %.2f s at 5 per second", n, secs);
	sw_run_free(&r);
}

Test(trail, depth_limit, .timeout = 30)
{
	static const char *const args[] = {
		"--no-scan", "--trail-depth", "1", NULL,
	};
	static const char *const argv[] = {
		"sh", "-c", "env /bin/echo too-deep; /bin/true", NULL,
	};
	const struct jv *cmds[MAX_CMDS], *ex;
	char id[128];
	struct sw_run r;
	size_t n;
	pid_t pid;

	sw_run_start(&r, args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 2, "depth 1 gave %zu records, want env and true", n);
	cr_assert_not_null(command_line_in(&r, id, "env /bin/echo too-deep"));
	cr_assert_not_null(command_line_in(&r, id, "/bin/true"));
	ex = record_with_id(&r, "exit", id);
	cr_assert_not_null(ex);
	sw_assert_num(ex, "session.commands_too_deep", 1, "depth exit");
	sw_run_free(&r);
}

Test(trail, off, .timeout = 30)
{
	static const char *const args[] = { "--no-scan", "--trail", "off", NULL };
	static const char *const argv[] = {
		"sh", "-c", "/bin/echo not-trailed | /bin/cat", NULL,
	};
	const struct jv *ex;
	char id[128];
	struct sw_run r;
	size_t i;
	pid_t pid;

	sw_run_start(&r, args);
	pid = run("/bin/sh", argv);
	session_of(&r, pid, id, sizeof(id));
	ex = sw_run_wait_record(&r, "exit", pid, WAIT_MS);
	cr_assert_not_null(ex);
	sw_run_stop(&r);
	for (i = 0; i < r.nrecs; i++)
		cr_assert_neq(strcmp(str_at(r.recs[i], "type"), "command"), 0,
			      "a command record with --trail off");
	cr_assert_eq(jv_type(jv_get(ex, "session")), JV_ABSENT,
		     "an exit record with session counters and --trail off");
	sw_run_free(&r);
}

Test(trail, rules_suppress_commands, .timeout = 30)
{
	static const char rules[] =
		"rules:\n"
		"  - name: quiet-id\n"
		"    match:\n"
		"      type: command\n"
		"      process.executable.path: /usr/bin/id\n"
		"  - name: quiet-session\n"
		"    match:\n"
		"      process.command_line: \"*trail-quiet-session*\"\n";
	static const char *const loud[] = {
		"sh", "-c", "/usr/bin/id -u; /bin/echo kept", NULL,
	};
	static const char *const quiet[] = {
		"sh", "-c", ": trail-quiet-session; /bin/echo hidden", NULL,
	};
	const char *args[] = { "--no-scan", "--rules", NULL, NULL };
	char path[] = "/tmp/sw-trail-rules-XXXXXX", id[128];
	const struct jv *cmds[MAX_CMDS], *st;
	struct sw_run r;
	size_t n, i;
	pid_t pid, qpid;
	int fd;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, rules, sizeof(rules) - 1), (ssize_t)sizeof(rules) - 1);
	close(fd);
	args[2] = path;
	sw_run_start(&r, args);
	qpid = run("/bin/sh", quiet);
	pid = run("/bin/sh", loud);
	session_of(&r, pid, id, sizeof(id));
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);

	n = commands_of(&r, id, cmds, MAX_CMDS);
	cr_assert_eq(n, 1, "%zu command records, want echo only", n);
	sw_assert_str(cmds[0], "process.command_line", "/bin/echo kept", "kept");
	/* the suppressed session and its commands: nothing at all */
	cr_assert_eq(sw_run_count_exec(&r, qpid), 0, "the quiet shell was reported");
	for (i = 0; i < r.nrecs; i++) {
		const char *l = str_at(r.recs[i], "process.command_line");

		cr_assert(!l || strcmp(l, "/bin/echo hidden"),
			  "a command of the suppressed session was written");
	}
	st = last_of_type(&r, "stats");
	cr_assert_not_null(st);
	cr_assert_geq(sw_field_num(st, "stats.trail.suppressed"), 2,
		      "stats.trail.suppressed %.0f",
		      sw_field_num(st, "stats.trail.suppressed"));
	sw_run_free(&r);
	unlink(path);
}
