// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the exec record (user/record.c): a filled struct sw_exec is
 * written, the line parsed back with the strict parser, and every field
 * the record documents checked. Hostile names, paths and arguments must
 * leave one line of valid JSON that decodes to the input (valid UTF-8) or
 * to the writer's U+FFFD replacements.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <pwd.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "clock.h"
#include "exec.h"
#include "json_parse.h"
#include "json_writer.h"
#include "record.h"
#include "shells.h"
#include "sw_assert.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
/* a string literal as pointer and length, embedded NULs included */
#define B(s)		(s), sizeof(s) - 1
/* a case whose decoded value is its input */
#define SAME(s)		B(s), B(s)
#define FFFD		"\xef\xbf\xbd"

#define HOST		"worker-1"
#define BOOT_ID		"0badcafe"
/* wall clock = boot clock + this: exec_ns 5000000123 is 23:05:27.000000123 */
#define BOOT_OFFSET	1764284722000000000LL
#define EXEC_NS		5000000123ULL
#define EXEC_TIME	"2025-11-27T23:05:27.000000123Z"
#define START_NS	4123456789ULL
#define START_TIME	"2025-11-27T23:05:26.123456789Z"
#define SEQ		77

#define DETECTION_MESSAGE	"Kubernetes shell running on worker node on host "

static struct shell_set default_shells;

static struct sw_context make_ctx(void)
{
	struct sw_context ctx = {
		.host_name = HOST,
		.node_name = "node-1",
		.cluster_name = "prod-eu",
		.boot_id = BOOT_ID,
		.boot_offset = BOOT_OFFSET,
		.shells = &default_shells,
	};
	char err[256];

	cr_assert_eq(shells_parse(&default_shells, SHELLS_DEFAULT, err,
				  sizeof(err)), 0, "%s", err);
	return ctx;
}

/* argv bytes into ex */
static void set_argv(struct sw_exec *ex, const char *argv, size_t len)
{
	cr_assert_leq(len, sizeof(ex->argv), "table error: argv too long");
	memcpy(ex->argv, argv, len);
	ex->argv_len = len;
}

/* bash -c id run in a pod on a terminal, as the kernel reports it */
static struct sw_exec *make_exec(void)
{
	struct sw_exec *ex = calloc(1, sizeof(*ex));

	cr_assert_not_null(ex);
	ex->exec_ns = EXEC_NS;
	ex->start_ns = START_NS;
	ex->cgroup_id = 0xfedcba9876543210ULL;
	ex->pid = 4242;
	ex->vpid = 7;
	ex->ppid = 4000;
	ex->sid = 3999;
	ex->uid = 1000;
	ex->gid = 1001;
	ex->euid = 0;
	ex->egid = 2;
	ex->loginuid = (uint32_t)-1;
	ex->audit_session = (uint32_t)-1;
	ex->pidns = 4026532001U;
	ex->mntns = 4026532002U;
	ex->nlink = 1;
	ex->argc = 3;
	ex->flags = SW_F_TTY;
	ex->match = SW_MATCH_BINARY;
	strcpy(ex->comm, "bash");
	strcpy(ex->parent_comm, "containerd-shim");
	strcpy(ex->filename, "/bin/bash");
	strcpy(ex->exe, "/usr/bin/bash");
	strcpy(ex->cwd, "/root");
	strcpy(ex->parent_exe, "/usr/bin/containerd-shim-runc-v2");
	strcpy(ex->tty, "pts0");
	strcpy(ex->cgroup, "/kubepods.slice/kubepods-pod1.slice/cri-abc.scope");
	set_argv(ex, B("bash\0-c\0id\0"));
	return ex;
}

/* write ex as a record; the line is malloc'd, NUL-terminated */
static char *render(const struct sw_exec *ex, const struct sw_context *ctx,
		    uint64_t seq, size_t *len)
{
	struct jsonw *w = jsonw_new();
	char *line;

	cr_assert_not_null(w, "jsonw_new failed");
	record_exec(w, ex, NULL, ctx, seq);
	cr_assert_eq(jsonw_error(w), 0, "record_exec: writer error %d",
		     jsonw_error(w));
	*len = jsonw_len(w);
	line = malloc(*len + 1);
	cr_assert_not_null(line);
	memcpy(line, jsonw_data(w), *len + 1);
	jsonw_destroy(w);
	return line;
}

/* one line: a single '\n' at its end, no other raw control byte */
static void assert_one_line(const char *what, const char *line, size_t len)
{
	size_t i;

	cr_assert(len > 0 && line[len - 1] == '\n',
		  "%s: record does not end in a newline", what);
	for (i = 0; i + 1 < len; i++)
		cr_assert((unsigned char)line[i] >= 0x20 && line[i] != 0x7f,
			  "%s: raw byte 0x%02x at %zu of the record", what,
			  (unsigned char)line[i], i);
}

/* render, check the line and parse it */
static struct jv *record(const char *what, const struct sw_exec *ex,
			 const struct sw_context *ctx, uint64_t seq)
{
	size_t len;
	char *line = render(ex, ctx, seq, &len);
	struct jv *v;

	assert_one_line(what, line, len);
	v = sw_parse_line(line, len);
	free(line);
	return v;
}

/* the literal of the number at dotted */
static const char *numtext(const struct jv *rec, const char *dotted)
{
	const struct jv *v = jv_get(rec, dotted);

	cr_assert_eq(jv_type(v), JV_NUMBER, "field %s is not a number", dotted);
	return jv_numtext(v);
}

static void assert_uint(const struct jv *rec, const char *dotted,
			uint64_t want, const char *ctx)
{
	char buf[32];
	const char *got = numtext(rec, dotted);

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)want);
	cr_assert_str_eq(got, buf, "%s: %s is %s, want %s", ctx, dotted, got,
			 buf);
}

static void assert_null(const struct jv *rec, const char *dotted,
			const char *ctx)
{
	const struct jv *v = jv_get(rec, dotted);

	cr_assert_eq(jv_type(v), JV_NULL, "%s: %s is not null (type %d)", ctx,
		     dotted, (int)jv_type(v));
}

static void assert_absent(const struct jv *rec, const char *dotted,
			  const char *ctx)
{
	cr_assert_null(jv_get(rec, dotted), "%s: %s is present", ctx, dotted);
}

