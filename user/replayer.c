// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --replay: the recorded inputs through the same pipeline, no kernel side,
 * with the context the recording's facts say
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "clock.h"
#include "daemon.h"
#include "replay.h"
#include "replayer.h"
#include "rules.h"
#include "shells.h"
#include "status.h"

/* the output queue of a replay, at least */
#define REPLAY_QUEUE_BYTES	(64U << 20)

/* the daemon's context as the recording's facts say it was */
static void recorded_context(struct daemon *d, const struct rec_facts *f)
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
	/* --format and --fields are the replay's, as output options */
	daemon_context(d, f->boot_offset);
	clock_replay(f->boot_ns, f->real_ns);
}

/*
 * --replay: the recorded inputs through the same pipeline, no kernel
 * side; 0, 1 for a runtime failure, 2 for a recording it refuses
 */
int replayer_run(struct daemon *d)
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
	recorded_context(d, &rp.facts);
	/* a closed stdout is an error from write(), as in a live run */
	signal(SIGPIPE, SIG_IGN);
	/* one edge of a full process table writes ~20 MB at once: the
	 * replay waits for its reader, it never drops */
	err = daemon_stages(d, d->opts.queue_bytes > REPLAY_QUEUE_BYTES ?
			    d->opts.queue_bytes : REPLAY_QUEUE_BYTES);
	if (err) {
		fprintf(stderr, "shellwatch: out of memory\n");
		goto cleanup;
	}
	/* no log directory: the recorded links answer */
	d->identity.fd = -1;
	d->ev.tracker = &d->tracker;
	d->ev.identity = &d->identity;
	d->ev.show_suppressed = d->opts.show_suppressed;
	d->track_records.identity = &d->identity;
	d->tracker.show_suppressed = d->opts.show_suppressed;
	d->tracker.trail = d->opts.trail;
	rp.ev = &d->ev;
	rp.tr = &d->tracker;
	rp.ctx = &d->ctx;
	rp.out = &d->out;
	rp.own_rules = d->opts.rules[0];
	replay_attach(&rp, &d->identity);

	status_start(d);
	err = replay_run(&rp);
	if (!err) {
		status_check(d, true);
		status_stop(d, "replay");
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
		status_write_error(d->out.err);
	else if (err)
		fprintf(stderr, "shellwatch: replay stopped: %s\n",
			strerror(-err));

cleanup:
	replay_close(&rp);
	daemon_stages_destroy(d);
	if (err == -EBADMSG)
		return 2;
	return err ? 1 : 0;
}
