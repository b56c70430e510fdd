// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fields rules may name are the exec record's own: each one is in the
 * record, and the lookup gives what the record says.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "json_parse.h"
#include "record.h"
#include "rule_fields.h"
#include "sw_assert.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static struct shell_set shells;

static struct sw_context context(void)
{
	struct sw_context ctx = {
		.host_name = "node-a",
		.node_name = "node-a",
		.cluster_name = "prod",
		.boot_id = "deadbeef",
		.shells = &shells,
	};
	char err[128];

	cr_assert_eq(shells_parse(&shells, SHELLS_DEFAULT, err, sizeof(err)), 0);
	return ctx;
}

/* the pod of exec_in_pod() */
static const struct pod_ident shop = {
	.scope = POD_SCOPE_POD,
	.namespace = "shop",
	.pod_name = "web-1",
	.pod_uid = "4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9",
	.container_name = "app",
	.container_id = "abcdef0123456789",
	.runtime = "containerd",
};

/* a bash in a pod, run through a #! script, with a terminal */
static struct sw_exec *exec_in_pod(void)
{
	static const char argv[] = "/bin/bash\0/opt/job.sh\0--now";
	struct sw_exec *ex = calloc(1, sizeof(*ex));

	cr_assert_not_null(ex);
	ex->exec_ns = 5000;
	ex->start_ns = 4000;
	ex->pid = 321;
	ex->vpid = 1;
	ex->ppid = 300;
	ex->sid = 300;
	ex->euid = 0;
	ex->uid = 1000;
	ex->egid = 5;
	ex->gid = 6;
	ex->loginuid = 1000;
	ex->audit_session = 7;
	ex->argc = 3;
	/* its own mount namespace; its parent (runc) in the host's view */
	ex->flags = SW_F_TTY | SW_F_SCRIPT | SW_F_VIEW | SW_F_PARENT_HOST_VIEW;
	ex->mntns = 4026532999;
	ex->parent_mntns = 4026531832;
	ex->match = SW_MATCH_BINARY;
	ex->cgroup_id = 99;
	strcpy(ex->comm, "job.sh");
	strcpy(ex->parent_comm, "runc");
	strcpy(ex->filename, "/opt/job.sh");
	strcpy(ex->interp, "/bin/bash");
	strcpy(ex->exe, "/usr/bin/bash");
	strcpy(ex->cwd, "/srv");
	strcpy(ex->parent_exe, "/usr/bin/runc");
	strcpy(ex->tty, "pts3");
	strcpy(ex->cgroup, "/kubepods.slice/x");
	strcpy(ex->cgroup_v1, "/kubepods/y");
	memcpy(ex->argv, argv, sizeof(argv));
	ex->argv_len = sizeof(argv);
	return ex;
}

/* every rule field the record has agrees with the lookup; the others are
 * missing to rules */
static void check_fields(const struct jv *rec, struct rule_subject *s,
			 bool all_present, const char *what)
{
	struct rule_value v;
	int i;

	for (i = 0; rule_fields[i]; i++) {
		const struct jv *f = jv_get(rec, rule_fields[i]);

		rule_fields_lookup(s, rule_fields[i], &v);
		if (!f && !all_present) {
			cr_assert_eq(v.type, RULE_V_MISSING,
				     "%s: %s is not in the record, present to rules",
				     what, rule_fields[i]);
			continue;
		}
		cr_assert_not_null(f, "rule field %s is not in the %s record",
				   rule_fields[i], what);
		switch (jv_type(f)) {
		case JV_STRING:
			cr_assert_eq(v.type, RULE_V_STR, "%s: %s: lookup type %d",
				     what, rule_fields[i], v.type);
			cr_assert(v.len == jv_strlen(f) &&
				  !memcmp(v.str, jv_str(f), v.len),
				  "%s: %s: lookup '%.*s', record '%s'", what,
				  rule_fields[i], (int)v.len, v.str, jv_str(f));
			break;
		case JV_NUMBER:
			cr_assert_eq(v.type, RULE_V_NUM, "%s: %s: lookup type %d",
				     what, rule_fields[i], v.type);
			cr_assert(fabs(v.num - jv_num(f)) < 1e-6,
				  "%s: %s: lookup %g, record %g", what,
				  rule_fields[i], v.num, jv_num(f));
			break;
		case JV_BOOL:
			cr_assert_eq(v.type, RULE_V_BOOL, "%s: %s", what,
				     rule_fields[i]);
			cr_assert_eq(v.b, jv_bool(f), "%s: %s", what,
				     rule_fields[i]);
			break;
		case JV_NULL:
			cr_assert_eq(v.type, RULE_V_MISSING,
				     "%s: %s: null in the record, present to rules",
				     what, rule_fields[i]);
			break;
		default:
			cr_assert_fail("%s: %s is not a scalar in the record",
				       what, rule_fields[i]);
		}
	}
}

