// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the ring buffer record decoder (user/decode.c). Records are
 * built in memory as bpf/shellwatch.bpf.c builds them: struct
 * sw_exec_event, then the tail strings in enum sw_str order, each len[i]
 * bytes with its terminators; paths as leaf-first NUL-terminated
 * components, argv NUL-separated. Every record sits in a malloc'd buffer
 * of its exact size, so ASan reports any read past it.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "decode.h"
#include "exec.h"
#include "shellwatch.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
/* a string literal as pointer and length, embedded NULs included */
#define B(s)		(s), sizeof(s) - 1

static const char *const str_name[SW_STR_COUNT] = {
	[SW_STR_FILENAME] = "filename",
	[SW_STR_INTERP] = "interp",
	[SW_STR_EXE] = "exe",
	[SW_STR_CWD] = "cwd",
	[SW_STR_PARENT_EXE] = "parent_exe",
	[SW_STR_TTY] = "tty",
	[SW_STR_CGROUP] = "cgroup",
	[SW_STR_CGROUP_V1] = "cgroup_v1",
	[SW_STR_ARGV] = "argv",
};

/* the tail strings of a record being built: bytes as sent, 0 when absent */
struct tail {
	const char *s[SW_STR_COUNT];
	size_t n[SW_STR_COUNT];
};

/*
 * Build a record as the kernel sends it: hdr with len[] set from t, then
 * the strings back to back, in a malloc'd buffer of exactly the record's
 * size (plus extra bytes the caller asks for, negative to cut it short).
 */
static void *build_record(const struct sw_exec_event *hdr,
			  const struct tail *t, long extra, size_t *size)
{
	struct sw_exec_event e = *hdr;
	size_t total = 0, off;
	char *buf;
	int i;

	for (i = 0; i < SW_STR_COUNT; i++) {
		e.len[i] = (__u16)t->n[i];
		total += t->n[i];
	}
	*size = SW_EXEC_HDR_SIZE + total + extra;
	buf = malloc(*size ? *size : 1);
	cr_assert_not_null(buf);
	memcpy(buf, &e, *size < sizeof(e) ? *size : sizeof(e));
	off = SW_EXEC_HDR_SIZE;
	for (i = 0; i < SW_STR_COUNT && off < *size; i++) {
		size_t n = t->n[i];

		if (off + n > *size)
			n = *size - off;
		if (n)
			memcpy(buf + off, t->s[i], n);
		off += n;
	}
	return buf;
}

/* a header with a distinct value in every field */
static struct sw_exec_event full_header(void)
{
	struct sw_exec_event e;

	memset(&e, 0, sizeof(e));
	e.type = SW_EVENT_EXEC;
	e.flags = SW_F_SCRIPT | SW_F_TTY | SW_F_MULTICALL;
	e.exec_ns = 0x1122334455667788ULL;
	e.start_ns = 0x0102030405060708ULL;
	e.cgroup_id = 0xfedcba9876543210ULL;
	e.pid = 4194304;
	e.vpid = 7;
	e.ppid = 4194303;
	e.uid = 1000;
	e.gid = 1001;
	e.euid = 0;
	e.egid = 2;
	e.loginuid = 0xffffffffU;
	e.audit_session = 0xfffffffeU;
	e.sid = 12345;
	e.pidns = 4026531836U;
	e.mntns = 4026531841U;
	e.nlink = 3;
	e.argc = 4;
	e.match = SW_MATCH_APPLET;
	memcpy(e.comm, "sh", 3);
	memcpy(e.parent_comm, "containerd-shim", 16);
	return e;
}

/* a shell exec of a script in a pod: every tail string present */
static struct tail pod_tail(void)
{
	struct tail t = {
		.s = {
			[SW_STR_FILENAME] = "/tmp/run.sh",
			[SW_STR_INTERP] = "/bin/sh",
			[SW_STR_EXE] = "busybox\0bin\0",
			[SW_STR_CWD] = "app\0",
			[SW_STR_PARENT_EXE] = "containerd-shim-runc-v2\0bin\0usr\0",
			[SW_STR_TTY] = "pts3",
			[SW_STR_CGROUP] = "cri-containerd-abc.scope\0"
					  "kubepods-pod1.slice\0kubepods.slice\0",
			[SW_STR_CGROUP_V1] = "abc\0pod1\0kubepods\0",
			[SW_STR_ARGV] = "/bin/sh\0/tmp/run.sh\0-x\0a b\0",
		},
		.n = {
			[SW_STR_FILENAME] = sizeof("/tmp/run.sh"),
			[SW_STR_INTERP] = sizeof("/bin/sh"),
			[SW_STR_EXE] = sizeof("busybox\0bin\0") - 1,
			[SW_STR_CWD] = sizeof("app\0") - 1,
			[SW_STR_PARENT_EXE] =
				sizeof("containerd-shim-runc-v2\0bin\0usr\0") - 1,
			[SW_STR_TTY] = sizeof("pts3"),
			[SW_STR_CGROUP] = sizeof("cri-containerd-abc.scope\0"
						 "kubepods-pod1.slice\0"
						 "kubepods.slice\0") - 1,
			[SW_STR_CGROUP_V1] = sizeof("abc\0pod1\0kubepods\0") - 1,
			[SW_STR_ARGV] = sizeof("/bin/sh\0/tmp/run.sh\0-x\0a b\0") - 1,
		},
	};