/* the string at dotted decodes to exactly want[0..wantlen) */
static void assert_bytes(const struct jv *rec, const char *dotted,
			 const char *want, size_t wantlen, const char *ctx)
{
	const struct jv *v = jv_get(rec, dotted);

	cr_assert_eq(jv_type(v), JV_STRING, "%s: %s is not a string", ctx,
		     dotted);
	cr_assert(jv_strlen(v) == wantlen && !memcmp(jv_str(v), want, wantlen),
		  "%s: %s decodes to %zu bytes '%s', want %zu bytes '%.*s'", ctx,
		  dotted, jv_strlen(v), jv_str(v), wantlen, (int)wantlen, want);
}

static void assert_rfc3339(const struct jv *rec, const char *dotted,
			   const char *ctx)
{
	const char *t = sw_field_str(rec, dotted);
	regex_t re;

	cr_assert_eq(regcomp(&re,
			     "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z$",
			     REG_EXTENDED | REG_NOSUB), 0);
	cr_assert_eq(regexec(&re, t, 0, NULL, 0), 0,
		     "%s: %s '%s' is not RFC 3339 with 9 fraction digits", ctx,
		     dotted, t);
	regfree(&re);
}

/* user name of uid as the record should give it, NULL for none */
static const char *user_name(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (!pw)
		return NULL;
	snprintf(buf, len, "%s", pw->pw_name);
	return buf;
}

/* the fields that do not depend on the exec */
static void assert_common(const struct jv *rec, const struct sw_context *ctx,
			  const char *what)
{
	char msg[512];

	sw_assert_str(rec, "type", "exec", what);
	sw_assert_str(rec, "schema", SW_SCHEMA_VERSION, what);
	sw_assert_str(rec, "schema", "4.0", what);
	assert_rfc3339(rec, "time", what);
	sw_assert_str(rec, "host.name", ctx->host_name, what);
	sw_assert_str(rec, "k8s.cluster.name", ctx->cluster_name, what);
	sw_assert_str(rec, "k8s.node.name", ctx->node_name, what);

	sw_assert_str(rec, "detection.name",
		      "Kubernetes Shell Running on Worker Node", what);
	assert_uint(rec, "detection.risk_score", 25, what);
	assert_uint(rec, "detection.impact", 50, what);
	assert_uint(rec, "detection.confidence", 50, what);
	sw_assert_str(rec, "detection.risk_object", ctx->host_name, what);
	sw_assert_str(rec, "detection.risk_object_type", "system", what);
	snprintf(msg, sizeof(msg), DETECTION_MESSAGE "%s", ctx->host_name);
	sw_assert_str(rec, "detection.message", msg, what);
	sw_assert_str(rec, "detection.mitre_attack.technique_id", "T1204", what);
	sw_assert_str(rec, "detection.mitre_attack.technique", "User Execution",
		      what);
	sw_assert_str(rec, "detection.mitre_attack.tactic", "Execution", what);
}

Test(record, every_field)
{
	static const char *const args[] = { "bash", "-c", "id" };
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	const char *what = "bash -c id";
	char name[256];
	struct jv *rec;

	rec = record(what, ex, &ctx, SEQ);
	assert_common(rec, &ctx, what);
	sw_assert_str(rec, "time", EXEC_TIME, what);
	assert_uint(rec, "seq", SEQ, what);
	sw_assert_str(rec, "exec_id", BOOT_ID "-4242-4123456789-5000000123",
		      what);
	sw_assert_bool(rec, "found_at_start", false, what);

	assert_uint(rec, "process.pid", 4242, what);
	assert_uint(rec, "process.vpid", 7, what);
	assert_uint(rec, "process.parent_pid", 4000, what);
	assert_uint(rec, "process.session_leader.pid", 3999, what);
	sw_assert_str(rec, "process.executable.name", "bash", what);
	sw_assert_str(rec, "process.executable.path", "/usr/bin/bash", what);
	sw_assert_bool(rec, "process.executable.fileless", false, what);
	sw_assert_str(rec, "process.invoked.path", "/bin/bash", what);
	assert_absent(rec, "process.interpreter", what);
	assert_absent(rec, "process.script", what);
	sw_assert_str(rec, "process.command_line", "bash -c id", what);
	sw_assert_strs(rec, "process.command_args", args, ARRAY_SIZE(args),
		       what);
	assert_uint(rec, "process.args_count", 3, what);
	assert_uint(rec, "process.user.id", 0, what);
	if (user_name(0, name, sizeof(name)))
		sw_assert_str(rec, "process.user.name", name, what);
	assert_uint(rec, "process.real_user.id", 1000, what);
	if (user_name(1000, name, sizeof(name)))
		sw_assert_str(rec, "process.real_user.name", name, what);
	else
		assert_absent(rec, "process.real_user.name", what);
	assert_uint(rec, "process.group.id", 2, what);
	assert_uint(rec, "process.real_group.id", 1001, what);
	assert_null(rec, "process.audit.login_uid", what);
	assert_null(rec, "process.audit.session_id", what);
	sw_assert_bool(rec, "process.interactive", true, what);
	sw_assert_str(rec, "process.tty.name", "pts0", what);
	sw_assert_str(rec, "process.working_directory", "/root", what);
	sw_assert_str(rec, "process.creation.time", START_TIME, what);
	assert_rfc3339(rec, "process.creation.time", what);
	assert_uint(rec, "process.parent.pid", 4000, what);
	sw_assert_str(rec, "process.parent.executable.name", "containerd-shim",
		      what);
	sw_assert_str(rec, "process.parent.executable.path",
		      "/usr/bin/containerd-shim-runc-v2", what);
	assert_uint(rec, "process.namespace.pid", 4026532001U, what);
	assert_uint(rec, "process.namespace.mnt", 4026532002U, what);

	assert_uint(rec, "cgroup.id", 0xfedcba9876543210ULL, what);
	sw_assert_str(rec, "cgroup.path",
		      "/kubepods.slice/kubepods-pod1.slice/cri-abc.scope", what);
	assert_null(rec, "cgroup.v1_path", what);

	sw_assert_str(rec, "shell.name", "bash", what);
	sw_assert_str(rec, "shell.matched_by", "binary", what);
	sw_assert_bool(rec, "shell.script", false, what);
	sw_assert_bool(rec, "shell.multicall", false, what);
	sw_assert_strs(rec, "truncated", NULL, 0, what);
	jv_free(rec);
	free(ex);
}

