// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Memory bounded whatever the node holds (issue 11, "Starved"): the sensor
 * starts and reports shells inside a 64 MiB memory cgroup with 100,000
 * kubelet log links, a rules file at every bound and 1,000 tracked shells
 * alive at once; a shell beyond --track-max is reported, flagged and
 * counted; a rules file past a bound is refused, at start and at a reload;
 * window lines stay bounded whatever the argv.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "rules.h"
#include "sw_assert.h"
#include "sw_cgroup.h"
#include "sw_proc.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define LINKS		100000
#define SHELLS		1000
#define MEM_LIMIT	(64L << 20)

/*
 * the cgroup's limit: the DaemonSet's 64 MiB; a sanitizer build carries
 * shadow memory and a quarantine, so there only runaway growth is caught
 */
static long mem_limit(void)
{
	const char *san = getenv("SHELLWATCH_SANITIZED");

	return san && !strcmp(san, "1") ? 8 * MEM_LIMIT : MEM_LIMIT;
}

/* write text into path, failing the test */
static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, text, len), (ssize_t)len, "%s: %s", path,
		     strerror(errno));
	close(fd);
}

/* the memory cgroups this host can limit: v2 with the memory controller
 * given to the test's cgroup's children, else the v1 memory controller */
struct memcg {
	char dir[PATH_MAX + 32];
	char procs[PATH_MAX + 48];
	bool v1;
};

static bool v2_has_memory(const char *own)
{
	char path[PATH_MAX + 32], buf[256];

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", own);
	if (sw_read_small(path, buf, sizeof(buf)) < 0)
		return false;
	return strstr(buf, "memory") != NULL;
}

/*
 * a cgroup of 64 MiB below the test's own, no swap beyond it: in the v1
 * memory controller where there is one (a hybrid host's v2 hierarchy has
 * no memory controller then), else in v2
 */
static void memcg_make(struct memcg *m)
{
	char own[PATH_MAX], path[PATH_MAX + 64], val[32];
	int n;

	m->v1 = !access("/sys/fs/cgroup/memory/cgroup.procs", F_OK);
	sw_own_cgroup(m->v1, own, sizeof(own));
	if (!m->v1 && !v2_has_memory(own))
		cr_skip_test("no memory controller for the children of %s", own);
	snprintf(m->dir, sizeof(m->dir), "%s/sw-limits-%d", own, getpid());
	cr_assert_eq(mkdir(m->dir, 0755), 0, "mkdir %s: %s", m->dir,
		     strerror(errno));
	snprintf(m->procs, sizeof(m->procs), "%s/cgroup.procs", m->dir);
	n = snprintf(val, sizeof(val), "%ld", mem_limit());
	snprintf(path, sizeof(path), "%s/%s", m->dir,
		 m->v1 ? "memory.limit_in_bytes" : "memory.max");
	write_file(path, val, n);
	snprintf(path, sizeof(path), "%s/%s", m->dir,
		 m->v1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max");
	if (!access(path, W_OK))
		write_file(path, m->v1 ? val : "0", m->v1 ? (size_t)n : 1);
}

/* a counter file of the cgroup, or -1 */
static long long memcg_read(const struct memcg *m, const char *v1,
			    const char *v2)
{
	char path[PATH_MAX + 64], buf[64];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", m->dir, m->v1 ? v1 : v2);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtoll(buf, NULL, 10);
	fclose(f);
	return v;
}

static void memcg_remove(struct memcg *m)
{
	long deadline = sw_now_ms() + WAIT_MS;

	/* the sensor's last pages leave with it */
	while (rmdir(m->dir) && errno == EBUSY && sw_now_ms() < deadline)
		usleep(10000);
	cr_assert(access(m->dir, F_OK), "cgroup %s stays", m->dir);
}

/* VmHWM of pid in bytes, or -1 */
static long hwm_of(pid_t pid)
{
	long kb = sw_status_kb(pid, "VmHWM");

	return kb < 0 ? -1 : kb * 1024;
}

/* n log links in dir/containers, shaped as the kubelet's */
static void make_links(const char *dir, int n)
{
	char path[PATH_MAX], target[PATH_MAX];
	int i;

	snprintf(path, sizeof(path), "%s/containers", dir);
	cr_assert_eq(mkdir(path, 0755), 0, "%s: %s", path, strerror(errno));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path),
			 "%s/containers/pod-%d_ns-%d_ctr-%d-%064x.log", dir,
			 i / 10, i % 50, i % 10, i + 1);
		snprintf(target, sizeof(target),
			 "%s/pods/ns-%d_pod-%d_%08x-0000-4000-8000-%012x/ctr-%d/0.log",
			 dir, i % 50, i / 10, i / 10, i / 10, i % 10);
		cr_assert_eq(symlink(target, path), 0, "symlink %s: %s", path,
			     strerror(errno));
	}
}

