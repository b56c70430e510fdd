/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records held back, in arrival order, so that the reader never waits: one
 * that waits for something (a pod's names) gets a deadline, one behind it
 * waits its turn (deadline 0). The whole is bounded in count and bytes; at
 * the bound the oldest goes out at once. Nothing leaves out of order.
 */
#ifndef SHELLWATCH_PARK_H
#define SHELLWATCH_PARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* why a parked record goes out */
enum park_why {
	PARK_TURN,	/* it waited for nothing but the ones before it */
	PARK_READY,	/* what it waited for came before its deadline */
	PARK_EXPIRED,	/* its deadline passed */
	PARK_OVER_BOUND,	/* the bound was reached: the oldest went early */
	PARK_FLUSHED,	/* everything went early: an edge, a reload, the stop */
};

struct park_rec {
	uint64_t deadline_ns;	/* 0: goes as soon as it is the oldest */
	size_t size;
	void *data;
};

struct park_stats {
	uint64_t waited;	/* records parked with a deadline */
	uint64_t held;		/* records parked behind them, for order */
	uint64_t ready;		/* went when what they waited for came */
	uint64_t expired;	/* went at their deadline */
	uint64_t over_bound;	/* went early: the bound was reached */
	uint64_t flushed;	/* went early: a flush */
};

struct park {
	struct park_rec *q;	/* a ring of max_count slots */
	size_t head, n, max_count;
	size_t bytes, max_bytes;
	struct park_stats st;
};

/*
 * whether a record that waits may go before its deadline (what it waited
 * for came); asked of the oldest only
 */
typedef bool (*park_ready_fn)(void *ctx, const void *data, size_t size);
/* a record going out, oldest first; a negative return stops the release */
typedef int (*park_out_fn)(void *ctx, void *data, size_t size,
			   enum park_why why);

/* an empty park of at most max_count records and max_bytes; 0 or -ENOMEM */
int park_init(struct park *p, size_t max_count, size_t max_bytes);
/* free what is parked, without handing it out; accepts a zeroed p */
void park_destroy(struct park *p);
/* records parked now */
size_t park_count(const struct park *p);
/* bytes parked now */
size_t park_bytes(const struct park *p);
/* the deadline of the oldest record; 0 when none, or it waits for nothing */
uint64_t park_next_deadline(const struct park *p);
/*
 * park a copy of data at the tail; first, while it would pass a bound, the
 * oldest go to out (PARK_OVER_BOUND). A record larger than the whole bound
 * goes to out itself, after everything before it. 0, out's error, -ENOMEM
 */
int park_push(struct park *p, const void *data, size_t size,
	      uint64_t deadline_ns, park_out_fn out, void *ctx);
/*
 * hand out, oldest first, what may go at now_ns: records that wait for
 * nothing, those ready says may go, those past their deadline; stops at
 * the first that must wait, or after max records. The count, or out's error
 */
int park_release(struct park *p, uint64_t now_ns, size_t max,
		 park_ready_fn ready, park_out_fn out, void *ctx);
/* hand out everything, oldest first (PARK_FLUSHED for records that
 * waited); the count, or out's error */
int park_flush(struct park *p, park_out_fn out, void *ctx);

#endif /* SHELLWATCH_PARK_H */