/* the top-level members, in the order of the record */
Test(record, top_level_order)
{
	static const char *const want[] = {
		"type", "schema", "time", "seq", "exec_id", "found_at_start",
		"host", "k8s", "scope", "entry", "container", "process",
		"cgroup", "shell", "truncated", "detection",
	};
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	struct jv *rec = record("order", ex, &ctx, SEQ);
	size_t i;

	cr_assert_eq(jv_len(rec), ARRAY_SIZE(want), "record has %zu members",
		     jv_len(rec));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		cr_assert_str_eq(jv_key_at(rec, i), want[i],
				 "member %zu is '%s', want '%s'", i,
				 jv_key_at(rec, i), want[i]);
	jv_free(rec);
	free(ex);
}

/* how an exec differs from make_exec(), and what the record then says */
struct kind_case {
	const char *what;
	/* the exec */
	uint32_t flags;
	uint32_t match;
	const char *comm;
	const char *filename;
	const char *interp;
	const char *exe;
	const char *argv;
	size_t argv_len;
	uint32_t argc;
	/* the record */
	const char *exe_name;		/* process.executable.name */
	const char *shell;		/* shell.name */
	const char *matched_by;		/* shell.matched_by */
	const char *command_line;
};

static const struct kind_case kind_cases[] = {
	/* binaries */
	{ "bash", SW_F_TTY, SW_MATCH_BINARY, "bash", "/bin/bash", "",
	  "/usr/bin/bash", B("bash\0"), 1, "bash", "bash", "binary", "bash" },
	{ "/bin/sh -> dash", 0, SW_MATCH_BINARY, "sh", "/bin/sh", "",
	  "/usr/bin/dash", B("/bin/sh\0-c\0id\0"), 3, "sh", "dash", "binary",
	  "/bin/sh -c id" },
	{ "exec -a innocent bash", 0, SW_MATCH_BINARY, "bash", "/bin/bash", "",
	  "/usr/bin/bash", B("innocent\0"), 1, "bash", "bash", "binary",
	  "innocent" },
	{ "bash linked as innocent", 0, SW_MATCH_BINARY, "innocent",
	  "/tmp/innocent", "", "/usr/bin/bash", B("innocent\0"), 1, "innocent",
	  "bash", "binary", "innocent" },
	/* invoked name */
	{ "copy run through a link named zsh", 0, SW_MATCH_INVOKED, "zsh",
	  "/usr/local/bin/zsh", "", "/opt/x", B("zsh\0"), 1, "zsh", "zsh",
	  "invoked_name", "zsh" },
	/* busybox applets */
	{ "busybox as sh", SW_F_MULTICALL, SW_MATCH_APPLET, "sh", "/bin/sh", "",
	  "/bin/busybox", B("sh\0-c\0ls\0"), 3, "sh", "sh", "applet",
	  "sh -c ls" },
	{ "busybox sh", SW_F_MULTICALL, SW_MATCH_APPLET, "busybox",
	  "/bin/busybox", "", "/bin/busybox", B("busybox\0ash\0"), 2,
	  "busybox", "ash", "applet", "busybox ash" },
	/* scripts: the interpreter's name */
	{ "script run by /bin/sh", SW_F_SCRIPT, SW_MATCH_BINARY, "x.sh",
	  "/tmp/x.sh", "/bin/sh", "/usr/bin/dash", B("/bin/sh\0/tmp/x.sh\0"), 2,
	  "sh", "dash", "binary", "/bin/sh /tmp/x.sh" },
	{ "script run by #!/bin/bash", SW_F_SCRIPT | SW_F_TTY, SW_MATCH_BINARY,
	  "run", "./run", "/bin/bash", "/usr/bin/bash",
	  B("/bin/bash\0./run\0arg\0"), 3, "bash", "bash", "binary",
	  "/bin/bash ./run arg" },
	/* fileless */
	{ "memfd bash", SW_F_FILELESS | SW_F_TTY, SW_MATCH_ARGV0, "3",
	  "/dev/fd/3", "", "/memfd:x", B("bash\0-i\0"), 2, "3", "bash",
	  "argv0", "bash -i" },
	/* argv forms */
	{ "argv without final NUL", 0, SW_MATCH_BINARY, "bash", "/bin/bash", "",
	  "/usr/bin/bash", B("bash\0-c\0echo hi"), 3, "bash", "bash", "binary",
	  "bash -c echo hi" },
	{ "empty argument", 0, SW_MATCH_BINARY, "bash", "/bin/bash", "",
	  "/usr/bin/bash", B("bash\0\0x\0"), 3, "bash", "bash", "binary",
	  "bash  x" },
	{ "no argv", 0, SW_MATCH_BINARY, "bash", "/bin/bash", "",
	  "/usr/bin/bash", B(""), 0, "bash", "bash", "binary", "" },
	{ "argument with spaces", 0, SW_MATCH_BINARY, "bash", "/bin/bash", "",
	  "/usr/bin/bash", B("bash\0-c\0echo a b\0"), 3, "bash", "bash",
	  "binary", "bash -c echo a b" },
};

/* argv split at NULs, as command_args should hold it */
static size_t split_argv(const char *argv, size_t len, const char **out,
			 size_t *lens, size_t max)
{
	size_t off = 0, n = 0, l;

	while (off < len && n < max) {
		l = strnlen(argv + off, len - off);
		out[n] = argv + off;
		lens[n++] = l;
		off += l + 1;
	}
	return n;
}

ParameterizedTestParameters(record, kinds)
{
	return sw_rows(ARRAY_SIZE(kind_cases));
}

