// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * shellwatch: report every shell process started on this node, as JSON
 * lines on stdout. Lifecycle: parse options, check privileges, open, set
 * rodata, load, attach, say start, scan /proc, loop, say stop, clean up.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include "cgroups.h"
#include "clock.h"
#include "events.h"
#include "health.h"
#include "identity.h"
#include "exec_id.h"
#include "metrics.h"
#include "options.h"
#include "pins.h"
#include "privs.h"
#include "sandbox.h"
#include "output.h"
#include "judge.h"
#include "procscan.h"
#include "verdicts.h"
#include "record.h"
#include "replay.h"
#include "rule_fields.h"
#include "rules.h"
#include "sensor.h"
#include "shells.h"
#include "tap.h"
#include "tracker.h"
#include "window.h"

#ifndef SHELLWATCH_VERSION
#define SHELLWATCH_VERSION "0.0.0"
#endif

/* how often the loop wakes with nothing to do: clock sync, loss, duration */
#define TICK_NS		(NSEC_PER_SEC / 4)
/* the output queue of a replay, at least */
#define REPLAY_QUEUE_BYTES	(64U << 20)
/* how long a stop waits for a slow reader to take the last records */
#define STOP_DRAIN_MS	800
/* how long a window edge, a reload or the stop reads the ring buffer for
 * what came before it */
#define RING_DRAIN_MS	100

struct daemon {
	struct sw_opts opts;
	struct sw_context ctx;
	struct output out;
	struct pretty pretty;	/* --format pretty */
	struct users users;	/* user and group names, per mount namespace */
	struct events ev;
	struct tracker tracker;
	struct identity identity;
	struct sensor sensor;
	struct pins pins;
	struct metrics metrics;
	struct verdicts verdicts;	/* content verdicts by inode */
	struct judge judge;
	struct tap tap;			/* --record, else a pass-through */
	char host_name[OPT_NAME_LEN];
	char boot_id[16];
	char v1_name[32];
	char v2_mount[256];
	int v1_subsys;
	struct health health;
	int sig_fd, timer_fd, window_fd, epoll_fd, lock_fd, identity_fd;
	uint64_t window_ns;
	uint64_t next_stats_ns;		/* CLOCK_BOOTTIME of the next heartbeat */
	uint64_t reloads_refused;	/* SIGHUPs whose rules did not load */
};

static int setup_context(struct daemon *d)
{
	int err;

	err = users_init(&d->users);
	if (err)
		return err;

	if (gethostname(d->host_name, sizeof(d->host_name) - 1))
		snprintf(d->host_name, sizeof(d->host_name), "unknown");
	err = exec_id_boot_id(d->boot_id, sizeof(d->boot_id));
	if (err) {
		fprintf(stderr, "shellwatch: cannot read the boot id: %s\n",
			strerror(-err));
		return err;
	}
	d->ctx = (struct sw_context){
		.format = d->opts.format,
		.fields = d->opts.window_fields,
		.host_name = d->host_name,
		.node_name = d->opts.node_name,
		.cluster_name = d->opts.cluster_name,
		.boot_id = d->boot_id,
		.boot_offset = clock_boot_offset(),
		.shells = &d->opts.shells,
		.users = &d->users,
	};

	d->v1_subsys = cgroups_v1_pick("/proc/cgroups", d->v1_name,
				       sizeof(d->v1_name));
	if (d->v1_subsys < 0)
		d->v1_name[0] = '\0';
	if (cgroups_v2_mount("/proc/self/mountinfo", d->v2_mount,
			     sizeof(d->v2_mount)))
		d->v2_mount[0] = '\0';
	if (d->opts.verbose)
		fprintf(stderr, "shellwatch: cgroup v2 at '%s', v1 controller '%s'\n",
			d->v2_mount, d->v1_name);
	return 0;
}

/*
 * what came before now through the pipeline: the ring buffer read until it
 * is empty (for RING_DRAIN_MS at most, in batches), then every parked
 * record with the names known
 */
static int drain(struct daemon *d)
{
	uint64_t until = clock_boot_now() + RING_DRAIN_MS * (NSEC_PER_SEC / 1000);
	int n;

	do {
		n = sensor_consume(&d->sensor, SENSOR_BATCH);
		if (n < 0)
			return n;
	} while (n == SENSOR_BATCH && clock_boot_now() < until);
	n = events_flush(&d->ev);
	return n < 0 ? n : 0;
}

