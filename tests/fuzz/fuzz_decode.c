// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for user/decode.c, user/record.c and
 * user/record_command.c: the input is one
 * ring buffer record, copied into a malloc'd buffer of its exact size so
 * ASan sees any read past it. decode_exec() must accept exactly the records
 * whose header and lengths are within the contract and give back the
 * strings and paths a plain reference decoder gives; an accepted record is
 * written with record_exec_view() (record_command() for a command record;
 * JSON and HEC) with a pod and a verdict, and the line must be strict
 * JSON (jv_parse) with the record's values in it.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Iuser \
 *   -Itests/helpers tests/fuzz/fuzz_decode.c user/decode.c user/record.c \
 *   user/record_command.c \
 *   user/json_writer.c user/classify.c user/shells.c user/clock.c \
 *   user/exec_id.c user/entry.c user/pod_cgroup.c \
 *   user/json_parse.c -o /tmp/fuzz_decode -lm
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "exec.h"
#include "exec_view.h"
#include "fuzz_common.h"
#include "json_parse.h"
#include "json_writer.h"
#include "pod_cgroup.h"
#include "record.h"
#include "shells.h"
#include "shellwatch.h"

static struct shell_set shells;
static struct jsonw *w;
static struct sw_exec ex;
static struct pod_ident pod;		/* what the identity stage would add */
static struct exec_verdict vd;		/* and the rules stage */
static struct exec_view view;
static uint8_t scratch[3 * (SW_ARGV_MAX + 64)];
static uint8_t scratch2[3 * (SW_ARGV_MAX + 64)];

/* the path of leaf-first components comps[0..n), the plain way */
static void ref_path(const char *comps, size_t n, bool trunc, char *out)
{
	const char *part[SW_CWD_MAX + 1];
	size_t plen[SW_CWD_MAX + 1], k = 0, i = 0, j, o = 0;

	while (i < n) {
		j = i;
		while (j < n && comps[j])
			j++;
		if (j > i) {
			part[k] = comps + i;
			plen[k++] = j - i;
		}
		i = j + 1;
	}
	if (n && trunc) {
		memcpy(out, "...", 3);
		o = 3;
	}
	while (k--) {
		out[o++] = '/';
		memcpy(out + o, part[k], plen[k]);
		o += plen[k];
	}
	if (n && (o == 0 || (trunc && o == 3)))
		out[o++] = '/';
	out[o] = '\0';
}

/* the C string of at most n bytes at s */
static void ref_str(const char *s, size_t n, char *out)
{
	size_t len = strnlen(s, n);

	memcpy(out, s, len);
	out[len] = '\0';
}

