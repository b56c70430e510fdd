// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Never blinded: a flood of shells in dozens of pod containers whose
 * names the kubelet's log index does not know (their log links never
 * come) keeps the stream going. Stats records come on time, any loss is
 * said within a second, a host shell started right after the flood is
 * reported within a second, and SIGTERM stops the sensor within a second.
 * The pods are cgroups below the test's own, shaped as the kubelet's
 * cgroupfs driver makes them; each runs a shell loop of `sh -c :`.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "sw_assert.h"
#include "sw_cgroup.h"
#include "sw_proc.h"
#include "sw_rows.h"
#include "sw_run.h"

/* dozens of containers: more than the old sensor's 64 remembered misses
 * would make it wait again and again; fewer still stalled it for seconds */
#define PODS		48
/* shells each pod's loop runs */
#define EXECS		50
#define WAIT_MS		5000
/* heartbeats the flood lasts at least */
#define FLOOD_STATS	3
/* how late a heartbeat of --heartbeat 1 may be, as written and as read */
#define STATS_LATE_MS	2000
#define STATS_READ_MS	2500
/* the bounds the issue sets */
#define LOSS_MS		1000
#define HOST_MS		1000
#define STOP_MS		1000
#define LOSS_REASONS	6

static const char *const loss_reasons[LOSS_REASONS] = {
	"ringbuf_exec", "ringbuf_proc", "output_queue", "malformed",
	"untracked", "ringbuf_command",
};

/*
 * each pod's shell loop: $1 execs of sh at least, then more until the
 * file $2 is there; a byte on fd 3 after the third
 */
static const char loop_script[] =
	"i=0; while [ $i -lt $1 ] || [ ! -e \"$2\" ]; do sh -c :; i=$((i+1)); "
	"if [ $i -eq 3 ]; then echo x >&3; exec 3>&-; fi; done";

/* the directories one flood makes: its root, kubepods, burstable, then
 * a pod and its container for each pod */
#define FLOOD_DIRS	(3 + 2 * PODS)

struct flood {
	char base[PATH_MAX];
	char root[64];
	char logs[64];
	char stop[72];		/* the loops end once this file is there */
	char made[FLOOD_DIRS][PATH_MAX];	/* in the order made */
	int nmade;
	char dirs[PODS][PATH_MAX];		/* each pod's container */
	pid_t workers[PODS];
	int nworkers;
	int ready_fd;		/* a byte from each worker once it runs */
};

/* the flood of the test running, for the cleanup after a failed one */
static struct flood *current;

/* PODS kubelet-shaped pod cgroups, and a log directory that never names
 * them; f is large: the caller allocates it */
static void flood_setup(struct flood *f)
{
	struct sw_tree *t = calloc(1, sizeof(*t));
	char rel[PATH_MAX];
	int i, j;

	sw_require_bpf();
	cr_assert_not_null(t);
	memset(f, 0, sizeof(*f));
	current = f;
	f->ready_fd = -1;
	sw_own_cgroup(true, f->base, sizeof(f->base));
	snprintf(f->root, sizeof(f->root), "sw-flood-%d", getpid());
	snprintf(f->logs, sizeof(f->logs), "/tmp/shellwatch-flood-XXXXXX");
	cr_assert_not_null(mkdtemp(f->logs), "mkdtemp: %s", strerror(errno));
	snprintf(f->stop, sizeof(f->stop), "%s/stop", f->logs);
	/* the index watches an empty containers/: every pod is unknown */
	sw_make_tree(f->logs, "containers", t);
	for (i = 0; i < PODS; i++) {
		snprintf(rel, sizeof(rel),
			 "%s/kubepods/burstable/pod4f6e2a1b-9c8d-4e7f-a6b5-%012x/"
			 "0123456789abcdef0123456789abcdef0123456789abcdef0123%012x",
			 f->root, i + 1, i + 1);
		t->n = 0;
		sw_make_tree(f->base, rel, t);
		for (j = 0; j < t->n && f->nmade < FLOOD_DIRS; j++)
			snprintf(f->made[f->nmade++], PATH_MAX, "%s", t->dirs[j]);
		snprintf(f->dirs[i], PATH_MAX, "%s", sw_tree_leaf(t));
	}
	free(t);
}