ParameterizedTest(int *row, record, kinds)
{
	const struct kind_case *c = &kind_cases[*row];
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	const char *args[16];
	size_t lens[16], n, i;
	const struct jv *arr;
	char what[128];
	struct jv *rec;

	snprintf(what, sizeof(what), "exec %s", c->what);
	ex->flags = c->flags;
	ex->match = c->match;
	snprintf(ex->comm, sizeof(ex->comm), "%s", c->comm);
	snprintf(ex->filename, sizeof(ex->filename), "%s", c->filename);
	snprintf(ex->interp, sizeof(ex->interp), "%s", c->interp);
	snprintf(ex->exe, sizeof(ex->exe), "%s", c->exe);
	set_argv(ex, c->argv, c->argv_len);
	ex->argc = c->argc;

	rec = record(what, ex, &ctx, SEQ);
	assert_common(rec, &ctx, what);
	sw_assert_str(rec, "process.executable.name", c->exe_name, what);
	sw_assert_str(rec, "process.executable.path", c->exe, what);
	sw_assert_str(rec, "process.invoked.path", c->filename, what);
	sw_assert_bool(rec, "process.executable.fileless",
		       c->flags & SW_F_FILELESS, what);
	sw_assert_str(rec, "shell.name", c->shell, what);
	sw_assert_str(rec, "shell.matched_by", c->matched_by, what);
	sw_assert_bool(rec, "shell.script", c->flags & SW_F_SCRIPT, what);
	sw_assert_bool(rec, "shell.multicall", c->flags & SW_F_MULTICALL, what);
	sw_assert_bool(rec, "process.interactive", c->flags & SW_F_TTY, what);
	if (c->flags & SW_F_TTY)
		sw_assert_str(rec, "process.tty.name", "pts0", what);
	else
		assert_null(rec, "process.tty.name", what);
	if (c->flags & SW_F_SCRIPT) {
		sw_assert_str(rec, "process.script.path", c->filename, what);
		sw_assert_str(rec, "process.interpreter.path", c->interp, what);
	} else {
		assert_absent(rec, "process.script", what);
		assert_absent(rec, "process.interpreter", what);
	}
	sw_assert_str(rec, "process.command_line", c->command_line, what);
	assert_uint(rec, "process.args_count", c->argc, what);

	n = split_argv(c->argv, c->argv_len, args, lens, ARRAY_SIZE(args));
	arr = jv_get(rec, "process.command_args");
	cr_assert_eq(jv_type(arr), JV_ARRAY, "%s: command_args not an array",
		     what);
	cr_assert_eq(jv_len(arr), n, "%s: %zu command_args, want %zu", what,
		     jv_len(arr), n);
	for (i = 0; i < n; i++) {
		const struct jv *el = jv_at(arr, i);

		cr_assert(jv_strlen(el) == lens[i] &&
			  !memcmp(jv_str(el), args[i], lens[i]),
			  "%s: command_args[%zu] is '%s', want '%.*s'", what, i,
			  jv_str(el), (int)lens[i], args[i]);
	}
	jv_free(rec);
	free(ex);
}

/* a shell found running at start: no exec time, the scan's time instead */
Test(record, found_at_start)
{
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	const char *what = "found at start";
	char before[CLOCK_RFC3339_LEN], after[CLOCK_RFC3339_LEN];
	const char *t;
	struct jv *rec;

	ex->exec_ns = 0;
	ex->found_at_start = true;
	ex->filename[0] = '\0';
	strcpy(ex->comm, "sh");
	strcpy(ex->exe, "/usr/bin/dash");
	cr_assert_eq(clock_rfc3339(clock_real_now(), before, sizeof(before)), 0);
	rec = record(what, ex, &ctx, 0);
	cr_assert_eq(clock_rfc3339(clock_real_now(), after, sizeof(after)), 0);

	assert_common(rec, &ctx, what);
	assert_uint(rec, "seq", 0, what);
	sw_assert_bool(rec, "found_at_start", true, what);
	sw_assert_str(rec, "exec_id", BOOT_ID "-4242-4123456789-0", what);
	t = sw_field_str(rec, "time");
	cr_assert(strcmp(t, before) >= 0 && strcmp(t, after) <= 0,
		  "%s: time %s not between %s and %s", what, t, before, after);
	sw_assert_str(rec, "process.creation.time", START_TIME, what);
	/* no invoked path: the name is comm */
	sw_assert_str(rec, "process.executable.name", "sh", what);
	sw_assert_str(rec, "process.invoked.path", "", what);
	sw_assert_str(rec, "shell.name", "dash", what);
	jv_free(rec);
	free(ex);
}

/* audit ids, large ids and sequence numbers */
Test(record, numbers)
{
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	const char *what = "numbers";
	struct jv *rec;

	ex->loginuid = 1000;
	ex->audit_session = 3;
	ex->pid = 4294967295U;
	ex->uid = 4000000000U;
	ex->cgroup_id = UINT64_MAX;
	rec = record(what, ex, &ctx, UINT64_MAX);
	assert_uint(rec, "seq", UINT64_MAX, what);
	assert_uint(rec, "process.audit.login_uid", 1000, what);
	assert_uint(rec, "process.audit.session_id", 3, what);
	assert_uint(rec, "process.pid", 4294967295U, what);
	assert_uint(rec, "process.real_user.id", 4000000000U, what);
	assert_absent(rec, "process.real_user.name", what);
	assert_uint(rec, "cgroup.id", UINT64_MAX, what);
	sw_assert_str(rec, "exec_id", BOOT_ID "-4294967295-4123456789-5000000123",
		      what);
	jv_free(rec);
	free(ex);
}

Test(record, cgroup_v1_path)
{
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	struct jv *rec;

	strcpy(ex->cgroup_v1, "/kubepods/burstable/pod1/abc");
	rec = record("v1 path", ex, &ctx, SEQ);
	sw_assert_str(rec, "cgroup.v1_path", "/kubepods/burstable/pod1/abc",
		      "v1 path");
	jv_free(rec);
	free(ex);
}