static bool str_in(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

/* a task name as decoded: at most SW_COMM_LEN - 1 bytes of the kernel's */
static bool comm_is(const char *got, const char *sent)
{
	size_t n = strnlen(sent, SW_COMM_LEN - 1);

	return strnlen(got, SW_COMM_LEN) == n && !memcmp(got, sent, n);
}

static void check_decoded(const struct sw_exec_event *e, const char *tail,
			  const struct sw_exec *x)
{
	static char ref[SW_PATH_TEXT(SW_EXE_MAX)];
	const char *s[SW_STR_COUNT];
	static const struct {
		int str;
		uint32_t flag;
		uint32_t deep;	/* cut below its top: "/..." at the end */
		size_t off, size;
	} paths[] = {
		{ SW_STR_EXE, SW_F_EXE_TRUNC, 0, offsetof(struct sw_exec, exe),
		  sizeof(ex.exe) },
		{ SW_STR_CWD, SW_F_CWD_TRUNC, 0, offsetof(struct sw_exec, cwd),
		  sizeof(ex.cwd) },
		{ SW_STR_PARENT_EXE, SW_F_PARENT_EXE_TRUNC, 0,
		  offsetof(struct sw_exec, parent_exe),
		  sizeof(ex.parent_exe) },
		{ SW_STR_CGROUP, SW_F_CGROUP_TRUNC, SW_F_CGROUP_DEEP,
		  offsetof(struct sw_exec, cgroup), sizeof(ex.cgroup) },
		{ SW_STR_CGROUP_V1, SW_F_CGROUP_V1_TRUNC, SW_F_CGROUP_V1_DEEP,
		  offsetof(struct sw_exec, cgroup_v1), sizeof(ex.cgroup_v1) },
	};
	size_t off = 0, i;

	for (i = 0; i < SW_STR_COUNT; i++) {
		s[i] = tail + off;
		off += e->len[i];
	}
	check(x->pid == e->pid && x->vpid == e->vpid && x->ppid == e->ppid);
	check(x->exec_ns == e->exec_ns && x->start_ns == e->start_ns);
	/* a candidate carries what the names said, flagged for the judge */
	if (e->match == SW_MATCH_CANDIDATE)
		check(x->flags == (e->flags | SW_F_CANDIDATE) &&
		      x->match == e->name_match);
	else
		check(x->flags == e->flags && x->match == e->match);
	check(x->argc == e->argc && x->cgroup_id == e->cgroup_id);
	check(!x->found_at_start);
	check(x->type == e->type);
	if (e->flags & SW_F_TRAIL)
		check(!memcmp(&x->trail, &e->trail, sizeof(x->trail)));
	check(comm_is(x->comm, e->comm));
	check(comm_is(x->parent_comm, e->parent_comm));
	for (i = 0; i < SW_ANCESTORS; i++)
		check(comm_is(x->ancestors[i], e->ancestors[i]));
	ref_str(s[SW_STR_FILENAME], e->len[SW_STR_FILENAME], ref);
	check(!strcmp(ref, x->filename));
	ref_str(s[SW_STR_INTERP], e->len[SW_STR_INTERP], ref);
	check(!strcmp(ref, x->interp));
	ref_str(s[SW_STR_TTY], e->len[SW_STR_TTY], ref);
	check(!strcmp(ref, x->tty));
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *got = (const char *)x + paths[i].off;

		check(str_in(got, paths[i].size));
		ref_path(s[paths[i].str], e->len[paths[i].str],
			 e->flags & paths[i].flag, ref);
		if ((e->flags & paths[i].deep) && ref[0] && strcmp(ref, "/"))
			strcat(ref, "/...");
		if (strcmp(ref, got)) {
			fprintf(stderr, "path %d: want '%s' got '%s'\n",
				paths[i].str, ref, got);
			abort();
		}
	}
	check(x->argv_len == e->len[SW_STR_ARGV]);
	check(!memcmp(x->argv, s[SW_STR_ARGV], x->argv_len));
	/* the parent's namespace only with a view */
	check(x->parent_mntns == (e->flags & SW_F_VIEW ? e->parent_mntns : 0));
}


/* the decoded string at dotted in obj equals the decoding of n bytes */
static void check_str(const struct jv *obj, const char *dotted, const char *s,
		      size_t n)
{
	const struct jv *v = jv_get(obj, dotted);
	size_t m = whatwg_decode((const uint8_t *)s, n, scratch);

	if (jv_type(v) != JV_STRING || jv_strlen(v) != m ||
	    memcmp(jv_str(v), scratch, m)) {
		fprintf(stderr, "field %s differs\n", dotted);
		abort();
	}
}

static void check_uint(const struct jv *obj, const char *dotted, uint64_t u)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, u);
	check(jv_numtext(jv_get(obj, dotted)) &&
	      !strcmp(jv_numtext(jv_get(obj, dotted)), num));
}

