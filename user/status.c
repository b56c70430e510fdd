// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the daemon's own records: start, stop, losses and the periodic stats */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "daemon.h"
#include "status.h"

/* what the daemon knows of itself now */
static void status_now(struct daemon *d, struct health_in *in)
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

void status_fill(void *ctx, struct health_in *in)
{
	status_now(ctx, in);
}

void status_check(struct daemon *d, bool stats_due)
{
	struct health_in in;

	status_now(d, &in);
	health_loss(&d->health, &d->out, &d->ctx, &in);
	health_say_bounds(&d->health, &in);
	if (stats_due)
		health_stats(&d->health, &d->out, &d->ctx, &in);
}

void status_start(struct daemon *d)
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

void status_stop(struct daemon *d, const char *reason)
{
	struct sw_stop_info info = { .reason = reason };
	struct health_in in;
	uint64_t losses[LOSS_COUNT], seq;
	struct jsonw *w;
	int i;

	status_now(d, &in);
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

void status_write_error(int err)
{
	if (err == -EPIPE)
		fprintf(stderr, "shellwatch: stdout was closed (EPIPE): stopping\n");
	else
		fprintf(stderr, "shellwatch: cannot write to stdout: %s\n",
			strerror(-err));
}
