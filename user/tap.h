/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --record: what the live daemon hands its pipeline (ring records,
 * sampling passes, the scan's finds) passes through here on its way, and
 * with the facts the pipeline asks for (log links, user names, trail
 * counters, clocks, rules) goes into the recording. Without a recording
 * the tap only passes things on.
 */
#ifndef SHELLWATCH_TAP_H
#define SHELLWATCH_TAP_H

#include "events.h"
#include "recording.h"
#include "rec_known.h"
#include "sensor.h"
#include "tracker.h"
#include "users.h"

struct tap {
	struct rec_writer *w;	/* NULL: only pass things on */
	struct events *ev;
	struct tracker *tr;
	struct sensor *sensor;
	struct rec_known *known;
	struct users_source users;
	void *found;		/* a struct rec_found and its exec */
};

/* start recording into path with the node's facts; 0 or -errno */
int tap_open(struct tap *t, const char *path, const struct rec_facts *f);
/* end the recording cleanly (its end frame) and free; 0 or -errno */
int tap_close(struct tap *t);
/* events callback: record a ring record the pipeline took (a parked one
 * when it left the park, so a replay takes it at the same point) */
void tap_ring(void *t, const void *data, size_t size);
/* start a sampling pass */
void tap_sample_begin(struct tap *t);
/* sensor_sample callback: record, then tracker_sample() */
int tap_on_sample(const struct sw_sample *s, void *t);
/* end the pass as tracker_sample_end() does, and record it */
int tap_sample_end(struct tap *t, uint64_t boot_ns, uint64_t edge_ns,
		   enum tracker_pass pass);
/* tracker session callback: sensor_session(), its answer recorded */
int tap_session(void *t, uint32_t pid, uint64_t start_ns, uint64_t exec_ns,
		struct sw_session *out);
/* procscan callback: events_on_found(), and record it */
int tap_on_found(const struct sw_exec *ex, void *t);
/* the scan is done: events_scan_end(), and record it */
void tap_scan_end(struct tap *t);
/* record the clocks now, with the boot offset records use */
void tap_time(struct tap *t, int64_t boot_offset);
/* record the text of the rules file now in force */
void tap_rules(struct tap *t, const char *path);
/* identity callback: record a log-link answer when it is new */
const struct pod_entry *tap_link(void *t, const char *cid,
				 const struct pod_entry *e);
/* events callback: record the judge's verdict on a ring exec */
bool tap_verdict(void *t, struct sw_exec *ex, bool shell);
/* make what is recorded so far readable in the file */
void tap_flush(struct tap *t);

#endif /* SHELLWATCH_TAP_H */
