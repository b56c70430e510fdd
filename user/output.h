/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The record stream on stdout: sequence numbers, buffering, write errors. */
#ifndef SHELLWATCH_OUTPUT_H
#define SHELLWATCH_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include "json_writer.h"

struct output {
	struct jsonw *w;	/* the record being built */
	FILE *f;
	uint64_t seq;		/* the last sequence number given */
	uint64_t written;	/* records written */
	uint64_t dropped;	/* records that failed to build */
	int err;		/* the first write error, -errno */
};

/* set up o to write to f; 0 or -ENOMEM */
int output_init(struct output *o, FILE *f);
/* free o's writer; accepts a zeroed o */
void output_destroy(struct output *o);
/* the writer for the next record, emptied, and its sequence number */
struct jsonw *output_next(struct output *o, uint64_t *seq);
/* queue the record built in the writer; 0, or -errno of a failed write */
int output_commit(struct output *o);
/* write out what is queued; 0, or -errno (-EPIPE when the reader is gone) */
int output_flush(struct output *o);

#endif /* SHELLWATCH_OUTPUT_H */