	return t;
}

static struct sw_exec *new_exec(void)
{
	struct sw_exec *ex = malloc(sizeof(*ex));

	cr_assert_not_null(ex);
	memset(ex, 0xa5, sizeof(*ex));
	return ex;
}

Test(decode, every_field)
{
	struct sw_exec_event e = full_header();
	struct tail t = pod_tail();
	struct sw_exec *ex = new_exec();
	size_t size;
	void *rec = build_record(&e, &t, 0, &size);
	int ret;

	ret = decode_exec(rec, size, ex);
	cr_assert_eq(ret, 0, "pod record of %zu bytes: %d", size, ret);
	cr_assert_eq(ex->exec_ns, e.exec_ns, "exec_ns %#llx",
		     (unsigned long long)ex->exec_ns);
	cr_assert_eq(ex->start_ns, e.start_ns, "start_ns %#llx",
		     (unsigned long long)ex->start_ns);
	cr_assert_eq(ex->cgroup_id, e.cgroup_id, "cgroup_id %#llx",
		     (unsigned long long)ex->cgroup_id);
	cr_assert_eq(ex->pid, e.pid, "pid %u", ex->pid);
	cr_assert_eq(ex->vpid, e.vpid, "vpid %u", ex->vpid);
	cr_assert_eq(ex->ppid, e.ppid, "ppid %u", ex->ppid);
	cr_assert_eq(ex->sid, e.sid, "sid %u", ex->sid);
	cr_assert_eq(ex->uid, e.uid, "uid %u", ex->uid);
	cr_assert_eq(ex->gid, e.gid, "gid %u", ex->gid);
	cr_assert_eq(ex->euid, e.euid, "euid %u", ex->euid);
	cr_assert_eq(ex->egid, e.egid, "egid %u", ex->egid);
	cr_assert_eq(ex->loginuid, e.loginuid, "loginuid %u", ex->loginuid);
	cr_assert_eq(ex->audit_session, e.audit_session, "audit_session %u",
		     ex->audit_session);
	cr_assert_eq(ex->pidns, e.pidns, "pidns %u", ex->pidns);
	cr_assert_eq(ex->mntns, e.mntns, "mntns %u", ex->mntns);
	cr_assert_eq(ex->nlink, e.nlink, "nlink %u", ex->nlink);
	cr_assert_eq(ex->argc, e.argc, "argc %u", ex->argc);
	cr_assert_eq(ex->flags, e.flags, "flags %#x", ex->flags);
	cr_assert_eq(ex->match, e.match, "match %u", ex->match);
	cr_assert_eq(ex->found_at_start, false, "found_at_start set");
	cr_assert_str_eq(ex->comm, "sh", "comm '%s'", ex->comm);
	cr_assert_str_eq(ex->parent_comm, "containerd-shim",
			 "parent_comm '%s'", ex->parent_comm);
	cr_assert_str_eq(ex->filename, "/tmp/run.sh", "filename '%s'",
			 ex->filename);
	cr_assert_str_eq(ex->interp, "/bin/sh", "interp '%s'", ex->interp);
	cr_assert_str_eq(ex->exe, "/bin/busybox", "exe '%s'", ex->exe);
	cr_assert_str_eq(ex->cwd, "/app", "cwd '%s'", ex->cwd);
	cr_assert_str_eq(ex->parent_exe, "/usr/bin/containerd-shim-runc-v2",
			 "parent_exe '%s'", ex->parent_exe);
	cr_assert_str_eq(ex->tty, "pts3", "tty '%s'", ex->tty);
	cr_assert_str_eq(ex->cgroup,
			 "/kubepods.slice/kubepods-pod1.slice/cri-containerd-abc.scope",
			 "cgroup '%s'", ex->cgroup);
	cr_assert_str_eq(ex->cgroup_v1, "/kubepods/pod1/abc", "cgroup_v1 '%s'",
			 ex->cgroup_v1);
	cr_assert_eq(ex->argv_len, t.n[SW_STR_ARGV], "argv_len %zu",
		     ex->argv_len);
	cr_assert_eq(memcmp(ex->argv, t.s[SW_STR_ARGV], ex->argv_len), 0,
		     "argv bytes differ");
	free(rec);
	free(ex);
}

