/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shell execs, from the ring buffer or the start-up scan, to records. */
#ifndef SHELLWATCH_EVENTS_H
#define SHELLWATCH_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include "exec.h"
#include "exec_records.h"
#include "exec_sink.h"
#include "exec_view.h"
#include "judge.h"
#include "output.h"
#include "park.h"
#include "record.h"
#include "sensor.h"
#include "rule_fields.h"
#include "tracker.h"

/* a process reported by the start-up scan */
struct scanned {
	uint32_t pid;
	uint64_t start_ticks;
	uint64_t read_ns;	/* CLOCK_BOOTTIME when /proc was read */
};

/* ring records parked at most (waiting for pod names, or behind one that
 * does), and their bytes */
#define EVENTS_PARK_MAX		1024
#define EVENTS_PARK_BYTES	(4U << 20)

/*
 * a content verdict besides the judge's: shell is the judge's answer (true
 * without a judge) for ex as it left it; returns the one used. A recording
 * hears it, a replay gives the recorded one.
 */
typedef bool (*events_verdict_fn)(void *ctx, struct sw_exec *ex, bool shell);
/* a ring record the pipeline took, once it took it; a recording hears it */
typedef void (*events_heard_fn)(void *ctx, const void *data, size_t size);

struct events {
	const struct exec_sink *sink;	/* exec and command records */
	struct exec_records records;	/* the sink events_init() sets */
	struct tracker *tracker;	/* windows and exits; NULL for none */
	struct sensor *sensor;		/* to track what the scan finds */
	struct identity *identity;	/* pods and containers; NULL for none */
	struct judge *judge;		/* content verdicts; NULL: names only */
	events_verdict_fn verdict_fn;	/* NULL for the judge alone */
	void *verdict_ctx;
	events_heard_fn heard_fn;	/* NULL for none */
	void *heard_ctx;
	struct park park;		/* records waiting for pod names */
	struct ruleset *rules;		/* the allowlist; NULL for none */
	bool show_suppressed;		/* write suppressed shells, marked */
	uint64_t suppressed;		/* shells the allowlist suppressed */
	uint64_t candidate_shells;	/* candidates judged shells */
	uint64_t candidates_untracked;	/* judged shells gone before tracked */
	const struct sw_context *ctx;
	struct sw_exec *ex;		/* decode scratch */
	struct exec_view *view;		/* the exec decoded, as records see it */
	struct exec_view *command_view;	/* a shell's, as its session's command */
	struct scanned *scanned;	/* sorted by pid after the scan */
	size_t nscanned, cap;
	uint64_t tick_ns;		/* one clock tick of /proc's start time */
	uint64_t found_ns;		/* when the scan found the shell in hand */
	uint64_t reported;		/* exec records written */
	uint64_t malformed;		/* ring buffer records refused */
	uint64_t duplicates;		/* execs the scan had already reported */
	uint64_t exec_dropped;		/* exec records the output queue dropped */
	uint64_t commands;		/* command records written */
	uint64_t commands_suppressed;	/* commands the allowlist suppressed */
	uint64_t commands_dropped;	/* command records the queue dropped */
	int err;			/* the first write error */
};

/* set up ev, judging with rules (NULL for none), its exec and command
 * records written to out (ev->sink may be set to another); 0 or -ENOMEM */
int events_init(struct events *ev, struct output *out,
		const struct sw_context *ctx, struct ruleset *rules);
/* free ev's buffers; accepts a zeroed ev */
void events_destroy(struct events *ev);
/*
 * ring buffer callback: one kernel record, parked when its pod's names may
 * still come (or when records before it are parked), else taken at once
 */
int events_on_ring(void *ev, void *data, size_t size);
/* one kernel record through the pipeline now (a replay's records) */
int events_on_record(void *ev, void *data, size_t size);
/* take the parked records that may go now, at most max; the count or -errno */
int events_release(struct events *ev, size_t max);
/* take every parked record now, with the names known; the count or -errno */
int events_flush(struct events *ev);
/* when the oldest parked record must go (CLOCK_BOOTTIME); 0 for none */
uint64_t events_next_deadline(const struct events *ev);
/* procscan callback: one shell running at start, found now */
int events_on_found(const struct sw_exec *ex, void *ev);
/* the same, found at found_ns (CLOCK_BOOTTIME): its tracking starts then */
int events_found(struct events *ev, const struct sw_exec *ex,
		 uint64_t found_ns);
/* the scan is done: sort what it reported for look-ups */
void events_scan_end(struct events *ev);

#endif /* SHELLWATCH_EVENTS_H */
