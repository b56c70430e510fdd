// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "clock.h"
#include "decode.h"
#include "events.h"
#include "exec_view.h"
#include "rule_fields.h"

int events_init(struct events *ev, struct output *out,
		const struct sw_context *ctx, struct ruleset *rules)
{
	long hz = sysconf(_SC_CLK_TCK);

	memset(ev, 0, sizeof(*ev));
	exec_records_init(&ev->records, out);
	ev->sink = &ev->records.sink;
	ev->ctx = ctx;
	ev->rules = rules;
	ev->tick_ns = NSEC_PER_SEC / (hz > 0 ? hz : 100);
	ev->ex = malloc(sizeof(*ev->ex));
	ev->view = malloc(sizeof(*ev->view));
	ev->command_view = malloc(sizeof(*ev->command_view));
	if (!ev->ex || !ev->view || !ev->command_view)
		return -ENOMEM;
	return park_init(&ev->park, EVENTS_PARK_MAX, EVENTS_PARK_BYTES);
}

void events_destroy(struct events *ev)
{
	free(ev->ex);
	free(ev->view);
	free(ev->command_view);
	free(ev->scanned);
	park_destroy(&ev->park);
	ev->view = NULL;
	ev->command_view = NULL;
	ev->ex = NULL;
	ev->scanned = NULL;
}

static int cmp_scanned(const void *a, const void *b)
{
	const struct scanned *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->start_ticks > y->start_ticks) - (x->start_ticks < y->start_ticks);
}

void events_scan_end(struct events *ev)
{
	if (ev->nscanned)
		qsort(ev->scanned, ev->nscanned, sizeof(*ev->scanned),
		      cmp_scanned);
}

/* whether the scan already reported this exec: it ran before /proc was read */
static bool seen_by_scan(const struct events *ev, const struct sw_exec *ex)
{
	struct scanned key = {
		.pid = ex->pid,
		.start_ticks = ex->start_ns / ev->tick_ns,
	};
	const struct scanned *s;

	if (!ev->nscanned)
		return false;
	s = bsearch(&key, ev->scanned, ev->nscanned, sizeof(key), cmp_scanned);
	return s && ex->exec_ns < s->read_ns;
}

static int failed(struct events *ev, int err)
{
	if (err && !ev->err)
		ev->err = err;
	return err;
}

/* the allowlist's verdict on one exec, once per exec */
static void judge(struct events *ev, struct exec_view *v)
{
	struct rules_verdict vd;

	v->verdict = (struct exec_verdict){ .risk_score = -1 };
	if (!ev->rules || !rules_count(ev->rules))
		return;
	rules_judge(ev->rules, rule_fields_lookup, v, &vd);
	if (vd.suppressed_by >= 0)
		v->verdict.suppressed_by = rules_name(ev->rules,
						      vd.suppressed_by);
	if (vd.risk_rule >= 0) {
		v->verdict.risk_rule = rules_name(ev->rules, vd.risk_rule);
		v->verdict.risk_score = vd.risk_score;
	}
}

/* the rule that suppresses a command, or NULL: scores are for shells */
static const char *judge_command(struct events *ev, struct exec_view *v)
{
	struct rules_verdict vd;

	if (!ev->rules || !rules_count(ev->rules))
		return NULL;
	rules_judge(ev->rules, rule_fields_lookup, v, &vd);
	return vd.suppressed_by >= 0 ? rules_name(ev->rules, vd.suppressed_by) :
				       NULL;
}

/*
 * a command record for the exec src views, in cmd (src itself for a
 * command, a copy for a shell that is also its session's command): the
 * session's identity and verdict when it is known (a suppressed session's
 * commands are suppressed), else its own
 */
static int write_command(struct events *ev, struct exec_view *cmd,
			 const struct exec_view *src)
{
	struct ident *sess = ev->tracker ? tracker_session(ev->tracker, src->ex) :
					   NULL;
	const char *by = sess ? sess->suppressed_by : NULL;
	int n;

	exec_view_command(cmd, src, sess ? sess->entry : src->entry);
	if (!by)
		by = judge_command(ev, cmd);
	if (by) {
		ev->commands_suppressed++;
		if (!ev->show_suppressed)
			return 0;
	}
	n = ev->sink->command(ev->sink->ctx, cmd, by);
	if (n < 0)
		return failed(ev, n);
	if (!n)
		ev->commands_dropped++;
	else if (!by)
		ev->commands++;
	return 0;
}

/* ex's view in v, with the pod the identity stage gives it */
static void view_exec(struct events *ev, struct exec_view *v,
		      const struct sw_exec *ex)
{
	const struct pod_ident *pod = NULL;

	if (ev->identity) {
		identity_resolve(ev->identity, ex->cgroup, ex->cgroup_v1,
				 &v->pod);
		pod = &v->pod;
	}
	exec_view_init(v, ex, pod, ev->ctx);
	v->found_ns = ex->found_at_start ? ev->found_ns : 0;
}