/* the views in the record: only when known, as the flags say */
static void check_view(const struct jv *r, const struct sw_exec *x)
{
	const struct jv *hv = jv_get(r, "process.host_view");
	const struct jv *phv = jv_get(r, "process.parent.host_view");

	check_uint(r, "process.namespace.mnt", x->mntns);
	if (!(x->flags & SW_F_VIEW)) {
		check(jv_type(hv) == JV_ABSENT && jv_type(phv) == JV_ABSENT);
		check(jv_type(jv_get(r, "process.parent.namespace.mnt")) ==
		      JV_ABSENT);
		return;
	}
	check(jv_type(hv) == JV_BOOL &&
	      jv_bool(hv) == !!(x->flags & SW_F_HOST_VIEW));
	check(jv_type(phv) == JV_BOOL &&
	      jv_bool(phv) == !!(x->flags & SW_F_PARENT_HOST_VIEW));
	check_uint(r, "process.parent.namespace.mnt", x->parent_mntns);
}

static void check_record(const struct sw_exec *x, const struct exec_verdict *vd,
			 const struct sw_context *ctx)
{
	const struct jv *r, *args;
	struct jv *top;
	char err[128];
	size_t len = jsonw_len(w), n, i, nargs;
	const char *text = jsonw_data(w);

	check(jsonw_error(w) == 0);
	check(len >= 2 && text[len - 1] == '\n');
	check(memchr(text, '\n', len) == text + len - 1);
	top = jv_parse(text, len, err, sizeof(err));
	if (!top) {
		fprintf(stderr, "jv_parse: %s\n%.*s", err, (int)len, text);
		abort();
	}
	r = ctx->format == SW_FORMAT_HEC ? jv_get(top, "event") : top;
	check(jv_type(r) == JV_OBJECT);
	check(!strcmp(jv_str(jv_get(r, "type")),
		      x->type == SW_EVENT_COMMAND ? "command" : "exec"));
	check_uint(r, "process.pid", x->pid);
	check_uint(r, "process.parent_pid", x->ppid);
	check_uint(r, "process.args_count", x->argc);
	check_uint(r, "cgroup.id", x->cgroup_id);
	check_str(r, "process.executable.path", x->exe, strlen(x->exe));
	check_str(r, "process.invoked.path", x->filename,
		  strlen(x->filename));
	check_str(r, "process.working_directory", x->cwd, strlen(x->cwd));
	check_str(r, "process.parent.executable.path", x->parent_exe,
		  strlen(x->parent_exe));
	check_str(r, "cgroup.path", x->cgroup, strlen(x->cgroup));
	check(jv_bool(jv_get(r, "process.interactive")) ==
	      !!(x->flags & SW_F_TTY));
	check_view(r, x);
	if (x->type == SW_EVENT_COMMAND) {
		/* a command is no detection: no score, no detection object */
		check(jv_type(jv_get(r, "detection")) == JV_ABSENT);
		check_uint(r, "command.depth", x->trail.depth);
		if (vd->suppressed_by)
			check_str(r, "suppressed_by", vd->suppressed_by,
				  strlen(vd->suppressed_by));
		else
			check(jv_type(jv_get(r, "suppressed_by")) == JV_ABSENT);
	} else if (vd->suppressed_by) {
		check_str(r, "suppressed_by", vd->suppressed_by,
			  strlen(vd->suppressed_by));
		check(jv_type(jv_get(r, "detection")) == JV_NULL);
	} else {
		check(jv_type(jv_get(r, "suppressed_by")) == JV_ABSENT);
		check_uint(r, "detection.risk_score",
			   vd->risk_rule ? (uint64_t)vd->risk_score : 25);
		if (vd->risk_rule)
			check_str(r, "detection.risk_rule", vd->risk_rule,
				  strlen(vd->risk_rule));
		else
			check(jv_type(jv_get(r, "detection.risk_rule")) ==
			      JV_NULL);
	}

	/* argv: NUL-separated, a trailing NUL ends the last element */
	n = x->argv_len;
	if (n && x->argv[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		scratch2[i] = x->argv[i] ? x->argv[i] : ' ';
	check_str(r, "process.command_line", (const char *)scratch2, n);
	args = jv_get(r, "process.command_args");
	check(jv_type(args) == JV_ARRAY);
	nargs = 0;
	if (x->argv_len) {
		nargs = 1;
		for (i = 0; i < n; i++)
			nargs += x->argv[i] == '\0';
	}
	check(jv_len(args) == nargs);
	jv_free(top);
}

/* an exec record, or a command record with its session's entry */
static void write_record(const struct sw_exec *x, const struct sw_context *ctx,
			 uint64_t seq)
{
	if (x->type == SW_EVENT_COMMAND) {
		record_command(w, x, &pod, ctx, "spawned", vd.suppressed_by,
			       seq);
		return;
	}
	exec_view_init(&view, x, &pod, ctx);
	view.verdict = vd;
	record_exec_view(w, &view, seq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_context ctx = {
		.host_name = "node-1.example.internal",
		.node_name = "node-1",
		.cluster_name = "prod-eu",
		.boot_id = "deadbeef",
		.boot_offset = 1700000000000000000LL,
		.shells = &shells,
	};
	const struct sw_exec_event *e;
	struct pod_cgroup pc;
	size_t total = 0, i;
	bool ok;
	uint8_t *buf;
	int rc;

	if (!w) {
		char err[128];

		check(!shells_parse(&shells, SHELLS_DEFAULT, err, sizeof(err)));
		w = jsonw_new();
		check(w);
	}
	buf = malloc(size ? size : 1);
	check(buf);
	if (size)
		memcpy(buf, data, size);
	rc = decode_exec(buf, size, &ex);

	/* the contract says which records are good */
	e = (const struct sw_exec_event *)buf;
	ok = size >= SW_EXEC_HDR_SIZE &&
	     (e->type == SW_EVENT_EXEC ||
	      (e->type == SW_EVENT_COMMAND && (e->flags & SW_F_TRAIL)));
	for (i = 0; ok && i < SW_STR_COUNT; i++) {
		ok = e->len[i] <= decode_str_max[i];
		total += e->len[i];
	}
	ok = ok && total <= size - SW_EXEC_HDR_SIZE;
	if (rc != (ok ? 0 : -EINVAL)) {
		fprintf(stderr, "decode_exec: %d, the contract says %s\n", rc,
			ok ? "good" : "bad");
		abort();
	}
	if (rc) {
		free(buf);
		return 0;
	}
	check_decoded(e, (const char *)buf + SW_EXEC_HDR_SIZE, &ex);

	/* what the identity stage would add */
	pod_cgroup_parse(ex.cgroup, &pc);
	memset(&pod, 0, sizeof(pod));
	pod.scope = pc.scope;
	memcpy(pod.runtime, pc.runtime, sizeof(pod.runtime));
	memcpy(pod.container_id, pc.container_id, sizeof(pod.container_id));
	memcpy(pod.pod_uid, pc.pod_uid, sizeof(pod.pod_uid));
	if (pc.scope != POD_SCOPE_HOST) {
		snprintf(pod.namespace, sizeof(pod.namespace), "ci");
		snprintf(pod.pod_name, sizeof(pod.pod_name), "%s", ex.comm);
		snprintf(pod.container_name, sizeof(pod.container_name), "%s",
			 ex.tty);
	}

	/* what the rules stage would add, by the low bits of uid */
	vd = (struct exec_verdict){ .risk_score = -1 };
	if (ex.uid & 1)
		vd.suppressed_by = ex.parent_comm;
	if (ex.uid & 2) {
		vd.risk_rule = ex.comm;
		vd.risk_score = (int)(ex.gid % 101);
	}

	ctx.format = SW_FORMAT_JSON;
	jsonw_reset(w);
	write_record(&ex, &ctx, 42);
	check_record(&ex, &vd, &ctx);

	ctx.format = SW_FORMAT_HEC;
	jsonw_reset(w);
	write_record(&ex, &ctx, UINT64_MAX);
	check_record(&ex, &vd, &ctx);

	free(buf);
	return 0;
}
