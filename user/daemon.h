/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The daemon: one struct holding every stage, the sensor and the loop's
 * fds (no mutable globals). daemon.c sets it up and tears it down; the
 * loop's handlers and the start and stop steps live in files of their own.
 */
#ifndef SHELLWATCH_DAEMON_H
#define SHELLWATCH_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include "events.h"
#include "health.h"
#include "identity.h"
#include "judge.h"
#include "loop.h"
#include "metrics.h"
#include "options.h"
#include "output.h"
#include "pins.h"
#include "pretty.h"
#include "record.h"
#include "sensor.h"
#include "tap.h"
#include "track_records.h"
#include "tracker.h"
#include "users.h"
#include "verdicts.h"

#ifndef SHELLWATCH_VERSION
#define SHELLWATCH_VERSION "0.0.0"
#endif

struct daemon {
	struct sw_opts opts;
	struct sw_context ctx;
	struct output out;
	struct pretty pretty;	/* --format pretty */
	struct users users;	/* user and group names, per mount namespace */
	struct events ev;
	struct tracker tracker;
	struct track_records track_records;	/* the tracker's sink */
	struct identity identity;
	struct sensor sensor;
	struct pins pins;
	struct metrics metrics;
	struct verdicts verdicts;	/* content verdicts by inode */
	struct judge judge;
	struct tap tap;			/* --record, else a pass-through */
	struct loop loop;
	char host_name[OPT_NAME_LEN];
	char boot_id[16];
	char v1_name[32];
	char v2_mount[256];
	int v1_subsys;
	struct health health;
	int sig_fd, timer_fd, window_fd, lock_fd, identity_fd;
	const char *reason;		/* why the loop stopped */
	uint64_t window_ns;
	uint64_t next_stats_ns;		/* CLOCK_BOOTTIME of the next heartbeat */
	uint64_t reloads_refused;	/* SIGHUPs whose rules did not load */
};

/* a daemon owning nothing yet, or NULL when out of memory */
struct daemon *daemon_new(void);
/* d->ctx from d's names and options, with no user names */
void daemon_context(struct daemon *d, uint64_t boot_offset);
/* the output (queue_bytes, the pretty view) and the stages writing to
 * it: events, tracker; 0 or -errno */
int daemon_stages(struct daemon *d, size_t queue_bytes);
/* destroy the stages, the log index, the rules and the output */
void daemon_stages_destroy(struct daemon *d);
/* the live daemon from its options: lock, context, stages, sensor, pins,
 * the loop's table, metrics; 0 or -errno, said on stderr */
int daemon_open(struct daemon *d);
/* every program is attached: the start record, the scan, privileges and
 * seccomp dropped; 0 or -errno, said on stderr (write errors are not) */
int daemon_start(struct daemon *d);
/* close everything d holds and free it */
void daemon_free(struct daemon *d);

#endif /* SHELLWATCH_DAEMON_H */