Test(record, exec_id)
{
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	char buf[EXEC_ID_LEN];

	cr_assert_eq(record_exec_id(ex, &ctx, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, BOOT_ID "-4242-4123456789-5000000123",
			 "exec_id '%s'", buf);
	cr_assert_neq(record_exec_id(ex, &ctx, buf, 10), 0,
		      "exec_id into 10 bytes succeeded");
	free(ex);
}

struct trunc_case {
	uint32_t flags;
	const char *want[8];
	size_t n;
};

static const struct trunc_case trunc_cases[] = {
	/* nothing cut */
	{ 0, { NULL }, 0 },
	{ SW_F_TTY | SW_F_SCRIPT | SW_F_MULTICALL | SW_F_FILELESS, { NULL }, 0 },
	/* one field each */
	{ SW_F_ARGV_TRUNC, { "process.command_args" }, 1 },
	{ SW_F_ARGV_FAULT, { "process.command_args" }, 1 },
	{ SW_F_EXE_TRUNC, { "process.executable.path" }, 1 },
	{ SW_F_FILENAME_TRUNC, { "process.invoked.path" }, 1 },
	{ SW_F_INTERP_TRUNC, { "process.interpreter.path" }, 1 },
	{ SW_F_CWD_TRUNC, { "process.working_directory" }, 1 },
	{ SW_F_PARENT_EXE_TRUNC, { "process.parent.executable.path" }, 1 },
	{ SW_F_CGROUP_TRUNC, { "cgroup.path" }, 1 },
	{ SW_F_CGROUP_V1_TRUNC, { "cgroup.v1_path" }, 1 },
	/* several */
	{ SW_F_ARGV_TRUNC | SW_F_ARGV_FAULT, { "process.command_args" }, 1 },
	{ SW_F_CWD_TRUNC | SW_F_EXE_TRUNC,
	  { "process.executable.path", "process.working_directory" }, 2 },
	{ 0x0fe8, { "process.command_args", "process.executable.path",
		    "process.invoked.path", "process.interpreter.path",
		    "process.working_directory",
		    "process.parent.executable.path", "cgroup.path",
		    "cgroup.v1_path" }, 8 },
};

ParameterizedTestParameters(record, truncated)
{
	return sw_rows(ARRAY_SIZE(trunc_cases));
}

ParameterizedTest(int *row, record, truncated)
{
	const struct trunc_case *c = &trunc_cases[*row];
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	char what[64];
	struct jv *rec;

	snprintf(what, sizeof(what), "flags %#x", c->flags);
	ex->flags = c->flags;
	rec = record(what, ex, &ctx, SEQ);
	sw_assert_strs(rec, "truncated", c->want, c->n, what);
	jv_free(rec);
	free(ex);
}

/* a hostile string, and what it decodes to from the record */
struct hostile_case {
	const char *what;
	const char *in;
	size_t inlen;
	const char *want;
	size_t wantlen;
	unsigned int reps;	/* in and want repeated this often (0: once) */
};

static const struct hostile_case hostile_cases[] = {
	/* line breaks */
	{ "newline", SAME("a\nb"), 0 },
	{ "CRLF", SAME("a\r\nb"), 0 },
	{ "log line injection", SAME("x\n{\"type\":\"exec\",\"seq\":1}\n"), 0 },
	{ "NEL", SAME("a\xc2\x85" "b"), 0 },
	{ "U+2028", SAME("a\xe2\x80\xa8" "b"), 0 },
	/* quotes and backslashes */
	{ "quote", SAME("\""), 0 },
	{ "field injection", SAME("x\",\"found_at_start\":true,\"y\":\""), 0 },
	{ "backslash", SAME("\\"), 0 },
	{ "trailing backslash", SAME("dir\\"), 0 },
	{ "escape text", SAME("\\u0000\\n"), 0 },
	/* terminal escapes and control bytes */
	{ "ANSI colour", SAME("\x1b[31mred\x1b[0m"), 0 },
	{ "title set", SAME("\x1b]0;pwned\x07"), 0 },
	{ "tab and DEL", SAME("\t\x7f"), 0 },
	{ "C0 bytes", SAME("\x01\x02\x03\x1f"), 0 },
	/* invalid UTF-8: replaced */
	{ "0xff", B("a\xff" "b"), B("a" FFFD "b"), 0 },
	{ "latin-1", B("caf\xe9"), B("caf" FFFD), 0 },
	{ "cut sequence", B("\xe2\x82"), B(FFFD), 0 },
	{ "overlong slash", B("\xc0\xaf"), B(FFFD FFFD), 0 },
	{ "surrogate", B("\xed\xa0\x80"), B(FFFD FFFD FFFD), 0 },
	/* valid UTF-8 kept */
	{ "UTF-8", SAME("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), 0 },
	{ "right-to-left override", SAME("\xe2\x80\xae" "hs.txt"), 0 },
	/* 255-byte names */
	{ "255 x a", SAME("a"), 255 },
	{ "255 x quote", SAME("\""), 255 },
	{ "255 x backslash", SAME("\\"), 255 },
	{ "255 x newline", SAME("\n"), 255 },
	{ "255 x ESC", SAME("\x1b"), 255 },
	{ "85 x euro", SAME("\xe2\x82\xac"), 85 },
	{ "255 x 0xff", B("\xff"), B(FFFD), 255 },
};

/* s (n bytes) repeated reps times (once for 0) into a malloc'd string */
static char *repeat(const char *s, size_t n, unsigned int reps, size_t *len)
{
	unsigned int i, r = reps ? reps : 1;
	char *b = malloc(n * r + 1);

	cr_assert_not_null(b);
	for (i = 0; i < r; i++)
		memcpy(b + i * n, s, n);
	b[n * r] = '\0';
	*len = n * r;
	return b;
}

ParameterizedTestParameters(record, hostile)
{
	return sw_rows(ARRAY_SIZE(hostile_cases));
}

ParameterizedTest(int *row, record, hostile)
{
	const struct hostile_case *c = &hostile_cases[*row];
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	char what[128], *in, *want, *buf, *host;
	size_t inlen, wantlen, n;
	const struct jv *arr;
	struct jv *rec;

	snprintf(what, sizeof(what), "hostile %s", c->what);
	in = repeat(c->in, c->inlen, c->reps, &inlen);
	want = repeat(c->want, c->wantlen, c->reps, &wantlen);
	cr_assert_lt(inlen, 256, "table error: %s is %zu bytes", what, inlen);
	buf = malloc(2 * wantlen + 64);
	host = malloc(inlen + 1);
	cr_assert(buf && host);

	/* every string field holds the hostile bytes */
	n = 0;
	memcpy(ex->argv + n, "bash\0", 5);
	n += 5;
	memcpy(ex->argv + n, in, inlen);
	n += inlen;
	ex->argv[n++] = '\0';
	memcpy(ex->argv + n, in, inlen);
	n += inlen;
	ex->argv[n++] = '\0';
	ex->argv_len = n;
	ex->argc = 3;
	snprintf(ex->filename, sizeof(ex->filename), "/tmp/%s", in);
	snprintf(ex->exe, sizeof(ex->exe), "/%s", in);
	snprintf(ex->cwd, sizeof(ex->cwd), "/home/%s", in);
	snprintf(ex->parent_exe, sizeof(ex->parent_exe), "/opt/%s/x", in);
	snprintf(ex->cgroup, sizeof(ex->cgroup), "/pod/%s", in);
	snprintf(ex->cgroup_v1, sizeof(ex->cgroup_v1), "/v1/%s", in);
	if (inlen < sizeof(ex->tty))
		snprintf(ex->tty, sizeof(ex->tty), "%s", in);
	if (inlen < sizeof(ex->parent_comm))
		snprintf(ex->parent_comm, sizeof(ex->parent_comm), "%s", in);
	memcpy(host, in, inlen + 1);
	ctx.host_name = host;
	ctx.node_name = host;
	ctx.cluster_name = host;

	rec = record(what, ex, &ctx, SEQ);
	/* one member per field: nothing was added by the input */
	cr_assert_eq(jv_len(rec), 16, "%s: record has %zu members", what,
		     jv_len(rec));
	cr_assert_eq(jv_len(jv_get(rec, "process")), 22,
		     "%s: process has %zu members", what,
		     jv_len(jv_get(rec, "process")));

	arr = jv_get(rec, "process.command_args");
	cr_assert_eq(jv_len(arr), 3, "%s: %zu command_args", what, jv_len(arr));
	cr_assert(jv_strlen(jv_at(arr, 1)) == wantlen &&
		  !memcmp(jv_str(jv_at(arr, 1)), want, wantlen),
		  "%s: command_args[1] differs", what);
	cr_assert(jv_strlen(jv_at(arr, 2)) == wantlen &&
		  !memcmp(jv_str(jv_at(arr, 2)), want, wantlen),
		  "%s: command_args[2] differs", what);
	n = snprintf(buf, 2 * wantlen + 64, "bash %.*s %.*s", (int)wantlen, want,
		     (int)wantlen, want);
	assert_bytes(rec, "process.command_line", buf, n, what);

	n = snprintf(buf, 2 * wantlen + 64, "/tmp/%.*s", (int)wantlen, want);
	assert_bytes(rec, "process.invoked.path", buf, n, what);
	n = snprintf(buf, 2 * wantlen + 64, "/%.*s", (int)wantlen, want);
	assert_bytes(rec, "process.executable.path", buf, n, what);
	n = snprintf(buf, 2 * wantlen + 64, "/home/%.*s", (int)wantlen, want);
	assert_bytes(rec, "process.working_directory", buf, n, what);
	n = snprintf(buf, 2 * wantlen + 64, "/opt/%.*s/x", (int)wantlen, want);
	assert_bytes(rec, "process.parent.executable.path", buf, n, what);
	n = snprintf(buf, 2 * wantlen + 64, "/pod/%.*s", (int)wantlen, want);
	assert_bytes(rec, "cgroup.path", buf, n, what);
	n = snprintf(buf, 2 * wantlen + 64, "/v1/%.*s", (int)wantlen, want);
	assert_bytes(rec, "cgroup.v1_path", buf, n, what);
	if (!memchr(in, '/', inlen))
		assert_bytes(rec, "process.executable.name", want, wantlen, what);
	if (inlen < sizeof(ex->tty))
		assert_bytes(rec, "process.tty.name", want, wantlen, what);
	if (inlen < sizeof(ex->parent_comm))
		assert_bytes(rec, "process.parent.executable.name", want,
			     wantlen, what);

	assert_bytes(rec, "host.name", want, wantlen, what);
	assert_bytes(rec, "k8s.node.name", want, wantlen, what);
	assert_bytes(rec, "k8s.cluster.name", want, wantlen, what);
	assert_bytes(rec, "detection.risk_object", want, wantlen, what);
	n = snprintf(buf, 2 * wantlen + 64, DETECTION_MESSAGE "%.*s",
		     (int)wantlen, want);
	assert_bytes(rec, "detection.message", buf, n, what);
	/* the matched shell is still bash */
	sw_assert_str(rec, "shell.name", "bash", what);

	jv_free(rec);
	free(buf);
	free(host);
	free(in);
	free(want);
	free(ex);
}

/* argv at its capture limit, last element cut: all of it in the record */
Test(record, argv_at_limit)
{
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	const char *what = "argv of SW_ARGV_MAX bytes";
	const struct jv *arr, *last;
	struct jv *rec;
	size_t i;

	memcpy(ex->argv, "bash\0-c\0", 8);
	for (i = 8; i < SW_ARGV_MAX; i++)
		ex->argv[i] = 'a' + i % 26;
	ex->argv_len = SW_ARGV_MAX;
	ex->argc = 3;
	ex->flags |= SW_F_ARGV_TRUNC;
	rec = record(what, ex, &ctx, SEQ);
	arr = jv_get(rec, "process.command_args");
	cr_assert_eq(jv_len(arr), 3, "%s: %zu command_args", what, jv_len(arr));
	last = jv_at(arr, 2);
	cr_assert_eq(jv_strlen(last), SW_ARGV_MAX - 8,
		     "%s: last argument of %zu bytes, want %d", what,
		     jv_strlen(last), SW_ARGV_MAX - 8);
	cr_assert_eq(jv_strlen(jv_get(rec, "process.command_line")),
		     SW_ARGV_MAX, "%s: command_line of %zu bytes", what,
		     jv_strlen(jv_get(rec, "process.command_line")));
	sw_assert_strs(rec, "truncated", (const char *const[]){
		       "process.command_args" }, 1, what);
	jv_free(rec);
	free(ex);
}

/* longest paths the decoder gives: the record stays whole */
Test(record, longest_paths)
{
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex = make_exec();
	const char *what = "longest paths";
	struct jv *rec;

	memset(ex->exe, '"', sizeof(ex->exe) - 1);
	ex->exe[sizeof(ex->exe) - 1] = '\0';
	memset(ex->cwd, '\n', sizeof(ex->cwd) - 1);
	ex->cwd[sizeof(ex->cwd) - 1] = '\0';
	memset(ex->filename, '\\', sizeof(ex->filename) - 1);
	ex->filename[sizeof(ex->filename) - 1] = '\0';
	memset(ex->cgroup, '\x1b', sizeof(ex->cgroup) - 1);
	ex->cgroup[sizeof(ex->cgroup) - 1] = '\0';
	rec = record(what, ex, &ctx, SEQ);
	cr_assert_eq(jv_strlen(jv_get(rec, "process.executable.path")),
		     sizeof(ex->exe) - 1, "%s: exe length", what);
	cr_assert_eq(jv_strlen(jv_get(rec, "process.working_directory")),
		     sizeof(ex->cwd) - 1, "%s: cwd length", what);
	cr_assert_eq(jv_strlen(jv_get(rec, "process.invoked.path")),
		     sizeof(ex->filename) - 1, "%s: filename length", what);
	cr_assert_eq(jv_strlen(jv_get(rec, "cgroup.path")),
		     sizeof(ex->cgroup) - 1, "%s: cgroup length", what);
	jv_free(rec);
	free(ex);
}

/* a shell the kernel did not track says why; a tracked one says nothing */
Test(record, untracked)
{
	static const struct {
		uint32_t flags;
		const char *want;
	} cases[] = {
		{ 0, NULL },
		{ SW_F_TRACK_OVER, "over_limit" },
		{ SW_F_TRACK_NOMEM, "no_memory" },
	};
	struct sw_context ctx = make_ctx();
	struct sw_exec *ex;
	struct jv *rec;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ex = make_exec();
		ex->flags |= cases[i].flags;
		rec = record("untracked", ex, &ctx, 1);
		if (cases[i].want)
			sw_assert_str(rec, "untracked", cases[i].want,
				      cases[i].want);
		else
			assert_absent(rec, "untracked", "tracked");
		jv_free(rec);
		free(ex);
	}
}

/*
 * compact records (--fields compact, the default): a field is left out
 * when it says nothing a search needs: null, false, empty, or a repeat of
 * another field; the rest is as in a full record
 */
static struct sw_context compact_ctx(void)
{
	struct sw_context ctx = make_ctx();

	ctx.fields = SW_FIELDS_COMPACT;
	return ctx;
}

/* a plain host shell: its own user, no terminal, its parent's view */
static struct sw_exec *make_host_exec(void)
{
	struct sw_exec *ex = make_exec();

	ex->uid = ex->euid = 1000;
	ex->gid = ex->egid = 1001;
	ex->vpid = ex->pid;
	ex->flags = SW_F_VIEW | SW_F_HOST_VIEW | SW_F_PARENT_HOST_VIEW;
	ex->parent_mntns = ex->mntns;
	ex->tty[0] = 0;
	ex->cgroup[0] = 0;
	strcpy(ex->parent_comm, "bash");
	strcpy(ex->parent_exe, "/usr/bin/bash");
	return ex;
}

Test(record_compact, host_shell_says_each_thing_once)
{
	static const char *const gone[] = {
		"found_at_start", "process.vpid", "process.owner",
		"process.real_user", "process.real_group", "process.interactive",
		"process.tty", "process.audit", "process.args_count",
		"process.executable.fileless", "process.parent.pid",
		"process.parent.namespace", "process.parent.host_view",
		"shell.script", "shell.multicall", "truncated", "ancestors",
		"process.ancestors", "cgroup.v1_path", "k8s.pod", "k8s.namespace",
		"k8s.container", "container", "detection.impact",
		"detection.confidence", "detection.message",
		"detection.risk_object_type", "detection.mitre_attack.tactic",
		"detection.mitre_attack.technique",
	};
	static const char *const args[] = { "bash", "-c", "id" };
	struct sw_context ctx = compact_ctx();
	struct sw_exec *ex = make_host_exec();
	const char *what = "compact host shell";
	struct jv *rec;
	size_t i;

	rec = record(what, ex, &ctx, SEQ);
	for (i = 0; i < ARRAY_SIZE(gone); i++)
		assert_absent(rec, gone[i], what);
	/* what a search groups by and what says who and how */
	sw_assert_str(rec, "type", "exec", what);
	sw_assert_str(rec, "schema", "4.0", what);
	sw_assert_str(rec, "time", EXEC_TIME, what);
	sw_assert_str(rec, "exec_id", BOOT_ID "-4242-4123456789-5000000123",
		      what);
	sw_assert_str(rec, "host.name", HOST, what);
	sw_assert_str(rec, "k8s.cluster.name", "prod-eu", what);
	sw_assert_str(rec, "k8s.node.name", "node-1", what);
	assert_uint(rec, "process.pid", 4242, what);
	assert_uint(rec, "process.parent_pid", 4000, what);
	sw_assert_str(rec, "process.executable.path", "/usr/bin/bash", what);
	sw_assert_str(rec, "process.command_line", "bash -c id", what);
	sw_assert_strs(rec, "process.command_args", args, ARRAY_SIZE(args),
		       what);
	assert_uint(rec, "process.user.id", 1000, what);
	assert_uint(rec, "process.group.id", 1001, what);
	sw_assert_bool(rec, "process.host_view", true, what);
	assert_uint(rec, "process.namespace.mnt", 4026532002U, what);
	sw_assert_str(rec, "process.parent.executable.path", "/usr/bin/bash",
		      what);
	sw_assert_str(rec, "shell.name", "bash", what);
	sw_assert_str(rec, "detection.name",
		      "Kubernetes Shell Running on Worker Node", what);
	assert_uint(rec, "detection.risk_score", 25, what);
	sw_assert_str(rec, "detection.risk_object", HOST, what);
	sw_assert_str(rec, "detection.mitre_attack.technique_id", "T1204", what);
	jv_free(rec);
	free(ex);
}

/* what differs, what is set, what was cut: always said */
Test(record_compact, keeps_what_is_not_the_default)
{
	struct sw_context ctx = compact_ctx();
	struct sw_exec *ex = make_host_exec();
	const char *what = "compact setuid shell on a terminal";
	struct jv *rec;

	ex->euid = 0;
	ex->egid = 0;
	ex->vpid = 7;
	ex->loginuid = 1000;
	ex->audit_session = 3;
	ex->flags |= SW_F_TTY | SW_F_FILELESS | SW_F_ARGV_TRUNC;
	ex->flags &= ~SW_F_PARENT_HOST_VIEW;
	ex->parent_mntns = 4026532099U;
	ex->argc = 5000;
	strcpy(ex->tty, "pts3");
	rec = record(what, ex, &ctx, SEQ);
	assert_uint(rec, "process.user.id", 0, what);
	assert_uint(rec, "process.real_user.id", 1000, what);
	assert_uint(rec, "process.group.id", 0, what);
	assert_uint(rec, "process.real_group.id", 1001, what);
	assert_uint(rec, "process.vpid", 7, what);
	assert_uint(rec, "process.audit.login_uid", 1000, what);
	assert_uint(rec, "process.audit.session_id", 3, what);
	sw_assert_bool(rec, "process.interactive", true, what);
	sw_assert_str(rec, "process.tty.name", "pts3", what);
	sw_assert_bool(rec, "process.executable.fileless", true, what);
	/* argv was cut: the count says how much there was */
	assert_uint(rec, "process.args_count", 5000, what);
	cr_assert_geq(jv_len(jv_get(rec, "truncated")), 1,
		      "%s: truncated does not list the cut argv", what);
	cr_assert_str_eq(jv_str(jv_at(jv_get(rec, "truncated"), 0)),
			 "process.command_args", "%s: truncated[0]", what);
	/* a parent in another mount namespace, not the host's view */
	assert_uint(rec, "process.parent.namespace.mnt", 4026532099U, what);
	sw_assert_bool(rec, "process.parent.host_view", false, what);
	jv_free(rec);
	free(ex);
}

/* an argv the capture holds less of than argc says: the count is kept */
Test(record_compact, args_count_when_the_array_is_not_the_argv)
{
	struct sw_context ctx = compact_ctx();
	struct sw_exec *ex = make_host_exec();
	const char *what = "argc 4, three captured, no flag";
	struct jv *rec;

	ex->argc = 4;
	rec = record(what, ex, &ctx, SEQ);
	assert_uint(rec, "process.args_count", 4, what);
	jv_free(rec);
	free(ex);
}

/* a pod whose names are not known yet: its uid and why, never a null */
Test(record_compact, pod_without_names)
{
	struct sw_context ctx = compact_ctx();
	struct sw_exec *ex = make_exec();
	struct pod_ident pod = {
		.scope = POD_SCOPE_CONTAINER,
		.names = POD_NAMES_NO_LINK,
		.runtime = "containerd",
		.container_id = "abc",
		.pod_uid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
	};
	const char *what = "compact unnamed pod";
	struct jsonw *w = jsonw_new();
	struct jv *rec;

	cr_assert_not_null(w);
	record_exec(w, ex, &pod, &ctx, SEQ);
	cr_assert_eq(jsonw_error(w), 0);
	assert_one_line(what, jsonw_data(w), jsonw_len(w));
	rec = sw_parse_line(jsonw_data(w), jsonw_len(w));
	sw_assert_str(rec, "scope", "container", what);
	sw_assert_str(rec, "container.id", "abc", what);
	sw_assert_str(rec, "container.runtime", "containerd", what);
	sw_assert_str(rec, "k8s.pod.uid", pod.pod_uid, what);
	sw_assert_str(rec, "k8s.names_status", "no_link", what);
	assert_absent(rec, "k8s.pod.name", what);
	assert_absent(rec, "k8s.namespace", what);
	assert_absent(rec, "k8s.container", what);
	cr_assert_null(strstr(jsonw_data(w), "null"),
		       "%s: a null in a compact record: %s", what, jsonw_data(w));
	jv_free(rec);
	jsonw_destroy(w);
	free(ex);
}

/* every member of c is in f with the same value; path names where */
static void assert_subset(const struct jv *c, const struct jv *f,
			  const char *path)
{
	char sub[512];
	size_t i;

	cr_assert_not_null(f, "%s is in the compact record only", path);
	cr_assert_eq(jv_type(c), jv_type(f), "%s: type %d compact, %d full",
		     path, (int)jv_type(c), (int)jv_type(f));
	switch (jv_type(c)) {
	case JV_OBJECT:
		for (i = 0; i < jv_len(c); i++) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "",
				 jv_key_at(c, i));
			assert_subset(jv_val_at(c, i), jv_get(f, jv_key_at(c, i)),
				      sub);
		}
		break;
	case JV_ARRAY:
		cr_assert_eq(jv_len(c), jv_len(f), "%s: %zu elements compact, %zu full",
			     path, jv_len(c), jv_len(f));
		for (i = 0; i < jv_len(c); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			assert_subset(jv_at(c, i), jv_at(f, i), sub);
		}
		break;
	case JV_STRING:
		cr_assert_str_eq(jv_str(c), jv_str(f), "%s: '%s' compact, '%s' full",
				 path, jv_str(c), jv_str(f));
		break;
	case JV_NUMBER:
		cr_assert_str_eq(jv_numtext(c), jv_numtext(f), "%s: %s compact, %s full",
				 path, jv_numtext(c), jv_numtext(f));
		break;
	case JV_BOOL:
		cr_assert_eq(jv_bool(c), jv_bool(f), "%s differs", path);
		cr_assert(jv_bool(c), "%s: a false flag in a compact record", path);
		break;
	default:
		cr_assert_fail("%s: a null in a compact record", path);
	}
}