/* wake at the next wall-clock multiple of the window */
static int arm_window(struct daemon *d)
{
	uint64_t next = window_next_edge(clock_real_now(), d->window_ns);
	struct itimerspec its = {
		.it_value = {
			.tv_sec = next / NSEC_PER_SEC,
			.tv_nsec = next % NSEC_PER_SEC,
		},
	};

	return timerfd_settime(d->window_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* read every tracked process's counters and end the pass */
static int sample(struct daemon *d, uint64_t edge_real,
		  enum tracker_pass pass)
{
	uint64_t now = clock_boot_now();
	int err;

	tap_sample_begin(&d->tap);
	err = sensor_sample(&d->sensor, tap_on_sample, &d->tap);
	if (err) {
		fprintf(stderr, "shellwatch: cannot sample tracked processes: %s\n",
			strerror(-err));
		return 0;
	}
	return tap_sample_end(&d->tap, now, edge_real - d->ctx.boot_offset,
			      pass);
}

/* a window edge: exits before it first, then every process's window */
static int window_edge(struct daemon *d)
{
	uint64_t expirations, edge;
	int err;

	if (read(d->window_fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return -errno;
	edge = window_floor(clock_real_now(), d->window_ns);
	/* execs before the edge are tracked before it is sampled */
	err = drain(d);
	if (err < 0)
		return err;
	err = sample(d, edge, TRACKER_EDGE);
	if (err)
		return err;
	return arm_window(d) ? -errno : 0;
}

/* signals arrive on a fd so that the loop handles them in order */
static int setup_fds(struct daemon *d)
{
	struct itimerspec its = {
		.it_interval = { 0, TICK_NS },
		.it_value = { 0, TICK_NS },
	};
	struct epoll_event e = { .events = EPOLLIN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	/* a closed stdout is an error from write(), not a silent death */
	signal(SIGPIPE, SIG_IGN);

	d->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	/* window edges are wall-clock multiples, like Splunk's span buckets */
	d->window_fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	d->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (d->sig_fd < 0 || d->timer_fd < 0 || d->window_fd < 0 ||
	    d->epoll_fd < 0)
		return -errno;
	if (timerfd_settime(d->timer_fd, 0, &its, NULL) || arm_window(d))
		return -errno;

	e.data.fd = d->sig_fd;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, d->sig_fd, &e))
		return -errno;
	e.data.fd = d->timer_fd;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, d->timer_fd, &e))
		return -errno;
	e.data.fd = d->window_fd;
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, d->window_fd, &e))
		return -errno;
	d->identity_fd = identity_fd(&d->identity);
	e.data.fd = d->identity_fd;
	if (d->identity_fd >= 0 &&
	    epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, d->identity_fd, &e))
		return -errno;
	e.data.fd = sensor_fd(&d->sensor);
	if (epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, e.data.fd, &e))
		return -errno;
	return 0;
}

static void say_start(struct daemon *d)
{
	struct sw_sensor_info info = {
		.version = SHELLWATCH_VERSION,
		.format = d->opts.format == SW_FORMAT_HEC ? "hec" :
			  d->opts.format == SW_FORMAT_PRETTY ? "pretty" : "json",
		.cgroup_v1_controller = d->v1_name[0] ? d->v1_name : NULL,
		.ringbuf_bytes = d->opts.ringbuf_bytes,
	};
	uint64_t seq;
	struct jsonw *w = output_next(&d->out, &seq);

	record_start(w, &d->ctx, &info, seq);
	output_commit_urgent(&d->out);
}

/* the inode of the sensor's own pid namespace, 0 when unknown */
static uint32_t own_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) ? 0 : (uint32_t)st.st_ino;
}

