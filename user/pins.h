/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sensor's maps and programs pinned in a BPF filesystem for bpftool,
 * with a heartbeat that `shellwatch --check` reads. Layout under the pin
 * path: maps/<name>, progs/<name>, and `tracked`, an iterator to cat.
 * Links are not pinned: after a crash the hooks must not run on with
 * nobody reading, so a pinned program is loaded but attached only while
 * the daemon that holds its link lives.
 */
#ifndef SHELLWATCH_PINS_H
#define SHELLWATCH_PINS_H

#include <stdint.h>
#include <stdio.h>
#include "heartbeat.h"
struct sensor;

#define PINS_DEFAULT		"/sys/fs/bpf/shellwatch"
/* the usual BPF filesystem mount, mounted when it is not */
#define PINS_BPFFS		"/sys/fs/bpf"
/* longest pin path accepted */
#define PINS_PATH_MAX		200
/* seconds of silence after which --check calls the daemon dead */
#define PINS_CHECK_AGE		10
/* how often the daemon beats */
#define PINS_BEAT_MS		1000

struct pins {
	char path[PINS_PATH_MAX];	/* "" when pinning is off */
	int parent_fd, dir_fd, maps_fd, progs_fd;
	int beat_fd;			/* the heartbeat map */
	struct sw_heartbeat hb;
	uint64_t next_beat_ns;
};

/* before load: the BPF filesystem (mounted if need be), stale pins of a
 * dead sensor removed, the directories made; path "" turns pinning off;
 * 0 or -errno, said on stderr */
int pins_prepare(struct pins *p, const char *path);
/* after attach: pin every map and program and beat once; 0 or -errno */
int pins_add(struct pins *p, const struct sensor *s);
/* write the heartbeat when one is due, checking the links are attached */
void pins_beat(struct pins *p, const struct sensor *s, uint64_t now_ns);
/* the fds pins_remove() unlinks relative to, -1 past the last; up to 4 */
void pins_dir_fds(const struct pins *p, int fds[4]);
/* remove every pin and the directories; accepts a zeroed p */
void pins_remove(struct pins *p);
/* close the fds without removing the pins */
void pins_close(struct pins *p);
/* --check: is the sensor pinned at path alive? prints one line; the exit
 * status, 0 alive, 1 not */
int pins_check(const char *path, unsigned int max_age_s, FILE *out,
	       FILE *err);

#endif /* SHELLWATCH_PINS_H */
