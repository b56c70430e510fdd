// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* exec_view: the values of one exec, derived once for every stage */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "exec_view.h"
#include "shells.h"
#include "users.h"

#define BOOT_ID	"deadbeef"

/* where mk_exec()'s shell runs */
static const struct pod_ident in_pod = { .scope = POD_SCOPE_POD };

static struct sw_exec *mk_exec(void)
{
	static const char argv[] = "sh\0-c\0id";
	struct sw_exec *ex = calloc(1, sizeof(*ex));

	cr_assert_not_null(ex);
	ex->type = SW_EVENT_EXEC;
	ex->pid = 4242;
	ex->vpid = 7;
	ex->start_ns = 11;
	ex->exec_ns = 12;
	ex->uid = 1000;
	ex->euid = 0;
	ex->gid = 100;
	ex->egid = 0;
	ex->mntns = 0;
	snprintf(ex->comm, sizeof(ex->comm), "sh");
	snprintf(ex->shell, sizeof(ex->shell), "dash");
	snprintf(ex->parent_comm, sizeof(ex->parent_comm), "runc");
	snprintf(ex->filename, sizeof(ex->filename), "/bin/sh");
	snprintf(ex->exe, sizeof(ex->exe), "/usr/bin/dash");
	memcpy(ex->argv, argv, sizeof(argv));
	ex->argv_len = sizeof(argv);
	ex->argc = 3;
	return ex;
}

static struct sw_context context(void)
{
	return (struct sw_context){
		.format = SW_FORMAT_JSON,
		.host_name = "node-a",
		.boot_id = BOOT_ID,
	};
}

/* the users source: counts the look-ups, answers "u<id>" or "g<id>" */
static int lookups;

static void answer(void *ctx, bool group, uint32_t id, char *name, size_t len)
{
	(void)ctx;
	lookups++;
	if (id == 1000 && !group)
		snprintf(name, len, "%s", "");
	else
		snprintf(name, len, "%c%u", group ? 'g' : 'u', id);
}

static const struct users_source counting = { .answer = answer };

Test(exec_view, an_exec_is_seen_once)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));

	cr_assert_not_null(v);
	exec_view_init(v, ex, &in_pod, &ctx);
	cr_assert_str_eq(v->type, "exec");
	cr_assert_eq(v->id_err, 0);
	cr_assert_str_eq(v->exec_id, BOOT_ID "-4242-11-12", "exec_id %s",
			 v->exec_id);
	cr_assert_str_eq(v->invoked, "sh", "invoked %s", v->invoked);
	cr_assert_str_eq(v->command_line, "sh -c id", "line '%s'",
			 v->command_line);
	cr_assert_eq(v->command_line_len, strlen("sh -c id"));
	/* the kernel's match names the shell: no second classification */
	cr_assert_str_eq(v->shell, "dash", "shell %s", v->shell);
	cr_assert_str_eq(v->entry, "runtime-exec", "entry %s", v->entry);
	free(v);
	free(ex);
}

Test(exec_view, a_script_is_named_by_its_interpreter)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));

	cr_assert_not_null(v);
	ex->flags |= SW_F_SCRIPT;
	snprintf(ex->interp, sizeof(ex->interp), "/usr/bin/bash");
	snprintf(ex->filename, sizeof(ex->filename), "/opt/run.sh");
	exec_view_init(v, ex, &in_pod, &ctx);
	cr_assert_str_eq(v->invoked, "bash", "invoked %s", v->invoked);
	free(v);
	free(ex);
}

Test(exec_view, user_names_are_looked_up_once)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));
	int i;

	cr_assert_not_null(v);
	users_set_source(&counting);
	lookups = 0;
	exec_view_init(v, ex, &in_pod, &ctx);
	cr_assert_eq(lookups, 0, "names looked up before anyone asked");
	for (i = 0; i < 3; i++) {
		cr_assert_str_eq(exec_view_owner(v), "u0");
		cr_assert_str_eq(exec_view_name(v, EXEC_VIEW_USER), "u0");
		cr_assert_str_eq(exec_view_name(v, EXEC_VIEW_REAL_USER), "");
		cr_assert_str_eq(exec_view_name(v, EXEC_VIEW_GROUP), "g0");
		cr_assert_str_eq(exec_view_name(v, EXEC_VIEW_REAL_GROUP), "g100");
	}
	cr_assert_eq(lookups, 4, "%d look-ups for 4 names", lookups);
	users_set_source(NULL);
	free(v);
	free(ex);
}