/* what the daemon knows of itself now */
static void health_now(struct daemon *d, struct health_in *in)
{
	struct pod_index_stats links;

	memset(in, 0, sizeof(*in));
	/* a replay has no kernel side: its counters read 0 */
	if (d->sensor.skel)
		sensor_stats(&d->sensor, in->kstats);
	/* shells are the kernel's and the candidates judged shells */
	in->kstats[SW_STAT_SHELLS] += d->ev.candidate_shells;
	in->queue_dropped = d->out.dropped;
	in->malformed = d->ev.malformed + d->out.failed;
	in->exec_dropped = d->ev.exec_dropped;
	in->reported = d->ev.reported;
	in->windows = d->tracker.windows;
	in->exits = d->tracker.exits;
	in->tracked = tracker_count(&d->tracker);
	in->queue_bytes = output_pending(&d->out);
	in->ringbuf_bytes = d->opts.ringbuf_bytes;
	in->suppressed = d->ev.suppressed;
	in->commands = d->ev.commands;
	in->commands_suppressed = d->ev.commands_suppressed;
	in->commands_dropped = d->ev.commands_dropped;
	in->rules = d->ev.rules;
	identity_stats(&d->identity, &links, &in->names_refused);
	in->log_links = links.indexed;
	in->log_link_conflicts = links.conflicts;
	in->log_link_over_limit = links.over_limit;
	in->judge = &d->judge.st;
	in->verdicts = &d->verdicts.st;
	in->verdicts_cached = d->verdicts.n;
	in->candidates_untracked = d->ev.candidates_untracked;
	in->park = &d->ev.park.st;
	in->parked = park_count(&d->ev.park);
	in->parked_bytes = park_bytes(&d->ev.park);
	in->tracked_kernel = sensor_tracked(&d->sensor);
	in->track_max = d->opts.track_max;
	in->table_max = d->tracker.max;
	in->table_over_limit = d->tracker.over_limit;
	in->reloads_refused = d->reloads_refused;
}

static void metrics_fill(void *ctx, struct health_in *in)
{
	health_now(ctx, in);
}

/* a loss record when anything was lost; a stats record when due */
static void check_health(struct daemon *d, bool stats_due)
{
	struct health_in in;

	health_now(d, &in);
	health_loss(&d->health, &d->out, &d->ctx, &in);
	health_say_bounds(&d->health, &in);
	if (stats_due)
		health_stats(&d->health, &d->out, &d->ctx, &in);
}

static void say_stop(struct daemon *d, const char *reason)
{
	struct sw_stop_info info = { .reason = reason };
	struct health_in in;
	uint64_t losses[LOSS_COUNT], seq;
	struct jsonw *w;
	int i;

	health_now(d, &in);
	health_losses(&in, losses);
	info.execs = in.kstats[SW_STAT_EXECS];
	info.shells = in.kstats[SW_STAT_SHELLS];
	info.reported = in.reported;
	info.malformed = in.malformed;
	for (i = 0; i < LOSS_COUNT; i++)
		info.lost += losses[i];
	w = output_next(&d->out, &seq);
	record_stop(w, &d->ctx, &info, seq);
	output_commit_urgent(&d->out);
}

static int scan_running(struct daemon *d)
{
	char ns_v2[SW_PATH_TEXT(SW_CGROUP_MAX)], ns_v1[sizeof(ns_v2)];
	struct procscan_opts opts = {
		.proc = "/proc",
		.cgroup_v2_mount = d->v2_mount[0] ? d->v2_mount : NULL,
		.cgroup_v1_name = d->v1_name[0] ? d->v1_name : NULL,
		.cgroupns_v2 = ns_v2,
		.cgroupns_v1 = ns_v1,
		.judge = &d->judge,
		.host = &d->sensor.host,
	};
	int err;

	/* /proc's cgroup paths are relative to our cgroup namespace */
	err = sensor_cgroupns_root(&d->sensor, ns_v2, sizeof(ns_v2), ns_v1,
				   sizeof(ns_v1));
	if (err) {
		fprintf(stderr, "shellwatch: cannot read the cgroup namespace's root: %s; shells found at start in other cgroup namespaces may lack their pod\n",
			strerror(-err));
		ns_v2[0] = ns_v1[0] = '\0';
	} else if (d->opts.verbose) {
		fprintf(stderr, "shellwatch: cgroup namespace root: v2 %s, v1 %s\n",
			ns_v2[0] ? ns_v2 : "-", ns_v1[0] ? ns_v1 : "-");
	}
	err = procscan_all(&opts, &d->opts.shells, tap_on_found, &d->tap);
	tap_scan_end(&d->tap);
	/* the found shells' first windows start now */
	sample(d, 0, TRACKER_BASELINE);
	if (err)
		fprintf(stderr, "shellwatch: cannot scan /proc for running shells: %s\n",
			strerror(-err));
	/* the sensor runs on without the scan */
	return 0;
}

