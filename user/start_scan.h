/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --scan: the shells that already run when the sensor starts */
#ifndef SHELLWATCH_START_SCAN_H
#define SHELLWATCH_START_SCAN_H

struct daemon;

/* report and track every running shell; 0 (the sensor runs on without) */
int start_scan(struct daemon *d);

#endif /* SHELLWATCH_START_SCAN_H */
