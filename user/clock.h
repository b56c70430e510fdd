/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Kernel boot-time stamps to wall-clock time, and RFC 3339 text. */
#ifndef SHELLWATCH_CLOCK_H
#define SHELLWATCH_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_SEC	1000000000ULL

/* RFC 3339 UTC with nanoseconds: 2026-11-27T23:05:27.123456789Z */
#define CLOCK_RFC3339_LEN	32

/* CLOCK_REALTIME minus CLOCK_BOOTTIME, in ns, sampled now */
int64_t clock_boot_offset(void);
/* now on CLOCK_BOOTTIME, in ns */
uint64_t clock_boot_now(void);
/* now on CLOCK_REALTIME, in ns */
uint64_t clock_real_now(void);
/* now on CLOCK_MONOTONIC, in ns, for timeouts (a replay does not set it) */
uint64_t clock_mono_now(void);
/* clock_mono_now() in ms */
uint64_t clock_mono_ms(void);
/* replay: the clocks read boot_ns and real_ns from now on, process-wide */
void clock_replay(uint64_t boot_ns, uint64_t real_ns);
/* format wall-clock ns since the epoch as RFC 3339 into buf; 0 or -EINVAL */
int clock_rfc3339(uint64_t real_ns, char *buf, size_t len);

#endif /* SHELLWATCH_CLOCK_H */