/* load the allowlist; 0, or -errno after saying FILE:LINE:COLUMN: why */
static int load_rules(struct daemon *d, struct ruleset **out)
{
	char err[512];

	*out = rule_fields_load(d->opts.rules, err, sizeof(err));
	if (*out)
		return 0;
	fprintf(stderr, "shellwatch: %s\n", err);
	return -EINVAL;
}

/* SIGHUP: new rules for every exec from now on; bad ones keep the old */
static void reload_rules(struct daemon *d)
{
	struct ruleset *rs;

	if (!d->opts.rules[0])
		return;
	/* execs before the reload are judged by the rules they met */
	drain(d);
	if (load_rules(d, &rs)) {
		d->reloads_refused++;
		fprintf(stderr, "shellwatch: kept the %zu rules in force\n",
			rules_count(d->ev.rules));
		return;
	}
	rules_free(d->ev.rules);
	d->ev.rules = rs;
	tap_rules(&d->tap, d->opts.rules);
	fprintf(stderr, "shellwatch: loaded %zu rules from %s\n",
		rules_count(rs), d->opts.rules);
}

/* a signal that ends the loop returns its reason; SIGHUP reloads */
static const char *read_signal(struct daemon *d)
{
	struct signalfd_siginfo si;

	if (read(d->sig_fd, &si, sizeof(si)) != sizeof(si))
		return NULL;
	if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM)
		return "signal";
	if (si.ssi_signo == SIGHUP)
		reload_rules(d);
	return NULL;
}

/* poll the index's inotify fd once it exists */
static void watch_identity(struct daemon *d)
{
	struct epoll_event e = { .events = EPOLLIN };
	int fd = identity_fd(&d->identity);

	if (fd < 0 || fd == d->identity_fd)
		return;
	e.data.fd = fd;
	if (!epoll_ctl(d->epoll_fd, EPOLL_CTL_ADD, fd, &e))
		d->identity_fd = fd;
}

/* the 250 ms tick: clock sync, loss records, heartbeat */
static int tick(struct daemon *d)
{
	uint64_t expirations, now = clock_boot_now();
	bool stats_due = now >= d->next_stats_ns;

	if (read(d->timer_fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return -errno;
	/* follow NTP steps of the wall clock */
	d->ctx.boot_offset = clock_boot_offset();
	tap_time(&d->tap, d->ctx.boot_offset);
	tap_flush(&d->tap);
	/* a log directory that was missing, or went away, may be back */
	if (!identity_indexed(&d->identity))
		identity_update(&d->identity);
	watch_identity(d);
	if (stats_due)
		d->next_stats_ns = now + d->opts.heartbeat * NSEC_PER_SEC;
	check_health(d, stats_due);
	pins_beat(&d->pins, &d->sensor, now);
	metrics_expire(&d->metrics);
	return 0;
}

/*
 * how long the loop may sleep: not at all while records wait in the ring
 * buffer or the park, until the oldest parked record's deadline, 20 ms for
 * a stalled reader, else until something happens
 */
static int loop_timeout(struct daemon *d, bool more)
{
	uint64_t due = events_next_deadline(&d->ev), now;
	int timeout = output_pending(&d->out) ? 20 : -1;
	uint64_t ms;

	if (more)
		return 0;
	if (due) {
		now = clock_boot_now();
		ms = due > now ? (due - now + NSEC_PER_SEC / 1000 - 1) /
				 (NSEC_PER_SEC / 1000) : 0;
		if (timeout < 0 || ms < (uint64_t)timeout)
			timeout = (int)ms;
	}
	return timeout;
}

static int loop(struct daemon *d, const char **reason)
{
	uint64_t deadline = 0;
	struct epoll_event evs[4];
	int n, i, err, timeout;
	bool more = false;

	if (d->opts.duration > 0)
		deadline = clock_boot_now() +
			   (uint64_t)(d->opts.duration * NSEC_PER_SEC);
	d->next_stats_ns = clock_boot_now() + d->opts.heartbeat * NSEC_PER_SEC;
	for (;;) {
		/* sleep only when nothing waits: records, parked ones, a
		 * stalled reader (tried again soon, never blocked on) */
		timeout = loop_timeout(d, more);
		n = epoll_wait(d->epoll_fd, evs, 4, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* what follows happened at this time */
		if (n > 0)
			tap_time(&d->tap, d->ctx.boot_offset);
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == d->sig_fd) {
				*reason = read_signal(d);
				if (*reason)
					return 0;
			} else if (evs[i].data.fd == d->timer_fd) {
				err = tick(d);
				if (err)
					return err;
			} else if (evs[i].data.fd == d->window_fd) {
				err = window_edge(d);
				if (err)
					return err;
			} else if (evs[i].data.fd == d->identity_fd) {
				identity_update(&d->identity);
			} else {
				metrics_handle(&d->metrics, evs[i].data.fd,
					       evs[i].events);
			}
		}
		/*
		 * one batch of records, then the parked ones that may go: a
		 * flood never keeps signals, ticks and output waiting
		 */
		n = sensor_consume(&d->sensor, SENSOR_BATCH);
		if (n < 0)
			return n;
		more = n == SENSOR_BATCH;
		n = events_release(&d->ev, SENSOR_BATCH);
		if (n < 0)
			return n;
		more |= n == SENSOR_BATCH;
		err = output_flush(&d->out);
		if (err)
			return err;
		if (deadline && clock_boot_now() >= deadline) {
			*reason = "duration";
			return 0;
		}
	}
}

/* one sensor per node: a second one would double every record */
static int take_lock(struct daemon *d)
{
	char pid[32];
	int fd, err, n;

	fd = open(d->opts.lock_file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot open the lock file %s: %s\n",
			d->opts.lock_file, strerror(-err));
		return err;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (err == -EWOULDBLOCK)
			fprintf(stderr, "shellwatch: another shellwatch (pid %s) runs on this node and holds %s: stop it first\n",
				pid[0] ? pid : "?", d->opts.lock_file);
		else
			fprintf(stderr, "shellwatch: cannot lock %s: %s\n",
				d->opts.lock_file, strerror(-err));
		close(fd);
		return err == -EWOULDBLOCK ? -EBUSY : err;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, n, 0) != n)
		fprintf(stderr, "shellwatch: cannot write the pid into %s\n",
			d->opts.lock_file);
	d->lock_fd = fd;
	return 0;
}

