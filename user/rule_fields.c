// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "classify.h"
#include "rule_fields.h"

enum field {
	F_TYPE, F_EXEC_ID, F_FOUND_AT_START, F_HOST_NAME, F_CLUSTER, F_NODE,
	F_NAMESPACE, F_POD_NAME, F_POD_UID, F_CONTAINER_NAME, F_SCOPE,
	F_ENTRY, F_CONTAINER_ID, F_CONTAINER_RUNTIME, F_PID, F_VPID, F_PPID,
	F_SID, F_EXE_NAME, F_EXE_PATH, F_FILELESS, F_INVOKED_PATH,
	F_INTERP_PATH, F_SCRIPT_PATH, F_COMMAND_LINE, F_ARGS_COUNT,
	F_OWNER, F_USER_ID, F_USER_NAME, F_REAL_USER_ID, F_REAL_USER_NAME, F_GROUP_ID,
	F_REAL_GROUP_ID, F_LOGIN_UID, F_AUDIT_SESSION, F_INTERACTIVE, F_TTY,
	F_CWD, F_PARENT_PID, F_PARENT_NAME, F_PARENT_PATH, F_PARENT_MNTNS,
	F_PARENT_HOST_VIEW, F_PIDNS, F_MNTNS, F_HOST_VIEW,
	F_CGROUP_ID, F_CGROUP_PATH, F_CGROUP_V1_PATH, F_SHELL_NAME,
	F_MATCHED_BY, F_SHELL_SCRIPT, F_MULTICALL, F_COUNT,
};

const char *const rule_fields[] = {
	[F_TYPE] = "type",
	[F_EXEC_ID] = "exec_id",
	[F_FOUND_AT_START] = "found_at_start",
	[F_HOST_NAME] = "host.name",
	[F_CLUSTER] = "k8s.cluster.name",
	[F_NODE] = "k8s.node.name",
	[F_NAMESPACE] = "k8s.namespace.name",
	[F_POD_NAME] = "k8s.pod.name",
	[F_POD_UID] = "k8s.pod.uid",
	[F_CONTAINER_NAME] = "k8s.container.name",
	[F_SCOPE] = "scope",
	[F_ENTRY] = "entry",
	[F_CONTAINER_ID] = "container.id",
	[F_CONTAINER_RUNTIME] = "container.runtime",
	[F_PID] = "process.pid",
	[F_VPID] = "process.vpid",
	[F_PPID] = "process.parent_pid",
	[F_SID] = "process.session_leader.pid",
	[F_EXE_NAME] = "process.executable.name",
	[F_EXE_PATH] = "process.executable.path",
	[F_FILELESS] = "process.executable.fileless",
	[F_INVOKED_PATH] = "process.invoked.path",
	[F_INTERP_PATH] = "process.interpreter.path",
	[F_SCRIPT_PATH] = "process.script.path",
	[F_COMMAND_LINE] = "process.command_line",
	[F_ARGS_COUNT] = "process.args_count",
	[F_OWNER] = "process.owner",
	[F_USER_ID] = "process.user.id",
	[F_USER_NAME] = "process.user.name",
	[F_REAL_USER_ID] = "process.real_user.id",
	[F_REAL_USER_NAME] = "process.real_user.name",
	[F_GROUP_ID] = "process.group.id",
	[F_REAL_GROUP_ID] = "process.real_group.id",
	[F_LOGIN_UID] = "process.audit.login_uid",
	[F_AUDIT_SESSION] = "process.audit.session_id",
	[F_INTERACTIVE] = "process.interactive",
	[F_TTY] = "process.tty.name",
	[F_CWD] = "process.working_directory",
	[F_PARENT_PID] = "process.parent.pid",
	[F_PARENT_NAME] = "process.parent.executable.name",
	[F_PARENT_PATH] = "process.parent.executable.path",
	[F_PARENT_MNTNS] = "process.parent.namespace.mnt",
	[F_PARENT_HOST_VIEW] = "process.parent.host_view",
	[F_PIDNS] = "process.namespace.pid",
	[F_MNTNS] = "process.namespace.mnt",
	[F_HOST_VIEW] = "process.host_view",
	[F_CGROUP_ID] = "cgroup.id",
	[F_CGROUP_PATH] = "cgroup.path",
	[F_CGROUP_V1_PATH] = "cgroup.v1_path",
	[F_SHELL_NAME] = "shell.name",
	[F_MATCHED_BY] = "shell.matched_by",
	[F_SHELL_SCRIPT] = "shell.script",
	[F_MULTICALL] = "shell.multicall",
	[F_COUNT] = NULL,
};