/* a command and a shell exec'd in a session carry their place in it */
Test(decode, trail)
{
	static const uint32_t types[] = { SW_EVENT_COMMAND, SW_EVENT_EXEC };
	struct sw_exec_event e = full_header();
	struct tail t = pod_tail();
	struct sw_exec *ex = new_exec();
	size_t size, i;
	void *rec;
	int ret;

	e.flags |= SW_F_TRAIL | SW_F_TRAIL_FORK;
	e.trail = (struct sw_trail){
		.sess_start_ns = 11, .sess_exec_ns = 12, .fork_id_ns = 13,
		.fork_start_ns = 23,
		.cmd_start_ns = 14, .cmd_exec_ns = 15, .cmd_pid = 16,
		.sess_pid = 17, .sess_uid = 18, .sess_gid = 19,
		.sess_euid = 20, .sess_egid = 21, .depth = 22,
	};
	for (i = 0; i < 2; i++) {
		e.type = types[i];
		rec = build_record(&e, &t, 0, &size);
		ret = decode_exec(rec, size, ex);
		cr_assert_eq(ret, 0, "type %u in a session: %d", e.type, ret);
		cr_assert_eq(ex->type, e.type, "type %u, want %u", ex->type,
			     e.type);
		cr_assert_eq(memcmp(&ex->trail, &e.trail, sizeof(e.trail)), 0,
			     "type %u: the trail differs", e.type);
		cr_assert_str_eq(ex->cwd, "/app", "cwd '%s'", ex->cwd);
		free(rec);
	}
	/* outside a session, whatever the kernel left there is not read */
	e.type = SW_EVENT_EXEC;
	e.flags &= ~(SW_F_TRAIL | SW_F_TRAIL_FORK);
	rec = build_record(&e, &t, 0, &size);
	cr_assert_eq(decode_exec(rec, size, ex), 0);
	cr_assert_eq(ex->trail.sess_pid, 0, "a trail outside a session: %u",
		     ex->trail.sess_pid);
	free(rec);
	free(ex);
}

/* absent strings (len 0) decode as empty */
Test(decode, header_only)
{
	struct sw_exec_event e = full_header();
	struct sw_exec *ex = new_exec();
	struct tail t = { .n = { 0 } };
	size_t size;
	void *rec = build_record(&e, &t, 0, &size);
	int ret;

	cr_assert_eq(size, SW_EXEC_HDR_SIZE, "header-only record of %zu", size);
	ret = decode_exec(rec, size, ex);
	cr_assert_eq(ret, 0, "header-only record: %d", ret);
	cr_assert_str_eq(ex->filename, "", "filename '%s'", ex->filename);
	cr_assert_str_eq(ex->interp, "", "interp '%s'", ex->interp);
	cr_assert_str_eq(ex->exe, "", "exe '%s'", ex->exe);
	cr_assert_str_eq(ex->cwd, "", "cwd '%s'", ex->cwd);
	cr_assert_str_eq(ex->parent_exe, "", "parent_exe '%s'", ex->parent_exe);
	cr_assert_str_eq(ex->tty, "", "tty '%s'", ex->tty);
	cr_assert_str_eq(ex->cgroup, "", "cgroup '%s'", ex->cgroup);
	cr_assert_str_eq(ex->cgroup_v1, "", "cgroup_v1 '%s'", ex->cgroup_v1);
	cr_assert_eq(ex->argv_len, 0, "argv_len %zu", ex->argv_len);
	cr_assert_eq(ex->pid, e.pid, "pid %u", ex->pid);
	free(rec);
	free(ex);
}

/* the root directory is sent as one empty component, absent as nothing */
Test(decode, root_and_absent_paths)
{
	struct sw_exec_event e = full_header();
	struct sw_exec *ex = new_exec();
	struct tail t = {
		.s = { [SW_STR_EXE] = "sh\0bin\0", [SW_STR_CWD] = "",
		       [SW_STR_CGROUP] = "" },
		.n = { [SW_STR_EXE] = 7, [SW_STR_CWD] = 1,
		       [SW_STR_CGROUP] = 1 },
	};
	size_t size;
	void *rec;

	e.flags = 0;
	rec = build_record(&e, &t, 0, &size);
	cr_assert_eq(decode_exec(rec, size, ex), 0, "root paths refused");
	cr_assert_str_eq(ex->exe, "/bin/sh", "exe '%s'", ex->exe);
	cr_assert_str_eq(ex->cwd, "/", "cwd at the root: '%s'", ex->cwd);
	cr_assert_str_eq(ex->cgroup, "/", "root cgroup: '%s'", ex->cgroup);
	cr_assert_str_eq(ex->cgroup_v1, "", "absent v1 cgroup: '%s'",
			 ex->cgroup_v1);
	cr_assert_str_eq(ex->parent_exe, "", "absent parent exe: '%s'",
			 ex->parent_exe);
	free(rec);
	free(ex);
}

struct trunc_case {
	const char *what;
	int idx;		/* which path */
	uint32_t flag;		/* its truncation flag */
};

