// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loss is never silent and the stream never breaks: a tiny ring buffer, a
 * stalled reader, a closed stdout, SIGTERM, a second instance, and hostile
 * names, argv and paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_proc.h"
#include "sw_run.h"

#define WAIT_MS	5000

/* start n `sh -c :` at once, then reap them */
static void shell_burst(int n)
{
	static const char *const argv[] = { "sh", "-c", ":", NULL };
	pid_t *pids = calloc(n, sizeof(*pids));
	int i;

	cr_assert_not_null(pids);
	for (i = 0; i < n; i++)
		pids[i] = sw_spawn("/bin/sh", (char *const *)argv);
	for (i = 0; i < n; i++)
		sw_wait(pids[i]);
	free(pids);
}

/* the last record of a type */
static const struct jv *last_of(struct sw_run *r, const char *type)
{
	const struct jv *found = NULL;
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		const char *t = jv_str(jv_get(r->recs[i], "type"));

		if (t && !strcmp(t, type))
			found = r->recs[i];
	}
	return found;
}

static void assert_seq_increasing(struct sw_run *r)
{
	double prev = 0;
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		double seq = sw_field_num(r->recs[i], "seq");

		cr_assert(seq > prev, "record %zu has seq %.0f after %.0f", i,
			  seq, prev);
		prev = seq;
	}
}

Test(reliability, tiny_ring_buffer_reports_loss, .timeout = 60)
{
	static const char *const args[] = {
		"--ringbuf-size", "4096", "--no-scan", NULL,
	};
	const struct jv *loss, *stats;
	double shells, reported, lost;
	struct sw_run r;

	sw_run_start(&r, args);
	/* a daemon that does not read: the kernel side must count the drops */
	kill(r.pid, SIGSTOP);
	shell_burst(400);
	kill(r.pid, SIGCONT);
	/* a loss record comes within a second */
	usleep(1200000);
	sw_run_read(&r);
	loss = last_of(&r, "loss");
	cr_assert_not_null(loss, "400 shells through a stopped daemon's 4 KiB ring buffer lost nothing, or no loss record came within 1.2 s");
	cr_assert(sw_field_num(loss, "lost") > 0);
	cr_assert_eq(sw_run_stop(&r), 0, "sensor exit: %s", sw_run_stderr(&r));
	assert_seq_increasing(&r);
	stats = last_of(&r, "stats");
	cr_assert_not_null(stats, "no stats record at stop");
	shells = sw_field_num(stats, "stats.shells");
	reported = sw_field_num(stats, "stats.reported");
	lost = sw_field_num(stats, "stats.lost.exec_records");
	cr_assert(lost > 0, "stats say no exec record was lost");
	/* every shell the kernel saw is either reported or counted lost */
	cr_assert_eq(reported + lost, shells,
		     "reported %.0f + lost %.0f != %.0f shells seen", reported,
		     lost, shells);
	sw_run_free(&r);
}

/*
 * the RSS the sensor must stay under: 32 MiB; a sanitizer build carries
 * shadow memory and a quarantine, so there only runaway growth is caught
 */
static long rss_limit(void)
{
	const char *san = getenv("SHELLWATCH_SANITIZED");

	return san && !strcmp(san, "1") ? 256L << 20 : 32L << 20;
}

/* VmRSS of pid, in bytes */
static long rss_of(pid_t pid)
{
	long kb = sw_status_kb(pid, "VmRSS");

	cr_assert_geq(kb, 0, "no VmRSS in /proc/%d/status", pid);
	return kb * 1024;
}

/* start the sensor with stdout on a pipe the test reads when it wants */
static pid_t start_on_pipe(const char *const *args, int *rd, int *err_fd)
{
	const char *argv[20] = { getenv("SHELLWATCH") };
	static char lock[64];
	bool own_lock = false, own_pins = false;
	char buf[4096];
	int fds[2], n = 1;
	ssize_t got;
	pid_t pid;

	sw_require_bpf();
	while (args && *args && n < 15) {
		own_lock |= !strcmp(*args, "--lock-file");
		own_pins |= !strcmp(*args, "--pin-path");
		argv[n++] = *args++;
	}
	/* a sensor of the machine (or a benchmark's) holds the defaults */
	if (!own_lock) {
		snprintf(lock, sizeof(lock), "/tmp/shellwatch-test-pipe-%d.lock",
			 getpid());
		argv[n++] = "--lock-file";
		argv[n++] = lock;
	}
	if (!own_pins) {
		argv[n++] = "--pin-path";
		argv[n++] = "";
	}
	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
	*err_fd = memfd_create("stderr", MFD_CLOEXEC);
	pid = fork();
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], 1);
		dup2(*err_fd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	*rd = fds[0];
	/* the start record is the first line */
	got = read(*rd, buf, sizeof(buf) - 1);
	cr_assert(got > 0, "no start record on the pipe");
	buf[got] = '\0';
	cr_assert_not_null(strstr(buf, "\"type\":\"start\""), "first line: %s", buf);
	return pid;
}

