// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* window and exit records of tracked processes */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "clock.h"
#include "record.h"

static double seconds(uint64_t ns)
{
	return (double)ns / NSEC_PER_SEC;
}

/*
 * the length of s's first max bytes, not cutting a UTF-8 sequence in two
 * (the cut ends before a continuation byte); strlen(s) when shorter
 */
static size_t prefix_len(const char *s, size_t max)
{
	size_t n = strnlen(s, max + 1);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80 && max - n < 3)
		n--;
	return n;
}

static void put_command_line(struct jsonw *w, const struct sw_context *ctx,
			     const char *line)
{
	size_t n;

	n = prefix_len(line, ctx->fields == SW_FIELDS_FULL ? SW_FULL_LINE_MAX :
							     SW_COMPACT_LINE_MAX);
	jsonw_string_n(w, "command_line", line, n);
	if (line[n])
		jsonw_bool(w, "command_line_truncated", true);
}

/*
 * what identifies the process, as its exec record said; compact records
 * keep what searches group by: host, cluster, node, the pod's names, scope,
 * pid, executable name, exec_id and the command line's first bytes
 */
static void put_identity(struct jsonw *w, const struct sw_context *ctx,
			 const struct proc *p)
{
	const struct ident *id = p->ident;
	bool full = !sw_compact(ctx);

	jsonw_string(w, "exec_id", p->exec_id);
	if (p->forked)
		jsonw_string(w, "parent_exec_id", p->parent_exec_id);
	else
		record_null(w, ctx, "parent_exec_id");
	record_host_brief(w, ctx, id ? &id->pod : NULL);
	if (id && full)
		record_placement(w, ctx, &id->pod, id->entry);
	else if (id)
		jsonw_string(w, "scope", pod_scope_name(id->pod.scope));
	jsonw_start_object(w, "process");
	jsonw_uint(w, "pid", p->pid);
	if (full)
		jsonw_uint(w, "parent_pid", p->ppid);
	record_flag(w, ctx, "forked", p->forked);
	jsonw_start_object(w, "executable");
	jsonw_string(w, "name", id ? id->name : "");
	if (full)
		jsonw_string(w, "path", id ? id->path : "");
	jsonw_end_object(w);
	put_command_line(w, ctx, id ? id->command_line : "");
	if (full) {
		jsonw_start_object(w, "user");
		jsonw_uint(w, "id", id ? id->uid : 0);
		jsonw_end_object(w);
	}
}

/* shown with --show-suppressed only: the rule that allowed the shell */
static void put_suppressed(struct jsonw *w, const struct proc *p)
{
	if (p->ident && p->ident->suppressed_by)
		jsonw_string(w, "suppressed_by", p->ident->suppressed_by);
}

/* only in full records: the pod fields name where it runs */
static void put_cgroup(struct jsonw *w, const struct sw_context *ctx,
		       const struct proc *p)
{
	if (ctx->fields != SW_FIELDS_FULL)
		return;
	jsonw_start_object(w, "cgroup");
	jsonw_string(w, "path", p->ident ? p->ident->cgroup : "");
	jsonw_end_object(w);
}

/* alive: the seconds it lived in the window, which a folded one's exit
 * record says as its lifetime */
static void put_window_span(struct jsonw *w, const struct window_measure *m,
			    bool alive)
{
	jsonw_start_object(w, "window");
	record_time(w, "start", m->bucket_start);
	record_time(w, "end", m->bucket_end);
	jsonw_seconds(w, "seconds", m->bucket_end - m->bucket_start);
	if (alive)
		jsonw_seconds(w, "alive_seconds", m->alive_ns);
	jsonw_end_object(w);
}

static void put_window_json(struct jsonw *w, const struct sw_context *ctx,
			    const struct proc *p,
			    const struct window_measure *m, uint64_t seq)
{
	record_begin(w, ctx, "window", m->bucket_start, seq);
	put_identity(w, ctx, p);
	jsonw_start_object(w, "cpu");
	jsonw_double(w, "utilization", m->cpu_utilization, 9);
	jsonw_seconds(w, "time", m->cpu_ns);
	jsonw_seconds(w, "user_time", m->user_ns);
	jsonw_seconds(w, "system_time", m->system_ns);
	jsonw_end_object(w);
	jsonw_start_object(w, "memory");
	jsonw_uint(w, "usage", m->rss_bytes);
	jsonw_double(w, "utilization", m->memory_utilization, 9);
	jsonw_end_object(w);
	jsonw_end_object(w);
	put_window_span(w, m, true);
	put_cgroup(w, ctx, p);
	put_suppressed(w, p);
	record_end(w, ctx);
}

/* a dimension only when known: Splunk drops empty ones anyway */
static void hec_dim(struct jsonw *w, const char *key, const char *value)
{
	if (value && value[0])
		jsonw_string(w, key, value);
}