static const struct trunc_case trunc_cases[] = {
	/* every path's flag marks that path only */
	{ "exe", SW_STR_EXE, SW_F_EXE_TRUNC },
	{ "cwd", SW_STR_CWD, SW_F_CWD_TRUNC },
	{ "parent_exe", SW_STR_PARENT_EXE, SW_F_PARENT_EXE_TRUNC },
	{ "cgroup", SW_STR_CGROUP, SW_F_CGROUP_TRUNC },
	{ "cgroup_v1", SW_STR_CGROUP_V1, SW_F_CGROUP_V1_TRUNC },
};

/* the decoded path of idx in ex */
static const char *path_of(const struct sw_exec *ex, int idx)
{
	switch (idx) {
	case SW_STR_EXE:
		return ex->exe;
	case SW_STR_CWD:
		return ex->cwd;
	case SW_STR_PARENT_EXE:
		return ex->parent_exe;
	case SW_STR_CGROUP:
		return ex->cgroup;
	case SW_STR_CGROUP_V1:
		return ex->cgroup_v1;
	}
	return NULL;
}

ParameterizedTestParameters(decode, truncated_flag)
{
	return sw_rows(ARRAY_SIZE(trunc_cases));
}

ParameterizedTest(int *row, decode, truncated_flag)
{
	const struct trunc_case *c = &trunc_cases[*row];
	static const int paths[] = { SW_STR_EXE, SW_STR_CWD, SW_STR_PARENT_EXE,
				     SW_STR_CGROUP, SW_STR_CGROUP_V1 };
	struct sw_exec_event e = full_header();
	struct sw_exec *ex = new_exec();
	struct tail t = { .n = { 0 } };
	size_t size, i;
	void *rec;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		t.s[paths[i]] = "c\0b\0";
		t.n[paths[i]] = 4;
	}
	e.flags = c->flag;
	rec = build_record(&e, &t, 0, &size);
	cr_assert_eq(decode_exec(rec, size, ex), 0, "%s truncated: refused",
		     c->what);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		const char *want = paths[i] == c->idx ? ".../b/c" : "/b/c";

		cr_assert_str_eq(path_of(ex, paths[i]), want,
				 "%s truncated: %s is '%s', want '%s'", c->what,
				 str_name[paths[i]], path_of(ex, paths[i]), want);
	}
	free(rec);
	free(ex);
}

struct path_case {
	const char *what;
	const char *comps;
	size_t n;
	bool truncated;
	const char *want;
};

static const struct path_case path_cases[] = {
	/* well-formed components */
	{ "three", B("c\0b\0a\0"), false, "/a/b/c" },
	{ "one", B("bash\0"), false, "/bash" },
	{ "usr bin", B("bash\0bin\0usr\0"), false, "/usr/bin/bash" },
	{ "root", B("\0"), false, "/" },
	{ "absent", B(""), false, "" },
	{ "dotfile", B(".bashrc\0root\0"), false, "/root/.bashrc" },
	/* truncated paths */
	{ "truncated three", B("c\0b\0a\0"), true, ".../a/b/c" },
	{ "truncated one", B("c\0"), true, ".../c" },
	{ "truncated root", B("\0"), true, ".../" },
	{ "truncated absent", B(""), true, "" },
	/* components missing terminators */
	{ "last without NUL", B("c\0b\0a"), false, "/a/b/c" },
	{ "only one, no NUL", B("bash"), false, "/bash" },
	{ "truncated, no NUL", B("c\0b"), true, ".../b/c" },
	{ "empty component inside", B("c\0\0a\0"), false, "/a/c" },
	{ "all NULs", B("\0\0\0\0"), false, "/" },
	{ "leading NUL", B("\0c\0"), false, "/c" },
	/* hostile bytes kept as is */
	{ "dot dot", B("x\0..\0..\0"), false, "/../../x" },
	{ "newline", B("a\nb\0tmp\0"), false, "/tmp/a\nb" },
	{ "quote and backslash", B("\"\\\0tmp\0"), false, "/tmp/\"\\" },
	{ "escape sequence", B("\x1b[31mred\0"), false, "/\x1b[31mred" },
	{ "invalid UTF-8", B("\xff\xfe\0\xc3\0"), false, "/\xc3/\xff\xfe" },
	{ "slash inside a component", B("b/c\0a\0"), false, "/a/b/c" },
	{ "space", B("my file\0"), false, "/my file" },
	{ "deleted mark", B("x (deleted)\0"), false, "/x (deleted)" },
};

ParameterizedTestParameters(decode, path)
{
	return sw_rows(ARRAY_SIZE(path_cases));
}

ParameterizedTest(int *row, decode, path)
{
	const struct path_case *c = &path_cases[*row];
	char out[SW_PATH_TEXT(SW_EXE_MAX)], *comps;
	int ret;

	/* exactly n bytes: ASan catches a read past them */
	comps = malloc(c->n ? c->n : 1);
	cr_assert_not_null(comps);
	memcpy(comps, c->comps, c->n);
	memset(out, 'x', sizeof(out));
	ret = decode_path(comps, c->n, c->truncated, out, sizeof(out));
	cr_assert_eq(ret, 0, "path %s: %d", c->what, ret);
	cr_assert_str_eq(out, c->want, "path %s: '%s', want '%s'", c->what,
			 out, c->want);
	free(comps);
}

