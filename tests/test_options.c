// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the command line (user/options.c): defaults from the
 * environment, every option, every error (-EINVAL with a message naming
 * the option on the err stream), --help and --version on the out stream.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row. Each test
 * runs in its own process: setenv() and getopt's state do not leak.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "options.h"
#include "shellwatch.h"
#include "sw_rows.h"

#ifndef SHELLWATCH_VERSION
#define SHELLWATCH_VERSION "0.0.0"
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define MAX_ARGS	16

#define X16	"xxxxxxxxxxxxxxxx"
#define X64	X16 X16 X16 X16
#define X255	X64 X64 X64 X16 X16 X16 "xxxxxxxxxxxxxxx"
#define X256	X255 "x"

/*
 * the streams opts_parse writes to, captured in fixed buffers (fmemopen):
 * nothing to free, so a failed assertion leaks nothing
 */
struct capture {
	FILE *out, *err;
	char outbuf[8192], errbuf[8192];
	size_t outlen, errlen;
};

static void capture_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->out = fmemopen(c->outbuf, sizeof(c->outbuf), "w");
	c->err = fmemopen(c->errbuf, sizeof(c->errbuf), "w");
	cr_assert(c->out && c->err, "fmemopen failed");
}

/* close the streams; the text is then in outbuf and errbuf */
static void capture_close(struct capture *c)
{
	fclose(c->out);
	fclose(c->err);
	c->outbuf[sizeof(c->outbuf) - 1] = '\0';
	c->errbuf[sizeof(c->errbuf) - 1] = '\0';
	c->outlen = strlen(c->outbuf);
	c->errlen = strlen(c->errbuf);
}

