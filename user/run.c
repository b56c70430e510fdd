// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * the steady state: wait on the loop's table, serve the ready fds, then one
 * bounded batch of the ring buffer and of the parked records, then the
 * output; a flood never keeps signals, ticks and output waiting
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "clock.h"
#include "daemon.h"
#include "run.h"
#include "status.h"
#include "timers.h"

/* how long a window edge, a reload or the stop reads the ring buffer for
 * what came before it */
#define RING_DRAIN_MS	100

/*
 * what came before now through the pipeline: the ring buffer read until it
 * is empty (for RING_DRAIN_MS at most, in batches), then every parked
 * record with the names known
 */
int run_drain(struct daemon *d)
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

/*
 * how long the loop may sleep: not at all while records wait in the ring
 * buffer or the park, until the oldest parked record's deadline, until
 * queued window and exit records are due, 20 ms for a stalled reader,
 * else until something happens
 */
static int loop_timeout(struct daemon *d, bool more)
{
	uint64_t due = events_next_deadline(&d->ev), now;
	int timeout = output_wait_ms(&d->out, clock_mono_ms());
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

/*
 * one batch of records, then the parked ones that may go, then the output;
 * *more when a batch was full
 */
static int run_batch(struct daemon *d, bool *more)
{
	int n;

	n = sensor_consume(&d->sensor, SENSOR_BATCH);
	if (n < 0)
		return n;
	*more = n == SENSOR_BATCH;
	n = events_release(&d->ev, SENSOR_BATCH);
	if (n < 0)
		return n;
	*more |= n == SENSOR_BATCH;
	/* window and exit records go with the next exec, or once due */
	return output_flush_due(&d->out, clock_mono_ms());
}

int run_loop(struct daemon *d, const char **reason)
{
	uint64_t deadline = 0;
	int n, err, timeout;
	bool more = false;

	if (d->opts.duration > 0)
		deadline = clock_boot_now() +
			   (uint64_t)(d->opts.duration * NSEC_PER_SEC);
	d->next_stats_ns = clock_boot_now() + d->opts.heartbeat * NSEC_PER_SEC;
	for (;;) {
		/* sleep only when nothing waits: records, parked ones, a
		 * stalled reader (tried again soon, never blocked on) */
		timeout = loop_timeout(d, more);
		n = loop_wait(&d->loop, timeout);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
		/* what follows happened at this time */
		if (n > 0)
			tap_time(&d->tap, d->ctx.boot_offset);
		err = loop_dispatch(&d->loop);
		if (err == LOOP_STOP) {
			*reason = d->reason;
			return 0;
		}
		if (err)
			return err;
		err = run_batch(d, &more);
		if (err)
			return err;
		if (deadline && clock_boot_now() >= deadline) {
			*reason = "duration";
			return 0;
		}
	}
}

int run_finish(struct daemon *d, const char *reason)
{
	int err;

	/* what the kernel sent before the stop is still reported */
	err = run_drain(d);
	if (err < 0)
		return err;
	timers_sample(d, 0, TRACKER_FINAL);
	err = tap_close(&d->tap);
	if (err)
		fprintf(stderr, "shellwatch: cannot finish the recording %s: %s\n",
			d->opts.record, strerror(-err));
	status_check(d, true);
	status_stop(d, reason);
	return output_drain(&d->out, STOP_DRAIN_MS);
}
