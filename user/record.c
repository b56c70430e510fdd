// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "classify.h"
#include "clock.h"
#include "exec_view.h"
#include "record.h"
#include "users.h"

void record_time(struct jsonw *w, const char *key, uint64_t real_ns)
{
	char buf[CLOCK_RFC3339_LEN];

	if (clock_rfc3339(real_ns, buf, sizeof(buf)))
		jsonw_null(w, key);
	else
		jsonw_string(w, key, buf);
}

uint64_t record_real(const struct sw_context *ctx, uint64_t boot_ns)
{
	return boot_ns + ctx->boot_offset;
}

/* the HEC envelope of an event: the record goes in "event" */
static void hec_begin(struct jsonw *w, const struct sw_context *ctx,
		      const char *type, uint64_t real_ns)
{
	char sourcetype[64];

	snprintf(sourcetype, sizeof(sourcetype), "shellwatch:%s", type);
	jsonw_double(w, "time", (double)real_ns / NSEC_PER_SEC, 6);
	jsonw_string(w, "host", ctx->host_name);
	jsonw_string(w, "source", "shellwatch");
	jsonw_string(w, "sourcetype", sourcetype);
	jsonw_start_object(w, "event");
}

void record_begin(struct jsonw *w, const struct sw_context *ctx,
		  const char *type, uint64_t real_ns, uint64_t seq)
{
	jsonw_start_object(w, NULL);
	if (ctx->format == SW_FORMAT_HEC)
		hec_begin(w, ctx, type, real_ns);
	jsonw_string(w, "type", type);
	jsonw_string(w, "schema", SW_SCHEMA_VERSION);
	record_time(w, "time", real_ns);
	jsonw_uint(w, "seq", seq);
}

void record_end(struct jsonw *w, const struct sw_context *ctx)
{
	if (ctx->format == SW_FORMAT_HEC)
		jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_newline(w);
}

/* a string, or null when empty: names the cgroup or the index lacked */
static void string_or_null(struct jsonw *w, const char *key, const char *s)
{
	if (s && s[0])
		jsonw_string(w, key, s);
	else
		jsonw_null(w, key);
}

/* a null, which compact records leave out */
void record_null(struct jsonw *w, const struct sw_context *ctx,
		 const char *key)
{
	if (!sw_compact(ctx))
		jsonw_null(w, key);
}

/* a flag, which compact records write only when it is set */
void record_flag(struct jsonw *w, const struct sw_context *ctx,
		 const char *key, bool on)
{
	if (on || !sw_compact(ctx))
		jsonw_bool(w, key, on);
}

/* string_or_null(), with the null left out of compact records */
static void string_or_none(struct jsonw *w, const struct sw_context *ctx,
			   const char *key, const char *s)
{
	if (s && s[0])
		jsonw_string(w, key, s);
	else
		record_null(w, ctx, key);
}

static bool known(const char *s)
{
	return s && s[0];
}

/* k8s.<key>.name; in compact records, nothing when the name is unknown */
static void named(struct jsonw *w, const struct sw_context *ctx,
		  const char *key, const char *name)
{
	if (sw_compact(ctx) && !known(name))
		return;
	jsonw_start_object(w, key);
	string_or_null(w, "name", name);
	jsonw_end_object(w);
}

/* the pod's k8s.* names: compact records have none for a host process */
static void put_pod(struct jsonw *w, const struct sw_context *ctx,
		    const struct pod_ident *pod, bool brief)
{
	const char *status = pod_names_name(pod->names);

	named(w, ctx, "namespace", pod->namespace);
	if (!sw_compact(ctx) || known(pod->pod_name) ||
	    (!brief && known(pod->pod_uid))) {
		jsonw_start_object(w, "pod");
		string_or_none(w, ctx, "name", pod->pod_name);
		if (!brief)
			string_or_none(w, ctx, "uid", pod->pod_uid);
		jsonw_end_object(w);
	}
	named(w, ctx, "container", pod->container_name);
	if (brief)
		return;
	/* why a pod's container has no names, or where they came from */
	string_or_none(w, ctx, "names_status", status);
}