struct small_case {
	const char *what;
	const char *comps;
	size_t n;
	bool truncated;
	size_t outlen;
	int want;
	const char *want_text;	/* when want is 0 */
};

static const struct small_case small_cases[] = {
	/* just enough */
	{ "exact /a/b/c", B("c\0b\0a\0"), false, 7, 0, "/a/b/c" },
	{ "exact /", B("\0"), false, 2, 0, "/" },
	{ "exact .../c", B("c\0"), true, 6, 0, ".../c" },
	{ "exact absent", B(""), false, 1, 0, "" },
	/* one byte short */
	{ "short /a/b/c", B("c\0b\0a\0"), false, 6, -ENOSPC, NULL },
	{ "short /", B("\0"), false, 1, -ENOSPC, NULL },
	{ "short .../c", B("c\0"), true, 5, -ENOSPC, NULL },
	{ "short ...", B("c\0"), true, 3, -ENOSPC, NULL },
	/* nothing */
	{ "zero-length out", B("c\0"), false, 0, -ENOSPC, NULL },
	{ "zero-length out, absent", B(""), false, 0, -ENOSPC, NULL },
};

ParameterizedTestParameters(decode, path_out_size)
{
	return sw_rows(ARRAY_SIZE(small_cases));
}

ParameterizedTest(int *row, decode, path_out_size)
{
	const struct small_case *c = &small_cases[*row];
	char *out = malloc(c->outlen ? c->outlen : 1);
	int ret;

	cr_assert_not_null(out);
	/* exactly outlen bytes: ASan catches a write past them */
	ret = decode_path(c->comps, c->n, c->truncated, out, c->outlen);
	cr_assert_eq(ret, c->want, "path %s into %zu bytes: %d, want %d",
		     c->what, c->outlen, ret, c->want);
	if (!c->want)
		cr_assert_str_eq(out, c->want_text,
				 "path %s into %zu bytes: '%s', want '%s'",
				 c->what, c->outlen, out, c->want_text);
	else if (c->outlen)
		cr_assert_not_null(memchr(out, '\0', c->outlen),
				   "path %s into %zu bytes: not terminated",
				   c->what, c->outlen);
	free(out);
}

/* what to break in a good record */
enum bad_kind {
	BAD_NULL,	/* data NULL */
	BAD_SIZE,	/* size set to .size */
	BAD_TYPE,	/* type set to .value */
	BAD_LEN,	/* len[.idx] set to .value, the record big enough */
	BAD_SHORT,	/* the record .value bytes shorter than its len[] */
};

struct bad_case {
	const char *what;
	enum bad_kind kind;
	size_t size;
	int idx;
	unsigned int value;
};

static const struct bad_case bad_cases[] = {
	/* no record */
	{ "NULL", BAD_NULL, 0, 0, 0 },
	{ "size 0", BAD_SIZE, 0, 0, 0 },
	/* shorter than the header */
	{ "size 4 (type only)", BAD_SIZE, 4, 0, 0 },
	{ "size of header - 1", BAD_SIZE, SW_EXEC_HDR_SIZE - 1, 0, 0 },
	{ "size of header - 8", BAD_SIZE, SW_EXEC_HDR_SIZE - 8, 0, 0 },
	/* wrong type */
	{ "type 0", BAD_TYPE, 0, 0, 0 },
	{ "type 2", BAD_TYPE, 0, 0, 2 },
	{ "type 0x100 (big endian 1)", BAD_TYPE, 0, 0, 0x01000000 },
	{ "type -1", BAD_TYPE, 0, 0, 0xffffffffU },
	{ "type 4 (exec-away)", BAD_TYPE, 0, 0, SW_EVENT_EXEC_AWAY },
	/* full_header() has no SW_F_TRAIL: a command outside a session */
	{ "command without its session", BAD_TYPE, 0, 0, SW_EVENT_COMMAND },
	{ "type 6", BAD_TYPE, 0, 0, 6 },
	/* a length above its maximum */
	{ "filename max + 1", BAD_LEN, 0, SW_STR_FILENAME, SW_FILENAME_MAX + 1 },
	{ "interp max + 1", BAD_LEN, 0, SW_STR_INTERP, SW_INTERP_MAX + 1 },
	{ "exe max + 1", BAD_LEN, 0, SW_STR_EXE, SW_EXE_MAX + 1 },
	{ "cwd max + 1", BAD_LEN, 0, SW_STR_CWD, SW_CWD_MAX + 1 },
	{ "parent_exe max + 1", BAD_LEN, 0, SW_STR_PARENT_EXE,
	  SW_PARENT_EXE_MAX + 1 },
	{ "tty max + 1", BAD_LEN, 0, SW_STR_TTY, SW_TTY_MAX + 1 },
	{ "cgroup max + 1", BAD_LEN, 0, SW_STR_CGROUP, SW_CGROUP_MAX + 1 },
	{ "cgroup_v1 max + 1", BAD_LEN, 0, SW_STR_CGROUP_V1,
	  SW_CGROUP_MAX + 1 },
	{ "argv max + 1", BAD_LEN, 0, SW_STR_ARGV, SW_ARGV_MAX + 1 },
	{ "tty 65535", BAD_LEN, 0, SW_STR_TTY, 65535 },
	{ "argv 65535", BAD_LEN, 0, SW_STR_ARGV, 65535 },
	/* the lengths add up to more than the record */
	{ "record 1 byte short", BAD_SHORT, 0, 0, 1 },
	{ "record 8 bytes short", BAD_SHORT, 0, 0, 8 },
	{ "record without its strings", BAD_SHORT, 0, 0, 0xffffffffU },
};