/*
 * paths, and user names (its own root's /etc/passwd), are as their process
 * sees them: a rule on one matches only the host's view unless it says
 * which view it wants (README: Allowlist rules)
 */
static const struct { int field, guard; } guards[] = {
	{ F_OWNER, F_HOST_VIEW },
	{ F_USER_NAME, F_HOST_VIEW },
	{ F_REAL_USER_NAME, F_HOST_VIEW },
	{ F_EXE_PATH, F_HOST_VIEW },
	{ F_INVOKED_PATH, F_HOST_VIEW },
	{ F_INTERP_PATH, F_HOST_VIEW },
	{ F_SCRIPT_PATH, F_HOST_VIEW },
	{ F_CWD, F_HOST_VIEW },
	{ F_PARENT_PATH, F_PARENT_HOST_VIEW },
};

int rule_fields_guard(struct ruleset *rs)
{
	size_t i;
	int err;

	for (i = 0; i < sizeof(guards) / sizeof(guards[0]); i++) {
		err = rules_guard(rs, rule_fields[guards[i].field],
				  rule_fields[guards[i].guard]);
		if (err)
			return err;
	}
	return 0;
}

/* a loaded ruleset with its guards, or NULL with errno and err set */
static struct ruleset *guarded(struct ruleset *rs, char *err, size_t errlen)
{
	int rc;

	if (!rs)
		return NULL;
	rc = rule_fields_guard(rs);
	if (!rc)
		return rs;
	rules_free(rs);
	if (err && errlen)
		snprintf(err, errlen, "%s", strerror(-rc));
	errno = -rc;
	return NULL;
}

struct ruleset *rule_fields_load(const char *path, char *err, size_t errlen)
{
	return guarded(rules_load(path, rule_fields, err, errlen), err, errlen);
}

struct ruleset *rule_fields_parse(const char *name, const char *text,
				  size_t len, char *err, size_t errlen)
{
	return guarded(rules_parse(name, text, len, rule_fields, err, errlen),
		       err, errlen);
}

void rule_subject_init(struct rule_subject *s, const struct sw_exec *ex,
		       const struct pod_ident *pod, const struct sw_context *ctx)
{
	exec_view_init(&s->view, ex, pod, ctx);
}

void rule_subject_init_command(struct rule_subject *s,
			       const struct sw_exec *ex,
			       const struct pod_ident *pod,
			       const struct sw_context *ctx, const char *entry)
{
	exec_view_init(&s->view, ex, pod, ctx);
	exec_view_command(&s->view, &s->view, entry);
}

static void str(struct rule_value *out, const char *s)
{
	if (!s || !s[0])
		return;
	out->type = RULE_V_STR;
	out->str = s;
	out->len = strlen(s);
}

static void num(struct rule_value *out, double v)
{
	out->type = RULE_V_NUM;
	out->num = v;
}

static void boolean(struct rule_value *out, bool b)
{
	out->type = RULE_V_BOOL;
	out->b = b;
}

static void audit_id(struct rule_value *out, uint32_t v)
{
	if (v != (uint32_t)-1)
		num(out, v);
}

static int field_index(const char *field)
{
	int i;

	/* the engine hands back our own pointers: compare addresses first */
	for (i = 0; i < F_COUNT; i++)
		if (field == rule_fields[i])
			return i;
	for (i = 0; i < F_COUNT; i++)
		if (!strcmp(field, rule_fields[i]))
			return i;
	return -1;
}

void rule_fields_lookup(void *subject, const char *field,
			struct rule_value *out)
{
	struct exec_view *s = subject;
	const struct sw_exec *ex = s->ex;
	const struct pod_ident *pod = &s->pod;
	int f = field_index(field);

