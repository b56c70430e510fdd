// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --record with the real sensor, then --replay of what it wrote: a shell
 * session with commands, a fork, windows (--window 1) and an exit code is
 * recorded live, and the replay (no BPF needed for it) gives every exec,
 * window, exit and command record of the live run (every shell of the
 * machine meanwhile), in order, but for seq; with --format hec too. A sensor killed with SIGKILL leaves a recording
 * that replays up to its last flush and is then refused as truncated.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define MAX_LINES	65536

struct lines {
	char **l;
	size_t n;
};

/* the lines of text but start, stats, loss and stop records (JSON records
 * or HEC events), every seq cut out */
static void pipeline_lines(const char *text, struct lines *ls)
{
	static const char *const skip[] = {
		"\"type\":\"start\"", "\"type\":\"stats\"",
		"\"type\":\"loss\"", "\"type\":\"stop\"",
	};
	const char *p = text, *nl;
	char *line, *s, *e;
	size_t i;

	ls->l = calloc(MAX_LINES, sizeof(*ls->l));
	ls->n = 0;
	cr_assert_not_null(ls->l);
	for (; (nl = strchr(p, '\n')); p = nl + 1) {
		line = strndup(p, nl - p);
		cr_assert_not_null(line);
		for (i = 0; i < 4 && !strstr(line, skip[i]); i++)
			;
		if (i < 4) {
			free(line);
			continue;
		}
		while ((s = strstr(line, "\"seq\":"))) {
			e = strchr(s, ',');
			cr_assert_not_null(e, "seq without a comma: %s", line);
			memmove(s, e + 1, strlen(e + 1) + 1);
		}
		cr_assert_lt(ls->n, MAX_LINES);
		ls->l[ls->n++] = line;
	}
}

static void free_lines(struct lines *ls)
{
	while (ls->n)
		free(ls->l[--ls->n]);
	free(ls->l);
}

/* stdout of shellwatch --replay path ARGS, and its exit status */
static char *replay(const char *path, const char *args, int *status)
{
	char cmd[512], out[] = "/tmp/sw-replay-out-XXXXXX";
	size_t len = 0, cap = 1 << 20, got;
	char *text = malloc(cap + 1);
	int fd = mkstemp(out);
	FILE *f;

	cr_assert(fd >= 0 && text);
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s --replay %s %s >%s 2>/dev/null",
		 getenv("SHELLWATCH"), path, args, out);
	*status = system(cmd);
	f = fopen(out, "r");
	cr_assert_not_null(f);
	while ((got = fread(text + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			cap *= 2;
			text = realloc(text, cap + 1);
			cr_assert_not_null(text);
		}
	}
	text[len] = '\0';
	fclose(f);
	unlink(out);
	return text;
}

static void assert_same(const char *live, const char *replayed,
			const char *what)
{
	struct lines a, b;
	size_t i;

	pipeline_lines(live, &a);
	pipeline_lines(replayed, &b);
	cr_assert_gt(a.n, 0, "%s: no live records", what);
	for (i = 0; i < a.n && i < b.n; i++)
		cr_assert_str_eq(b.l[i], a.l[i],
				 "%s, record %zu:\nreplayed %s\nlive     %s",
				 what, i + 1, b.l[i], a.l[i]);
	cr_assert_eq(b.n, a.n, "%s: %zu records replayed, %zu live", what,
		     b.n, a.n);
	free_lines(&a);
	free_lines(&b);
}

/* wait for the HEC exit event of pid */
static bool wait_hec_exit(struct sw_run *r, pid_t pid)
{
	char want[64];
	const char *p;
	int waited;

	snprintf(want, sizeof(want), "\"pid\":%d,", pid);
	for (waited = 0; waited < WAIT_MS; waited += 10) {
		sw_run_read(r);
		for (p = r->text; p && (p = strstr(p, "\"sourcetype\":\"shellwatch:exit\""));
		     p++) {
			const char *nl = strchr(p, '\n'), *hit = strstr(p, want);

			if (hit && (!nl || hit < nl))
				return true;
		}
		usleep(10000);
	}
	return false;
}

static void run_session(struct sw_run *r, bool hec, pid_t *pid)
{
	static const char *const argv[] = {
		"sh", "-c",
		"/bin/echo rec | /usr/bin/tr a-z A-Z >/dev/null; "
		"(i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done); "
		"/bin/sleep 1.3; exit 3",
		NULL,
	};

	*pid = sw_spawn("/bin/sh", (char *const *)argv);
	if (hec)
		cr_assert(wait_hec_exit(r, *pid),
			  "no exit event for the recorded shell %d", *pid);
	else
		cr_assert_not_null(sw_run_wait_record(r, "exit", *pid, WAIT_MS),
				   "no exit record for the recorded shell");
}