ParameterizedTestParameters(decode, malformed)
{
	return sw_rows(ARRAY_SIZE(bad_cases));
}

ParameterizedTest(int *row, decode, malformed)
{
	const struct bad_case *c = &bad_cases[*row];
	struct sw_exec_event e = full_header();
	struct tail t = pod_tail();
	struct sw_exec *ex = new_exec();
	char *big = NULL, *rec = NULL;
	size_t size, total = 0;
	int ret, i;

	switch (c->kind) {
	case BAD_NULL:
		ret = decode_exec(NULL, SW_EXEC_HDR_SIZE + 100, ex);
		cr_assert_eq(ret, -EINVAL, "case %s: %d, want -EINVAL", c->what,
			     ret);
		free(ex);
		return;
	case BAD_SIZE:
		rec = build_record(&e, &(struct tail){ .n = { 0 } },
				   (long)c->size - (long)SW_EXEC_HDR_SIZE,
				   &size);
		break;
	case BAD_TYPE:
		e.type = c->value;
		rec = build_record(&e, &t, 0, &size);
		break;
	case BAD_LEN:
		/* a string of that length, so only the maximum is wrong */
		big = malloc(c->value);
		cr_assert_not_null(big);
		memset(big, 'a', c->value);
		big[c->value - 1] = '\0';
		t.s[c->idx] = big;
		t.n[c->idx] = c->value;
		rec = build_record(&e, &t, 0, &size);
		break;
	case BAD_SHORT:
		for (i = 0; i < SW_STR_COUNT; i++)
			total += t.n[i];
		rec = build_record(&e, &t,
				   c->value > total ? -(long)total
						    : -(long)c->value,
				   &size);
		break;
	}
	memset(ex, 0xa5, sizeof(*ex));
	ret = decode_exec(rec, size, ex);
	cr_assert_eq(ret, -EINVAL, "case %s: record of %zu bytes: %d, want -EINVAL",
		     c->what, size, ret);
	free(rec);
	free(big);
	free(ex);
}

/* each string at its maximum length is accepted */
ParameterizedTestParameters(decode, length_at_max)
{
	return sw_rows(SW_STR_COUNT);
}

ParameterizedTest(int *row, decode, length_at_max)
{
	struct sw_exec_event e = full_header();
	struct tail t = { .n = { 0 } };
	struct sw_exec *ex = new_exec();
	unsigned int max = decode_str_max[*row];
	size_t size;
	char *s, *rec;
	int ret;

	s = malloc(max);
	cr_assert_not_null(s);
	memset(s, 'a', max);
	s[max - 1] = '\0';
	t.s[*row] = s;
	t.n[*row] = max;
	e.flags = 0;
	rec = build_record(&e, &t, 0, &size);
	ret = decode_exec(rec, size, ex);
	cr_assert_eq(ret, 0, "%s of %u bytes: %d", str_name[*row], max, ret);
	switch (*row) {
	case SW_STR_FILENAME:
		cr_assert_eq(strlen(ex->filename), max - 1, "filename of %zu",
			     strlen(ex->filename));
		break;
	case SW_STR_INTERP:
		cr_assert_eq(strlen(ex->interp), max - 1, "interp of %zu",
			     strlen(ex->interp));
		break;
	case SW_STR_TTY:
		cr_assert_eq(strlen(ex->tty), max - 1, "tty of %zu",
			     strlen(ex->tty));
		break;
	case SW_STR_ARGV:
		cr_assert_eq(ex->argv_len, max, "argv_len %zu", ex->argv_len);
		cr_assert_eq(memcmp(ex->argv, s, max), 0, "argv differs");
		break;
	default:
		/* one component: "/" then the name */
		cr_assert_eq(strlen(path_of(ex, *row)), max,
			     "%s of %zu bytes, want %u", str_name[*row],
			     strlen(path_of(ex, *row)), max);
		break;
	}
	free(rec);
	free(s);
	free(ex);
}

/*
 * Every string at its maximum and none of them terminated, comm and
 * parent_comm without a NUL either, every path flagged truncated: the
 * record is read within its bounds and every string decodes bounded.
 */
