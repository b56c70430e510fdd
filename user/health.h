/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sensor's health in the stream: loss records when anything was lost,
 * and stats records as a heartbeat.
 */
#ifndef SHELLWATCH_HEALTH_H
#define SHELLWATCH_HEALTH_H

#include <stdint.h>
#include "output.h"
#include "park.h"
#include "record.h"
#include "rules.h"
#include "judge.h"
#include "stats.h"
#include "verdicts.h"

enum loss_reason {
	LOSS_RINGBUF_EXEC,	/* exec records the ring buffer had no room for */
	LOSS_RINGBUF_PROC,	/* fork/exit records the ring buffer had no room for */
	LOSS_QUEUE,		/* records the full output queue dropped */
	LOSS_MALFORMED,		/* records refused or failed to build */
	LOSS_UNTRACKED,		/* processes the kernel's table had no room for */
	LOSS_RINGBUF_COMMAND,	/* command records the ring buffer had no room for */
	LOSS_COUNT,
};

/* what the daemon knows of itself at one moment */
struct health_in {
	uint64_t kstats[SW_STAT_COUNT];	/* the kernel side's counters */
	uint64_t queue_dropped;
	uint64_t malformed;
	uint64_t exec_dropped;		/* of the queue's drops, exec records */
	uint64_t reported;		/* exec records written */
	uint64_t windows;
	uint64_t exits;
	uint64_t tracked;
	uint64_t queue_bytes;		/* waiting to be written */
	uint64_t ringbuf_bytes;		/* the ring buffer's size */
	uint64_t suppressed;		/* shells the rules suppressed */
	uint64_t commands;		/* command records written */
	uint64_t commands_suppressed;	/* commands the rules suppressed */
	uint64_t commands_dropped;	/* command records the queue dropped */
	const struct ruleset *rules;	/* for each rule's hits; may be NULL */
	uint64_t log_links;		/* containers in the log index */
	uint64_t log_link_conflicts;	/* links refused: id already linked */
	uint64_t log_link_over_limit;	/* links refused: the index was full */
	uint64_t names_refused;		/* execs whose link's pod uid differed */
	const struct judge_stats *judge;	/* candidates; may be NULL */
	const struct verdicts_stats *verdicts;	/* fingerprints; may be NULL */
	uint64_t verdicts_cached;	/* binaries with a verdict kept */
	uint64_t candidates_untracked;	/* judged shells gone before tracked */
	const struct park_stats *park;	/* records parked for names; may be NULL */
	uint64_t parked;		/* records parked now */
	uint64_t parked_bytes;		/* their bytes */
	uint64_t tracked_kernel;	/* entries of the kernel's tracked map */
	uint64_t track_max;		/* its bound, --track-max */
	uint64_t table_max;		/* the daemon's table's bound */
	uint64_t table_over_limit;	/* execs and forks its table refused */
	uint64_t reloads_refused;	/* rules files a SIGHUP did not load */
};

struct health {
	uint64_t reported[LOSS_COUNT];	/* losses already in loss records */
	bool said_track_over;		/* the tracking bound, on stderr */
};

/* the names of the loss reasons, as the records spell them */
extern const char *const health_loss_names[LOSS_COUNT];
/* totals per reason from in */
void health_losses(const struct health_in *in, uint64_t out[LOSS_COUNT]);
/* write a loss record when anything was lost since the last one */
void health_loss(struct health *h, struct output *out,
		 const struct sw_context *ctx, const struct health_in *in);
/* the daemon's own resident memory, from /proc/self/statm; 0 if unknown */
uint64_t health_self_rss(void);
/* say once on stderr when a tracking bound was met */
void health_say_bounds(struct health *h, const struct health_in *in);
/* write a stats record */
void health_stats(struct health *h, struct output *out,
		  const struct sw_context *ctx, const struct health_in *in);

#endif /* SHELLWATCH_HEALTH_H */
