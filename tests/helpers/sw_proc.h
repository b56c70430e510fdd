/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What tests read of the system: the monotonic clock, small files, /proc. */
#ifndef SHELLWATCH_SW_PROC_H
#define SHELLWATCH_SW_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* now on CLOCK_MONOTONIC, in ms */
long sw_now_ms(void);
/* up to len - 1 bytes of path into buf, NUL-terminated; bytes read or -errno */
ssize_t sw_read_small(const char *path, char *buf, size_t len);
/* field ("VmRSS", "VmHWM") of /proc/<pid>/status in kB; -1 if not there */
long sw_status_kb(pid_t pid, const char *field);

#endif /* SHELLWATCH_SW_PROC_H */