Test(decode, unterminated_strings_stay_inside)
{
	struct sw_exec_event e = full_header();
	struct tail t = { .n = { 0 } };
	struct sw_exec *ex = new_exec();
	char *fill[SW_STR_COUNT];
	size_t size;
	char *rec;
	int ret, i;

	for (i = 0; i < SW_STR_COUNT; i++) {
		fill[i] = malloc(decode_str_max[i]);
		cr_assert_not_null(fill[i]);
		memset(fill[i], 'a' + i, decode_str_max[i]);
		t.s[i] = fill[i];
		t.n[i] = decode_str_max[i];
	}
	memset(e.comm, 'C', sizeof(e.comm));
	memset(e.parent_comm, 'P', sizeof(e.parent_comm));
	e.flags = SW_F_EXE_TRUNC | SW_F_CWD_TRUNC | SW_F_PARENT_EXE_TRUNC |
		  SW_F_CGROUP_TRUNC | SW_F_CGROUP_V1_TRUNC;
	rec = build_record(&e, &t, 0, &size);
	ret = decode_exec(rec, size, ex);
	cr_assert_eq(ret, 0, "unterminated record of %zu bytes: %d", size, ret);

	cr_assert_eq(strlen(ex->comm), SW_COMM_LEN - 1, "comm of %zu",
		     strlen(ex->comm));
	cr_assert_eq(strlen(ex->parent_comm), SW_COMM_LEN - 1,
		     "parent_comm of %zu", strlen(ex->parent_comm));
	cr_assert_eq(strlen(ex->filename), SW_FILENAME_MAX, "filename of %zu",
		     strlen(ex->filename));
	cr_assert_eq(strspn(ex->filename, "a"), SW_FILENAME_MAX,
		     "filename holds bytes of another string");
	cr_assert_eq(strlen(ex->interp), SW_INTERP_MAX, "interp of %zu",
		     strlen(ex->interp));
	cr_assert_eq(strspn(ex->interp, "b"), SW_INTERP_MAX,
		     "interp holds bytes of another string");
	cr_assert_eq(strlen(ex->tty), SW_TTY_MAX, "tty of %zu",
		     strlen(ex->tty));
	cr_assert_eq(strspn(ex->tty, "f"), SW_TTY_MAX,
		     "tty holds bytes of another string");
	/* a path: "..." "/" then the one unterminated component */
	cr_assert_eq(strlen(ex->exe), 4 + SW_EXE_MAX, "exe of %zu",
		     strlen(ex->exe));
	cr_assert_eq(strncmp(ex->exe, ".../ccc", 7), 0, "exe '%.16s...'",
		     ex->exe);
	cr_assert_eq(strlen(ex->cwd), 4 + SW_CWD_MAX, "cwd of %zu",
		     strlen(ex->cwd));
	cr_assert_eq(strlen(ex->parent_exe), 4 + SW_PARENT_EXE_MAX,
		     "parent_exe of %zu", strlen(ex->parent_exe));
	cr_assert_eq(strlen(ex->cgroup), 4 + SW_CGROUP_MAX, "cgroup of %zu",
		     strlen(ex->cgroup));
	cr_assert_eq(strlen(ex->cgroup_v1), 4 + SW_CGROUP_MAX,
		     "cgroup_v1 of %zu", strlen(ex->cgroup_v1));
	cr_assert_eq(ex->argv_len, SW_ARGV_MAX, "argv_len %zu", ex->argv_len);
	cr_assert_eq(memcmp(ex->argv, fill[SW_STR_ARGV], SW_ARGV_MAX), 0,
		     "argv differs");
	for (i = 0; i < SW_STR_COUNT; i++)
		free(fill[i]);
	free(rec);
	free(ex);
}

/* paths of many one-byte components: one '/' per NUL still fits */
Test(decode, many_short_components)
{
	struct sw_exec_event e = full_header();
	struct tail t = { .n = { 0 } };
	struct sw_exec *ex = new_exec();
	char *comps = malloc(SW_EXE_MAX);
	size_t size, i;
	char *rec;

	cr_assert_not_null(comps);
	for (i = 0; i < SW_EXE_MAX; i += 2) {
		comps[i] = 'z';
		comps[i + 1] = '\0';
	}
	t.s[SW_STR_EXE] = comps;
	t.n[SW_STR_EXE] = SW_EXE_MAX;
	e.flags = SW_F_EXE_TRUNC;
	rec = build_record(&e, &t, 0, &size);
	cr_assert_eq(decode_exec(rec, size, ex), 0,
		     "exe of %d one-byte components refused", SW_EXE_MAX / 2);
	cr_assert_eq(strlen(ex->exe), 3 + SW_EXE_MAX, "exe of %zu",
		     strlen(ex->exe));
	free(rec);
	free(comps);
	free(ex);
}