/* a command in a session: its pod, its view, its record */
static int take_command(struct events *ev, struct sw_exec *ex)
{
	view_exec(ev, ev->view, ex);
	return write_command(ev, ev->view, ev->view);
}

static int write_exec(struct events *ev, struct sw_exec *ex)
{
	struct exec_view *v = ev->view;
	int n, err;

	view_exec(ev, v, ex);
	/* a shell started in a session is also one of its commands */
	if ((ex->flags & (SW_F_TRAIL | SW_F_TRAIL_DROPPED)) == SW_F_TRAIL) {
		err = write_command(ev, ev->command_view, v);
		if (err)
			return err;
	}
	/* the daemon's table is full: the record says it is not tracked */
	if (ev->tracker && tracker_full(ev->tracker) &&
	    !(ex->flags & (SW_F_TRACK_OVER | SW_F_TRACK_NOMEM)) &&
	    !tracker_tracks(ev->tracker, ex)) {
		ex->flags |= SW_F_TRACK_OVER;
		ev->tracker->over_limit++;
	}
	judge(ev, v);
	if (v->verdict.suppressed_by && !ev->show_suppressed) {
		/* its number is not used: suppression is no loss */
		ev->suppressed++;
	} else {
		n = ev->sink->exec(ev->sink->ctx, v);
		if (n < 0)
			return failed(ev, n);
		if (v->verdict.suppressed_by)
			ev->suppressed++;
		/* dropped by a full queue, or too big to write: lost */
		else if (!n)
			ev->exec_dropped++;
		else
			ev->reported++;
	}
	if (!ev->tracker)
		return 0;
	return failed(ev, tracker_exec(ev->tracker, v));
}

/* fork, exit and exec-away records of tracked processes */
static int on_proc(struct events *ev, const void *data, size_t size)
{
	const struct sw_proc_event *pe = data;

	if (size < sizeof(*pe)) {
		ev->malformed++;
		return 0;
	}
	if (!ev->tracker)
		return 0;
	if (pe->type == SW_EVENT_FORK)
		return failed(ev, tracker_fork(ev->tracker, pe));
	return failed(ev, tracker_end(ev->tracker, pe));
}

/* whether ex is a shell, by its content where the judge knows it */
static bool judged(struct events *ev, struct sw_exec *ex)
{
	bool shell = ev->judge ? judge_record(ev->judge, ex) : true;

	return ev->verdict_fn ? ev->verdict_fn(ev->verdict_ctx, ex, shell) :
				shell;
}

/* the kinds of ring record: 1 an exec or command, 0 a fork, exit or
 * exec-away, -1 none (malformed) */
static int record_kind(const void *data, size_t size)
{
	uint32_t type;

	if (size < sizeof(type))
		return -1;
	memcpy(&type, data, sizeof(type));
	switch (type) {
	case SW_EVENT_EXEC:
	case SW_EVENT_COMMAND:
		return 1;
	case SW_EVENT_FORK:
	case SW_EVENT_EXIT:
	case SW_EVENT_EXEC_AWAY:
		return 0;
	}
	return -1;
}

/* a record that is not one: counted, and dropped */
static int refused(struct events *ev)
{
	ev->malformed++;
	return 0;
}

/*
 * an exec or command record, decode_exec() having said dec of it into
 * ev->ex: named, judged, tracked and handed to the sink
 */
static int take_exec(struct events *ev, size_t size, int dec)
{
	struct sw_exec *ex = ev->ex;
	int err;

	if (dec) {
		if (!ev->malformed++)
			fprintf(stderr, "shellwatch: dropped a malformed ring buffer record of %zu bytes\n",
				size);
		return 0;
	}
	if (ex->type == SW_EVENT_COMMAND)
		return take_command(ev, ex);
	if (seen_by_scan(ev, ex)) {
		ev->duplicates++;
		return 0;
	}
	if (!judged(ev, ex)) {
		/* no shell: in a session, it was one of its commands */
		if (ex->flags & SW_F_TRAIL) {
			ex->type = SW_EVENT_COMMAND;
			return take_command(ev, ex);
		}
		return 0;
	}
	/* a shell the kernel did not know: tracked from now on */
	if (ex->flags & SW_F_CANDIDATE) {
		ev->candidate_shells++;
		err = ev->sensor ? sensor_track_exec(ev->sensor, ex) : 0;
		if (err == -ENOSPC)
			ex->flags |= SW_F_TRACK_OVER;
		else if (err)
			ev->candidates_untracked++;
	}
	/* a write error stops the ring buffer's consume loop */
	return write_exec(ev, ex);
}