Test(reliability, stalled_reader_bounded_and_reported, .timeout = 90)
{
	static const char *const args[] = {
		"--no-scan", "--queue", "65536", "--lock-file",
		"/tmp/shellwatch-test-stall.lock", NULL,
	};
	char *text = NULL;
	size_t len = 0;
	char buf[65536];
	long rss, peak = 0;
	ssize_t got;
	int rd, err_fd, status, i;
	pid_t pid;
	bool loss = false;
	FILE *f;

	pid = start_on_pipe(args, &rd, &err_fd);
	/* the reader stalls: the pipe fills, then the queue */
	for (i = 0; i < 10; i++) {
		shell_burst(200);
		rss = rss_of(pid);
		if (rss > peak)
			peak = rss;
	}
	cr_assert(peak < rss_limit(), "RSS during the stall reached %ld bytes (limit %ld)",
		  peak, rss_limit());
	/* the reader is back: everything parses, the loss is reported */
	kill(pid, SIGTERM);
	f = open_memstream(&text, &len);
	while ((got = read(rd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, got, f);
	fclose(f);
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "sensor exit status %d", status);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct jv *rec = sw_parse_line(line, strlen(line));
		const char *type = jv_str(jv_get(rec, "type"));

		if (type && !strcmp(type, "loss") &&
		    jv_num(jv_get(rec, "reasons.output_queue")) > 0)
			loss = true;
		jv_free(rec);
	}
	cr_assert(loss, "2000 shells into a stalled 64 KiB queue gave no loss record for output_queue");
	free(text);
	close(rd);
	close(err_fd);
}

Test(reliability, closed_stdout_exits_1, .timeout = 30)
{
	static const char *const args[] = { "--no-scan", NULL };
	char msg[512] = "";
	int rd, err_fd, status;
	long deadline;
	pid_t pid;

	pid = start_on_pipe(args, &rd, &err_fd);
	close(rd);
	/* the next record meets a closed pipe */
	deadline = sw_now_ms() + 10000;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		cr_assert(sw_now_ms() < deadline, "the sensor kept running with stdout closed");
		shell_burst(2);
		usleep(50000);
	}
	cr_assert(WIFEXITED(status), "the sensor died of a signal (status %d)", status);
	cr_assert_eq(WEXITSTATUS(status), 1, "exit status %d, want 1", WEXITSTATUS(status));
	cr_assert(pread(err_fd, msg, sizeof(msg) - 1, 0) > 0);
	cr_assert_not_null(strstr(msg, "EPIPE"), "stderr: %s", msg);
	close(err_fd);
}

Test(reliability, sigterm_stops_within_a_second, .timeout = 30)
{
	const struct jv *last;
	struct sw_run r;
	long t0, dt;
	int status;

	sw_run_start(&r, NULL);
	t0 = sw_now_ms();
	status = sw_run_stop(&r);
	dt = sw_now_ms() - t0;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "status %d after SIGTERM", status);
	cr_assert(dt < 1000, "SIGTERM took %ld ms", dt);
	cr_assert_geq(r.nrecs, 3);
	last = r.recs[r.nrecs - 1];
	sw_assert_str(last, "type", "stop", "last record");
	sw_assert_str(last, "reason", "signal", "last record");
	sw_assert_str(r.recs[r.nrecs - 2], "type", "stats", "before stop");
	assert_seq_increasing(&r);
	sw_run_free(&r);
}

