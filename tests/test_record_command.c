// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the command record (user/record_command.c): the session's ids,
 * the command's own and its parent's, the uid change, and the HEC shape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "json_parse.h"
#include "json_writer.h"
#include "record.h"
#include "shells.h"
#include "sw_assert.h"

static struct shell_set shells;

static struct sw_context ctx_of(enum sw_format format)
{
	struct sw_context ctx = {
		.format = format,
		.host_name = "node-a",
		.node_name = "node-a",
		.cluster_name = "prod",
		.boot_id = "deadbeef",
		.boot_offset = 1700000000000000000LL,
		.shells = &shells,
	};
	char err[128];

	cr_assert_eq(shells_parse(&shells, SHELLS_DEFAULT, err, sizeof(err)), 0);
	return ctx;
}

/* the pod of sudo_id() */
static const struct pod_ident shop = {
	.scope = POD_SCOPE_POD,
	.namespace = "shop",
};

/* sudo id, two levels below a nobody shell, in a pod */
static struct sw_exec *sudo_id(void)
{
	static const char argv[] = "/usr/bin/id\0-u\0";
	struct sw_exec *ex = calloc(1, sizeof(*ex));

	cr_assert_not_null(ex);
	ex->type = SW_EVENT_COMMAND;
	ex->flags = SW_F_TRAIL | SW_F_TRAIL_FORK | SW_F_ARGV_TRUNC;
	ex->exec_ns = 3000;
	ex->start_ns = 2000;
	ex->pid = 42;
	ex->ppid = 41;
	ex->euid = 0;
	ex->uid = 65534;
	ex->egid = 65534;
	ex->gid = 65534;
	ex->argc = 2;
	ex->trail = (struct sw_trail){
		.sess_pid = 40, .sess_start_ns = 100, .sess_exec_ns = 200,
		.fork_start_ns = 2000, .fork_id_ns = 2000, .cmd_pid = 41, .cmd_start_ns = 1500,
		.cmd_exec_ns = 1600, .sess_uid = 65534, .sess_euid = 65534,
		.sess_gid = 65534, .sess_egid = 65534, .depth = 2,
	};
	strcpy(ex->filename, "/usr/bin/id");
	strcpy(ex->exe, "/usr/bin/id");
	strcpy(ex->cwd, "/");
	strcpy(ex->cgroup, "/kubepods.slice/x");
	memcpy(ex->argv, argv, sizeof(argv));
	ex->argv_len = sizeof(argv) - 1;
	return ex;
}

static struct jv *write_one(const struct sw_exec *ex,
			    const struct sw_context *ctx, const char *by)
{
	struct jsonw *w = jsonw_new();
	struct jv *rec;

	cr_assert_not_null(w);
	record_command(w, ex, &shop, ctx, "runtime-exec", by, 7);
	cr_assert_eq(jsonw_error(w), 0);
	rec = sw_parse_line(jsonw_data(w), jsonw_len(w) - 1);
	jsonw_destroy(w);
	return rec;
}

Test(record_command, ids_and_uid_change)
{
	static const char *const args[] = { "/usr/bin/id", "-u" };
	static const char *const trunc[] = { "process.command_args" };
	struct sw_context ctx = ctx_of(SW_FORMAT_JSON);
	struct sw_exec *ex = sudo_id();
	struct jv *rec = write_one(ex, &ctx, NULL);

	sw_assert_str(rec, "type", "command", "type");
	sw_assert_str(rec, "schema", SW_SCHEMA_VERSION, "schema");
	sw_assert_str(rec, "time", "2023-11-14T22:13:20.000003000Z", "exec time");
	sw_assert_str(rec, "exec_id", "deadbeef-40-100-200", "session");
	sw_assert_str(rec, "command.id", "deadbeef-42-2000-3000", "own id");
	sw_assert_str(rec, "command.parent_id", "deadbeef-41-1500-1600",
		      "parent");
	sw_assert_str(rec, "command.fork_exec_id", "deadbeef-42-2000-2000",
		      "fork");
	sw_assert_num(rec, "command.depth", 2, "depth");
	sw_assert_bool(rec, "command.starts_session", false, "not a shell");
	sw_assert_str(rec, "entry", "runtime-exec", "the session's entry");
	sw_assert_str(rec, "scope", "pod", "scope");
	sw_assert_str(rec, "k8s.namespace.name", "shop", "namespace");
	sw_assert_str(rec, "process.command_line", "/usr/bin/id -u", "line");
	sw_assert_strs(rec, "process.command_args", args, 2, "args");
	sw_assert_num(rec, "process.user.id", 0, "euid");
	sw_assert_num(rec, "process.real_user.id", 65534, "uid");
	sw_assert_num(rec, "session.user.id", 65534, "session euid");
	sw_assert_bool(rec, "session.user_changed", true, "sudo");
	sw_assert_bool(rec, "session.group_changed", false, "same groups");
	sw_assert_strs(rec, "truncated", trunc, 1, "argv cut");
	cr_assert_eq(jv_type(jv_get(rec, "detection")), JV_ABSENT,
		     "a command is no detection");
	cr_assert_eq(jv_type(jv_get(rec, "suppressed_by")), JV_ABSENT);
	jv_free(rec);
	free(ex);
}

Test(record_command, depth_one_by_a_shell_itself)
{
	struct sw_context ctx = ctx_of(SW_FORMAT_JSON);
	struct sw_exec *ex = sudo_id();
	struct jv *rec;

	/* exec'd by the session shell itself (exec id, or sh -c's last) */
	ex->trail.cmd_pid = 0;
	ex->trail.depth = 1;
	ex->trail.fork_start_ns = 100;
	ex->trail.fork_id_ns = 200;
	ex->pid = 40;
	ex->start_ns = 100;
	ex->euid = ex->uid = 65534;
	rec = write_one(ex, &ctx, "quiet");
	cr_assert_eq(jv_type(jv_get(rec, "command.parent_id")), JV_NULL);
	sw_assert_str(rec, "command.fork_exec_id", "deadbeef-40-100-200",
		      "the shell's own");
	sw_assert_bool(rec, "session.user_changed", false, "same user");
	sw_assert_str(rec, "suppressed_by", "quiet", "shown suppressed");
	jv_free(rec);

	/* a depth-2 exec: no shell process ran it */
	ex->flags &= ~SW_F_TRAIL_FORK;
	rec = write_one(ex, &ctx, NULL);
	cr_assert_eq(jv_type(jv_get(rec, "command.fork_exec_id")), JV_NULL);
	jv_free(rec);

	/* a shell started in the session: its command.id is its exec_id */
	ex->type = SW_EVENT_EXEC;
	rec = write_one(ex, &ctx, NULL);
	sw_assert_bool(rec, "command.starts_session", true, "a shell");
	sw_assert_str(rec, "command.id", "deadbeef-40-100-3000", "its exec_id");
	jv_free(rec);
	free(ex);
}

Test(record_command, hec_event)
{
	struct sw_context ctx = ctx_of(SW_FORMAT_HEC);
	struct sw_exec *ex = sudo_id();
	struct jv *rec = write_one(ex, &ctx, NULL);

	sw_assert_str(rec, "sourcetype", "shellwatch:command", "HEC");
	sw_assert_str(rec, "event.type", "command", "HEC");
	sw_assert_str(rec, "event.exec_id", "deadbeef-40-100-200", "HEC");
	sw_assert_str(rec, "event.process.command_line", "/usr/bin/id -u", "HEC");
	jv_free(rec);
	free(ex);
}
