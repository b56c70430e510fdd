// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "classify.h"
#include "entry.h"
#include "exec_view.h"
#include "record.h"
#include "users.h"

/* process.executable.name: the name it was started as, the interpreter's
 * for scripts */
static const char *invoked_name(const struct sw_exec *ex)
{
	if ((ex->flags & SW_F_SCRIPT) && ex->interp[0])
		return classify_basename(ex->interp);
	if (ex->filename[0])
		return classify_basename(ex->filename);
	return ex->comm;
}

/* argv joined by spaces, as OpenTelemetry's process.command_line */
static size_t command_line(const struct sw_exec *ex, char *buf, size_t len)
{
	size_t i, n = ex->argv_len < len ? ex->argv_len : len - 1;

	/* a trailing NUL ends the last element; the others become spaces */
	if (n && ex->argv[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		buf[i] = ex->argv[i] ? ex->argv[i] : ' ';
	buf[n] = '\0';
	return n;
}

/* shell.name: the member of the shell set that matched */
static void shell_name(const struct sw_exec *ex, const struct sw_context *ctx,
		       char *buf, size_t len)
{
	struct classify_in in = {
		.binary = classify_basename(ex->exe),
		.invoked = ex->comm,
		.argv = ex->argv,
		.argv_len = ex->argv_len,
		.fileless = ex->flags & SW_F_FILELESS,
	};
	struct classify_out out;

	/* the kernel's or the judge's decision names the shell */
	if (ex->shell[0]) {
		snprintf(buf, len, "%s", ex->shell);
		return;
	}
	/* a record built without one (tests, tools): the names' rules, when
	 * there is a shell set */
	if (ctx->shells &&
	    classify_exec(ctx->shells, &in, &out) != SW_MATCH_NONE)
		snprintf(buf, len, "%s", out.shell);
	else
		snprintf(buf, len, "%s", ex->comm);
}

/* how ex got where it runs: "runtime-exec", "container-main", "spawned" */
static const char *exec_entry(const struct sw_exec *ex,
			      const struct pod_ident *pod)
{
	return entry_kind(pod->scope != POD_SCOPE_HOST, ex->vpid,
			  ex->flags & SW_F_PIDNS_CHILD, ex->parent_comm,
			  ex->parent_exe);
}

int exec_host_view(const struct sw_exec *ex, bool parent)
{
	if (!(ex->flags & SW_F_VIEW))
		return -1;
	return !!(ex->flags & (parent ? SW_F_PARENT_HOST_VIEW :
					SW_F_HOST_VIEW));
}

void exec_view_init(struct exec_view *v, const struct sw_exec *ex,
		    const struct pod_ident *pod, const struct sw_context *ctx)
{
	v->ex = ex;
	v->ctx = ctx;
	if (!pod)
		memset(&v->pod, 0, sizeof(v->pod));
	else if (pod != &v->pod)
		v->pod = *pod;
	v->verdict = (struct exec_verdict){ .risk_score = -1 };
	v->found_ns = 0;
	v->type = "exec";
	v->entry = exec_entry(ex, &v->pod);
	v->invoked = invoked_name(ex);
	v->id_err = record_exec_id(ex, ctx, v->id, sizeof(v->id));
	v->exec_id = v->id;
	v->exec_id_err = v->id_err;
	v->session_id[0] = '\0';
	shell_name(ex, ctx, v->shell, sizeof(v->shell));
	v->looked = 0;
	v->command_line_len = command_line(ex, v->command_line,
					   sizeof(v->command_line));
}

void exec_view_command(struct exec_view *v, const struct exec_view *src,
		       const char *entry)
{
	if (v != src)
		*v = *src;
	v->type = "command";
	v->entry = entry;
	v->verdict = (struct exec_verdict){ .risk_score = -1 };
	v->shell[0] = '\0';
	v->exec_id_err = record_session_id(v->ex, v->ctx, v->session_id,
					   sizeof(v->session_id));
	/* rules see no exec_id when the session has none */
	if (v->exec_id_err)
		v->session_id[0] = '\0';
	v->exec_id = v->session_id;
}

const char *exec_view_name(struct exec_view *v, enum exec_view_name which)
{
	const struct sw_exec *ex = v->ex;
	char *name = v->names[which];

	if (v->looked & (1U << which))
		return name;
	switch (which) {
	case EXEC_VIEW_USER:
		users_name(v->ctx->users, ex->pid, ex->mntns, ex->euid, name,
			   EXEC_VIEW_NAME_LEN);
		break;
	case EXEC_VIEW_REAL_USER:
		users_name(v->ctx->users, ex->pid, ex->mntns, ex->uid, name,
			   EXEC_VIEW_NAME_LEN);
		break;
	case EXEC_VIEW_GROUP:
		users_group(v->ctx->users, ex->pid, ex->mntns, ex->egid, name,
			    EXEC_VIEW_NAME_LEN);
		break;
	default:
		users_group(v->ctx->users, ex->pid, ex->mntns, ex->gid, name,
			    EXEC_VIEW_NAME_LEN);
		break;
	}
	v->looked |= 1U << which;
	return name;
}

const char *exec_view_owner(struct exec_view *v)
{
	const char *name = exec_view_name(v, EXEC_VIEW_USER);

	if (name[0])
		return name;
	snprintf(v->owner, sizeof(v->owner), "%u", v->ex->euid);
	return v->owner;
}