static void report_write_error(int err)
{
	if (err == -EPIPE)
		fprintf(stderr, "shellwatch: stdout was closed (EPIPE): stopping\n");
	else
		fprintf(stderr, "shellwatch: cannot write to stdout: %s\n",
			strerror(-err));
}

/* after a clean loop: final windows, losses, stats, stop, all written */
static int finish(struct daemon *d, const char *reason)
{
	int err;

	/* what the kernel sent before the stop is still reported */
	err = drain(d);
	if (err < 0)
		return err;
	sample(d, 0, TRACKER_FINAL);
	err = tap_close(&d->tap);
	if (err)
		fprintf(stderr, "shellwatch: cannot finish the recording %s: %s\n",
			d->opts.record, strerror(-err));
	check_health(d, true);
	say_stop(d, reason);
	return output_drain(&d->out, STOP_DRAIN_MS);
}

/* --record: the facts the pipeline starts from, then every input */
static int start_recording(struct daemon *d)
{
	struct rec_facts *f = calloc(1, sizeof(*f));
	long hz = sysconf(_SC_CLK_TCK);
	int err;

	if (!f)
		return -ENOMEM;
	f->mem_total = d->tracker.mem_total;
	f->page_size = d->tracker.page_size;
	f->clk_tck = hz > 0 ? hz : 100;
	f->window_ns = d->window_ns;
	f->ringbuf_bytes = d->opts.ringbuf_bytes;
	f->boot_offset = d->ctx.boot_offset;
	f->boot_ns = clock_boot_now();
	f->real_ns = clock_real_now();
	f->ncpu = d->tracker.ncpu;
	f->exec_event_size = sizeof(struct sw_exec_event);
	f->proc_event_size = sizeof(struct sw_proc_event);
	f->flags = (d->opts.all_windows ? REC_F_ALL_WINDOWS : 0) |
		   (d->opts.show_suppressed ? REC_F_SHOW_SUPPRESSED : 0) |
		   (d->opts.trail ? REC_F_TRAIL : 0) |
		   (d->opts.scan ? REC_F_SCAN : 0);
	snprintf(f->host_name, sizeof(f->host_name), "%s", d->host_name);
	snprintf(f->node_name, sizeof(f->node_name), "%s", d->opts.node_name);
	snprintf(f->cluster_name, sizeof(f->cluster_name), "%s",
		 d->opts.cluster_name);
	snprintf(f->boot_id, sizeof(f->boot_id), "%s", d->boot_id);
	snprintf(f->v1_name, sizeof(f->v1_name), "%s", d->v1_name);
	snprintf(f->v2_mount, sizeof(f->v2_mount), "%s", d->v2_mount);
	shells_format(&d->opts.shells, f->shells, sizeof(f->shells));
	snprintf(f->version, sizeof(f->version), "%s", SHELLWATCH_VERSION);
	err = tap_open(&d->tap, d->opts.record, f);
	free(f);
	if (err) {
		fprintf(stderr, "shellwatch: cannot record into %s: %s\n",
			d->opts.record, strerror(-err));
		return err;
	}
	d->identity.links = tap_link;
	d->identity.links_ctx = &d->tap;
	d->ev.verdict_fn = tap_verdict;
	d->ev.verdict_ctx = &d->tap;
	d->ev.heard_fn = tap_ring;
	d->ev.heard_ctx = &d->tap;
	if (d->opts.rules[0])
		tap_rules(&d->tap, d->opts.rules);
	return 0;
}