/* start every pod's loop of n shells, and more until flood_stop() */
static void flood_start(struct flood *f, int n)
{
	static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	char procs[PATH_MAX + 16], count[16];
	char *argv[] = { "sh", "-c", (char *)loop_script, "sh", count, f->stop,
			 NULL };
	int p[2], i, fd;
	pid_t pid;

	snprintf(count, sizeof(count), "%d", n);
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0, "pipe: %s", strerror(errno));
	for (i = 0; i < PODS; i++) {
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", f->dirs[i]);
		pid = fork();
		cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
		if (!pid) {
			/* a failed test leaves no loop running */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			/* the flood takes the CPUs the sensor and the test leave:
			 * what is measured is the sensor, not the scheduler */
			if (setpriority(PRIO_PROCESS, 0, 19))
				_exit(124);
			fd = open(procs, O_WRONLY);
			if (fd < 0 || write(fd, "0", 1) != 1)
				_exit(126);
			close(fd);
			if (dup2(p[1], 3) != 3)
				_exit(125);
			execve("/bin/sh", argv, envp);
			_exit(127);
		}
		f->workers[f->nworkers++] = pid;
	}
	close(p[1]);
	f->ready_fd = p[0];
}

/* wait until every loop has run three shells: the flood is on */
static void flood_wait_running(struct flood *f)
{
	struct pollfd pfd = { .fd = f->ready_fd, .events = POLLIN };
	long deadline = sw_now_ms() + 30000;
	int got = 0;
	char buf[PODS];
	ssize_t n;

	while (got < PODS) {
		cr_assert_lt(sw_now_ms(), deadline,
			     "only %d of %d pod loops started within 30 s", got,
			     PODS);
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(f->ready_fd, buf, sizeof(buf));
		cr_assert_gt(n, 0, "a pod loop ended before its third shell");
		got += n;
	}
}

/* let the loops end once they ran their n shells */
static void flood_stop(struct flood *f)
{
	int fd = open(f->stop, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	cr_assert_geq(fd, 0, "cannot make %s: %s", f->stop, strerror(errno));
	close(fd);
}

/* whether every loop has ended; reaps those that did */
static bool flood_over(struct flood *f)
{
	int i, status;

	for (i = 0; i < f->nworkers; i++) {
		if (f->workers[i] <= 0)
			continue;
		if (waitpid(f->workers[i], &status, WNOHANG) != f->workers[i])
			return false;
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "pod loop %d failed (status %d)", i, status);
		f->workers[i] = 0;
	}
	return true;
}

/* whether a cgroup has no process left */
static bool cgroup_empty(const char *dir)
{
	char procs[PATH_MAX + 16], c[2];

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	return sw_read_small(procs, c, sizeof(c)) <= 0;
}

/* stop what still runs, wait for the cgroups to empty, remove them */
static void flood_cleanup(void)
{
	struct flood *f = current;
	long deadline = sw_now_ms() + 10000;
	int i;

	if (!f)
		return;
	current = NULL;
	for (i = 0; i < f->nworkers; i++) {
		if (f->workers[i] > 0) {
			kill(f->workers[i], SIGKILL);
			waitpid(f->workers[i], NULL, 0);
			f->workers[i] = 0;
		}
	}
	if (f->ready_fd >= 0)
		close(f->ready_fd);
	/* the loops' last `sh -c :` may outlive them for a moment */
	for (i = 0; i < PODS; i++)
		while (!cgroup_empty(f->dirs[i]) && sw_now_ms() < deadline)
			usleep(10000);
	while (f->nmade > 0) {
		f->nmade--;
		if (rmdir(f->made[f->nmade]))
			fprintf(stderr, "flood: cannot remove %s: %s\n",
				f->made[f->nmade], strerror(errno));
	}
	sw_remove_dir(f->logs);
	unlink(f->stop);
	free(f);
}