static void host_names(struct jsonw *w, const struct sw_context *ctx,
		       const struct pod_ident *pod, bool brief)
{
	jsonw_start_object(w, "host");
	jsonw_string(w, "name", ctx->host_name);
	jsonw_end_object(w);
	jsonw_start_object(w, "k8s");
	named(w, ctx, "cluster", ctx->cluster_name);
	named(w, ctx, "node", ctx->node_name);
	if (pod && !(sw_compact(ctx) && pod->scope == POD_SCOPE_HOST))
		put_pod(w, ctx, pod, brief);
	jsonw_end_object(w);
}

void record_host(struct jsonw *w, const struct sw_context *ctx,
		 const struct pod_ident *pod)
{
	host_names(w, ctx, pod, false);
}

void record_host_brief(struct jsonw *w, const struct sw_context *ctx,
		       const struct pod_ident *pod)
{
	host_names(w, ctx, pod, sw_compact(ctx));
}

void record_placement(struct jsonw *w, const struct sw_context *ctx,
		      const struct pod_ident *pod, const char *entry)
{
	jsonw_string(w, "scope", pod_scope_name(pod->scope));
	jsonw_string(w, "entry", entry);
	if (sw_compact(ctx) && !known(pod->container_id) && !known(pod->runtime))
		return;
	jsonw_start_object(w, "container");
	string_or_none(w, ctx, "id", pod->container_id);
	string_or_none(w, ctx, "runtime", pod->runtime);
	jsonw_end_object(w);
}

int record_exec_id(const struct sw_exec *ex, const struct sw_context *ctx,
		   char *buf, size_t len)
{
	return exec_id_format(buf, len, ctx->boot_id, ex->pid, ex->start_ns,
			      ex->exec_ns);
}

/* argv elements as an array; the last one may be cut by the capture limit */
size_t record_args(struct jsonw *w, const struct sw_exec *ex)
{
	size_t off = 0, len, n = 0;

	jsonw_start_array(w, "command_args");
	while (off < ex->argv_len) {
		len = strnlen(ex->argv + off, ex->argv_len - off);
		jsonw_string_n(w, NULL, ex->argv + off, len);
		off += len + 1;
		n++;
	}
	jsonw_end_array(w);
	return n;
}

void record_command_line_field(struct jsonw *w, const struct exec_view *v)
{
	jsonw_string_n(w, "command_line", v->command_line, v->command_line_len);
}

/* a user or group object under key: id, and name (as ex sees it) when known */
static void put_user(struct jsonw *w, struct exec_view *v, const char *key,
		     enum exec_view_name which, uint32_t id)
{
	const char *name = exec_view_name(v, which);

	jsonw_start_object(w, key);
	jsonw_uint(w, "id", id);
	if (name[0])
		jsonw_string(w, "name", name);
	jsonw_end_object(w);
}

void record_users(struct jsonw *w, struct exec_view *v)
{
	const struct sw_exec *ex = v->ex;
	bool compact = sw_compact(v->ctx);

	/*
	 * OpenTelemetry's process.owner: the effective user's name, else its
	 * id; compact records leave it to user, and the real ids to user and
	 * group when they are the same
	 */
	if (!compact)
		jsonw_string(w, "owner", exec_view_owner(v));
	put_user(w, v, "user", EXEC_VIEW_USER, ex->euid);
	if (!compact || ex->uid != ex->euid)
		put_user(w, v, "real_user", EXEC_VIEW_REAL_USER, ex->uid);
	put_user(w, v, "group", EXEC_VIEW_GROUP, ex->egid);
	if (!compact || ex->gid != ex->egid)
		put_user(w, v, "real_group", EXEC_VIEW_REAL_GROUP, ex->gid);
}

static void audit_id(struct jsonw *w, const struct sw_context *ctx,
		     const char *key, uint32_t id)
{
	if (id != (uint32_t)-1)
		jsonw_uint(w, key, id);
	else
		record_null(w, ctx, key);
}