Test(rule_fields, every_field_is_in_the_record_with_the_same_value)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = exec_in_pod();
	struct rule_subject *s = malloc(sizeof(*s));
	struct jsonw *w = jsonw_new();
	struct jv *rec;

	cr_assert(s && w);
	record_exec(w, ex, &shop, &ctx, 1);
	rec = sw_parse_line(jsonw_data(w), jsonw_len(w) - 1);
	rule_subject_init(s, ex, &shop, &ctx);
	check_fields(rec, s, true, "exec");
	jv_free(rec);
	jsonw_destroy(w);
	free(s);
	free(ex);
}

/* a command record: the same names, with the values it carries */
Test(rule_fields, command_fields_agree_with_the_command_record)
{
	static const char *const only_shells[] = {
		"found_at_start", "shell.name", "shell.matched_by",
		"shell.script", "shell.multicall",
	};
	struct sw_context ctx = context();
	struct sw_exec *ex = exec_in_pod();
	struct rule_subject *s = malloc(sizeof(*s));
	struct jsonw *w = jsonw_new();
	struct rule_value v;
	struct jv *rec;
	size_t i;

	cr_assert(s && w);
	ex->type = SW_EVENT_COMMAND;
	ex->flags |= SW_F_TRAIL | SW_F_TRAIL_FORK;
	ex->trail.sess_pid = 900;
	ex->trail.sess_start_ns = 5;
	ex->trail.sess_exec_ns = 6;
	ex->trail.depth = 1;
	record_command(w, ex, &shop, &ctx, "runtime-exec", NULL, 1);
	rec = sw_parse_line(jsonw_data(w), jsonw_len(w) - 1);
	rule_subject_init_command(s, ex, &shop, &ctx, "runtime-exec");
	check_fields(rec, s, false, "command");
	/* the session's exec_id and entry, not the command's own */
	rule_fields_lookup(s, "exec_id", &v);
	cr_assert(v.type == RULE_V_STR && !strncmp(v.str, "deadbeef-900-5-6", v.len),
		  "exec_id '%.*s' is not the session's", (int)v.len, v.str);
	rule_fields_lookup(s, "type", &v);
	cr_assert(v.type == RULE_V_STR && !strncmp(v.str, "command", v.len));
	for (i = 0; i < sizeof(only_shells) / sizeof(only_shells[0]); i++) {
		rule_fields_lookup(s, only_shells[i], &v);
		cr_assert_eq(v.type, RULE_V_MISSING,
			     "%s is present to rules on a command",
			     only_shells[i]);
	}
	jv_free(rec);
	jsonw_destroy(w);
	free(s);
	free(ex);
}

Test(rule_fields, unknown_field_is_missing)
{
	struct sw_context ctx = context();
	struct sw_exec *ex = exec_in_pod();
	struct rule_subject *s = malloc(sizeof(*s));
	struct rule_value v;

	rule_subject_init(s, ex, &shop, &ctx);
	rule_fields_lookup(s, "process.nope", &v);
	cr_assert_eq(v.type, RULE_V_MISSING);
	free(s);
	free(ex);
}

/*
 * paths and their views: a rule on a path or a user name matches only the
 * host's view, unless it names the view itself (process.host_view,
 * process.parent.host_view)
 */
struct view_case {
	const char *what;
	const char *match;	/* the rule's match, a flow mapping */
	uint32_t views;		/* SW_F_VIEW, SW_F_HOST_VIEW, ... */
	bool suppressed;
};

