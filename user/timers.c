// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the 250 ms tick and the window edges, both on timerfds in the loop */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/timerfd.h>
#include "clock.h"
#include "daemon.h"
#include "identity_watch.h"
#include "run.h"
#include "status.h"
#include "timers.h"
#include "window.h"

/* how often the loop wakes with nothing to do: clock sync, loss, duration */
#define TICK_NS		(NSEC_PER_SEC / 4)

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

int timers_open(struct daemon *d)
{
	struct itimerspec its = {
		.it_interval = { 0, TICK_NS },
		.it_value = { 0, TICK_NS },
	};

	d->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	/* window edges are wall-clock multiples, like Splunk's span buckets */
	d->window_fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->timer_fd < 0 || d->window_fd < 0)
		return -errno;
	if (timerfd_settime(d->timer_fd, 0, &its, NULL) || arm_window(d))
		return -errno;
	return 0;
}

int timers_sample(struct daemon *d, uint64_t edge_real,
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

int timers_on_window(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	uint64_t expirations, edge;
	int err;

	(void)events;
	if (read(fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return -errno;
	edge = window_floor(clock_real_now(), d->window_ns);
	/* execs before the edge are tracked before it is sampled */
	err = run_drain(d);
	if (err < 0)
		return err;
	err = timers_sample(d, edge, TRACKER_EDGE);
	if (err)
		return err;
	return arm_window(d) ? -errno : 0;
}

int timers_on_tick(void *ctx, int fd, uint32_t events)
{
	struct daemon *d = ctx;
	uint64_t expirations, now = clock_boot_now();
	bool stats_due = now >= d->next_stats_ns;

	(void)events;
	if (read(fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return -errno;
	/* follow NTP steps of the wall clock */
	d->ctx.boot_offset = clock_boot_offset();
	tap_time(&d->tap, d->ctx.boot_offset);
	tap_flush(&d->tap);
	/* a log directory that was missing, or went away, may be back */
	if (!identity_indexed(&d->identity))
		identity_update(&d->identity);
	identity_watch(d);
	if (stats_due)
		d->next_stats_ns = now + d->opts.heartbeat * NSEC_PER_SEC;
	status_check(d, stats_due);
	pins_beat(&d->pins, &d->sensor, now);
	metrics_expire(&d->metrics);
	return 0;
}