static void make_path(char *path, size_t len)
{
	int fd;

	snprintf(path, len, "/tmp/sw-rec-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
}

Test(record, replay_gives_the_live_records, .timeout = 60)
{
	char path[64], *text;
	const char *args[] = { "--window", "1", "--no-scan", "--all-windows",
			       "--record", path, NULL };
	const char *hec_args[] = { "--window", "1", "--no-scan", "--format",
				   "hec", "--record", path, NULL };
	struct sw_run r;
	int status;
	pid_t pid;

	sw_require_bpf();
	make_path(path, sizeof(path));
	sw_run_start(&r, args);
	run_session(&r, false, &pid);
	cr_assert_eq(sw_run_stop(&r), 0, "live run: %s", sw_run_stderr(&r));
	text = replay(path, "", &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "replay exit status %d", WEXITSTATUS(status));
	cr_assert(strstr(text, "\"reason\":\"replay\""), "no stop record of a replay");
	cr_assert_gt(sw_run_records(&r, "window", pid, NULL, 0), 0,
		     "the live run wrote no window of pid %d", pid);
	cr_assert_not_null(sw_run_find_type(&r, "command"),
			   "the live run wrote no command record");
	assert_same(r.text, text, "json");
	free(text);
	sw_run_free(&r);

	sw_run_start(&r, hec_args);
	run_session(&r, true, &pid);
	cr_assert_eq(sw_run_stop(&r), 0, "live run: %s", sw_run_stderr(&r));
	text = replay(path, "--format hec", &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "hec replay exit status %d", WEXITSTATUS(status));
	assert_same(r.text, text, "hec");
	free(text);
	sw_run_free(&r);
	unlink(path);
}

/*
 * Shells the start-up scan finds: their exec records' time and their
 * exits' lifetime start when the scan found them, which the recording
 * keeps, so the replay gives them to the nanosecond (the live run read
 * the clock again later, and replays were 50-100 us off).
 */
Test(record, found_shells_replay_as_live, .timeout = 60)
{
	static const char *const argv[] = {
		"sh", "-c", "read x; : found-by-the-scan", NULL,
	};
	char path[64], *text;
	const char *args[] = { "--window", "1", "--record", path, NULL };
	const struct jv *found;
	struct sw_run r;
	int status, fds[2];
	pid_t pid;

	sw_require_bpf();
	make_path(path, sizeof(path));
	/* running before the sensor, waiting on a pipe */
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[1]);
		execv("/bin/sh", (char *const *)argv);
		_exit(127);
	}
	close(fds[0]);
	sw_run_start(&r, args);
	found = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(found, "the scan did not report the shell %d", pid);
	sw_assert_bool(found, "found_at_start", true, "the waiting shell");
	cr_assert_eq(write(fds[1], "\n", 1), 1);
	close(fds[1]);
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS),
			   "no exit record for the found shell");
	cr_assert_eq(sw_run_stop(&r), 0, "live run: %s", sw_run_stderr(&r));
	text = replay(path, "", &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "replay exit status %d", WEXITSTATUS(status));
	assert_same(r.text, text, "json, with the scan");
	free(text);
	sw_run_free(&r);
	unlink(path);
}

Test(record, killed_sensor_leaves_a_truncated_recording, .timeout = 60)
{
	char path[64], *text, pidtext[32];
	const char *args[] = { "--window", "1", "--no-scan", "--record",
			       path, NULL };
	struct sw_run r;
	int status;
	pid_t pid;

	sw_require_bpf();
	make_path(path, sizeof(path));
	sw_run_start(&r, args);
	run_session(&r, false, &pid);
	/* past a 250 ms flush of the recording */
	usleep(600 * 1000);
	kill(r.pid, SIGKILL);
	waitpid(r.pid, &r.status, 0);
	r.stopped = true;
	text = replay(path, "", &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		  "replay of a killed sensor's recording: exit status %d",
		  WEXITSTATUS(status));
	/* what was flushed is replayed before the refusal */
	snprintf(pidtext, sizeof(pidtext), "\"pid\":%d,", pid);
	cr_assert(strstr(text, pidtext), "the flushed exec of pid %d is not replayed",
		  pid);
	free(text);
	sw_run_free(&r);
	unlink(path);
}
