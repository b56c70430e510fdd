/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --record: the facts the pipeline starts from, then every input */
#ifndef SHELLWATCH_RECORDER_H
#define SHELLWATCH_RECORDER_H

struct daemon;

/* open the recording, tap the pipeline's inputs; 0 or -errno, said */
int recorder_start(struct daemon *d);

#endif /* SHELLWATCH_RECORDER_H */
