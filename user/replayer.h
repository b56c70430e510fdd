/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --replay: the recorded inputs through the same pipeline, no kernel side */
#ifndef SHELLWATCH_REPLAYER_H
#define SHELLWATCH_REPLAYER_H

struct daemon;

/* replay d->opts.replay; 0, 1 for a runtime failure, 2 for a recording
 * it refuses */
int replayer_run(struct daemon *d);

#endif /* SHELLWATCH_REPLAYER_H */
