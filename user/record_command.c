// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The command record: one program exec'd in a shell session, as the kernel
 * captured it at the exec, linked to the session's exec record.
 */
#include <errno.h>
#include <stdio.h>
#include "exec_view.h"
#include "record.h"

int record_session_id(const struct sw_exec *ex, const struct sw_context *ctx,
		      char *buf, size_t len)
{
	const struct sw_trail *t = &ex->trail;

	if (!(ex->flags & SW_F_TRAIL))
		return -EINVAL;
	return exec_id_format(buf, len, ctx->boot_id, t->sess_pid,
			      t->sess_start_ns, t->sess_exec_ns);
}

static void id_or_null(struct jsonw *w, const struct sw_context *ctx,
		       const char *key, int err, const char *id)
{
	if (err)
		record_null(w, ctx, key);
	else
		jsonw_string(w, key, id);
}

static void put_ids(struct jsonw *w, const struct exec_view *v)
{
	const struct sw_context *ctx = v->ctx;
	const struct sw_exec *ex = v->ex;
	const struct sw_trail *t = &ex->trail;
	char id[EXEC_ID_LEN];
	int err;

	id_or_null(w, ctx, "exec_id", v->exec_id_err, v->exec_id);
	jsonw_start_object(w, "command");
	/* a command's id is its exec's: a shell it starts has it as exec_id */
	id_or_null(w, ctx, "id", v->id_err, v->id);
	err = t->cmd_pid ? exec_id_format(id, sizeof(id), ctx->boot_id,
					  t->cmd_pid, t->cmd_start_ns,
					  t->cmd_exec_ns) : -ENOENT;
	id_or_null(w, ctx, "parent_id", err, id);
	/* the shell process (the shell, or a fork) that exec'd it */
	err = ex->flags & SW_F_TRAIL_FORK ?
	      exec_id_format(id, sizeof(id), ctx->boot_id, ex->pid,
			     t->fork_start_ns, t->fork_id_ns) : -ENOENT;
	id_or_null(w, ctx, "fork_exec_id", err, id);
	jsonw_uint(w, "depth", t->depth);
	record_flag(w, ctx, "starts_session", ex->type == SW_EVENT_EXEC);
	jsonw_end_object(w);
}

static void put_id(struct jsonw *w, const char *key, uint32_t id)
{
	jsonw_start_object(w, key);
	jsonw_uint(w, "id", id);
	jsonw_end_object(w);
}

/*
 * the session shell's ids, and whether the command runs with others; as in
 * process.*, compact records have the real ones only when they differ
 */
static void put_session(struct jsonw *w, const struct sw_context *ctx,
			const struct sw_exec *ex)
{
	const struct sw_trail *t = &ex->trail;
	bool compact = sw_compact(ctx);

	jsonw_start_object(w, "session");
	put_id(w, "user", t->sess_euid);
	if (!compact || t->sess_uid != t->sess_euid)
		put_id(w, "real_user", t->sess_uid);
	put_id(w, "group", t->sess_egid);
	if (!compact || t->sess_gid != t->sess_egid)
		put_id(w, "real_group", t->sess_gid);
	record_flag(w, ctx, "user_changed", ex->euid != t->sess_euid ||
					    ex->uid != t->sess_uid);
	record_flag(w, ctx, "group_changed", ex->egid != t->sess_egid ||
					     ex->gid != t->sess_gid);
	jsonw_end_object(w);
}

void record_command_view(struct jsonw *w, struct exec_view *v,
			 const char *suppressed_by, uint64_t seq)
{
	const struct sw_context *ctx = v->ctx;
	const struct sw_exec *ex = v->ex;

	record_begin(w, ctx, "command", record_real(ctx, ex->exec_ns), seq);
	put_ids(w, v);
	record_host(w, ctx, &v->pod);
	record_placement(w, ctx, &v->pod, v->entry);
	record_process(w, v, false);
	put_session(w, ctx, ex);
	record_cgroup(w, ctx, ex);
	record_truncated(w, ctx, ex);
	if (suppressed_by)
		jsonw_string(w, "suppressed_by", suppressed_by);
	record_end(w, ctx);
}

void record_command(struct jsonw *w, const struct sw_exec *ex,
		    const struct pod_ident *pod, const struct sw_context *ctx,
		    const char *entry, const char *suppressed_by, uint64_t seq)
{
	struct exec_view v;

	exec_view_init(&v, ex, pod, ctx);
	exec_view_command(&v, &v, entry);
	record_command_view(w, &v, suppressed_by, seq);
}