void record_audit(struct jsonw *w, const struct sw_context *ctx,
		  const struct sw_exec *ex)
{
	if (sw_compact(ctx) && ex->loginuid == (uint32_t)-1 &&
	    ex->audit_session == (uint32_t)-1)
		return;
	jsonw_start_object(w, "audit");
	audit_id(w, ctx, "login_uid", ex->loginuid);
	audit_id(w, ctx, "session_id", ex->audit_session);
	jsonw_end_object(w);
}

/* process.interactive and process.tty.name */
void record_tty(struct jsonw *w, const struct sw_context *ctx,
		const struct sw_exec *ex)
{
	bool tty = ex->flags & SW_F_TTY;

	record_flag(w, ctx, "interactive", tty);
	if (!tty && sw_compact(ctx))
		return;
	jsonw_start_object(w, "tty");
	if (tty)
		jsonw_string(w, "name", ex->tty);
	else
		jsonw_null(w, "name");
	jsonw_end_object(w);
}

/* cgroup.*: its id and paths */
void record_cgroup(struct jsonw *w, const struct sw_context *ctx,
		   const struct sw_exec *ex)
{
	jsonw_start_object(w, "cgroup");
	jsonw_uint(w, "id", ex->cgroup_id);
	jsonw_string(w, "path", ex->cgroup);
	string_or_none(w, ctx, "v1_path", ex->cgroup_v1);
	jsonw_end_object(w);
}

void record_truncated(struct jsonw *w, const struct sw_context *ctx,
		      const struct sw_exec *ex)
{
	static const struct {
		uint32_t flag;
		const char *field;
	} fields[] = {
		{ SW_F_ARGV_TRUNC | SW_F_ARGV_FAULT, "process.command_args" },
		{ SW_F_EXE_TRUNC, "process.executable.path" },
		{ SW_F_FILENAME_TRUNC, "process.invoked.path" },
		{ SW_F_INTERP_TRUNC, "process.interpreter.path" },
		{ SW_F_CWD_TRUNC, "process.working_directory" },
		{ SW_F_PARENT_EXE_TRUNC, "process.parent.executable.path" },
		{ SW_F_CGROUP_TRUNC | SW_F_CGROUP_DEEP, "cgroup.path" },
		{ SW_F_CGROUP_V1_TRUNC | SW_F_CGROUP_V1_DEEP, "cgroup.v1_path" },
	};
	uint32_t all = 0;
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		all |= fields[i].flag;
	if (sw_compact(ctx) && !(ex->flags & all))
		return;
	jsonw_start_array(w, "truncated");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (ex->flags & fields[i].flag)
			jsonw_string(w, NULL, fields[i].field);
	jsonw_end_array(w);
}

static void put_ancestors(struct jsonw *w, const struct sw_context *ctx,
			  const struct sw_exec *ex)
{
	int i;

	if (sw_compact(ctx) && !ex->ancestors[0][0])
		return;
	jsonw_start_array(w, "ancestors");
	for (i = 0; i < SW_ANCESTORS && ex->ancestors[i][0]; i++)
		jsonw_string(w, NULL, ex->ancestors[i]);
	jsonw_end_array(w);
}