/* the daemon's context as the recording's facts say it was */
static void replay_context(struct daemon *d, const struct rec_facts *f)
{
	char msg[128];

	snprintf(d->host_name, sizeof(d->host_name), "%s", f->host_name);
	snprintf(d->boot_id, sizeof(d->boot_id), "%s", f->boot_id);
	snprintf(d->v1_name, sizeof(d->v1_name), "%s", f->v1_name);
	snprintf(d->v2_mount, sizeof(d->v2_mount), "%s", f->v2_mount);
	snprintf(d->opts.node_name, sizeof(d->opts.node_name), "%s",
		 f->node_name);
	snprintf(d->opts.cluster_name, sizeof(d->opts.cluster_name), "%s",
		 f->cluster_name);
	/* replay_open checked that it parses */
	shells_parse(&d->opts.shells, f->shells, msg, sizeof(msg));
	d->opts.all_windows |= !!(f->flags & REC_F_ALL_WINDOWS);
	d->opts.show_suppressed |= !!(f->flags & REC_F_SHOW_SUPPRESSED);
	d->opts.trail = !!(f->flags & REC_F_TRAIL);
	d->window_ns = f->window_ns;
	/* --format and --window-fields are the replay's, as output options */
	d->ctx = (struct sw_context){
		.format = d->opts.format,
		.fields = d->opts.window_fields,
		.host_name = d->host_name,
		.node_name = d->opts.node_name,
		.cluster_name = d->opts.cluster_name,
		.boot_id = d->boot_id,
		.boot_offset = f->boot_offset,
		.shells = &d->opts.shells,
	};
	clock_replay(f->boot_ns, f->real_ns);
}

/*
 * --replay: the recorded inputs through the same pipeline, no kernel
 * side; 0, 1 for a runtime failure, 2 for a recording it refuses
 */
