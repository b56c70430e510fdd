/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Tracking shells over their life: windows of CPU and memory at every
 * wall-clock edge, and an exit record when they end or exec a non-shell.
 */
#ifndef SHELLWATCH_TRACKER_H
#define SHELLWATCH_TRACKER_H

#include <stdbool.h>
#include <stdint.h>
#include "exec.h"
#include "exec_view.h"
#include "proctab.h"
#include "record.h"
#include "sessions.h"

/* a session's trail counters, asked of the kernel; 0 or -errno */
typedef int (*tracker_session_fn)(void *ctx, uint32_t pid, uint64_t start_ns,
				  uint64_t exec_ns, struct sw_session *out);

/*
 * processes the table holds at most unless set: the kernel's default
 * bound, and as many again whose end was lost (ended at two missed edges)
 */
#define TRACKER_MAX_DEFAULT	(2 * SW_TRACK_MAX)

/* where the tracker hands what it measured, in order; track_records.c writes */
struct tracker_sink {
	/* a window of p closed; 1 when written, 0 when dropped, or -errno */
	int (*window)(void *ctx, struct proc *p, const struct window_measure *m);
	/* p ended (x says how); 1 when written, 0 when dropped, or -errno */
	int (*exit)(void *ctx, struct proc *p, const struct sw_exit_info *x);
	void *ctx;
};

struct tracker {
	struct proctab tab;
	const struct tracker_sink *sink;
	const struct sw_context *ctx;
	uint64_t window_ns;
	bool all_windows;	/* write windows with zero utilization too */
	bool show_suppressed;	/* write suppressed shells' windows and exits */
	int ncpu;		/* logical CPUs online */
	uint64_t mem_total;	/* bytes */
	long page_size;
	uint32_t sample_seq;	/* the current sampling pass */
	uint64_t windows;	/* window records written */
	uint64_t exits;		/* exit records written */
	uint64_t untracked;	/* forks and exits of unknown processes */
	size_t max;		/* processes in the table at most */
	uint64_t over_limit;	/* execs and forks not tracked: it was full */
	bool trail;		/* sessions have command trails */
	struct sessions sessions;	/* recent sessions, for their commands */
	/*
	 * exit and exec-away records carry their session's counters
	 * (SW_P_SESSION); false for an older recording's, which session_fn
	 * answers
	 */
	bool ends_carry_session;
	/*
	 * the counters of a session shell's end that no record carries (it
	 * exec'd another shell, its end was lost); NULL: none there
	 */
	tracker_session_fn session_fn;
	void *session_ctx;
};

/* set up tr, handing windows and exits to sink; 0 or -errno */
int tracker_init(struct tracker *tr, const struct tracker_sink *sink,
		 const struct sw_context *ctx, uint64_t window_ns,
		 bool all_windows);
/* free every entry; accepts a zeroed tr */
void tracker_destroy(struct tracker *tr);
/* whether the table holds max processes: a new one is not tracked */
bool tracker_full(const struct tracker *tr);
/* whether ex's pid has an entry (an exec of a tracked shell takes it) */
bool tracker_tracks(const struct tracker *tr, const struct sw_exec *ex);
/* a shell exec (or one found at start): track it, unless its flags say it
 * is not (SW_F_TRACK_OVER, SW_F_TRACK_NOMEM); 0 or a write error */
int tracker_exec(struct tracker *tr, const struct exec_view *v);
/* the identity of the session a command ran in, or NULL */
struct ident *tracker_session(const struct tracker *tr,
			      const struct sw_exec *ex);
/* a tracked shell forked; 0 or a write error */
int tracker_fork(struct tracker *tr, const struct sw_proc_event *ev);
/* a tracked process exited or exec'd a non-shell; 0 or a write error */
int tracker_end(struct tracker *tr, const struct sw_proc_event *ev);
/* start a sampling pass */
void tracker_sample_begin(struct tracker *tr);
/* one thread's counters in the current pass */
int tracker_sample(const struct sw_sample *s, void *tr);
/* what the end of a sampling pass writes */
enum tracker_pass {
	TRACKER_BASELINE,	/* nothing: set the bases of processes found at start */
	TRACKER_EDGE,		/* the windows that close at a wall-clock edge */
	TRACKER_FINAL,		/* partial windows up to now: the sensor stops */
};

/*
 * end a pass read at boot_ns; edge_ns is the CLOCK_BOOTTIME of the
 * wall-clock edge it closes (TRACKER_EDGE); 0 or a write error
 */
int tracker_sample_end(struct tracker *tr, uint64_t boot_ns, uint64_t edge_ns,
		       enum tracker_pass pass);
/* the number of processes tracked */
size_t tracker_count(const struct tracker *tr);

#endif /* SHELLWATCH_TRACKER_H */