#define V	SW_F_VIEW
#define HV	SW_F_HOST_VIEW
#define PHV	SW_F_PARENT_HOST_VIEW
#define SHIM	"process.parent.executable.path: '/usr/bin/run*'"

static const struct view_case view_cases[] = {
	/* host-scoped by default: the parent's binary */
	{ "real host parent", SHIM, V | PHV, true },
	{ "parent in a private namespace", SHIM, V | HV, false },
	{ "parent's view unknown (older recording)", SHIM, 0, false },
	/* the process's own paths */
	{ "host binary", "process.executable.path: /usr/bin/bash", V | HV, true },
	{ "binary in a private namespace", "process.executable.path: /usr/bin/bash",
	  V | PHV, false },
	{ "cwd in a private namespace", "process.working_directory: /srv", V | PHV,
	  false },
	{ "invoked path in a private namespace", "process.invoked.path: /opt/job.sh",
	  V | PHV, false },
	{ "interpreter in a private namespace", "process.interpreter.path: /bin/bash",
	  V, false },
	{ "script in the host's view", "process.script.path: /opt/job.sh", V | HV,
	  true },
	/* each path by its own walker's view */
	{ "host binary, private parent",
	  "process.executable.path: /usr/bin/bash, " SHIM, V | HV, false },
	/* container-scoped: the rule says which view it wants */
	{ "container binary, rule for containers",
	  "process.host_view: false, process.executable.path: /usr/bin/bash", V,
	  true },
	{ "host binary, rule for containers",
	  "process.host_view: false, process.executable.path: /usr/bin/bash",
	  V | HV, false },
	{ "kubectl exec: container shell, host runtime",
	  "process.host_view: false, process.executable.path: /usr/bin/bash, " SHIM,
	  V | PHV, true },
	{ "any view", "process.host_view: [true, false], "
		      "process.executable.path: /usr/bin/bash", V, true },
	{ "any view, unknown", "process.host_view: [true, false], "
			       "process.executable.path: /usr/bin/bash", 0, false },
	{ "parent in any view", "process.parent.host_view: [true, false], " SHIM,
	  V, true },
	/* user names: its own root's /etc/passwd, in the same view */
	{ "user name in the host's view", "process.user.name: root", V | HV,
	  true },
	{ "user name in a private namespace", "process.user.name: root",
	  V | PHV, false },
	{ "owner in a private namespace", "process.owner: root", V, false },
	{ "real user name in a private namespace",
	  "process.real_user.name: root", V, false },
	{ "user name, rule for containers",
	  "process.host_view: false, process.user.name: root", V, true },
	{ "user name, view unknown", "process.user.name: root", 0, false },
	/* the namespaces by number */
	{ "parent's namespace", "process.parent.namespace.mnt: 4026531832", V,
	  true },
	{ "parent's namespace unknown", "process.parent.namespace.mnt: 0", 0,
	  false },
	/* no path, no view asked */
	{ "no path key", "k8s.namespace.name: shop", 0, true },
};

ParameterizedTestParameters(rule_fields, views)
{
	return sw_rows(ARRAY_SIZE(view_cases));
}

ParameterizedTest(int *row, rule_fields, views)
{
	const struct view_case *c = &view_cases[*row];
	struct sw_context ctx = context();
	struct sw_exec *ex = exec_in_pod();
	struct rule_subject *s = malloc(sizeof(*s));
	struct rules_verdict v;
	struct ruleset *rs;
	char yaml[512], err[256];

	cr_assert_not_null(s);
	snprintf(yaml, sizeof(yaml), "rules: [{name: r, match: {%s}}]",
		 c->match);
	rs = rule_fields_parse("t.yaml", yaml, strlen(yaml), err, sizeof(err));
	cr_assert_not_null(rs, "case %s: %s", c->what, err);
	ex->flags &= ~(SW_F_VIEW | SW_F_HOST_VIEW | SW_F_PARENT_HOST_VIEW);
	ex->flags |= c->views;
	rule_subject_init(s, ex, &shop, &ctx);
	rules_judge(rs, rule_fields_lookup, s, &v);
	cr_assert_eq(v.suppressed_by, c->suppressed ? 0 : -1,
		     "case %s: %s", c->what,
		     c->suppressed ? "not suppressed" : "suppressed");
	rules_free(rs);
	free(s);
	free(ex);
}