/* what the test saw of the stream, record by record as they came */
struct watch {
	size_t next;		/* the next record to look at */
	long last_stats_ms;	/* when the last stats record was read */
	double last_stats_time;	/* its own time, seconds */
	long worst_read_ms;	/* the longest wait between two read */
	double worst_time_ms;	/* the longest gap between two written */
	int stats;		/* stats records seen */
	double loss_sum;	/* lost, over every loss record */
	double unsaid;		/* the most a stats record counted beyond them */
	double stats_lost;	/* what the last stats record counted */
};

/* an RFC 3339 time of a record, as seconds since the epoch */
static double rec_time(const struct jv *rec)
{
	const char *t = sw_field_str(rec, "time");
	struct tm tm = {};
	double frac = 0;
	const char *dot;

	cr_assert_not_null(strptime(t, "%Y-%m-%dT%H:%M:%S", &tm), "time %s", t);
	dot = strchr(t, '.');
	if (dot)
		frac = strtod(dot, NULL);
	return (double)timegm(&tm) + frac;
}

/* the losses a stats record counts, every reason */
static double stats_lost(const struct jv *stats)
{
	char field[64];
	double sum = 0;
	int i;

	for (i = 0; i < LOSS_REASONS; i++) {
		snprintf(field, sizeof(field), "stats.lost.%s", loss_reasons[i]);
		sum += sw_field_num(stats, field);
	}
	return sum;
}

/* look at the records read since the last call */
static void watch_records(struct sw_run *r, struct watch *w)
{
	long now = sw_now_ms();

	sw_run_read(r);
	for (; w->next < r->nrecs; w->next++) {
		const struct jv *rec = r->recs[w->next];
		const char *type = sw_field_str(rec, "type");

		if (!strcmp(type, "loss")) {
			w->loss_sum += sw_field_num(rec, "lost");
		} else if (!strcmp(type, "stats")) {
			double t = rec_time(rec);

			/* a loss is said in a loss record at the next 250 ms
			 * tick, before any stats record counts it */
			w->stats_lost = stats_lost(rec);
			if (w->stats_lost - w->loss_sum > w->unsaid)
				w->unsaid = w->stats_lost - w->loss_sum;

			if (w->stats && (t - w->last_stats_time) * 1000 >
					w->worst_time_ms)
				w->worst_time_ms = (t - w->last_stats_time) * 1000;
			if (now - w->last_stats_ms > w->worst_read_ms)
				w->worst_read_ms = now - w->last_stats_ms;
			w->last_stats_ms = now;
			w->last_stats_time = t;
			w->stats++;
		}
	}
	/* a heartbeat overdue now counts, even if none comes */
	if (now - w->last_stats_ms > w->worst_read_ms)
		w->worst_read_ms = now - w->last_stats_ms;
}

/* wait up to timeout_ms for a stats record after the ones seen; NULL if none */
static const struct jv *next_stats(struct sw_run *r, struct watch *w,
				   int timeout_ms)
{
	long deadline = sw_now_ms() + timeout_ms;
	int seen = w->stats;

	for (;;) {
		watch_records(r, w);
		if (w->stats > seen)
			break;
		if (sw_now_ms() >= deadline)
			return NULL;
		usleep(10000);
	}
	for (size_t i = r->nrecs; i-- > 0;)
		if (!strcmp(sw_field_str(r->recs[i], "type"), "stats"))
			return r->recs[i];
	return NULL;
}