Test(reliability, second_instance_refused_then_restart_after_kill, .timeout = 60)
{
	static const char *const args[] = {
		"--lock-file", "/tmp/shellwatch-test-second.lock", NULL,
	};
	static const char *const sh[] = { "sh", "-c", "sleep 30", NULL };
	struct sw_run a, b, c;
	pid_t shell;
	int status;

	shell = sw_spawn("/bin/sh", (char *const *)sh);
	sw_run_start(&a, args);
	/* the second one cannot take the lock: it says so and exits 1 */
	memset(&b, 0, sizeof(b));
	b.out_fd = memfd_create("b", MFD_CLOEXEC);
	b.err_fd = memfd_create("b-err", MFD_CLOEXEC);
	b.pid = fork();
	if (!b.pid) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(b.out_fd, 1);
		dup2(b.err_fd, 2);
		execl(getenv("SHELLWATCH"), "shellwatch", args[0], args[1], NULL);
		_exit(127);
	}
	waitpid(b.pid, &status, 0);
	b.stopped = true;
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		  "a second instance exited with status %d", status);
	cr_assert_not_null(strstr(sw_run_stderr(&b), "another shellwatch"),
			   "stderr: %s", sw_run_stderr(&b));
	sw_run_read(&b);
	cr_assert_eq(b.nrecs, 0, "the refused instance wrote records");
	sw_run_free(&b);

	/* a crash frees the lock; the next start reports the shell once */
	kill(a.pid, SIGKILL);
	waitpid(a.pid, NULL, 0);
	a.stopped = true;
	sw_run_free(&a);
	sw_run_start(&c, args);
	cr_assert_not_null(sw_run_wait_exec(&c, shell, WAIT_MS),
			   "the restarted sensor did not report the running shell");
	sw_run_stop(&c);
	cr_assert_eq(sw_run_count_exec(&c, shell), 1);
	sw_run_free(&c);
	kill(shell, SIGKILL);
	sw_wait(shell);
}

/* the exec-record balance of a stopped sensor: every shell the kernel saw
 * is reported, suppressed or counted lost */
static void assert_balance(struct sw_run *r, const char *what)
{
	const struct jv *stats = last_of(r, "stats");
	double shells, reported, lost;

	cr_assert_not_null(stats, "%s: no stats record at stop", what);
	shells = sw_field_num(stats, "stats.shells");
	reported = sw_field_num(stats, "stats.reported");
	lost = sw_field_num(stats, "stats.lost.exec_records");
	cr_assert_eq(reported + lost, shells,
		     "%s: reported %.0f + lost %.0f != %.0f shells seen", what,
		     reported, lost, shells);
}

Test(reliability, burst_of_1000_with_default_ring_buffer_loses_nothing,
     .timeout = 120)
{
	static const char *const args[] = { "--no-scan", NULL };
	const struct jv *stats;
	struct sw_run r;

	sw_run_start(&r, args);
	shell_burst(1000);
	cr_assert_eq(sw_run_stop(&r), 0, "sensor exit: %s", sw_run_stderr(&r));
	stats = last_of(&r, "stats");
	cr_assert_not_null(stats);
	cr_assert_geq(sw_field_num(stats, "stats.shells"), 1000);
	sw_assert_num(stats, "stats.lost.ringbuf_exec", 0,
		      "a burst of 1000 shells through the default ring buffer");
	sw_assert_num(stats, "stats.lost.exec_records", 0, "burst of 1000");
	assert_balance(&r, "burst of 1000");
	sw_run_free(&r);
}

/*
 * the time limit is the sanitizer build's: there the sensor and this test's
 * JSON parser run several times slower, and 20,000 shells took over 300 s
 */
Test(reliability, storm_of_20000_shells, .timeout = 1200)
{
	static const char *const args[] = { "--no-scan", NULL };
	const struct jv *stats;
	long rss, peak = 0;
	struct sw_run r;
	int i;

	sw_run_start(&r, args);
	for (i = 0; i < 100; i++) {
		shell_burst(200);
		rss = rss_of(r.pid);
		if (rss > peak)
			peak = rss;
	}
	cr_assert_eq(sw_run_stop(&r), 0, "the sensor did not survive the storm: %s",
		     sw_run_stderr(&r));
	cr_assert(peak < rss_limit(), "RSS during the storm reached %ld bytes (limit %ld)",
		  peak, rss_limit());
	stats = last_of(&r, "stats");
	cr_assert_not_null(stats);
	cr_assert_geq(sw_field_num(stats, "stats.shells"), 20000);
	assert_balance(&r, "storm of 20000");
	assert_seq_increasing(&r);
	sw_run_free(&r);
}

Test(reliability, missing_log_dir_warns_once, .timeout = 30)
{
	static const char *const args[] = {
		"--no-scan", "--log-dir", "/nonexistent/shellwatch-test", NULL,
	};
	static const char *const argv[] = { "sh", "-c", "exit 0", NULL };
	const char *err, *p;
	struct sw_run r;
	int n = 0;

	sw_run_start(&r, args);
	/* ticks retry the directory; shells keep coming */
	for (int i = 0; i < 5; i++) {
		sw_wait(sw_spawn("/bin/sh", (char *const *)argv));
		usleep(300000);
	}
	cr_assert_eq(sw_run_stop(&r), 0, "the sensor stopped: %s", sw_run_stderr(&r));
	err = sw_run_stderr(&r);
	for (p = err; (p = strstr(p, "/nonexistent/shellwatch-test")); p++)
		n++;
	cr_assert_eq(n, 1, "a missing --log-dir was said %d times: %s", n, err);
	sw_run_free(&r);
}