/* a growing text */
struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->cap + n) * 2 + 4096;
		t->s = realloc(t->s, t->cap);
		cr_assert_not_null(t->s);
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void puts_(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

static void put_run(struct text *t, char c, size_t n)
{
	while (n--)
		put(t, &c, 1);
}

#define MARKER		"sw-limits-suppressed"
#define MARKER_RULE	"limits-marker"

/*
 * a rules file at every bound but the file size: RULES_MAX rules of two
 * values (scope and a command line glob: RULES_VALUES_MAX), the globs
 * adding up to RULES_GLOB_BYTES_MAX exactly, one name of RULE_NAME_MAX
 * bytes. Every rule's scope matches a host shell, so each command line
 * glob is tried at every exec: all but the first are near misses of a
 * command line of 'a'. One rule more (past) is over RULES_MAX.
 */
static struct text rules_at_bounds(bool past)
{
	const int n = RULES_MAX + past;
	const size_t first = strlen("*" MARKER "*");
	size_t cmd_bytes = RULES_GLOB_BYTES_MAX - (size_t)RULES_MAX * 4 - first;
	struct text t = { 0 };
	char buf[64];
	size_t len;
	int i;

	puts_(&t, "rules:\n- name: " MARKER_RULE "\n  match:\n    scope: host\n"
		  "    process.command_line: '*" MARKER "*'\n");
	for (i = 1; i < n; i++) {
		/* '*', a's, 'b*': the lengths share what is left */
		len = cmd_bytes / (RULES_MAX - 1) +
		      ((size_t)i <= cmd_bytes % (RULES_MAX - 1));
		if (i == 1) {
			puts_(&t, "- name: ");
			put_run(&t, 'n', RULE_NAME_MAX);
			puts_(&t, "\n");
		} else {
			snprintf(buf, sizeof(buf), "- name: near-%d\n", i);
			puts_(&t, buf);
		}
		puts_(&t, "  match:\n    scope: host\n    process.command_line: '*");
		put_run(&t, 'a', i >= RULES_MAX ? 1 : len - 3);
		puts_(&t, "b*'\n");
	}
	return t;
}

/* spawn `dash -c 'read x' NAME`, its stdin the pipe's read end */
static pid_t spawn_reader(int in_fd, const char *name)
{
	static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	char *argv[] = { "dash", "-c", "read x", (char *)name, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	err = posix_spawn(&pid, "/bin/dash", &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(err, 0, "posix_spawn dash: %s", strerror(err));
	return pid;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* records of type from r->recs[*from..] whose pid is in pids (sorted) */
static int count_mine(struct sw_run *r, const char *type, const pid_t *pids,
		      int n, size_t *from, int *flagged)
{
	const struct jv *rec, *u;
	int count = 0;
	pid_t pid;

	for (; *from < r->nrecs; (*from)++) {
		rec = r->recs[*from];
		if (strcmp(jv_str(jv_get(rec, "type")) ?: "", type) ||
		    !jv_get(rec, "process.pid"))
			continue;
		pid = (pid_t)sw_field_num(rec, "process.pid");
		if (!bsearch(&pid, pids, n, sizeof(*pids), cmp_pid))
			continue;
		count++;
		u = jv_get(rec, "untracked");
		if (flagged && u && !strcmp(jv_str(u) ?: "", "over_limit"))
			(*flagged)++;
	}
	return count;
}

/* wait up to ms for want records of type for pids; how many came */
static int wait_mine(struct sw_run *r, const char *type, const pid_t *pids,
		     int n, int want, long ms, int *flagged)
{
	long deadline = sw_now_ms() + ms;
	size_t from = 0;
	int got = 0;

	if (flagged)
		*flagged = 0;
	for (;;) {
		sw_run_read(r);
		got += count_mine(r, type, pids, n, &from, flagged);
		if (got >= want || sw_now_ms() > deadline)
			return got;
		usleep(20000);
	}
}

/* start n readers of one pipe; their pids sorted into pids */
static void start_readers(int n, pid_t *pids, int *wr)
{
	char name[32];
	int fds[2], i;

	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "sw-limits-%d", i);
		pids[i] = spawn_reader(fds[0], name);
	}
	close(fds[0]);
	*wr = fds[1];
	qsort(pids, n, sizeof(*pids), cmp_pid);
}

/* end the readers: EOF on their stdin */
static void end_readers(int n, const pid_t *pids, int wr)
{
	int i;

	close(wr);
	for (i = 0; i < n; i++)
		sw_wait(pids[i]);
}

Test(limits, starts_and_reports_in_64_mib, .timeout = 600)
{
	char logs[] = "/tmp/sw-limits-XXXXXX", rules[PATH_MAX];
	const char *args[] = {
		"--no-scan", "--heartbeat", "1", "--log-dir", logs, "--rules",
		rules, NULL,
	};
	static pid_t pids[SHELLS];
	const struct jv *st;
	struct text t;
	struct memcg m;
	struct sw_run r;
	char big[4100];
	long hwm, limit;
	char *argv[5];
	size_t mark;
	pid_t probe;
	int wr, got, flagged;

	sw_require_bpf();
	memcg_make(&m);
	cr_assert_not_null(mkdtemp(logs));
	make_links(logs, LINKS);
	snprintf(rules, sizeof(rules), "%s/rules.yaml", logs);
	t = rules_at_bounds(false);
	write_file(rules, t.s, t.len);
	free(t.s);

	/* the sensor joins the cgroup before it execs: all of it is counted */
	sw_run_start_in(&r, args, m.procs);
	st = sw_run_wait_stats(&r, 0, "stats.log_links.indexed", 65536,
			       INFINITY, WAIT_MS);
	cr_assert_not_null(st, "no stats with the index full; stderr: %s",
			   sw_run_stderr(&r));
	cr_assert_geq(sw_field_num(st, "stats.log_links.over_limit"),
		      LINKS - 65536, "links beyond the index not counted");
	cr_assert(strstr(sw_run_stderr(&r), "beyond 65536 containers"),
		  "the index's bound was not said: %s", sw_run_stderr(&r));

	/* 1,000 shells alive at once, each tracked */
	start_readers(SHELLS, pids, &wr);
	got = wait_mine(&r, "exec", pids, SHELLS, SHELLS, 60000, &flagged);
	cr_assert_eq(got, SHELLS, "%d of %d shells reported", got, SHELLS);
	cr_assert_eq(flagged, 0, "%d shells not tracked below the bound",
		     flagged);
	mark = r.nrecs;
	st = sw_run_wait_stats(&r, mark, "stats.tracking.kernel", SHELLS,
			       INFINITY, WAIT_MS);
	cr_assert_not_null(st, "no stats record counts %d tracked in the kernel",
			   SHELLS);
	cr_assert_geq(sw_field_num(st, "stats.tracked"), SHELLS);
	sw_assert_num(st, "stats.tracking.kernel_max", 16384, "stats");
	cr_assert_eq(jv_len(jv_get(st, "stats.rule_hits")), RULES_MAX,
		     "rule_hits has %zu rules", jv_len(jv_get(st, "stats.rule_hits")));

	/* a shell started now is reported, even made to near-miss every rule */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = "exit 0";
	argv[3] = big;
	argv[4] = NULL;
	probe = sw_spawn("/bin/sh", argv);
	cr_assert_not_null(sw_run_wait_exec(&r, probe, WAIT_MS),
			   "the shell started with 1,000 alive was not reported");
	sw_wait(probe);
	/* and the rules are in force: the marker's shell is suppressed */
	argv[3] = MARKER;
	sw_wait(sw_spawn("/bin/sh", argv));
	st = sw_run_wait_stats(&r, mark, "stats.rule_hits." MARKER_RULE, 1,
			       INFINITY, WAIT_MS);
	cr_assert_not_null(st, "the marker rule matched nothing");
	cr_assert_geq(sw_field_num(st, "stats.suppressed"), 1);

	hwm = hwm_of(r.pid);
	limit = memcg_read(&m, "memory.max_usage_in_bytes", "memory.peak");
	cr_assert_gt(hwm, 0, "no VmHWM for the sensor");
	cr_assert_lt(hwm, mem_limit(), "VmHWM %ld bytes", hwm);
	fprintf(stderr, "limits: sensor VmHWM %.1f MiB, cgroup peak %.1f MiB (kernel %.1f MiB), failcnt %lld\n",
		hwm / 1048576.0, limit / 1048576.0,
		memcg_read(&m, "memory.kmem.max_usage_in_bytes",
			   "memory.peak") / 1048576.0,
		memcg_read(&m, "memory.failcnt", "memory.events.local"));

	/* their ends are tracked too */
	end_readers(SHELLS, pids, wr);
	got = wait_mine(&r, "exit", pids, SHELLS, SHELLS, 60000, NULL);
	cr_assert_eq(got, SHELLS, "%d of %d exits", got, SHELLS);
	cr_assert_eq(sw_run_stop(&r), 0, "exit status; stderr: %s",
		     sw_run_stderr(&r));
	sw_run_free(&r);
	memcg_remove(&m);
	sw_remove_dir(logs);
}

/* past --track-max: reported with untracked, counted, said once */
Test(limits, shells_beyond_track_max, .timeout = 120)
{
	static const char *const args[] = {
		"--no-scan", "--heartbeat", "1", "--track-max", "20", NULL,
	};
	const char *err, *p;
	const struct jv *st;
	struct sw_run r;
	pid_t pids[30];
	int wr, got, flagged, exits, n = 0;

	sw_require_bpf();
	sw_run_start(&r, args);
	start_readers(30, pids, &wr);
	got = wait_mine(&r, "exec", pids, 30, 30, 30000, &flagged);
	cr_assert_eq(got, 30, "%d of 30 shells reported", got);
	/* other shells on the node may hold places too: at least 10 are over */
	cr_assert_geq(flagged, 10, "%d of 30 flagged over a bound of 20",
		      flagged);
	st = sw_run_wait_stats(&r, 0, "stats.tracking.over_limit", flagged,
			       INFINITY, WAIT_MS);
	cr_assert_not_null(st, "no stats record counts %d over the bound",
			   flagged);
	cr_assert_leq(sw_field_num(st, "stats.tracking.kernel"), 20);
	/* the tracked ones end with exits; the others have none */
	end_readers(30, pids, wr);
	exits = wait_mine(&r, "exit", pids, 30, 30 - flagged, 30000, NULL);
	cr_assert_eq(exits, 30 - flagged, "%d exits for %d tracked", exits,
		     30 - flagged);
	cr_assert_eq(sw_run_stop(&r), 0, "exit status; stderr: %s",
		     sw_run_stderr(&r));
	cr_assert_eq(wait_mine(&r, "exit", pids, 30, 30, 0, NULL), 30 - flagged,
		     "an untracked shell got an exit record");
	err = sw_run_stderr(&r);
	for (p = err; (p = strstr(p, "tracking is full")); p++)
		n++;
	cr_assert_eq(n, 1, "the bound was said %d times: %s", n, err);
	sw_run_free(&r);
}

/* a rules file past a bound: refused at start (status 2), kept at reload */
Test(limits, rules_past_a_bound_refused, .timeout = 60)
{
	char dir[] = "/tmp/sw-limits-rules-XXXXXX", rules[PATH_MAX];
	const char *args[] = { "--no-scan", "--heartbeat", "1", "--rules", rules,
			       NULL };
	const char *bin = getenv("SHELLWATCH");
	char out[4096], lock[PATH_MAX + 8];
	/* a binary without the bound would run: --duration ends it */
	char *argv[] = { (char *)bin, "--rules", rules, "--lock-file", lock,
			 "--pin-path", "", "--duration", "5", NULL };
	const struct jv *st;
	long deadline;
	struct text t;
	struct sw_run r;
	int status;

	sw_require_bpf();
	cr_assert_not_null(mkdtemp(dir));
	snprintf(rules, sizeof(rules), "%s/rules.yaml", dir);
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	t = rules_at_bounds(true);
	write_file(rules, t.s, t.len);
	sw_capture(argv, out, sizeof(out), &status);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		  "status %d: %s", status, out);
	cr_assert(strstr(out, "more than 1024 rules"), "stderr: %s", out);

	/* in force: the file at its bounds; then past them, and SIGHUP */
	free(t.s);
	t = rules_at_bounds(false);
	write_file(rules, t.s, t.len);
	sw_run_start(&r, args);
	free(t.s);
	t = rules_at_bounds(true);
	write_file(rules, t.s, t.len);
	free(t.s);
	cr_assert_eq(kill(r.pid, SIGHUP), 0);
	deadline = sw_now_ms() + WAIT_MS;
	while (!strstr(sw_run_stderr(&r), "kept the 1024 rules in force") &&
	       sw_now_ms() < deadline)
		usleep(20000);
	cr_assert(strstr(sw_run_stderr(&r), "more than 1024 rules"),
		  "stderr: %s", sw_run_stderr(&r));
	cr_assert(strstr(sw_run_stderr(&r), "kept the 1024 rules in force"),
		  "stderr: %s", sw_run_stderr(&r));
	st = sw_run_wait_stats(&r, 0, "stats.rules.reloads_refused", 1,
			       INFINITY, WAIT_MS);
	cr_assert_not_null(st, "no stats record counts the refused reload");
	sw_assert_num(st, "stats.rules.count", RULES_MAX, "rules in force");
	cr_assert_eq(sw_run_stop(&r), 0);
	sw_run_free(&r);
	sw_remove_dir(dir);
}

#define WINDOW_START	"{\"type\":\"window\","

/* the longest window line of the process exec_id or its forks, read so far */
static size_t longest_window(const struct sw_run *r, const char *exec_id,
			     int *lines)
{
	char own[128], forks[128];
	const char *p = r->text, *nl;
	size_t most = 0;

	snprintf(own, sizeof(own), "\"exec_id\":\"%s\"", exec_id);
	snprintf(forks, sizeof(forks), "\"parent_exec_id\":\"%s\"", exec_id);
	*lines = 0;
	for (; p && (nl = memchr(p, '\n', r->text + r->len - p)); p = nl + 1) {
		if (strncmp(p, WINDOW_START, strlen(WINDOW_START)))
			continue;
		if (!memmem(p, nl - p, own, strlen(own)) &&
		    !memmem(p, nl - p, forks, strlen(forks)))
			continue;
		(*lines)++;
		if ((size_t)(nl - p) > most)
			most = nl - p;
	}
	return most;
}

/*
 * an argv of 4 KiB of control bytes (each escaped to 6) and 300 forks of
 * the shell alive: every window line repeats the command line. Full
 * records keep its first 1 KiB (25 KB a line before), compact ones 64
 * bytes
 */
static void window_lines(const char *fields, size_t limit)
{
	const char *args[] = { "--no-scan", "--window", "1", "--all-windows",
			       "--fields", fields, NULL };
	static char ctl[4000];
	char *argv[] = { "sh", "-c",
			 "i=0; while [ $i -lt 300 ]; do (read x <&3) & i=$((i+1)); done; wait",
			 ctl, NULL };
	posix_spawn_file_actions_t fa;
	const struct jv *ex;
	struct sw_run r;
	long deadline;
	size_t most;
	int fds[2], lines, i;
	pid_t pid;

	sw_require_bpf();
	for (i = 0; i < (int)sizeof(ctl) - 1; i++)
		ctl[i] = 1 + i % 31;
	sw_run_start(&r, args);
	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	/* an asynchronous list's stdin is /dev/null: the pipe is fd 3 */
	posix_spawn_file_actions_adddup2(&fa, fds[0], 3);
	cr_assert_eq(posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, NULL), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	ex = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(ex, "the shell was not reported");
	/* two edges with every fork in them: 600 window lines */
	deadline = sw_now_ms() + 30000;
	do {
		usleep(50000);
		sw_run_read(&r);
		most = longest_window(&r, sw_field_str(ex, "exec_id"), &lines);
	} while (lines < 600 && sw_now_ms() < deadline);
	cr_assert_geq(lines, 600, "%s: %d window lines of the shell and its forks",
		      fields, lines);
	cr_assert_lt(most, limit, "%s: a window line of %zu bytes", fields, most);
	fprintf(stderr, "limits: %s windows: %d lines, the longest %zu bytes\n",
		fields, lines, most);
	close(fds[1]);
	sw_wait(pid);
	cr_assert_eq(sw_run_stop(&r), 0);
	sw_run_free(&r);
}

Test(limits, window_lines_full, .timeout = 90)
{
	window_lines("full", 8192);
}

Test(limits, window_lines_compact, .timeout = 90)
{
	window_lines("compact", 2048);
}