/* a HEC multi-metric event: metric values and their dimensions, flat */
static void put_window_hec(struct jsonw *w, const struct sw_context *ctx,
			   const struct proc *p,
			   const struct window_measure *m, uint64_t seq)
{
	const struct ident *id = p->ident;

	jsonw_start_object(w, NULL);
	jsonw_double(w, "time", seconds(m->bucket_start), 6);
	jsonw_string(w, "host", ctx->host_name);
	jsonw_string(w, "source", "shellwatch");
	jsonw_string(w, "event", "metric");
	jsonw_start_object(w, "fields");
	jsonw_double(w, "metric_name:process.cpu.utilization",
		     m->cpu_utilization, 9);
	jsonw_double(w, "metric_name:process.memory.utilization",
		     m->memory_utilization, 9);
	jsonw_seconds(w, "metric_name:process.cpu.time", m->cpu_ns);
	jsonw_uint(w, "metric_name:process.memory.usage", m->rss_bytes);
	jsonw_string(w, "host.name", ctx->host_name);
	jsonw_string(w, "k8s.cluster.name", ctx->cluster_name);
	jsonw_string(w, "k8s.node.name", ctx->node_name);
	jsonw_uint(w, "process.pid", p->pid);
	jsonw_uint(w, "process.parent_pid", p->ppid);
	jsonw_string(w, "process.executable.name", id ? id->name : "");
	jsonw_string(w, "process.executable.path", id ? id->path : "");
	jsonw_string(w, "exec_id", p->exec_id);
	jsonw_string(w, "cgroup.path", id ? id->cgroup : "");
	if (id) {
		jsonw_string(w, "scope", pod_scope_name(id->pod.scope));
		hec_dim(w, "k8s.namespace.name", id->pod.namespace);
		hec_dim(w, "k8s.pod.name", id->pod.pod_name);
		hec_dim(w, "k8s.pod.uid", id->pod.pod_uid);
		hec_dim(w, "k8s.container.name", id->pod.container_name);
		hec_dim(w, "container.id", id->pod.container_id);
		hec_dim(w, "suppressed_by", id->suppressed_by);
	}
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_newline(w);
	/* seq would make every window a series of its own in a metrics
	 * index: it is not written here, and a gap still shows in events */
	(void)seq;
}

void record_window(struct jsonw *w, const struct sw_context *ctx,
		   const struct proc *p, const struct window_measure *m,
		   uint64_t seq)
{
	if (ctx->format == SW_FORMAT_HEC)
		put_window_hec(w, ctx, p, m, seq);
	else
		put_window_json(w, ctx, p, m, seq);
}

/* a session shell's trail, as the kernel counted it; compact records
 * leave out a trail with nothing in it */
static void put_session(struct jsonw *w, const struct sw_context *ctx,
			const struct sw_session *s)
{
	if (sw_compact(ctx) && !s->sent && !s->over_rate && !s->over_count &&
	    !s->too_deep)
		return;
	jsonw_start_object(w, "session");
	jsonw_uint(w, "commands", s->sent);
	jsonw_uint(w, "commands_over_rate", s->over_rate);
	jsonw_uint(w, "commands_over_count", s->over_count);
	jsonw_uint(w, "commands_too_deep", s->too_deep);
	jsonw_end_object(w);
}

void record_exit(struct jsonw *w, const struct sw_context *ctx,
		 const struct proc *p, const struct sw_exit_info *x,
		 uint64_t seq)
{
	const struct window_measure *m = x->window;
	int sig = x->status & 0x7f;
	char name[32];

	record_begin(w, ctx, "exit", record_real(ctx, x->time_ns), seq);
	put_identity(w, ctx, p);
	jsonw_start_object(w, "exit");
	/* compact records: the record's time says it */
	if (!sw_compact(ctx))
		record_time(w, "time", record_real(ctx, x->time_ns));
	jsonw_string(w, "reason", x->lost ? "lost" : x->exec_name ? "exec" : "exit");
	if (x->lost) {
		/* the kernel's record of the end was lost: no status */
		record_null(w, ctx, "code");
		record_null(w, ctx, "signal");
	} else if (x->exec_name) {
		/* still running, as another program: no status */
		record_null(w, ctx, "code");
		record_null(w, ctx, "signal");
		jsonw_string(w, "exec_name", x->exec_name);
	} else if (sig) {
		record_null(w, ctx, "code");
		jsonw_uint(w, "signal", sig);
		snprintf(name, sizeof(name), "SIG%s", sigabbrev_np(sig) ?: "");
		jsonw_string(w, "signal_name", name);
		jsonw_bool(w, "core_dumped", x->status & 0x80);
	} else {
		jsonw_uint(w, "code", (x->status >> 8) & 0xff);
		record_null(w, ctx, "signal");
	}
	jsonw_seconds(w, "lifetime", x->time_ns > p->track_ns ?
		      x->time_ns - p->track_ns : 0);
	jsonw_end_object(w);
	jsonw_start_object(w, "cpu");
	jsonw_seconds(w, "time", x->cpu_ns);
	if (m) {
		jsonw_double(w, "utilization", m->cpu_utilization, 9);
		jsonw_seconds(w, "user_time", m->user_ns);
		jsonw_seconds(w, "system_time", m->system_ns);
	}
	jsonw_end_object(w);
	jsonw_start_object(w, "memory");
	jsonw_uint(w, "peak", x->peak_bytes);
	if (m) {
		jsonw_uint(w, "usage", m->rss_bytes);
		jsonw_double(w, "utilization", m->memory_utilization, 9);
	}
	jsonw_end_object(w);
	jsonw_end_object(w);
	if (m)
		put_window_span(w, m, !sw_compact(ctx));
	put_cgroup(w, ctx, p);
	put_suppressed(w, p);
	if (x->has_session)
		put_session(w, ctx, &x->session);
	record_end(w, ctx);
}