/* a flood's exec and exit records: each process's exit after its exec */
static void assert_flood_in_order(struct sw_run *r, const char *cid_tail,
				  size_t *execs)
{
	size_t i, j, nexec = 0, cap = 1024;
	const char **ids = malloc(cap * sizeof(*ids));

	cr_assert_not_null(ids);
	*execs = 0;
	for (i = 0; i < r->nrecs; i++) {
		const struct jv *rec = r->recs[i];
		const char *type = sw_field_str(rec, "type");
		const struct jv *cid = jv_get(rec, "container.id");
		const char *id;
		bool seen = false;

		if (!cid || jv_type(cid) != JV_STRING ||
		    !strstr(jv_str(cid), cid_tail))
			continue;
		id = sw_field_str(rec, "exec_id");
		if (!strcmp(type, "exec")) {
			/* written with what is known: no link, no names */
			sw_assert_str(rec, "scope", "pod", "flood exec");
			sw_assert_str(rec, "k8s.names_status", "no_link",
				      "flood exec");
			if (nexec == cap) {
				cap *= 2;
				ids = realloc(ids, cap * sizeof(*ids));
				cr_assert_not_null(ids);
			}
			ids[nexec++] = id;
			continue;
		}
		if (strcmp(type, "exit") || sw_field_bool(rec, "process.forked"))
			continue;
		/* an exit whose exec was written came after it */
		for (j = nexec; j-- > 0 && !seen;)
			seen = !strcmp(ids[j], id);
		if (!seen)
			for (j = i + 1; j < r->nrecs; j++) {
				const struct jv *later = r->recs[j];

				if (!strcmp(sw_field_str(later, "type"), "exec") &&
				    !strcmp(sw_field_str(later, "exec_id"), id))
					cr_assert_fail("exit of %s written before its exec",
						       id);
				if (j > i + 20000)
					break;
			}
	}
	*execs = nexec;
	free(ids);
}

/* the last record of a type, or NULL */
static const struct jv *last_of(struct sw_run *r, const char *type)
{
	size_t i;

	for (i = r->nrecs; i-- > 0;)
		if (!strcmp(sw_field_str(r->recs[i], "type"), type))
			return r->recs[i];
	return NULL;
}

/*
 * the ring buffer under the flood: roomy (the old reader's stall showed
 * there), and tiny, so that records are lost and the loss must be said
 */
static const char *const rings[] = { "262144", "4096" };

ParameterizedTestParameters(flood, stats_loss_and_a_host_shell_stay_on_time)
{
	return sw_rows(sizeof(rings) / sizeof(rings[0]));
}

