/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * the steady state: the loop's handlers, the ring buffer read in bounded
 * batches between them, then the stop
 */
#ifndef SHELLWATCH_RUN_H
#define SHELLWATCH_RUN_H

/* how long a stop waits for a slow reader to take the last records */
#define STOP_DRAIN_MS	800

struct daemon;

/* what came before now through the pipeline; 0 or -errno */
int run_drain(struct daemon *d);
/* the loop until a signal, --duration or an error; 0 with *reason, -errno */
int run_loop(struct daemon *d, const char **reason);
/* after a clean loop: final windows, losses, stats, stop, all written */
int run_finish(struct daemon *d, const char *reason);

#endif /* SHELLWATCH_RUN_H */
