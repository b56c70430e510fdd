/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The kernel side's lifecycle: checks, open, load, attach, ring buffer. */
#ifndef SHELLWATCH_SENSOR_H
#define SHELLWATCH_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <bpf/libbpf.h>
#include "exec.h"
#include "shells.h"
#include "shellwatch.h"
#include "stats.h"

struct shellwatch_bpf;

struct sensor_opts {
	const struct shell_set *shells;
	int cgroup_v1_subsys;		/* -1 for none */
	uint32_t pidns;			/* the sensor's pid namespace inode */
	size_t ringbuf_bytes;		/* a power of two, at least a page */
	bool verbose;			/* libbpf's and the verifier's log */
	bool trail;			/* command records for sessions */
	unsigned int trail_rate;	/* per session and second; 0: no limit */
	unsigned int trail_max;		/* per session; 0: no limit */
	unsigned int trail_depth;	/* levels below the shell; 0: all */
	unsigned int track_max;		/* entries of the tracked map */
};

/* ring records handed on in one batch: between two, the loop serves
 * signals, ticks and output */
#define SENSOR_BATCH	256

struct sensor {
	struct shellwatch_bpf *skel;
	struct ring_buffer *rb;
	ring_buffer_sample_fn fn;	/* the caller's callback */
	void *ctx;
	size_t taken, budget;		/* records of this batch, and its bound */
	bool full;			/* the batch ended at its bound */
	struct sw_host_view host;	/* pid 1's view; mntns 0 when unknown */
	unsigned int track_max;		/* as the kernel side has it */
	uint64_t track_over;		/* the daemon's inserts refused at it */
};

/*
 * check what loading needs besides capabilities (privs_check): kernel BTF,
 * a bpf() no seccomp filter refuses, ring buffers; says why not; 0 or -errno
 */
int sensor_preflight(void);
/*
 * open, load and attach, then find the host's view (pid 1's mount
 * namespace and root: without it, no path is the host's, said once);
 * fn gets each record; 0 or -errno, said on stderr
 */
int sensor_open(struct sensor *s, const struct sensor_opts *opts,
		ring_buffer_sample_fn fn, void *ctx);
/* the fd to poll for records */
int sensor_fd(const struct sensor *s);
/* hand up to max waiting records to fn; the count (max: more may wait),
 * or -errno */
int sensor_consume(struct sensor *s, size_t max);
/* entries of the kernel's tracked map now (0 without a kernel side) */
uint64_t sensor_tracked(const struct sensor *s);
/* the kernel side's counters, summed over CPUs; 0 or -errno */
int sensor_stats(const struct sensor *s, uint64_t stats[SW_STAT_COUNT]);
/* called with each thread sample; non-zero stops the pass */
typedef int (*sensor_sample_fn)(const struct sw_sample *s, void *ctx);
/* read every tracked thread's counters through the task iterator */
int sensor_sample(struct sensor *s, sensor_sample_fn fn, void *ctx);
/* track a shell found running at start, as its own session (start_ns
 * in /proc's ticks, as its exec_id has it; ids from /proc) */
int sensor_track(struct sensor *s, uint32_t pid, uint64_t start_ns,
		 const uint32_t ids[4]);
/* a session's trail counters (exec_ns 0 for a shell found at start), for
 * an end no end record tells of; 0 (zeros when the session ran no command),
 * or -errno */
int sensor_session(void *sensor, uint32_t pid, uint64_t start_ns,
		   uint64_t exec_ns, struct sw_session *out);
/*
 * the absolute paths of the caller's cgroup namespace root, v2 and the
 * chosen v1 hierarchy ("" when not known), as the kernel side names cgroups;
 * 0 or -errno
 */
int sensor_cgroupns_root(struct sensor *s, char *v2, size_t v2_len, char *v1,
			 size_t v1_len);
/*
 * run the host_view iterator: the kernel side learns pid 1's root and
 * mount namespace, out their numbers; 0, or -ENOENT when pid 1 is not in
 * the sensor's pid namespace, or -errno
 */
int sensor_host_view(struct sensor *s, struct sw_host_view *out);
/*
 * track a candidate the daemon judged a shell, as the kernel tracks a
 * shell from its exec (its own session); 0, or -ESRCH when it is gone
 */
int sensor_track_exec(struct sensor *s, const struct sw_exec *ex);
/* the kernel's verdict cache map, for user/verdicts.c; -1 when not open */
int sensor_verdicts_fd(const struct sensor *s);
/* detach and free; accepts a zeroed s */
void sensor_close(struct sensor *s);

#endif /* SHELLWATCH_SENSOR_H */