ParameterizedTest(int *row, flood, stats_loss_and_a_host_shell_stay_on_time,
		  .timeout = 180, .fini = flood_cleanup)
{
	struct flood *f = malloc(sizeof(*f));
	const char *args[] = {
		"--no-scan", "--heartbeat", "1", "--ringbuf-size", rings[*row],
		"--log-dir", NULL, NULL,
	};
	static char *const host_argv[] = { "sh", "-c", "exit 0", NULL };
	struct watch w = {};
	const struct jv *stats, *rec;
	long t_end, t_host, got_ms, deadline;
	double lost, before;
	size_t execs;
	struct sw_run r;
	pid_t host;

	cr_assert_not_null(f);
	flood_setup(f);
	args[6] = f->logs;
	sw_run_start(&r, args);
	w.last_stats_ms = sw_now_ms();
	flood_start(f, EXECS);
	/* the whole flood, watched as it goes: long enough for heartbeats */
	deadline = sw_now_ms() + 120000;
	while (!flood_over(f)) {
		cr_assert_lt(sw_now_ms(), deadline, "the flood took over 120 s");
		watch_records(&r, &w);
		if (w.stats >= FLOOD_STATS)
			flood_stop(f);
		usleep(10000);
	}
	t_end = sw_now_ms();
	watch_records(&r, &w);
	before = w.stats_lost;
	/* heartbeats came on time all along the flood */
	cr_assert_geq(w.stats, 2, "only %d stats records during the flood (ring buffer %s)",
		      w.stats, rings[*row]);
	cr_assert_leq(w.worst_read_ms, STATS_READ_MS,
		      "a stats record came %ld ms after the one before (--heartbeat 1, ring buffer %s)",
		      w.worst_read_ms, rings[*row]);
	cr_assert_leq(w.worst_time_ms, STATS_LATE_MS,
		      "stats records written %.0f ms apart (--heartbeat 1, ring buffer %s)",
		      w.worst_time_ms, rings[*row]);

	/* a host shell right after it is reported within a second */
	t_host = sw_now_ms();
	host = sw_spawn("/bin/sh", host_argv);
	sw_wait(host);
	rec = sw_run_wait_exec(&r, host, WAIT_MS);
	got_ms = sw_now_ms() - t_host;
	cr_assert_not_null(rec, "no exec record of the host shell within %d ms after the flood",
			   WAIT_MS);
	sw_assert_str(rec, "scope", "host", "host shell");
	cr_assert_leq(got_ms, HOST_MS,
		      "the host shell after the flood was reported after %ld ms (ring buffer %s)",
		      got_ms, rings[*row]);

	/*
	 * every loss was said: the ones the stats records counted before
	 * them, and by a second after the flood, every one the last stats
	 * record before its end counted (the node's other shells may lose
	 * records too, through a 4 KiB ring buffer: they are not the
	 * flood's)
	 */
	while (sw_now_ms() < t_end + LOSS_MS) {
		watch_records(&r, &w);
		usleep(10000);
	}
	cr_assert_geq(w.loss_sum, before,
		      "%.0f lost before the flood's end, loss records said %.0f within %d ms",
		      before, w.loss_sum, LOSS_MS);
	stats = next_stats(&r, &w, STATS_READ_MS);
	cr_assert_not_null(stats, "no stats record within %d ms after the flood",
			   STATS_READ_MS);
	cr_assert_eq(w.unsaid, 0,
		     "a stats record counted %.0f lost that no loss record had said",
		     w.unsaid);
	lost = w.loss_sum;

	cr_assert_eq(sw_run_stop(&r), 0, "sensor exit: %s", sw_run_stderr(&r));
	/* it was a flood of parked records, each written in order */
	assert_flood_in_order(&r, "0123456789abcdef0123", &execs);
	stats = last_of(&r, "stats");
	cr_assert_geq(execs + sw_field_num(stats, "stats.lost.exec_records"),
		      PODS * EXECS, "%zu flood execs reported", execs);
	cr_assert_gt(sw_field_num(stats, "stats.parking.waited"), 0,
		     "no record waited for names");
	sw_assert_num(stats, "stats.parking.parked", 0, "parked at the stop");
	fprintf(stderr,
		"flood, ring buffer of %s bytes: %zu execs, %.0f lost, stats every %ld ms at worst (written %.0f ms), host shell in %ld ms, parked %.0f (expired %.0f, over bound %.0f)\n",
		rings[*row], execs, lost, w.worst_read_ms, w.worst_time_ms, got_ms,
		sw_field_num(stats, "stats.parking.waited"),
		sw_field_num(stats, "stats.parking.expired"),
		sw_field_num(stats, "stats.parking.over_bound"));
	sw_run_free(&r);
	flood_cleanup();
}

Test(flood, sigterm_stops_the_sensor_within_a_second, .timeout = 120,
     .fini = flood_cleanup)
{
	struct flood *f = malloc(sizeof(*f));
	const char *args[] = {
		"--no-scan", "--log-dir", NULL, NULL,
	};
	long t_term, took, deadline;
	int status = 0;
	struct sw_run r;
	pid_t got = 0;

	cr_assert_not_null(f);
	flood_setup(f);
	args[2] = f->logs;
	sw_run_start(&r, args);
	flood_start(f, 1000);
	flood_stop(f);
	flood_wait_running(f);
	/* in the thick of it */
	t_term = sw_now_ms();
	kill(r.pid, SIGTERM);
	deadline = t_term + 30000;
	while ((got = waitpid(r.pid, &status, WNOHANG)) == 0 &&
	       sw_now_ms() < deadline)
		usleep(5000);
	took = sw_now_ms() - t_term;
	cr_assert_eq(got, r.pid, "the sensor did not stop within 30 s of SIGTERM");
	r.stopped = true;
	r.status = status;
	sw_run_read(&r);
	fprintf(stderr, "flood: SIGTERM stopped the sensor in %ld ms\n", took);
	cr_assert_leq(took, STOP_MS, "SIGTERM under the flood took %ld ms",
		      took);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "sensor exit %d: %s", status, sw_run_stderr(&r));
	cr_assert_not_null(last_of(&r, "stop"), "no stop record");
	sw_assert_str(last_of(&r, "stop"), "reason", "signal", "stop");
	sw_run_free(&r);
	flood_cleanup();
}
