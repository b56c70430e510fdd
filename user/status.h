/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* the daemon's records about itself: start, stop, losses and stats */
#ifndef SHELLWATCH_STATUS_H
#define SHELLWATCH_STATUS_H

#include <stdbool.h>
#include "health.h"

struct daemon;

/* what the daemon (ctx) knows of itself now; the metrics endpoint's fill */
void status_fill(void *ctx, struct health_in *in);
/* a loss record when anything was lost; a stats record when due */
void status_check(struct daemon *d, bool stats_due);
/* the start record, written at once */
void status_start(struct daemon *d);
/* the stop record with the run's totals, written at once */
void status_stop(struct daemon *d, const char *reason);
/* say on stderr why stdout took no more (err: -errno) */
void status_write_error(int err);

#endif /* SHELLWATCH_STATUS_H */