int events_on_record(void *ctx, void *data, size_t size)
{
	struct events *ev = ctx;
	int kind = record_kind(data, size);

	if (kind < 0)
		return refused(ev);
	if (!kind)
		return on_proc(ev, data, size);
	return take_exec(ev, size, decode_exec(data, size, ev->ex));
}

/* whether the exec in ev->ex waits for its pod's names */
static bool waits_for_names(struct events *ev)
{
	struct pod_ident pod;

	identity_peek(ev->identity, ev->ex->cgroup, ev->ex->cgroup_v1, &pod);
	return identity_may_wait(ev->identity, &pod);
}

/* park's ready callback, asked of the oldest that waits: its names came,
 * or its container was given up on meanwhile */
static bool names_ready(void *ctx, const void *data, size_t size)
{
	struct events *ev = ctx;

	return !ev->identity || decode_exec(data, size, ev->ex) ||
	       !waits_for_names(ev);
}

/* a record taken: the recording hears it after the pipeline took it */
static int heard(struct events *ev, const void *data, size_t size, int ret)
{
	if (ev->heard_fn)
		ev->heard_fn(ev->heard_ctx, data, size);
	return ret;
}

/* park's out callback: a parked record goes, decoded once more */
static int take(void *ctx, void *data, size_t size, enum park_why why)
{
	struct events *ev = ctx;
	struct pod_ident pod;
	int kind = record_kind(data, size), dec;

	if (kind <= 0)
		return heard(ev, data, size, kind ? refused(ev) :
					     on_proc(ev, data, size));
	dec = decode_exec(data, size, ev->ex);
	/*
	 * waited in vain, to its deadline or pushed out at the bound by the
	 * records behind it: the container's next records do not wait (else
	 * a flood keeps each of them waiting, and the park full)
	 */
	if ((why == PARK_EXPIRED || why == PARK_OVER_BOUND) && ev->identity &&
	    !dec) {
		identity_peek(ev->identity, ev->ex->cgroup, ev->ex->cgroup_v1,
			      &pod);
		if (pod.names == POD_NAMES_NO_LINK)
			identity_gave_up(ev->identity, pod.container_id);
	}
	return heard(ev, data, size, take_exec(ev, size, dec));
}

/*
 * decoded once: a record that waits for nothing, with nothing parked
 * before it, goes through at once from its decoding; the others are
 * parked as they came
 */
int events_on_ring(void *ctx, void *data, size_t size)
{
	struct events *ev = ctx;
	uint64_t deadline = 0;
	int kind = record_kind(data, size), dec = 0;

	if (kind > 0) {
		dec = decode_exec(data, size, ev->ex);
		if (!dec && ev->identity && waits_for_names(ev))
			deadline = clock_boot_now() +
				   IDENTITY_WAIT_MS * (NSEC_PER_SEC / 1000);
	}
	if (deadline || park_count(&ev->park))
		return failed(ev, park_push(&ev->park, data, size, deadline,
					    take, ev));
	if (kind < 0)
		return heard(ev, data, size, refused(ev));
	if (!kind)
		return heard(ev, data, size, on_proc(ev, data, size));
	return heard(ev, data, size, take_exec(ev, size, dec));
}

int events_release(struct events *ev, size_t max)
{
	int n = park_release(&ev->park, clock_boot_now(), max, names_ready,
			     take, ev);

	return n < 0 ? failed(ev, n) : n;
}

int events_flush(struct events *ev)
{
	int n = park_flush(&ev->park, take, ev);

	return n < 0 ? failed(ev, n) : n;
}

uint64_t events_next_deadline(const struct events *ev)
{
	return park_next_deadline(&ev->park);
}

int events_on_found(const struct sw_exec *ex, void *ctx)
{
	return events_found(ctx, ex, clock_boot_now());
}

int events_found(struct events *ev, const struct sw_exec *ex,
		 uint64_t found_ns)
{
	struct scanned *s;
	bool over = false;

	if (ev->nscanned == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 64;

		s = realloc(ev->scanned, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		ev->scanned = s;
		ev->cap = cap;
	}
	ev->scanned[ev->nscanned++] = (struct scanned){
		.pid = ex->pid,
		.start_ticks = ex->start_ns / ev->tick_ns,
		.read_ns = found_ns,
	};
	/* its forks and exit reach the kernel's tracking from now on */
	if (ev->sensor) {
		uint32_t ids[4] = { ex->uid, ex->euid, ex->gid, ex->egid };

		over = sensor_track(ev->sensor, ex->pid, ex->start_ns, ids) ==
		       -ENOSPC;
	}
	/* the decode scratch is free: no ring record is read during the scan */
	*ev->ex = *ex;
	if (over)
		ev->ex->flags |= SW_F_TRACK_OVER;
	ev->found_ns = found_ns;
	return write_exec(ev, ev->ex);
}