	memset(out, 0, sizeof(*out));
	out->type = RULE_V_MISSING;
	/* what a command record does not have: the shell's own fields */
	if (s->type[0] == 'c' && (f == F_FOUND_AT_START || f == F_SHELL_NAME ||
				  f == F_MATCHED_BY || f == F_SHELL_SCRIPT ||
				  f == F_MULTICALL))
		return;
	switch (f) {
	case F_TYPE: str(out, s->type); break;
	case F_EXEC_ID: str(out, s->exec_id); break;
	case F_FOUND_AT_START: boolean(out, ex->found_at_start); break;
	case F_HOST_NAME: str(out, s->ctx->host_name); break;
	case F_CLUSTER: str(out, s->ctx->cluster_name); break;
	case F_NODE: str(out, s->ctx->node_name); break;
	case F_NAMESPACE: str(out, pod->namespace); break;
	case F_POD_NAME: str(out, pod->pod_name); break;
	case F_POD_UID: str(out, pod->pod_uid); break;
	case F_CONTAINER_NAME: str(out, pod->container_name); break;
	case F_SCOPE: str(out, pod_scope_name(pod->scope)); break;
	case F_ENTRY: str(out, s->entry); break;
	case F_CONTAINER_ID: str(out, pod->container_id); break;
	case F_CONTAINER_RUNTIME: str(out, pod->runtime); break;
	case F_PID: num(out, ex->pid); break;
	case F_VPID: num(out, ex->vpid); break;
	case F_PPID: num(out, ex->ppid); break;
	case F_SID: num(out, ex->sid); break;
	case F_EXE_NAME: str(out, s->invoked); break;
	case F_EXE_PATH: str(out, ex->exe); break;
	case F_FILELESS: boolean(out, ex->flags & SW_F_FILELESS); break;
	case F_INVOKED_PATH: str(out, ex->filename); break;
	case F_INTERP_PATH:
	case F_SCRIPT_PATH:
		if (ex->flags & SW_F_SCRIPT)
			str(out, field_index(field) == F_INTERP_PATH ?
				 ex->interp : ex->filename);
		break;
	case F_COMMAND_LINE:
		out->type = RULE_V_STR;
		out->str = s->command_line;
		out->len = s->command_line_len;
		break;
	case F_ARGS_COUNT: num(out, ex->argc); break;
	case F_OWNER: str(out, exec_view_owner(s)); break;
	case F_USER_ID: num(out, ex->euid); break;
	case F_USER_NAME: str(out, exec_view_name(s, EXEC_VIEW_USER)); break;
	case F_REAL_USER_ID: num(out, ex->uid); break;
	case F_REAL_USER_NAME:
		str(out, exec_view_name(s, EXEC_VIEW_REAL_USER));
		break;
	case F_GROUP_ID: num(out, ex->egid); break;
	case F_REAL_GROUP_ID: num(out, ex->gid); break;
	case F_LOGIN_UID: audit_id(out, ex->loginuid); break;
	case F_AUDIT_SESSION: audit_id(out, ex->audit_session); break;
	case F_INTERACTIVE: boolean(out, ex->flags & SW_F_TTY); break;
	case F_TTY:
		if (ex->flags & SW_F_TTY)
			str(out, ex->tty);
		break;
	case F_CWD: str(out, ex->cwd); break;
	case F_PARENT_PID: num(out, ex->ppid); break;
	case F_PARENT_NAME: str(out, ex->parent_comm); break;
	case F_PARENT_PATH: str(out, ex->parent_exe); break;
	case F_PARENT_MNTNS:
		if (exec_host_view(ex, true) >= 0)
			num(out, ex->parent_mntns);
		break;
	case F_PARENT_HOST_VIEW:
	case F_HOST_VIEW:
		/* absent when the record does not say: a guard then fails */
		if (exec_host_view(ex, f == F_PARENT_HOST_VIEW) >= 0)
			boolean(out, exec_host_view(ex, f == F_PARENT_HOST_VIEW));
		break;
	case F_PIDNS: num(out, ex->pidns); break;
	case F_MNTNS: num(out, ex->mntns); break;
	case F_CGROUP_ID: num(out, ex->cgroup_id); break;
	case F_CGROUP_PATH: str(out, ex->cgroup); break;
	case F_CGROUP_V1_PATH: str(out, ex->cgroup_v1); break;
	case F_SHELL_NAME: str(out, s->shell); break;
	case F_MATCHED_BY: str(out, classify_match_name(ex->match)); break;
	case F_SHELL_SCRIPT: boolean(out, ex->flags & SW_F_SCRIPT); break;
	case F_MULTICALL: boolean(out, ex->flags & SW_F_MULTICALL); break;
	default: break;
	}
}
