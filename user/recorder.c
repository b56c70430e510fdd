// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --record: the facts the pipeline starts from, then every input */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "clock.h"
#include "daemon.h"
#include "recorder.h"
#include "shells.h"

int recorder_start(struct daemon *d)
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
