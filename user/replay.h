/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --replay: the user-side pipeline (events, tracker, identity, rules,
 * output) fed from a recording instead of the kernel and the node: no BPF,
 * no root. Facts the pipeline asks for are answered from the recording.
 */
#ifndef SHELLWATCH_REPLAY_H
#define SHELLWATCH_REPLAY_H

#include <stdbool.h>
#include "events.h"
#include "identity.h"
#include "output.h"
#include "recording.h"
#include "rec_known.h"
#include "tracker.h"
#include "users.h"

struct replay {
	struct rec_reader *rd;
	struct rec_facts facts;		/* the recording's first frame */
	struct rec_known *known;
	struct events *ev;
	struct tracker *tr;
	struct sw_context *ctx;
	struct output *out;
	bool own_rules;			/* rules given: the recorded ones not used */
	struct users_source users;
	struct sw_exec *ex;		/* a found shell, sanitized */
	struct rec_verdict verdict;	/* for the next ring exec */
	bool have_verdict;
	bool proc_v1;			/* SW_PROC_V1_SIZE proc records */
	struct sw_proc_event proc;	/* one of them, widened */
	char err[512];			/* why the recording was refused */
};

/* open path and read its facts; 0, or -errno with why in rp->err */
int replay_open(struct replay *rp, const char *path);
/* the same from an fd, which rp then owns */
int replay_fdopen(struct replay *rp, int fd);
/*
 * answer the pipeline's questions from the recording: rp's ev, tr, ctx
 * and out are set; id gets the recorded log links, tr the trail counters,
 * users_name() the recorded names
 */
void replay_attach(struct replay *rp, struct identity *id);
/* feed every frame to the pipeline; 0, a write error, or -EBADMSG with
 * why in rp->err */
int replay_run(struct replay *rp);
/* free; accepts a zeroed rp */
void replay_close(struct replay *rp);

#endif /* SHELLWATCH_REPLAY_H */