/* a tail string with bytes after its NUL: the NUL ends it */
Test(decode, string_ends_at_nul)
{
	struct sw_exec_event e = full_header();
	struct tail t = {
		.s = { [SW_STR_FILENAME] = "/bin/sh\0junk",
		       [SW_STR_TTY] = "pts1\0\0\0\0" },
		.n = { [SW_STR_FILENAME] = sizeof("/bin/sh\0junk"),
		       [SW_STR_TTY] = sizeof("pts1\0\0\0\0") },
	};
	struct sw_exec *ex = new_exec();
	size_t size;
	char *rec = build_record(&e, &t, 0, &size);

	cr_assert_eq(decode_exec(rec, size, ex), 0, "record refused");
	cr_assert_str_eq(ex->filename, "/bin/sh", "filename '%s'",
			 ex->filename);
	cr_assert_str_eq(ex->tty, "pts1", "tty '%s'", ex->tty);
	free(rec);
	free(ex);
}

/*
 * a cgroup path the kernel cut below its top (deeper than 32 levels or
 * longer than 1024 bytes) ends in "/...": the top, which names the pod,
 * stays whole
 */
struct deep_case {
	const char *what;
	int idx;
	uint32_t flags;
	const char *comps;	/* leaf first */
	size_t n;
	int ret;
	const char *want;	/* of the flagged path */
};

static const struct deep_case deep_cases[] = {
	{ "v2", SW_STR_CGROUP, SW_F_CGROUP_DEEP, "ctr\0pod\0kubepods\0", 17, 0,
	  "/kubepods/pod/ctr/..." },
	{ "v1", SW_STR_CGROUP_V1, SW_F_CGROUP_V1_DEEP, "ctr\0pod\0kubepods\0", 17,
	  0, "/kubepods/pod/ctr/..." },
	/* cut at both ends: only a forged record says so, decoded bounded */
	{ "v2, also cut at the top", SW_STR_CGROUP,
	  SW_F_CGROUP_DEEP | SW_F_CGROUP_TRUNC, "ctr\0pod\0", 8, 0,
	  ".../pod/ctr/..." },
	/* the root, or no path, has nothing below it to cut: the flag of a
	 * forged record is passed over, as the fuzzer's contract wants */
	{ "v2 root", SW_STR_CGROUP, SW_F_CGROUP_DEEP, "", 1, 0, "/" },
	{ "v1 absent", SW_STR_CGROUP_V1, SW_F_CGROUP_V1_DEEP, NULL, 0, 0, "" },
};

ParameterizedTestParameters(decode, deep_cgroup)
{
	return sw_rows(ARRAY_SIZE(deep_cases));
}

ParameterizedTest(int *row, decode, deep_cgroup)
{
	const struct deep_case *c = &deep_cases[*row];
	int other = c->idx == SW_STR_CGROUP ? SW_STR_CGROUP_V1 : SW_STR_CGROUP;
	struct sw_exec_event e = full_header();
	struct sw_exec *ex = new_exec();
	struct tail t = { .n = { 0 } };
	size_t size;
	void *rec;
	int ret;

	t.s[c->idx] = c->comps;
	t.n[c->idx] = c->n;
	t.s[other] = "b\0a\0";
	t.n[other] = 4;
	e.flags = c->flags;
	rec = build_record(&e, &t, 0, &size);
	ret = decode_exec(rec, size, ex);
	cr_assert_eq(ret, c->ret, "%s: decode_exec %d, want %d", c->what, ret,
		     c->ret);
	if (!ret) {
		cr_assert_str_eq(path_of(ex, c->idx), c->want,
				 "%s: '%s', want '%s'", c->what,
				 path_of(ex, c->idx), c->want);
		cr_assert_str_eq(path_of(ex, other), "/a/b",
				 "%s: the other cgroup path is '%s'", c->what,
				 path_of(ex, other));
	}
	free(rec);
	free(ex);
}

/* both cuts on a path at its bound still fit the decoded buffer */
Test(decode, deep_cgroup_at_its_bound)
{
	struct sw_exec_event e = full_header();
	struct sw_exec *ex = new_exec();
	struct tail t = { .n = { 0 } };
	char *fill = malloc(SW_CGROUP_MAX);
	size_t size;
	void *rec;

	cr_assert_not_null(fill);
	memset(fill, 'g', SW_CGROUP_MAX);
	t.s[SW_STR_CGROUP] = fill;
	t.n[SW_STR_CGROUP] = SW_CGROUP_MAX;
	e.flags = SW_F_CGROUP_TRUNC | SW_F_CGROUP_DEEP;
	rec = build_record(&e, &t, 0, &size);
	cr_assert_eq(decode_exec(rec, size, ex), 0,
		     "a cgroup path of %d bytes cut at both ends: refused",
		     SW_CGROUP_MAX);
	cr_assert_eq(strlen(ex->cgroup), 4 + SW_CGROUP_MAX + 4,
		     "cgroup of %zu bytes", strlen(ex->cgroup));
	cr_assert_str_eq(ex->cgroup + 4 + SW_CGROUP_MAX, "/...",
			 "the end of the cut path");
	free(rec);
	free(fill);
	free(ex);
}