void record_process(struct jsonw *w, struct exec_view *v, bool ancestors)
{
	const struct sw_context *ctx = v->ctx;
	const struct sw_exec *ex = v->ex;
	bool compact = sw_compact(ctx);
	size_t nargs;

	jsonw_start_object(w, "process");
	jsonw_uint(w, "pid", ex->pid);
	/* compact records: the pid in the process's own namespace when other */
	if (!compact || ex->vpid != ex->pid)
		jsonw_uint(w, "vpid", ex->vpid);
	jsonw_uint(w, "parent_pid", ex->ppid);
	jsonw_start_object(w, "session_leader");
	jsonw_uint(w, "pid", ex->sid);
	jsonw_end_object(w);

	jsonw_start_object(w, "executable");
	jsonw_string(w, "name", v->invoked);
	jsonw_string(w, "path", ex->exe);
	record_flag(w, ctx, "fileless", ex->flags & SW_F_FILELESS);
	jsonw_end_object(w);
	jsonw_start_object(w, "invoked");
	jsonw_string(w, "path", ex->filename);
	jsonw_end_object(w);
	if (ex->flags & SW_F_SCRIPT) {
		jsonw_start_object(w, "interpreter");
		jsonw_string(w, "path", ex->interp);
		jsonw_end_object(w);
		jsonw_start_object(w, "script");
		jsonw_string(w, "path", ex->filename);
		jsonw_end_object(w);
	}
	record_command_line_field(w, v);
	nargs = record_args(w, ex);
	/* compact records: the count only when the array is not the whole argv */
	if (!compact || ex->flags & (SW_F_ARGV_TRUNC | SW_F_ARGV_FAULT) ||
	    nargs != ex->argc)
		jsonw_uint(w, "args_count", ex->argc);

	record_users(w, v);
	record_audit(w, ctx, ex);
	record_tty(w, ctx, ex);
	jsonw_string(w, "working_directory", ex->cwd);
	jsonw_start_object(w, "creation");
	record_time(w, "time", record_real(ctx, ex->start_ns));
	jsonw_end_object(w);

	record_parent(w, ctx, ex);
	if (ancestors)
		put_ancestors(w, ctx, ex);
	record_namespace(w, ex);
	jsonw_end_object(w);
}

void record_parent(struct jsonw *w, const struct sw_context *ctx,
		   const struct sw_exec *ex)
{
	int host = exec_host_view(ex, true);

	jsonw_start_object(w, "parent");
	/* compact records: process.parent_pid says it */
	if (!sw_compact(ctx))
		jsonw_uint(w, "pid", ex->ppid);
	jsonw_start_object(w, "executable");
	jsonw_string(w, "name", ex->parent_comm);
	jsonw_string(w, "path", ex->parent_exe);
	jsonw_end_object(w);
	/*
	 * whose view the path is; an older recording does not say, and
	 * compact records do not when it is the process's own
	 */
	if (host >= 0 && !(sw_compact(ctx) && ex->parent_mntns == ex->mntns &&
			   host == exec_host_view(ex, false))) {
		jsonw_start_object(w, "namespace");
		jsonw_uint(w, "mnt", ex->parent_mntns);
		jsonw_end_object(w);
		jsonw_bool(w, "host_view", host);
	}
	jsonw_end_object(w);
}

void record_namespace(struct jsonw *w, const struct sw_exec *ex)
{
	int host = exec_host_view(ex, false);

	jsonw_start_object(w, "namespace");
	jsonw_uint(w, "pid", ex->pidns);
	jsonw_uint(w, "mnt", ex->mntns);
	jsonw_end_object(w);
	if (host >= 0)
		jsonw_bool(w, "host_view", host);
}

#define SW_RISK_SCORE	25	/* impact 50 x confidence 50 / 100 */

static uint64_t risk_score(const struct exec_verdict *vd)
{
	/* a rule's score, when one set it */
	return vd->risk_rule ? (uint64_t)vd->risk_score : SW_RISK_SCORE;
}

/*
 * compact records: what varies, and the technique's id; the rest is the
 * detection's own (its YAML file in detections/)
 */
static void put_detection_brief(struct jsonw *w,
				const struct exec_verdict *vd,
				const struct sw_context *ctx)
{
	jsonw_start_object(w, "detection");
	jsonw_string(w, "name", SW_DETECTION_NAME);
	jsonw_uint(w, "risk_score", risk_score(vd));
	if (vd->risk_rule)
		jsonw_string(w, "risk_rule", vd->risk_rule);
	jsonw_string(w, "risk_object", ctx->host_name);
	jsonw_start_object(w, "mitre_attack");
	jsonw_string(w, "technique_id", "T1204");
	jsonw_end_object(w);
	jsonw_end_object(w);
}

