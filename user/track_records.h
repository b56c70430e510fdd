/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The tracker's sink that writes: window and exit records of tracked
 * processes, with their container's late names, to the output queue.
 */
#ifndef SHELLWATCH_TRACK_RECORDS_H
#define SHELLWATCH_TRACK_RECORDS_H

#include "context.h"
#include "identity.h"
#include "output.h"
#include "tracker.h"

struct track_records {
	struct tracker_sink sink;	/* hand &sink to tracker_init() */
	struct output *out;
	const struct sw_context *ctx;
	struct identity *identity;	/* late pod names; NULL for none */
};

/* set tw up to write to out */
void track_records_init(struct track_records *tw, struct output *out,
			const struct sw_context *ctx);

#endif /* SHELLWATCH_TRACK_RECORDS_H */
