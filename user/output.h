/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record stream on stdout: sequence numbers and a bounded queue. A
 * reader that stalls never blocks the daemon: records that do not fit in
 * the queue are dropped and counted, and their sequence numbers are left
 * as a gap a consumer can see.
 */
#ifndef SHELLWATCH_OUTPUT_H
#define SHELLWATCH_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "json_writer.h"
#include "pretty.h"

/* room kept for loss, stats and stop records when the queue is full */
#define OUTPUT_RESERVE		(512 * 1024)
/* the longest record line; a longer one is dropped. An exec record at
 * every capture limit, each byte escaped as \u00XX, stays below it. */
#define OUTPUT_LINE_MAX		(256 * 1024)
/* how long a record that may wait waits at most, and how many bytes */
#define OUTPUT_LAZY_MS		20
#define OUTPUT_LAZY_BYTES	(64 * 1024)
/* how often a stalled reader is tried again */
#define OUTPUT_RETRY_MS		20

struct output {
	struct jsonw *w;	/* the record being built */
	int fd;
	int fd_flags;		/* fd's flags before we set O_NONBLOCK */
	char *q;		/* ring of bytes waiting to be written */
	size_t cap;		/* queue bytes, OUTPUT_RESERVE included */
	size_t head;		/* first byte waiting */
	size_t len;		/* bytes waiting */
	uint64_t seq;		/* the last sequence number given */
	uint64_t written;	/* records queued */
	uint64_t dropped;	/* records the full queue had no room for */
	uint64_t failed;	/* records that failed to build */
	int err;		/* the first write error, -errno */
	bool urgent;		/* a record waits that must go now, or a
				 * write stalled: flush at once, retry soon */
	uint64_t lazy_ms;	/* when the oldest record that may wait was
				 * queued (monotonic ms); 0: none waits */
	struct pretty *view;	/* records shown as text for people; NULL: JSON */
};

/* set up o to write to fd through a queue of queue_bytes; 0 or -errno */
int output_init(struct output *o, int fd, size_t queue_bytes);
/* give fd its flags back and free o; accepts a zeroed o */
void output_destroy(struct output *o);
/* show records through view (--format pretty) instead of as JSON lines */
void output_set_view(struct output *o, struct pretty *view);
/* the writer for the next record, emptied, and its sequence number */
struct jsonw *output_next(struct output *o, uint64_t *seq);
/* queue the record built in the writer; dropped and counted when full */
void output_commit(struct output *o);
/* queue it even into the reserve: loss, stats and stop records */
void output_commit_urgent(struct output *o);
/*
 * queue it as a record that may wait OUTPUT_LAZY_MS for the next one that
 * may not (window and exit records: the next exec's write takes them along)
 */
void output_commit_lazy(struct output *o, uint64_t now_ms);
/* write what the fd takes now; 0, or -errno (-EPIPE: the reader is gone) */
int output_flush(struct output *o);
/* output_flush() when a record must go now, or one waited long enough */
int output_flush_due(struct output *o, uint64_t now_ms);
/* ms the loop may sleep before output_flush_due() has work: -1 for ever */
int output_wait_ms(const struct output *o, uint64_t now_ms);
/* write everything, waiting up to timeout_ms; 0, -ETIMEDOUT or -errno */
int output_drain(struct output *o, int timeout_ms);
/* bytes waiting to be written */
size_t output_pending(const struct output *o);

#endif /* SHELLWATCH_OUTPUT_H */