static void put_detection(struct jsonw *w, const struct exec_verdict *vd,
			  const struct sw_context *ctx)
{
	char msg[512];

	/* a suppressed shell is no detection */
	if (vd->suppressed_by) {
		record_null(w, ctx, "detection");
		return;
	}
	if (sw_compact(ctx)) {
		put_detection_brief(w, vd, ctx);
		return;
	}
	snprintf(msg, sizeof(msg),
		 "Kubernetes shell running on worker node on host %s",
		 ctx->host_name);
	jsonw_start_object(w, "detection");
	jsonw_string(w, "name", SW_DETECTION_NAME);
	jsonw_uint(w, "risk_score", risk_score(vd));
	jsonw_uint(w, "impact", 50);
	jsonw_uint(w, "confidence", 50);
	if (vd->risk_rule)
		jsonw_string(w, "risk_rule", vd->risk_rule);
	else
		jsonw_null(w, "risk_rule");
	jsonw_string(w, "risk_object", ctx->host_name);
	jsonw_string(w, "risk_object_type", "system");
	jsonw_string(w, "message", msg);
	jsonw_start_object(w, "mitre_attack");
	jsonw_string(w, "technique_id", "T1204");
	jsonw_string(w, "technique", "User Execution");
	jsonw_string(w, "tactic", "Execution");
	jsonw_end_object(w);
	jsonw_end_object(w);
}

static void put_shell(struct jsonw *w, const struct exec_view *v)
{
	const struct sw_context *ctx = v->ctx;
	const struct sw_exec *ex = v->ex;

	jsonw_start_object(w, "shell");
	jsonw_string(w, "name", v->shell);
	jsonw_string(w, "matched_by", classify_match_name(ex->match));
	record_flag(w, ctx, "script", ex->flags & SW_F_SCRIPT);
	record_flag(w, ctx, "multicall", ex->flags & SW_F_MULTICALL);
	if (ex->match == SW_MATCH_LOADER)
		jsonw_string(w, "loaded_path", ex->loaded);
	else
		record_null(w, ctx, "loaded_path");
	jsonw_end_object(w);
}

void record_exec_view(struct jsonw *w, struct exec_view *v, uint64_t seq)
{
	const struct sw_context *ctx = v->ctx;
	const struct sw_exec *ex = v->ex;
	uint64_t t;

	/* exec records carry the kernel's exec time; found ones the scan's */
	if (ex->exec_ns)
		t = record_real(ctx, ex->exec_ns);
	else
		t = v->found_ns ? record_real(ctx, v->found_ns) : clock_real_now();
	record_begin(w, ctx, "exec", t, seq);
	if (v->id_err)
		record_null(w, ctx, "exec_id");
	else
		jsonw_string(w, "exec_id", v->id);
	record_flag(w, ctx, "found_at_start", ex->found_at_start);
	record_host(w, ctx, &v->pod);
	record_placement(w, ctx, &v->pod, v->entry);
	record_process(w, v, true);
	record_cgroup(w, ctx, ex);
	put_shell(w, v);
	record_truncated(w, ctx, ex);
	/* no windows, forks or exit will follow: say why */
	if (ex->flags & SW_F_TRACK_OVER)
		jsonw_string(w, "untracked", "over_limit");
	else if (ex->flags & SW_F_TRACK_NOMEM)
		jsonw_string(w, "untracked", "no_memory");
	if (v->verdict.suppressed_by)
		jsonw_string(w, "suppressed_by", v->verdict.suppressed_by);
	put_detection(w, &v->verdict, ctx);
	record_end(w, ctx);
}

void record_exec(struct jsonw *w, const struct sw_exec *ex,
		 const struct pod_ident *pod, const struct sw_context *ctx,
		 uint64_t seq)
{
	struct exec_view v;

	exec_view_init(&v, ex, pod, ctx);
	record_exec_view(w, &v, seq);
}