/* the argument list of "shellwatch" plus args (NULL-terminated) */
static int make_argv(char **argv, const char *const *args)
{
	int argc = 0;

	argv[argc++] = (char *)"shellwatch";
	while (args[argc - 1]) {
		cr_assert_lt(argc, MAX_ARGS, "table error: too many arguments");
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	return argc;
}

/* args joined by spaces, for messages */
static const char *args_text(const char *const *args, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; args[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s'%s'", i ? " " : "",
				args[i]);
	return buf;
}

/* parse args with a clean environment; returns opts_parse's result */
static int parse(struct sw_opts *o, const char *const *args,
		 struct capture *cap)
{
	char *argv[MAX_ARGS + 1];
	int argc, ret;

	argc = make_argv(argv, args);
	capture_open(cap);
	ret = opts_parse(o, argc, argv, cap->out, cap->err);
	capture_close(cap);
	return ret;
}

static const char *host_name(void)
{
	static char buf[OPT_NAME_LEN];

	cr_assert_eq(gethostname(buf, sizeof(buf)), 0, "gethostname failed");
	buf[sizeof(buf) - 1] = '\0';
	return buf;
}

static void clean_env(void)
{
	unsetenv("NODE_NAME");
	unsetenv("CLUSTER_NAME");
}

struct env_case {
	const char *what;
	const char *node_env;		/* NULL: unset */
	const char *cluster_env;	/* NULL: unset */
	const char *want_node;		/* NULL: the host name */
	const char *want_cluster;
};

static const struct env_case env_cases[] = {
	/* nothing set */
	{ "no environment", NULL, NULL, NULL, "unknown" },
	/* the environment honoured */
	{ "NODE_NAME", "node-a", NULL, "node-a", "unknown" },
	{ "CLUSTER_NAME", NULL, "prod-eu", NULL, "prod-eu" },
	{ "both", "ip-10-0-0-1.ec2.internal", "prod", "ip-10-0-0-1.ec2.internal",
	  "prod" },
	{ "255-byte NODE_NAME", X255, NULL, X255, "unknown" },
	{ "odd bytes kept", "n\"1\n", "c\\2", "n\"1\n", "c\\2" },
	/* empty or too long: ignored */
	{ "empty NODE_NAME", "", NULL, NULL, "unknown" },
	{ "empty CLUSTER_NAME", NULL, "", NULL, "unknown" },
	{ "256-byte NODE_NAME", X256, NULL, NULL, "unknown" },
	{ "256-byte CLUSTER_NAME", NULL, X256, NULL, "unknown" },
};

ParameterizedTestParameters(options, env_defaults)
{
	return sw_rows(ARRAY_SIZE(env_cases));
}

ParameterizedTest(int *row, options, env_defaults)
{
	const struct env_case *c = &env_cases[*row];
	const char *want_node = c->want_node ? c->want_node : host_name();
	static const char *const args[] = { NULL };
	struct capture cap;
	struct sw_opts o;
	int ret;

	clean_env();
	if (c->node_env)
		setenv("NODE_NAME", c->node_env, 1);
	if (c->cluster_env)
		setenv("CLUSTER_NAME", c->cluster_env, 1);
	ret = parse(&o, args, &cap);
	cr_assert_eq(ret, OPTS_RUN, "env %s: %d (%s)", c->what, ret, cap.errbuf);
	cr_assert_str_eq(o.node_name, want_node, "env %s: node '%s', want '%s'",
			 c->what, o.node_name, want_node);
	cr_assert_str_eq(o.cluster_name, c->want_cluster,
			 "env %s: cluster '%s', want '%s'", c->what,
			 o.cluster_name, c->want_cluster);
}

Test(options, defaults)
{
	static const char *const args[] = { NULL };
	struct capture cap;
	struct shell_set def;
	struct sw_opts o;
	char err[256];
	int ret;

	clean_env();
	ret = parse(&o, args, &cap);
	cr_assert_eq(ret, OPTS_RUN, "no arguments: %d (%s)", ret, cap.errbuf);
	cr_assert_eq(o.format, SW_FORMAT_JSON, "format %d", o.format);
	cr_assert_eq(shells_parse(&def, SHELLS_DEFAULT, err, sizeof(err)), 0);
	cr_assert_eq(memcmp(&o.shells, &def, sizeof(def)), 0,
		     "shells are not the default set");
	cr_assert_str_eq(o.node_name, host_name(), "node '%s'", o.node_name);
	cr_assert_str_eq(o.cluster_name, "unknown", "cluster '%s'",
			 o.cluster_name);
	cr_assert_eq(o.duration, 0.0, "duration %g", o.duration);
	cr_assert_eq(o.ringbuf_bytes, OPT_RINGBUF_DEFAULT, "ringbuf %zu",
		     o.ringbuf_bytes);
	cr_assert_eq(o.scan, true, "scan off");
	cr_assert_eq(o.verbose, 0, "verbose %d", o.verbose);
	cr_assert_eq(cap.outlen, 0, "output: %s", cap.outbuf);
	cr_assert_eq(cap.errlen, 0, "error output: %s", cap.errbuf);
}

/* what a good command line should give; NULL and 0 mean the default */
struct ok_case {
	const char *args[MAX_ARGS];
	const char *shells;
	const char *node;
	const char *cluster;
	double duration;
	size_t ringbuf;
	bool no_scan;
	int verbose;
};

static const struct ok_case ok_cases[] = {
	/* --format */
	{ .args = { "--format", "json" } },
	{ .args = { "--format=json" } },
	/* --shells */
	{ .args = { "--shells", "bash,zsh" }, .shells = "bash,zsh" },
	{ .args = { "--shells=sh" }, .shells = "sh" },
	{ .args = { "--shells", "bash,bash,fish" }, .shells = "bash,fish" },
	{ .args = { "--shells", "a,b", "--shells", "c" }, .shells = "c" },
	/* --node-name and --cluster-name */
	{ .args = { "--node-name", "worker-1" }, .node = "worker-1" },
	{ .args = { "--node-name=worker-2" }, .node = "worker-2" },
	{ .args = { "--node-name", X255 }, .node = X255 },
	{ .args = { "--node-name", "a", "--node-name", "b" }, .node = "b" },
	{ .args = { "--cluster-name", "prod" }, .cluster = "prod" },
	{ .args = { "--cluster-name", X255 }, .cluster = X255 },
	/* --duration */
	{ .args = { "--duration", "1" }, .duration = 1 },
	{ .args = { "--duration", "1.5" }, .duration = 1.5 },
	{ .args = { "--duration=0.001" }, .duration = 0.001 },
	{ .args = { "--duration", "3600" }, .duration = 3600 },
	{ .args = { "--duration", "2e1" }, .duration = 20 },
	/* --ringbuf-size */
	{ .args = { "--ringbuf-size", "4096" }, .ringbuf = 4096 },
	{ .args = { "--ringbuf-size", "8192" }, .ringbuf = 8192 },
	{ .args = { "--ringbuf-size=16777216" }, .ringbuf = 16777216 },
	{ .args = { "--ringbuf-size", "1073741824" }, .ringbuf = 1073741824 },
	/* --no-scan and -v */
	{ .args = { "--no-scan" }, .no_scan = true },
	{ .args = { "-v" }, .verbose = 1 },
	{ .args = { "-vv" }, .verbose = 2 },
	{ .args = { "--verbose", "-v", "--verbose" }, .verbose = 3 },
	/* all of them */
	{ .args = { "--format", "json", "--shells", "bash", "--node-name", "n",
	    "--cluster-name", "c", "--duration", "5", "--ringbuf-size",
	    "65536" },
	  .shells = "bash", .node = "n", .cluster = "c", .duration = 5,
	  .ringbuf = 65536 },
	{ .args = { "-v", "--no-scan", "--duration=2.5", "--ringbuf-size=4096",
	    "--shells=zsh,fish" },
	  .shells = "zsh,fish", .duration = 2.5, .ringbuf = 4096,
	  .no_scan = true, .verbose = 1 },
	/* after "--": nothing else */
	{ .args = { "--no-scan", "--" }, .no_scan = true },
};

ParameterizedTestParameters(options, good)
{
	return sw_rows(ARRAY_SIZE(ok_cases));
}

ParameterizedTest(int *row, options, good)
{
	const struct ok_case *c = &ok_cases[*row];
	const char *want_node = c->node ? c->node : host_name();
	const char *want_cluster = c->cluster ? c->cluster : "unknown";
	const char *want_shells = c->shells ? c->shells : SHELLS_DEFAULT;
	size_t want_ringbuf = c->ringbuf ? c->ringbuf : OPT_RINGBUF_DEFAULT;
	char what[1024], shells[1024];
	struct capture cap;
	struct sw_opts o;
	int ret;

	clean_env();
	args_text(c->args, what, sizeof(what));
	ret = parse(&o, c->args, &cap);
	cr_assert_eq(ret, OPTS_RUN, "args %s: %d (%s)", what, ret, cap.errbuf);
	cr_assert_eq(cap.errlen, 0, "args %s: error output '%s'", what,
		     cap.errbuf);
	cr_assert_eq(cap.outlen, 0, "args %s: output '%s'", what, cap.outbuf);
	cr_assert_eq(o.format, SW_FORMAT_JSON, "args %s: format %d", what,
		     o.format);
	shells_format(&o.shells, shells, sizeof(shells));
	cr_assert_str_eq(shells, want_shells, "args %s: shells '%s', want '%s'",
			 what, shells, want_shells);
	cr_assert_str_eq(o.node_name, want_node, "args %s: node '%s', want '%s'",
			 what, o.node_name, want_node);
	cr_assert_str_eq(o.cluster_name, want_cluster,
			 "args %s: cluster '%s', want '%s'", what,
			 o.cluster_name, want_cluster);
	cr_assert(fabs(o.duration - c->duration) < 1e-12,
		  "args %s: duration %g, want %g", what, o.duration,
		  c->duration);
	cr_assert_eq(o.ringbuf_bytes, want_ringbuf,
		     "args %s: ringbuf %zu, want %zu", what, o.ringbuf_bytes,
		     want_ringbuf);
	cr_assert_eq(o.scan, !c->no_scan, "args %s: scan %d", what, o.scan);
	cr_assert_eq(o.verbose, c->verbose, "args %s: verbose %d, want %d",
		     what, o.verbose, c->verbose);
}

/* pins on by default at the usual place, metrics off, no check */
Test(options, pins_metrics_check)
{
	static const char *const none[] = { NULL };
	static const char *const set[] = { "--pin-path", "", "--metrics",
					   "[::1]:0", "--check", NULL };
	static const char *const v4[] = { "--metrics=0.0.0.0:9469",
					  "--pin-path=/sys/fs/bpf/x", NULL };
	struct capture cap;
	struct sw_opts o;
	int ret;

	clean_env();
	ret = parse(&o, none, &cap);
	cr_assert_eq(ret, OPTS_RUN, "no arguments: %d (%s)", ret, cap.errbuf);
	cr_assert_str_eq(o.pin_path, "/sys/fs/bpf/shellwatch", "pin path '%s'",
			 o.pin_path);
	cr_assert_str_eq(o.metrics, "", "metrics '%s'", o.metrics);
	cr_assert(!o.check, "--check on by default");
	ret = parse(&o, set, &cap);
	cr_assert_eq(ret, OPTS_RUN, "pins off, v6 metrics: %d (%s)", ret,
		     cap.errbuf);
	cr_assert_str_eq(o.pin_path, "", "pin path '%s', want ''", o.pin_path);
	cr_assert_str_eq(o.metrics, "[::1]:0", "metrics '%s'", o.metrics);
	cr_assert(o.check, "--check not set");
	ret = parse(&o, v4, &cap);
	cr_assert_eq(ret, OPTS_RUN, "v4 metrics: %d (%s)", ret, cap.errbuf);
	cr_assert_str_eq(o.metrics, "0.0.0.0:9469", "metrics '%s'", o.metrics);
	cr_assert_str_eq(o.pin_path, "/sys/fs/bpf/x", "pin path '%s'",
			 o.pin_path);
}

/* --record and --replay take a file each, and not both */
Test(options, record_replay)
{
	static const char *const none[] = { NULL };
	static const char *const rec[] = { "--record", "/tmp/a.swr", NULL };
	static const char *const rep[] = { "--replay=tests/data/x.swr", NULL };
	static const char *const both[] = { "--record", "a", "--replay", "b",
					    NULL };
	static const char *const empty[] = { "--record", "", NULL };
	static const char *const bare[] = { "--replay", NULL };
	struct capture cap;
	struct sw_opts o;
	int ret;

	clean_env();
	ret = parse(&o, none, &cap);
	cr_assert_eq(ret, OPTS_RUN, "no arguments: %d (%s)", ret, cap.errbuf);
	cr_assert(!o.record[0] && !o.replay[0], "record '%s', replay '%s'",
		  o.record, o.replay);
	ret = parse(&o, rec, &cap);
	cr_assert_eq(ret, OPTS_RUN, "--record: %d (%s)", ret, cap.errbuf);
	cr_assert_str_eq(o.record, "/tmp/a.swr", "record '%s'", o.record);
	ret = parse(&o, rep, &cap);
	cr_assert_eq(ret, OPTS_RUN, "--replay: %d (%s)", ret, cap.errbuf);
	cr_assert_str_eq(o.replay, "tests/data/x.swr", "replay '%s'", o.replay);
	ret = parse(&o, both, &cap);
	cr_assert_eq(ret, -EINVAL, "both: %d", ret);
	cr_assert(strstr(cap.errbuf, "exclude each other"), "error '%s'",
		  cap.errbuf);
	ret = parse(&o, empty, &cap);
	cr_assert_eq(ret, -EINVAL, "--record '': %d", ret);
	cr_assert(strstr(cap.errbuf, "--record"), "error '%s'", cap.errbuf);
	ret = parse(&o, bare, &cap);
	cr_assert_eq(ret, -EINVAL, "--replay without a file: %d", ret);
	cr_assert(strstr(cap.errbuf, "--replay"), "error '%s'", cap.errbuf);
}

/* --trail and its bounds: the value given, else the default */
struct trail_case {
	const char *args[MAX_ARGS];
	bool trail;
	unsigned int rate, max, depth;
};

static const struct trail_case trail_cases[] = {
	{ .args = { NULL }, .trail = true, .rate = OPT_TRAIL_RATE_DEFAULT,
	  .max = OPT_TRAIL_MAX_DEFAULT },
	{ .args = { "--trail", "off" }, .trail = false,
	  .rate = OPT_TRAIL_RATE_DEFAULT, .max = OPT_TRAIL_MAX_DEFAULT },
	{ .args = { "--trail=commands" }, .trail = true,
	  .rate = OPT_TRAIL_RATE_DEFAULT, .max = OPT_TRAIL_MAX_DEFAULT },
	{ .args = { "--trail", "off", "--trail", "commands" }, .trail = true,
	  .rate = OPT_TRAIL_RATE_DEFAULT, .max = OPT_TRAIL_MAX_DEFAULT },
	{ .args = { "--trail-rate", "0", "--trail-max", "0" }, .trail = true },
	{ .args = { "--trail-rate", "1000000", "--trail-max", "1000000000",
	    "--trail-depth", "1000" },
	  .trail = true, .rate = 1000000, .max = 1000000000, .depth = 1000 },
	{ .args = { "--trail-depth=2", "--trail-max=7" }, .trail = true,
	  .rate = OPT_TRAIL_RATE_DEFAULT, .max = 7, .depth = 2 },
};

ParameterizedTestParameters(options, trail)
{
	return sw_rows(ARRAY_SIZE(trail_cases));
}

ParameterizedTest(int *row, options, trail)
{
	const struct trail_case *c = &trail_cases[*row];
	struct capture cap;
	struct sw_opts o;
	char what[1024];
	int ret;

	clean_env();
	args_text(c->args, what, sizeof(what));
	ret = parse(&o, c->args, &cap);
	cr_assert_eq(ret, OPTS_RUN, "args %s: %d (%s)", what, ret, cap.errbuf);
	cr_assert_eq(o.trail, c->trail, "args %s: trail %d", what, o.trail);
	cr_assert_eq(o.trail_rate, c->rate, "args %s: rate %u, want %u", what,
		     o.trail_rate, c->rate);
	cr_assert_eq(o.trail_max, c->max, "args %s: max %u, want %u", what,
		     o.trail_max, c->max);
	cr_assert_eq(o.trail_depth, c->depth, "args %s: depth %u, want %u",
		     what, o.trail_depth, c->depth);
}

/* the options win over the environment */
Test(options, option_beats_environment)
{
	static const char *const args[] = { "--node-name", "opt-node",
					    "--cluster-name", "opt-cluster",
					    NULL };
	struct capture cap;
	struct sw_opts o;
	int ret;

	setenv("NODE_NAME", "env-node", 1);
	setenv("CLUSTER_NAME", "env-cluster", 1);
	ret = parse(&o, args, &cap);
	cr_assert_eq(ret, OPTS_RUN, "%d (%s)", ret, cap.errbuf);
	cr_assert_str_eq(o.node_name, "opt-node", "node '%s'", o.node_name);
	cr_assert_str_eq(o.cluster_name, "opt-cluster", "cluster '%s'",
			 o.cluster_name);
}

struct err_case {
	const char *args[MAX_ARGS];
	const char *mention[2];	/* the error text holds these */
};

static const struct err_case err_cases[] = {
	/* unknown options */
	{ { "--bogus" }, { "--bogus" } },
	{ { "--format", "json", "--bogus" }, { "--bogus" } },
	{ { "-x" }, { "-x" } },
	{ { "-vx" }, { "-vx" } },
	{ { "-xv" }, { "-x" } },
	{ { "--no-scan=1" }, { "--no-scan" } },
	{ { "--verbose=2" }, { "--verbose" } },
	/* missing values */
	{ { "--format" }, { "--format", "value" } },
	{ { "--shells" }, { "--shells", "value" } },
	{ { "--node-name" }, { "--node-name", "value" } },
	{ { "--cluster-name" }, { "--cluster-name", "value" } },
	{ { "--duration" }, { "--duration", "value" } },
	{ { "--ringbuf-size" }, { "--ringbuf-size", "value" } },
	{ { "--no-scan", "--duration" }, { "--duration", "value" } },
	/* bad --format */
	{ { "--format", "xml" }, { "--format", "xml" } },
	{ { "--format", "JSON" }, { "--format", "JSON" } },
	{ { "--format", "" }, { "--format" } },
	{ { "--format=json,text" }, { "--format", "json,text" } },
	/* bad --duration */
	{ { "--duration", "0" }, { "--duration", "'0'" } },
	{ { "--duration", "0.0" }, { "--duration", "0.0" } },
	{ { "--duration", "-0" }, { "--duration", "-0" } },
	{ { "--duration", "-1" }, { "--duration", "-1" } },
	{ { "--duration=-1" }, { "--duration", "-1" } },
	{ { "--duration", "abc" }, { "--duration", "abc" } },
	{ { "--duration", "inf" }, { "--duration", "inf" } },
	{ { "--duration", "-inf" }, { "--duration", "-inf" } },
	{ { "--duration", "nan" }, { "--duration", "nan" } },
	{ { "--duration", "" }, { "--duration" } },
	{ { "--duration", "1s" }, { "--duration", "1s" } },
	{ { "--duration", "5 " }, { "--duration" } },
	{ { "--duration", "1e400" }, { "--duration", "1e400" } },
	/* bad --ringbuf-size */
	{ { "--ringbuf-size", "0" }, { "--ringbuf-size", "'0'" } },
	{ { "--ringbuf-size", "1" }, { "--ringbuf-size", "'1'" } },
	{ { "--ringbuf-size", "2048" }, { "--ringbuf-size", "2048" } },
	{ { "--ringbuf-size", "4095" }, { "--ringbuf-size", "4095" } },
	{ { "--ringbuf-size", "3000" }, { "--ringbuf-size", "3000" } },
	{ { "--ringbuf-size", "6000" }, { "--ringbuf-size", "6000" } },
	{ { "--ringbuf-size", "12288" }, { "--ringbuf-size", "12288" } },
	{ { "--ringbuf-size", "4194305" }, { "--ringbuf-size", "4194305" } },
	{ { "--ringbuf-size", "2147483648" }, { "--ringbuf-size", "2147483648" } },
	{ { "--ringbuf-size", "18446744073709551616" },
	  { "--ringbuf-size", "18446744073709551616" } },
	{ { "--ringbuf-size", "-4096" }, { "--ringbuf-size", "-4096" } },
	{ { "--ringbuf-size", "abc" }, { "--ringbuf-size", "abc" } },
	{ { "--ringbuf-size", "" }, { "--ringbuf-size" } },
	{ { "--ringbuf-size", "4096k" }, { "--ringbuf-size", "4096k" } },
	{ { "--ringbuf-size", "4m" }, { "--ringbuf-size", "4m" } },
	{ { "--ringbuf-size", "1e4" }, { "--ringbuf-size", "1e4" } },
	{ { "--ringbuf-size", "8192.0" }, { "--ringbuf-size", "8192.0" } },
	/* bad --shells */
	{ { "--shells", "" }, { "--shells", "empty" } },
	{ { "--shells", ",," }, { "--shells", "empty" } },
	{ { "--shells", "bash," }, { "--shells", "empty" } },
	{ { "--shells", "abcdefghijklmnop" }, { "--shells", "abcdefghijklmnop" } },
	{ { "--shells", "/bin/bash" }, { "--shells", "/bin/bash" } },
	{ { "--shells", "ba sh" }, { "--shells", "ba sh" } },
	{ { "--shells", "busybox" }, { "--shells", "busybox" } },
	/* bad --trail and its bounds */
	{ { "--trail", "on" }, { "--trail", "'on'" } },
	{ { "--trail", "" }, { "--trail" } },
	{ { "--trail", "Commands" }, { "--trail", "Commands" } },
	{ { "--trail-rate", "-1" }, { "--trail-rate", "-1" } },
	{ { "--trail-rate", "1000001" }, { "--trail-rate", "1000001" } },
	{ { "--trail-rate", "5/s" }, { "--trail-rate", "5/s" } },
	{ { "--trail-max", "1e3" }, { "--trail-max", "1e3" } },
	{ { "--trail-max", "" }, { "--trail-max" } },
	{ { "--trail-depth", "1001" }, { "--trail-depth", "1001" } },
	{ { "--trail-depth", "x" }, { "--trail-depth", "x" } },
	/* bad --track-max */
	{ { "--track-max", "0" }, { "--track-max", "0" } },
	{ { "--track-max", "1048577" }, { "--track-max", "1048577" } },
	{ { "--track-max", "" }, { "--track-max" } },
	/* bad names */
	{ { "--node-name", "" }, { "--node-name" } },
	{ { "--node-name", X256 }, { "--node-name", "255" } },
	{ { "--cluster-name", "" }, { "--cluster-name" } },
	{ { "--cluster-name", X256 }, { "--cluster-name", "255" } },
	/* stray arguments */
	{ { "foo" }, { "foo" } },
	{ { "--no-scan", "foo" }, { "foo" } },
	{ { "foo", "--no-scan" }, { "foo" } },
	{ { "--", "foo" }, { "foo" } },
	{ { "--", "--no-scan" }, { "--no-scan" } },
	{ { "-" }, { "'-'" } },
	/* bad --metrics: HOST:PORT, numeric, [v6] in brackets */
	{ { "--metrics", "9100" }, { "--metrics", "9100" } },
	{ { "--metrics", "" }, { "--metrics" } },
	{ { "--metrics", "localhost:9100" }, { "--metrics", "localhost:9100" } },
	{ { "--metrics", "127.0.0.1:" }, { "--metrics", "127.0.0.1:" } },
	{ { "--metrics", ":9100" }, { "--metrics", ":9100" } },
	{ { "--metrics", "127.0.0.1:65536" }, { "--metrics", "65536" } },
	{ { "--metrics", "127.0.0.1:-1" }, { "--metrics", "-1" } },
	{ { "--metrics", "127.0.0.1:80x" }, { "--metrics", "80x" } },
	{ { "--metrics", "::1:9100" }, { "--metrics", "::1:9100" } },
	{ { "--metrics", "[::1]9100" }, { "--metrics", "[::1]9100" } },
	{ { "--metrics", "[127.0.0.1]:80" }, { "--metrics", "[127.0.0.1]:80" } },
	{ { "--metrics", "1.2.3.4.5:80" }, { "--metrics", "1.2.3.4.5:80" } },
	{ { "--metrics", X255 }, { "--metrics" } },
	/* bad --pin-path */
	{ { "--pin-path", X255 }, { "--pin-path", "200" } },
	/* the first error wins */
	{ { "--bogus", "--help" }, { "--bogus" } },
	{ { "--duration", "0", "--ringbuf-size", "1" }, { "--duration" } },
};

ParameterizedTestParameters(options, bad)
{
	return sw_rows(ARRAY_SIZE(err_cases));
}

ParameterizedTest(int *row, options, bad)
{
	const struct err_case *c = &err_cases[*row];
	struct capture cap;
	struct sw_opts o;
	char what[1024];
	int ret, i;

	clean_env();
	args_text(c->args, what, sizeof(what));
	ret = parse(&o, c->args, &cap);
	cr_assert_eq(ret, -EINVAL, "args %s: %d, want -EINVAL (err '%s')", what,
		     ret, cap.errbuf);
	cr_assert_eq(cap.outlen, 0, "args %s: output '%s'", what, cap.outbuf);
	cr_assert_gt(cap.errlen, 0, "args %s: no error text", what);
	cr_assert_eq(strncmp(cap.errbuf, "shellwatch: ", 12), 0,
		     "args %s: error '%s' lacks the program name", what,
		     cap.errbuf);
	cr_assert_eq(cap.errbuf[cap.errlen - 1], '\n',
		     "args %s: error '%s' does not end its line", what,
		     cap.errbuf);
	for (i = 0; i < 2 && c->mention[i]; i++)
		cr_assert_not_null(strstr(cap.errbuf, c->mention[i]),
				   "args %s: error '%.*s' does not mention %s",
				   what, (int)cap.errlen - 1, cap.errbuf,
				   c->mention[i]);
}

struct help_case {
	const char *args[MAX_ARGS];
};

static const struct help_case help_cases[] = {
	/* alone */
	{ { "--help" } },
	{ { "-h" } },
	/* after good options, or before bad ones: help wins */
	{ { "--no-scan", "-h" } },
	{ { "-v", "--help", "--bogus" } },
	{ { "--help", "stray" } },
};

ParameterizedTestParameters(options, help)
{
	return sw_rows(ARRAY_SIZE(help_cases));
}

ParameterizedTest(int *row, options, help)
{
	static const char *const words[] = {
		"usage: shellwatch", "--format", "--shells", "--node-name",
		"--cluster-name", "--duration", "--ringbuf-size", "--no-scan",
		"--verbose", "--help", "--version", SHELLS_DEFAULT,
		"NODE_NAME", "CLUSTER_NAME", "4194304",
	};
	const struct help_case *c = &help_cases[*row];
	struct capture cap;
	struct sw_opts o;
	char what[1024];
	size_t i;
	int ret;

	clean_env();
	args_text(c->args, what, sizeof(what));
	ret = parse(&o, c->args, &cap);
	cr_assert_eq(ret, OPTS_EXIT, "args %s: %d, want OPTS_EXIT (err '%s')",
		     what, ret, cap.errbuf);
	cr_assert_eq(cap.errlen, 0, "args %s: error output '%s'", what,
		     cap.errbuf);
	for (i = 0; i < ARRAY_SIZE(words); i++)
		cr_assert_not_null(strstr(cap.outbuf, words[i]),
				   "args %s: help does not mention '%s'", what,
				   words[i]);
	cr_assert_eq(cap.outbuf[cap.outlen - 1], '\n',
		     "args %s: help does not end its line", what);
}

struct version_case {
	const char *args[MAX_ARGS];
};

static const struct version_case version_cases[] = {
	/* alone */
	{ { "--version" } },
	{ { "-V" } },
	/* among others */
	{ { "-v", "-V" } },
	{ { "--version", "--bogus" } },
};

ParameterizedTestParameters(options, version)
{
	return sw_rows(ARRAY_SIZE(version_cases));
}

ParameterizedTest(int *row, options, version)
{
	const struct version_case *c = &version_cases[*row];
	const char *want = "shellwatch " SHELLWATCH_VERSION "\n";
	struct capture cap;
	struct sw_opts o;
	char what[1024];
	int ret;

	clean_env();
	args_text(c->args, what, sizeof(what));
	ret = parse(&o, c->args, &cap);
	cr_assert_eq(ret, OPTS_EXIT, "args %s: %d, want OPTS_EXIT (err '%s')",
		     what, ret, cap.errbuf);
	cr_assert_eq(cap.errlen, 0, "args %s: error output '%s'", what,
		     cap.errbuf);
	cr_assert_str_eq(cap.outbuf, want, "args %s: '%s', want '%s'", what,
			 cap.outbuf, want);
}

/* opts_usage writes the same text as --help */
Test(options, usage_is_help)
{
	static const char *const args[] = { "--help", NULL };
	struct capture cap;
	struct sw_opts o;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	clean_env();
	cr_assert_eq(parse(&o, args, &cap), OPTS_EXIT);
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	opts_usage(f);
	fclose(f);
	cr_assert_str_eq(buf, cap.outbuf, "opts_usage differs from --help");
	free(buf);
}

/*
 * opts_parse can be called again: a parse that stopped inside a cluster of
 * short options ("-xv") leaves nothing behind for the next one
 */
Test(options, reparse_after_error_in_cluster)
{
	static const char *const first[] = { "-xv", NULL };
	static const char *const second[] = { "--no-scan", NULL };
	struct capture cap;
	struct sw_opts o;
	int ret;

	clean_env();
	ret = parse(&o, first, &cap);
	cr_assert_eq(ret, -EINVAL, "'-xv': %d, want -EINVAL", ret);
	ret = parse(&o, second, &cap);
	cr_assert_eq(ret, OPTS_RUN,
		     "'--no-scan' after '-xv': %d, want OPTS_RUN (err '%s')", ret,
		     cap.errbuf);
	cr_assert_eq(o.scan, false, "'--no-scan' after '-xv': scan on");
	cr_assert_eq(o.verbose, 0, "'--no-scan' after '-xv': verbose %d",
		     o.verbose);
}

Test(options, fields)
{
	static const char *const none[] = { NULL };
	static const char *const full[] = { "--fields", "full", NULL };
	static const char *const compact[] = { "--fields=compact", NULL };
	static const char *const old[] = { "--window-fields", "full", NULL };
	static const char *const last[] = { "--fields=full", "--window-fields",
					    "compact", NULL };
	static const char *const bad[] = { "--fields", "FULL", NULL };
	static const char *const empty[] = { "--fields=", NULL };
	struct capture cap;
	struct sw_opts o;
	int ret;

	clean_env();
	ret = parse(&o, none, &cap);
	cr_assert_eq(ret, OPTS_RUN, "no arguments: %d (%s)", ret, cap.errbuf);
	cr_assert_eq(o.fields, SW_FIELDS_COMPACT,
		     "compact records are not the default (%d)", o.fields);
	ret = parse(&o, full, &cap);
	cr_assert_eq(ret, OPTS_RUN, "--fields full: %d (%s)", ret, cap.errbuf);
	cr_assert_eq(o.fields, SW_FIELDS_FULL, "--fields full: %d", o.fields);
	ret = parse(&o, compact, &cap);
	cr_assert_eq(ret, OPTS_RUN, "--fields=compact: %d (%s)", ret,
		     cap.errbuf);
	cr_assert_eq(o.fields, SW_FIELDS_COMPACT, "--fields=compact: %d",
		     o.fields);
	ret = parse(&o, old, &cap);
	cr_assert_eq(ret, OPTS_RUN, "--window-fields full: %d (%s)", ret,
		     cap.errbuf);
	cr_assert_eq(o.fields, SW_FIELDS_FULL,
		     "--window-fields (the older name) full: %d", o.fields);
	ret = parse(&o, last, &cap);
	cr_assert_eq(ret, OPTS_RUN, "two modes: %d (%s)", ret, cap.errbuf);
	cr_assert_eq(o.fields, SW_FIELDS_COMPACT,
		     "of --fields=full --window-fields compact, the last does not win: %d",
		     o.fields);
	ret = parse(&o, bad, &cap);
	cr_assert_eq(ret, -EINVAL, "--fields FULL accepted (%d)", ret);
	cr_assert(strstr(cap.errbuf, "unknown --fields 'FULL'"),
		  "--fields FULL: stderr '%s'", cap.errbuf);
	ret = parse(&o, empty, &cap);
	cr_assert_eq(ret, -EINVAL, "--fields= accepted (%d)", ret);
}

/* --format: each name and its value; names are exact */
Test(options, formats)
{
	static const struct {
		const char *name;
		int ret;
		enum sw_format want;
	} cases[] = {
		{ "json", OPTS_RUN, SW_FORMAT_JSON },
		{ "hec", OPTS_RUN, SW_FORMAT_HEC },
		{ "pretty", OPTS_RUN, SW_FORMAT_PRETTY },
		{ "Pretty", -EINVAL, SW_FORMAT_JSON },
		{ "pretty ", -EINVAL, SW_FORMAT_JSON },
		{ "", -EINVAL, SW_FORMAT_JSON },
	};
	struct capture cap;
	struct sw_opts o;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *args[] = { "--format", cases[i].name, NULL };

		clean_env();
		ret = parse(&o, args, &cap);
		cr_assert_eq(ret, cases[i].ret, "--format '%s': %d, want %d (%s)",
			     cases[i].name, ret, cases[i].ret, cap.errbuf);
		if (!ret)
			cr_assert_eq(o.format, cases[i].want,
				     "--format '%s': format %d, want %d",
				     cases[i].name, o.format, cases[i].want);
		else
			cr_assert(strstr(cap.errbuf, "json, hec or pretty"),
				  "--format '%s': error '%s' does not name the formats",
				  cases[i].name, cap.errbuf);
	}
}

/* --track-max: the tracked processes' bound, its default and its range */
Test(options, track_max)
{
	static const struct {
		const char *args[MAX_ARGS];
		unsigned int want;
	} cases[] = {
		{ { NULL }, SW_TRACK_MAX },
		{ { "--track-max", "1" }, 1 },
		{ { "--track-max=1000" }, 1000 },
		{ { "--track-max", "1048576" }, SW_TRACK_LIMIT },
	};
	struct capture cap;
	struct sw_opts o;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		clean_env();
		ret = parse(&o, cases[i].args, &cap);
		cr_assert_eq(ret, OPTS_RUN, "case %zu: %d (%s)", i, ret,
			     cap.errbuf);
		cr_assert_eq(o.track_max, cases[i].want, "case %zu: %u", i,
			     o.track_max);
	}
}
