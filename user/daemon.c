// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * the daemon's set-up and tear-down: context, stages wired in pipeline
 * order, the sensor, pins, the loop's table of fds and handlers
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cgroups.h"
#include "clock.h"
#include "daemon.h"
#include "exec_id.h"
#include "identity_watch.h"
#include "lock.h"
#include "privs.h"
#include "recorder.h"
#include "rules.h"
#include "sandbox.h"
#include "signals.h"
#include "start_scan.h"
#include "status.h"
#include "timers.h"

struct daemon *daemon_new(void)
{
	struct daemon *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->sig_fd = d->timer_fd = d->window_fd = d->lock_fd = -1;
	d->identity_fd = -1;
	loop_reset(&d->loop);
	pins_close(&d->pins);
	metrics_reset(&d->metrics);
	return d;
}

void daemon_context(struct daemon *d, uint64_t boot_offset)
{
	d->ctx = (struct sw_context){
		.format = d->opts.format,
		.fields = d->opts.fields,
		.host_name = d->host_name,
		.node_name = d->opts.node_name,
		.cluster_name = d->opts.cluster_name,
		.boot_id = d->boot_id,
		.boot_offset = boot_offset,
		.shells = &d->opts.shells,
	};
}

/* the names and facts every record carries */
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
	daemon_context(d, clock_boot_offset());
	d->ctx.users = &d->users;

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

int daemon_stages(struct daemon *d, size_t queue_bytes)
{
	int err;

	err = output_init(&d->out, STDOUT_FILENO, queue_bytes);
	if (!err && d->opts.format == SW_FORMAT_PRETTY) {
		err = pretty_init(&d->pretty, pretty_want_colour(STDOUT_FILENO));
		output_set_view(&d->out, &d->pretty);
	}
	if (!err)
		err = events_init(&d->ev, &d->out, &d->ctx, d->ev.rules);
	track_records_init(&d->track_records, &d->out, &d->ctx);
	if (!err)
		err = tracker_init(&d->tracker, &d->track_records.sink, &d->ctx,
				   d->window_ns, d->opts.all_windows);
	return err;
}

/* the live stages, wired in the pipeline's order */
static int setup_stages(struct daemon *d)
{
	int err;

	d->window_ns = d->opts.window * NSEC_PER_SEC;
	err = daemon_stages(d, d->opts.queue_bytes);
	/* as many again as the kernel holds, whose end was lost */
	d->tracker.max = 2 * (size_t)d->opts.track_max;
	if (!err)
		err = identity_init(&d->identity, d->opts.log_dir);
	if (!err)
		err = verdicts_init(&d->verdicts, -1);
	judge_init(&d->judge, &d->opts.shells, &d->verdicts, "/proc");
	d->judge.verbose = d->opts.verbose > 0;
	if (!err && d->opts.record[0])
		err = recorder_start(d);
	d->ev.tracker = &d->tracker;
	d->ev.sensor = &d->sensor;
	d->ev.identity = &d->identity;
	d->track_records.identity = &d->identity;
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
	return err;
}

/* the inode of the sensor's own pid namespace, 0 when unknown */
static uint32_t own_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) ? 0 : (uint32_t)st.st_ino;
}

/* the kernel side, loaded, attached and pinned */
static int setup_sensor(struct daemon *d)
{
	struct sensor_opts sopts = {
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
	int err;

	/* bpffs is mounted and pinned to before privileges go */
	err = pins_prepare(&d->pins, d->opts.pin_path);
	if (err)
		return err;
	err = sensor_open(&d->sensor, &sopts, events_on_ring, &d->ev);
	if (!err)
		err = pins_add(&d->pins, &d->sensor);
	if (err)
		return err;
	/* verdicts reach the kernel from here: later execs decided there */
	d->verdicts.map_fd = sensor_verdicts_fd(&d->sensor);
	d->ev.judge = &d->judge;
	return 0;
}

/* the ring buffer's fd only wakes the loop: its batch follows the handlers */
static int on_ring(void *ctx, int fd, uint32_t events)
{
	(void)ctx;
	(void)fd;
	(void)events;
	return 0;
}

/* the metrics endpoint's fds, which it puts on the loop's epoll fd */
static int on_metrics(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;

	metrics_handle(&d->metrics, fd, events);
	return 0;
}

/* the loop's table: signals, the tick, window edges, the log index, the
 * ring buffer; 0 or -errno */
static int setup_loop(struct daemon *d)
{
	int err;

	err = signals_open(d);
	if (!err)
		err = timers_open(d);
	if (!err)
		err = loop_init(&d->loop);
	if (err)
		return err;
	err = loop_add(&d->loop, d->sig_fd, signals_on_fd, d);
	if (!err)
		err = loop_add(&d->loop, d->timer_fd, timers_on_tick, d);
	if (!err)
		err = loop_add(&d->loop, d->window_fd, timers_on_window, d);
	if (!err)
		err = identity_watch(d);
	if (!err)
		err = loop_add(&d->loop, sensor_fd(&d->sensor), on_ring, d);
	loop_other(&d->loop, on_metrics, d);
	return err;
}

int daemon_open(struct daemon *d)
{
	int err;

	d->ev.show_suppressed = d->opts.show_suppressed;
	err = privs_check(PRIVS_NEED_LOAD |
			  (d->opts.scan ? PRIVS_NEED_SCAN : 0) |
			  (d->opts.drop_privs ? PRIVS_NEED_DROP : 0));
	if (!err)
		err = sensor_preflight();
	if (!err)
		err = lock_take(d);
	if (!err)
		err = setup_context(d);
	if (!err)
		err = setup_stages(d);
	if (!err)
		err = setup_sensor(d);
	if (err)
		return err;
	err = setup_loop(d);
	if (err) {
		fprintf(stderr, "shellwatch: cannot set up signals and timers: %s\n",
			strerror(-err));
		return err;
	}
	return metrics_init(&d->metrics, d->opts.metrics, d->loop.epoll_fd,
			    status_fill, d, SHELLWATCH_VERSION);
}

int daemon_start(struct daemon *d)
{
	int err;

	/* every program is attached: from here no shell goes unseen */
	tap_time(&d->tap, d->ctx.boot_offset);
	status_start(d);
	err = output_flush(&d->out);
	if (!err && d->opts.scan)
		err = start_scan(d);
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
	return err;
}

void daemon_stages_destroy(struct daemon *d)
{
	tracker_destroy(&d->tracker);
	identity_destroy(&d->identity);
	rules_free(d->ev.rules);
	events_destroy(&d->ev);
	output_destroy(&d->out);
	pretty_destroy(&d->pretty);
}

void daemon_free(struct daemon *d)
{
	tap_close(&d->tap);
	metrics_destroy(&d->metrics);
	pins_remove(&d->pins);
	sensor_close(&d->sensor);
	daemon_stages_destroy(d);
	verdicts_destroy(&d->verdicts);
	users_destroy(&d->users);
	loop_destroy(&d->loop);
	if (d->timer_fd >= 0)
		close(d->timer_fd);
	if (d->window_fd >= 0)
		close(d->window_fd);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
	free(d);
}