Test(exec_view, owner_without_a_name_is_the_id)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));

	cr_assert_not_null(v);
	users_set_source(&counting);
	ex->euid = 1000;
	exec_view_init(v, ex, &in_pod, &ctx);
	cr_assert_str_eq(exec_view_owner(v), "1000");
	users_set_source(NULL);
	free(v);
	free(ex);
}

Test(exec_view, a_command_has_its_sessions_exec_id)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));
	struct exec_view *cmd = malloc(sizeof(*cmd));

	cr_assert(v && cmd);
	ex->flags |= SW_F_TRAIL;
	ex->trail.sess_pid = 900;
	ex->trail.sess_start_ns = 5;
	ex->trail.sess_exec_ns = 6;
	exec_view_init(v, ex, &in_pod, &ctx);
	exec_view_command(cmd, v, "runtime-exec");
	cr_assert_str_eq(cmd->type, "command");
	cr_assert_str_eq(cmd->entry, "runtime-exec");
	cr_assert_str_eq(cmd->exec_id, BOOT_ID "-900-5-6", "exec_id %s",
			 cmd->exec_id);
	/* its own id stays the exec's; the shell's view is unchanged */
	cr_assert_str_eq(cmd->id, BOOT_ID "-4242-11-12");
	cr_assert_str_eq(cmd->shell, "");
	cr_assert_str_eq(v->exec_id, BOOT_ID "-4242-11-12");
	cr_assert_str_eq(v->type, "exec");
	cr_assert_str_eq(v->shell, "dash");
	free(cmd);
	free(v);
	free(ex);
}

Test(exec_view, a_command_outside_a_session_has_no_exec_id)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));

	cr_assert_not_null(v);
	exec_view_init(v, ex, &in_pod, &ctx);
	exec_view_command(v, v, "spawned");
	cr_assert_neq(v->exec_id_err, 0);
	cr_assert_str_eq(v->exec_id, "");
	free(v);
	free(ex);
}

/* the identity stage's pod is the view's, the exec holds none; the
 * verdict is none until the verdict stage gives one */
Test(exec_view, the_pod_and_the_verdict_are_the_views)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = mk_exec();
	struct exec_view *v = malloc(sizeof(*v));
	struct pod_ident pod = { .scope = POD_SCOPE_CONTAINER };

	cr_assert_not_null(v);
	snprintf(pod.namespace, sizeof(pod.namespace), "shop");
	/* a container's first process: its entry says so in a container only */
	ex->vpid = 1;
	ex->flags |= SW_F_PIDNS_CHILD;
	memset(v, 0x5a, sizeof(*v));
	exec_view_init(v, ex, &pod, &ctx);
	cr_assert_eq(v->pod.scope, POD_SCOPE_CONTAINER);
	cr_assert_str_eq(v->pod.namespace, "shop");
	cr_assert_str_eq(v->entry, "container-main", "entry %s", v->entry);
	cr_assert(!v->verdict.suppressed_by && !v->verdict.risk_rule &&
		  v->verdict.risk_score == -1, "a verdict before judging");
	/* resolved in place, as the pipeline does */
	v->pod.scope = POD_SCOPE_HOST;
	exec_view_init(v, ex, &v->pod, &ctx);
	cr_assert_eq(v->pod.scope, POD_SCOPE_HOST);
	cr_assert_str_eq(v->pod.namespace, "shop");
	cr_assert_str_eq(v->entry, "runtime-exec", "a host shell's entry %s",
			 v->entry);
	/* no identity stage: the host's */
	v->verdict.suppressed_by = "allow";
	exec_view_init(v, ex, NULL, &ctx);
	cr_assert_eq(v->pod.scope, POD_SCOPE_HOST);
	cr_assert_str_eq(v->pod.namespace, "");
	cr_assert_null(v->verdict.suppressed_by);
	/* a command's verdict is its own, not the shell's */
	v->verdict.suppressed_by = "allow";
	exec_view_command(v, v, "spawned");
	cr_assert_null(v->verdict.suppressed_by);
	free(v);
	free(ex);
}