static int replay_main(struct daemon *d)
{
	struct replay rp;
	int err;

	err = replay_open(&rp, d->opts.replay);
	if (err) {
		fprintf(stderr, "shellwatch: --replay %s: %s\n", d->opts.replay,
			rp.err);
		replay_close(&rp);
		rules_free(d->ev.rules);
		return 2;
	}
	replay_context(d, &rp.facts);
	/* a closed stdout is an error from write(), as in a live run */
	signal(SIGPIPE, SIG_IGN);
	/* one edge of a full process table writes ~20 MB at once: the
	 * replay waits for its reader, it never drops */
	err = output_init(&d->out, STDOUT_FILENO,
			  d->opts.queue_bytes > REPLAY_QUEUE_BYTES ?
			  d->opts.queue_bytes : REPLAY_QUEUE_BYTES);
	if (!err && d->opts.format == SW_FORMAT_PRETTY) {
		err = pretty_init(&d->pretty, pretty_want_colour(STDOUT_FILENO));
		output_set_view(&d->out, &d->pretty);
	}
	if (!err)
		err = events_init(&d->ev, &d->out, &d->ctx, d->ev.rules);
	if (!err)
		err = tracker_init(&d->tracker, &d->out, &d->ctx, d->window_ns,
				   d->opts.all_windows);
	if (err) {
		fprintf(stderr, "shellwatch: out of memory\n");
		goto cleanup;
	}
	/* no log directory: the recorded links answer */
	d->identity.fd = -1;
	d->ev.tracker = &d->tracker;
	d->ev.identity = &d->identity;
	d->ev.show_suppressed = d->opts.show_suppressed;
	d->tracker.identity = &d->identity;
	d->tracker.show_suppressed = d->opts.show_suppressed;
	d->tracker.trail = d->opts.trail;
	rp.ev = &d->ev;
	rp.tr = &d->tracker;
	rp.ctx = &d->ctx;
	rp.out = &d->out;
	rp.own_rules = d->opts.rules[0];
	replay_attach(&rp, &d->identity);

	say_start(d);
	err = replay_run(&rp);
	if (!err) {
		check_health(d, true);
		say_stop(d, "replay");
	}
	if (!d->out.err) {
		int derr = output_drain(&d->out, 60000);

		if (!err)
			err = derr;
	}
	if (err == -EBADMSG)
		fprintf(stderr, "shellwatch: --replay %s: %s\n", d->opts.replay,
			rp.err);
	else if (d->out.err)
		report_write_error(d->out.err);
	else if (err)
		fprintf(stderr, "shellwatch: replay stopped: %s\n",
			strerror(-err));

cleanup:
	replay_close(&rp);
	tracker_destroy(&d->tracker);
	identity_destroy(&d->identity);
	rules_free(d->ev.rules);
	events_destroy(&d->ev);
	output_destroy(&d->out);
	pretty_destroy(&d->pretty);
	if (err == -EBADMSG)
		return 2;
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct daemon *d;
	const char *reason = NULL;
	struct sensor_opts sopts;
	int err;

	d = calloc(1, sizeof(*d));
	if (!d) {
		fprintf(stderr, "shellwatch: out of memory\n");
		return 1;
	}
	d->sig_fd = d->timer_fd = d->window_fd = d->epoll_fd = d->lock_fd = -1;
	d->identity_fd = -1;
	pins_close(&d->pins);
	metrics_reset(&d->metrics);

	err = opts_parse(&d->opts, argc, argv, stdout, stderr);
	if (err) {
		free(d);
		return err == OPTS_EXIT ? 0 : 2;
	}
	if (d->opts.check) {
		err = pins_check(d->opts.pin_path, PINS_CHECK_AGE, stdout, stderr);
		free(d);
		return err;
	}
	/* a bad rules file is a configuration error: exit 2 */
	if (d->opts.rules[0] && load_rules(d, &d->ev.rules)) {
		free(d);
		return 2;
	}
	if (d->opts.replay[0]) {
		err = replay_main(d);
		free(d);
		return err;
	}
	d->ev.show_suppressed = d->opts.show_suppressed;
	err = privs_check(PRIVS_NEED_LOAD |
			  (d->opts.scan ? PRIVS_NEED_SCAN : 0) |
			  (d->opts.drop_privs ? PRIVS_NEED_DROP : 0));
	if (!err)
		err = sensor_preflight();
	if (!err)
		err = take_lock(d);
	if (!err)
		err = setup_context(d);
	if (err)
		goto cleanup;
	d->window_ns = d->opts.window * NSEC_PER_SEC;
	err = output_init(&d->out, STDOUT_FILENO, d->opts.queue_bytes);
	if (!err && d->opts.format == SW_FORMAT_PRETTY) {
		err = pretty_init(&d->pretty, pretty_want_colour(STDOUT_FILENO));
		output_set_view(&d->out, &d->pretty);
	}
	if (!err)
		err = events_init(&d->ev, &d->out, &d->ctx, d->ev.rules);
	if (!err)
		err = tracker_init(&d->tracker, &d->out, &d->ctx, d->window_ns,
				   d->opts.all_windows);
	/* as many again as the kernel holds, whose end was lost */
	d->tracker.max = 2 * (size_t)d->opts.track_max;
	if (!err)
		err = identity_init(&d->identity, d->opts.log_dir);
	if (!err)
		err = verdicts_init(&d->verdicts, -1);
	judge_init(&d->judge, &d->opts.shells, &d->verdicts, "/proc");
	d->judge.verbose = d->opts.verbose > 0;
	if (!err && d->opts.record[0])
		err = start_recording(d);
	d->ev.tracker = &d->tracker;
	d->ev.sensor = &d->sensor;
	d->ev.identity = &d->identity;
	d->tracker.identity = &d->identity;
	d->tracker.show_suppressed = d->opts.show_suppressed;
	d->tracker.trail = d->opts.trail;
	d->tracker.session_fn = tap_session;
	d->tracker.session_ctx = &d->tap;
	d->tap.ev = &d->ev;
	d->tap.tr = &d->tracker;
	d->tap.sensor = &d->sensor;
	d->ev.show_suppressed = d->opts.show_suppressed;
	if (err == -ENOMEM)
		fprintf(stderr, "shellwatch: out of memory\n");
	if (err)
		goto cleanup;

	sopts = (struct sensor_opts){
		.shells = &d->opts.shells,
		.cgroup_v1_subsys = d->v1_subsys,
		.pidns = own_pidns(),
		.ringbuf_bytes = d->opts.ringbuf_bytes,
		.verbose = d->opts.verbose > 0,
		.trail = d->opts.trail,
		.trail_rate = d->opts.trail_rate,
		.trail_max = d->opts.trail_max,
		.trail_depth = d->opts.trail_depth,
		.track_max = d->opts.track_max,
	};
	/* bpffs is mounted and pinned to before privileges go */
	err = pins_prepare(&d->pins, d->opts.pin_path);
	if (err)
		goto cleanup;
	err = sensor_open(&d->sensor, &sopts, events_on_ring, &d->ev);
	if (!err)
		err = pins_add(&d->pins, &d->sensor);
	if (err)
		goto cleanup;
	/* verdicts reach the kernel from here: later execs decided there */
	d->verdicts.map_fd = sensor_verdicts_fd(&d->sensor);
	d->ev.judge = &d->judge;
	err = setup_fds(d);
	if (err) {
		fprintf(stderr, "shellwatch: cannot set up signals and timers: %s\n",
			strerror(-err));
		goto cleanup;
	}
	err = metrics_init(&d->metrics, d->opts.metrics, d->epoll_fd,
			   metrics_fill, d, SHELLWATCH_VERSION);
	if (err)
		goto cleanup;

	/* every program is attached: from here no shell goes unseen */
	tap_time(&d->tap, d->ctx.boot_offset);
	say_start(d);
	err = output_flush(&d->out);
	if (!err && d->opts.scan)
		err = scan_running(d);
	/* the steady state needs only bpf(): keep nothing else */
	if (!err && d->opts.drop_privs) {
		err = privs_drop();
		if (err)
			fprintf(stderr, "shellwatch: cannot drop capabilities: %s\n",
				strerror(-err));
	}
	if (!err && d->opts.seccomp) {
		struct sandbox_opts so = {};

		pins_dir_fds(&d->pins, so.unlink_dirs);
		so.serve = metrics_on(&d->metrics);
		err = sandbox_enter(&so);
		if (err)
			fprintf(stderr, "shellwatch: cannot install the seccomp filter: %s\n",
				strerror(-err));
	}
	if (!err)
		err = loop(d, &reason);
	if (!err)
		err = finish(d, reason);
	if (d->out.err)
		report_write_error(d->out.err);
	else if (err == -ETIMEDOUT)
		fprintf(stderr, "shellwatch: stdout took no more records for %d ms: stopping with %zu bytes unwritten\n",
			STOP_DRAIN_MS, output_pending(&d->out));
	else if (err)
		fprintf(stderr, "shellwatch: stopped: %s\n", strerror(-err));

cleanup:
	tap_close(&d->tap);
	metrics_destroy(&d->metrics);
	pins_remove(&d->pins);
	sensor_close(&d->sensor);
	tracker_destroy(&d->tracker);
	identity_destroy(&d->identity);
	verdicts_destroy(&d->verdicts);
	rules_free(d->ev.rules);
	events_destroy(&d->ev);
	output_destroy(&d->out);
	pretty_destroy(&d->pretty);
	users_destroy(&d->users);
	if (d->epoll_fd >= 0)
		close(d->epoll_fd);
	if (d->timer_fd >= 0)
		close(d->timer_fd);
	if (d->window_fd >= 0)
		close(d->window_fd);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	free(d);
	return err ? 1 : 0;
}