/* every field of a compact record is in the full one, with its value */
Test(record_compact, a_subset_of_the_full_record)
{
	struct sw_context full = make_ctx(), compact = compact_ctx();
	struct sw_exec *ex = make_exec();
	struct jv *c, *f;
	char *cl, *fl;
	size_t clen, flen;

	cl = render(ex, &compact, SEQ, &clen);
	fl = render(ex, &full, SEQ, &flen);
	cr_assert_lt(clen, flen, "the compact record (%zu bytes) is no smaller "
		     "than the full one (%zu)", clen, flen);
	c = sw_parse_line(cl, clen);
	f = sw_parse_line(fl, flen);
	assert_subset(c, f, "");
	jv_free(c);
	jv_free(f);
	free(cl);
	free(fl);
	free(ex);
}

/* pretty output is drawn from whole records, whatever --fields says */
Test(record_compact, pretty_output_draws_from_full_records)
{
	struct sw_context ctx = compact_ctx();
	struct sw_exec *ex = make_host_exec();
	const char *what = "--format pretty --fields compact";
	struct jv *rec;

	ctx.format = SW_FORMAT_PRETTY;
	rec = record(what, ex, &ctx, SEQ);
	cr_assert_not_null(jv_get(rec, "process.owner"), "%s: no process.owner", what);
	assert_uint(rec, "process.real_user.id", 1000, what);
	assert_null(rec, "process.audit.login_uid", what);
	sw_assert_bool(rec, "found_at_start", false, what);
	jv_free(rec);
	free(ex);
}
