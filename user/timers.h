/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* the loop's clocks: the 250 ms tick and the wall-clock window edges */
#ifndef SHELLWATCH_TIMERS_H
#define SHELLWATCH_TIMERS_H

#include <stdint.h>
#include "tracker.h"

struct daemon;

/* the tick and window timerfds, armed; 0 or -errno */
int timers_open(struct daemon *d);
/* read every tracked process's counters and end the pass; 0 or -errno */
int timers_sample(struct daemon *d, uint64_t edge_real,
		  enum tracker_pass pass);
/* the loop's handler of the tick: clock sync, loss records, heartbeat */
int timers_on_tick(void *ctx, int fd, uint32_t events);
/* the loop's handler of a window edge: exits before it, then the windows */
int timers_on_window(void *ctx, int fd, uint32_t events);

#endif /* SHELLWATCH_TIMERS_H */
