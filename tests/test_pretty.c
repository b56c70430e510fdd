// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --format pretty: the terminal escaping of attacker-controlled bytes, the
 * columns of each record type, and colour only where it belongs.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "json_writer.h"
#include "output.h"
#include "pretty.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct esc_case {
	const char *what;
	const char *in;
	size_t n;		/* bytes of in; 0: strlen */
	const char *want;
};

static const struct esc_case esc_cases[] = {
	/* plain text */
	{ "ascii", "bash -c ls", 0, "bash -c ls" },
	{ "backslash", "a\\b", 0, "a\\\\b" },
	{ "latin-1", "caf\xc3\xa9", 0, "caf\xc3\xa9" },
	{ "cjk", "\xe6\x97\xa5\xe6\x9c\xac", 0, "\xe6\x97\xa5\xe6\x9c\xac" },
	{ "emoji", "\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80" },
	/* terminal controls */
	{ "osc title", "\x1b]0;title\x07", 0, "\\e]0;title\\x07" },
	{ "csi clear", "\x1b[2J\x1b[H", 0, "\\e[2J\\e[H" },
	{ "cr overwrite", "evil\rgood", 0, "evil\\rgood" },
	{ "newline", "a\nb", 0, "a\\nb" },
	{ "tab", "a\tb", 0, "a\\tb" },
	{ "backspace", "ab\b\b", 0, "ab\\x08\\x08" },
	{ "del", "\x7f", 0, "\\x7f" },
	{ "nul inside", "a\0b", 3, "a\\0b" },
	/* C1 controls, as UTF-8 */
	{ "c1 csi", "\xc2\x9b" "2J", 0, "\\u009b2J" },
	{ "c1 nel", "a\xc2\x85" "b", 0, "a\\u0085b" },
	{ "c1 osc", "\xc2\x9d" "0;t\xc2\x9c", 0, "\\u009d0;t\\u009c" },
	/* bidirectional and invisible characters */
	{ "rlo", "ab\xe2\x80\xae" "cd", 0, "ab\\u202ecd" },
	{ "lre", "\xe2\x80\xaa", 0, "\\u202a" },
	{ "rli", "\xe2\x81\xa7", 0, "\\u2067" },
	{ "pdi", "\xe2\x81\xa9", 0, "\\u2069" },
	{ "rlm", "\xe2\x80\x8f", 0, "\\u200f" },
	{ "alm", "\xd8\x9c", 0, "\\u061c" },
	{ "zwsp", "a\xe2\x80\x8b" "b", 0, "a\\u200bb" },
	{ "bom", "\xef\xbb\xbf", 0, "\\ufeff" },
	{ "line separator", "\xe2\x80\xa8", 0, "\\u2028" },
	{ "soft hyphen", "\xc2\xad", 0, "\\u00ad" },
	{ "tag", "\xf3\xa0\x81\x81", 0, "\\U000e0041" },
	{ "private use", "\xee\x80\x80", 0, "\\ue000" },
	{ "replacement", "\xef\xbf\xbd", 0, "\\ufffd" },
	/* invalid UTF-8: each byte */
	{ "ff fe", "\xff\xfe", 0, "\\xff\\xfe" },
	{ "overlong slash", "\xc0\xaf", 0, "\\xc0\\xaf" },
	{ "overlong e0", "\xe0\x80\xaf", 0, "\\xe0\\x80\\xaf" },
	{ "surrogate", "\xed\xa0\x80", 0, "\\xed\\xa0\\x80" },
	{ "above 10ffff", "\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80" },
	{ "cut at end", "a\xe2\x82", 0, "a\\xe2\\x82" },
	{ "cut by ascii", "\xe2\x82" "A", 0, "\\xe2\\x82A" },
	{ "stray continuation", "\x80", 0, "\\x80" },
	{ "c1 as raw byte", "\x9b" "2J", 0, "\\x9b2J" },
};

ParameterizedTestParameters(pretty, escape)
{
	static int rows[ARRAY_SIZE(esc_cases)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		rows[i] = i;
	return cr_make_param_array(int, rows, ARRAY_SIZE(rows));
}

ParameterizedTest(int *row, pretty, escape)
{
	const struct esc_case *c = &esc_cases[*row];
	size_t n = c->n ? c->n : strlen(c->in);
	char got[256];

	pretty_escape(got, sizeof(got), c->in, n, 0, false);
	cr_assert_str_eq(got, c->want, "%s: got '%s', want '%s'", c->what, got,
			 c->want);
}

/* no byte a terminal acts on survives, whatever the input */
static void assert_inert(const char *s, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char b = s[i];

		cr_assert(b >= 0x20 && b != 0x7f, "%s: control byte 0x%02x at %zu",
			  what, b, i);
		cr_assert(!(b == 0xc2 && i + 1 < n &&
			    (unsigned char)s[i + 1] >= 0x80 &&
			    (unsigned char)s[i + 1] <= 0x9f),
			  "%s: C1 control at %zu", what, i);
		cr_assert(!(b == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			    (unsigned char)s[i + 2] >= 0xaa &&
			    (unsigned char)s[i + 2] <= 0xae),
			  "%s: bidi embedding or override at %zu", what, i);
		cr_assert(!(b == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x81 &&
			    (unsigned char)s[i + 2] >= 0xa6 &&
			    (unsigned char)s[i + 2] <= 0xa9),
			  "%s: bidi isolate at %zu", what, i);
		cr_assert(b != 0xc0 && b != 0xc1 && b < 0xf5,
			  "%s: byte 0x%02x is never UTF-8, at %zu", what, b, i);
	}
}

/* random bytes, random cuts: the output is inert, NUL-terminated and
 * within its buffer and width */
Test(pretty, escape_random_bytes)
{
	static const unsigned char alphabet[] = {
		0x00, 0x07, 0x08, 0x0a, 0x0d, 0x1b, 0x5b, 0x5d, 0x5c, 0x22, 0x41,
		0x7f, 0x80, 0x85, 0x9b, 0xad, 0xbf, 0xc0, 0xc2, 0xd8, 0xe0, 0xe2,
		0xed, 0xef, 0xf0, 0xf3, 0xf4, 0xff, 0x81, 0xa6, 0xae, 0x9c,
	};
	char in[64], out[80];
	unsigned int seed = 16;
	size_t i, n, max, dstlen, chars, len;

	for (i = 0; i < 20000; i++) {
		size_t k;

		n = rand_r(&seed) % sizeof(in);
		for (k = 0; k < n; k++)
			in[k] = alphabet[rand_r(&seed) % sizeof(alphabet)];
		max = rand_r(&seed) % 40;
		dstlen = 1 + rand_r(&seed) % (sizeof(out) - 1);
		memset(out, 'Z', sizeof(out));
		chars = pretty_escape(out, dstlen, in, n, max, rand_r(&seed) & 1);
		len = strnlen(out, dstlen);
		cr_assert_lt(len, dstlen, "case %zu: not NUL-terminated in %zu bytes",
			     i, dstlen);
		cr_assert_eq(out[dstlen < sizeof(out) ? dstlen : 0],
			     dstlen < sizeof(out) ? 'Z' : out[0],
			     "case %zu: wrote past %zu bytes", i, dstlen);
		if (max)
			cr_assert_leq(chars, max, "case %zu: width %zu over %zu", i,
				      chars, max);
		assert_inert(out, len, "random");
	}
}

Test(pretty, escape_cuts_whole)
{
	char got[64];
	size_t w;

	w = pretty_escape(got, sizeof(got), "abcdefgh", 8, 5, false);
	cr_assert_str_eq(got, "ab...", "cut to 5: '%s'", got);
	cr_assert_eq(w, 5, "width %zu", w);
	w = pretty_escape(got, sizeof(got), "abcde", 5, 5, false);
	cr_assert_str_eq(got, "abcde", "exact fit cut: '%s'", got);
	/* an escape is never split: \e is two columns */
	w = pretty_escape(got, sizeof(got), "a\x1b\x1b\x1b", 4, 6, false);
	cr_assert_str_eq(got, "a\\e...", "escapes split: '%s'", got);
	w = pretty_escape(got, sizeof(got), "a\x1b\x1b\x1b", 4, 5, false);
	cr_assert_str_eq(got, "a...", "escapes split: '%s'", got);
	w = pretty_escape(got, 6, "\x01\x01", 2, 0, false);
	cr_assert_str_eq(got, "...", "small buffer: '%s'", got);
	w = pretty_escape(got, sizeof(got), "\xe6\x97\xa5\xe6\x9c\xac", 6, 2,
			  false);
	cr_assert_str_eq(got, "\xe6\x97\xa5\xe6\x9c\xac", "two characters: '%s'",
			 got);
	w = pretty_escape(got, sizeof(got), "say \"hi\"", 8, 0, true);
	cr_assert_str_eq(got, "say \\\"hi\\\"", "quoted: '%s'", got);
	cr_assert_eq(w, 10, "quoted width %zu", w);
}

/* a record through the formatter; the text in a static buffer */
static const char *show(struct pretty *p, const char *json)
{
	static char text[PRETTY_LINE_MAX + 1];
	const char *out;
	size_t n = pretty_format(p, json, strlen(json), &out);

	memcpy(text, out, n);
	text[n] = '\0';
	return text;
}

#define HOST_K8S \
	"\"host\":{\"name\":\"vm\"},\"k8s\":{\"cluster\":{\"name\":\"c\"}," \
	"\"node\":{\"name\":\"vm\"}"

#define POD_K8S(ns, pod, ctr) \
	"\"host\":{\"name\":\"vm\"},\"k8s\":{\"cluster\":{\"name\":\"c\"}," \
	"\"node\":{\"name\":\"vm\"},\"namespace\":{\"name\":" ns "}," \
	"\"pod\":{\"name\":" pod ",\"uid\":\"4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9\"}," \
	"\"container\":{\"name\":" ctr "}},\"scope\":\"pod\"," \
	"\"container\":{\"id\":\"3f9a1c0d5e7b2468ace1\",\"runtime\":\"containerd\"}"

#define EXEC_HOSTILE \
	"{\"type\":\"exec\",\"schema\":\"2.1\",\"time\":\"2026-11-28T00:11:39.509916121Z\"," \
	"\"seq\":3,\"exec_id\":\"4cd34ed8-7403-1-2\",\"found_at_start\":false," \
	POD_K8S("\"shop\"", "\"web\\u001b[2J\"", "\"app\\u202e\"") "," \
	"\"entry\":\"runtime-exec\",\"process\":{\"pid\":7403," \
	"\"executable\":{\"name\":\"x\\u001b]0;title\\u0007sh\"}," \
	"\"command_line\":\"ignored\"," \
	"\"command_args\":[\"x\\u001b]0;title\\u0007sh\",\"-c\",\"a\\rb\"," \
	"\"\\u202eevil\",\"a\\u0000b\",\"\\ufffd\",\"\\u009b2J\",\"two words\",\"\"]," \
	"\"user\":{\"id\":1234,\"name\":\"pod\\u001b[31m\"},\"real_user\":{\"id\":1234}," \
	"\"tty\":{\"name\":\"pts0\"}},\"shell\":{\"name\":\"bash\"},\"truncated\":[]," \
	"\"detection\":{\"risk_score\":60}}"

Test(pretty, exec_hostile_record)
{
	struct pretty p;
	const char *text;
	char *nl;

	cr_assert_eq(pretty_init(&p, false), 0);
	text = show(&p, EXEC_HOSTILE);
	nl = strchr(text, '\n');
	cr_assert_not_null(nl, "no header line: '%s'", text);
	cr_assert(!strncmp(text, "TIME ", 5), "no header first: '%s'", text);
	text = nl + 1;
	assert_inert(text, strlen(text) - 1, "exec line");
	cr_assert_eq(text[strlen(text) - 1], '\n', "line does not end: '%s'", text);
	cr_assert_eq(strchr(text, '\n'), text + strlen(text) - 1,
		     "more than one line: '%s'", text);
	cr_assert(strstr(text, "x\\e]0;title\\x07sh -c a\\rb \\u202eevil a\\0b "
			       "\\ufffd \\u009b2J \"two words\" \"\""),
		  "argv not escaped as expected: '%s'", text);
	cr_assert(strstr(text, "shop/web\\e[2J/app\\u202e "), "where: '%s'", text);
	cr_assert(strstr(text, " pod\\e[31m "), "user: '%s'", text);
	cr_assert(strstr(text, "00:11:39.509 pod "), "time and scope: '%s'", text);
	cr_assert(strstr(text, " pts0 "), "tty: '%s'", text);
	cr_assert(strstr(text, "(runtime-exec, risk 60)"), "flags: '%s'", text);
	cr_assert(!strstr(text, "ignored"), "command_line used over argv: '%s'",
		  text);
	pretty_destroy(&p);
}

/* every column starts where its header does */
Test(pretty, columns_align)
{
	static const char *const recs[] = {
		EXEC_HOSTILE,
		"{\"type\":\"exec\",\"time\":\"2026-11-28T00:11:40.000000000Z\"," HOST_K8S
		"},\"scope\":\"host\",\"entry\":\"spawned\",\"process\":{\"pid\":1," \
		"\"command_args\":[\"sh\"],\"user\":{\"id\":0,\"name\":\"root\"}," \
		"\"real_user\":{\"id\":1000,\"name\":\"alice\"},\"tty\":{\"name\":null}}," \
		"\"shell\":{\"name\":\"dash\"}}",
		"{\"type\":\"exec\",\"time\":\"2026-11-28T00:11:40.000000000Z\"," HOST_K8S
		"},\"scope\":\"container\",\"container\":{\"id\":\"0123456789abcdef0123\"," \
		"\"runtime\":\"podman\"},\"entry\":\"container-main\",\"process\":{\"pid\":4294967295," \
		"\"command_args\":[\"sh\"],\"user\":{\"id\":4294967294}," \
		"\"tty\":{\"name\":\"a-very-long-tty-name\"}}," \
		"\"shell\":{\"name\":\"a-very-long-shell\"}}",
	};
	static const char *const heads[] = { "SCOPE", "NAMESPACE/POD/CONTAINER",
					     "PID", "USER", "TTY", "SHELL",
					     "COMMAND" };
	char header[512];
	const char *text, *line;
	struct pretty p;
	size_t i, h, col, pos;

	cr_assert_eq(pretty_init(&p, false), 0);
	text = show(&p, recs[0]);
	snprintf(header, sizeof(header), "%.*s", (int)(strchr(text, '\n') - text),
		 text);
	for (i = 0; i < ARRAY_SIZE(recs); i++) {
		text = show(&p, recs[i]);
		line = text;
		for (h = 0; h < ARRAY_SIZE(heads); h++) {
			col = strstr(header, heads[h]) - header;
			/* the character before each column is a space, the
			 * one at it is not */
			for (pos = 0; pos < col && line[pos]; pos++)
				;
			cr_assert_eq(pos, col, "record %zu: line shorter than column %s",
				     i, heads[h]);
			cr_assert(line[col - 1] == ' ' && line[col] != ' ',
				  "record %zu: column %s does not start at %zu: '%s'",
				  i, heads[h], col, line);
		}
	}
	text = show(&p, recs[1]);
	cr_assert(strstr(text, " alice>root "), "real>effective user: '%s'", text);
	cr_assert(strstr(text, " host      -  "), "host where: '%s'", text);
	text = show(&p, recs[2]);
	cr_assert(strstr(text, "podman:0123456789ab "), "container where: '%s'",
		  text);
	cr_assert(strstr(text, "(container-main)"), "entry flag: '%s'", text);
	pretty_destroy(&p);
}

Test(pretty, command_indented_under_session)
{
	static const char *const rec =
		"{\"type\":\"command\",\"time\":\"2026-12-01T21:24:36.900764942Z\","
		"\"exec_id\":\"f55adb19-29400-1558599107560-1558599961047\","
		"\"command\":{\"depth\":%d},"
		HOST_K8S "},\"scope\":\"host\",\"process\":{\"pid\":29404,"
		"\"command_args\":[\"tr\",\"a-z\",\"\\u001b[8mA-Z\"],\"user\":{\"id\":0,\"name\":\"root\"}},"
		"\"session\":{\"user_changed\":true,\"group_changed\":false}}";
	char json[1024];
	struct pretty p;
	const char *text;
	int depth;

	cr_assert_eq(pretty_init(&p, false), 0);
	p.header_done = true;
	for (depth = 1; depth <= 12; depth++) {
		size_t indent = 2 * (depth < PRETTY_DEPTH_MAX ? depth : PRETTY_DEPTH_MAX);
		char want[64];

		snprintf(json, sizeof(json), rec, depth);
		text = show(&p, json);
		snprintf(want, sizeof(want), "21:24:36.900 %*s\\_ 29404 ", (int)indent,
			 "");
		cr_assert(!strncmp(text, want, strlen(want)),
			  "depth %d: '%s' does not start '%s'", depth, text, want);
		cr_assert(strstr(text, "tr a-z \\e[8mA-Z  (session 29400, user changed)\n"),
			  "depth %d: '%s'", depth, text);
	}
	pretty_destroy(&p);
}

Test(pretty, window_exit_loss_stats)
{
	struct pretty p;
	const char *text;

	cr_assert_eq(pretty_init(&p, false), 0);
	p.header_done = true;
	text = show(&p, "{\"type\":\"window\",\"time\":\"2026-11-28T00:11:39.000000000Z\","
		     HOST_K8S "},\"scope\":\"host\",\"process\":{\"pid\":7403,"
		     "\"executable\":{\"name\":\"bash\"},\"cpu\":{\"utilization\":0.001755,"
		     "\"time\":0.00172},\"memory\":{\"usage\":3104768,\"utilization\":0.012283}},"
		     "\"window\":{\"seconds\":10}}");
	cr_assert(strstr(text, "7403    ~ window       bash            cpu 0.18% (0.002 s)  "
			       "mem 3.0 MiB (1.23%)  10 s\n"),
		  "window: '%s'", text);
	text = show(&p, "{\"type\":\"exit\",\"time\":\"2026-11-28T00:11:41.013672017Z\","
		     HOST_K8S "},\"scope\":\"host\",\"process\":{\"pid\":7403,\"forked\":false,"
		     "\"executable\":{\"name\":\"bash\"},\"exit\":{\"reason\":\"exit\",\"code\":3,"
		     "\"signal\":null,\"lifetime\":1.5037},\"cpu\":{\"time\":0.00172},"
		     "\"memory\":{\"peak\":3104768}}}");
	cr_assert(strstr(text, "x exit         bash            code 3 after 1.50 s  cpu 0.002 s  peak 3.0 MiB\n"),
		  "exit: '%s'", text);
	text = show(&p, "{\"type\":\"exit\",\"time\":\"2026-11-28T00:11:41.013672017Z\","
		     HOST_K8S "},\"scope\":\"host\",\"process\":{\"pid\":7419,\"forked\":true,"
		     "\"executable\":{\"name\":\"bash\"},\"exit\":{\"reason\":\"exec\",\"code\":null,"
		     "\"signal\":null,\"exec_name\":\"sl\\reep\",\"lifetime\":0.0002},"
		     "\"cpu\":{\"time\":0},\"memory\":{\"peak\":831488}}}");
	cr_assert(strstr(text, "x exit (fork)  bash            exec sl\\reep after 0.00 s"),
		  "exec exit: '%s'", text);
	text = show(&p, "{\"type\":\"exit\",\"time\":\"2026-11-28T00:11:41.013672017Z\","
		     HOST_K8S "},\"scope\":\"host\",\"process\":{\"pid\":7,"
		     "\"executable\":{\"name\":\"sh\"},\"exit\":{\"reason\":\"exit\",\"code\":null,"
		     "\"signal\":9},\"cpu\":{\"time\":0},\"memory\":{\"peak\":0}}}");
	cr_assert(strstr(text, "signal 9"), "signal exit: '%s'", text);
	text = show(&p, "{\"type\":\"loss\",\"time\":\"2026-11-28T00:11:47.242165313Z\","
		     HOST_K8S "},\"lost\":31,\"reasons\":{\"ringbuf_exec\":21,"
		     "\"ringbuf_proc\":10,\"output_queue\":0}}");
	cr_assert_str_eq(text, "00:11:47.242 LOSS: 31 records lost: ringbuf_exec 21, "
			       "ringbuf_proc 10\n", "loss: '%s'", text);
	text = show(&p, "{\"type\":\"stats\",\"time\":\"2026-11-28T00:11:43.056482274Z\","
		     HOST_K8S "},\"stats\":{\"execs\":2310,\"shells\":2023,\"reported\":2022,"
		     "\"suppressed\":1,\"windows\":2078,\"exits\":2012,\"tracked\":12,"
		     "\"lost\":{\"ringbuf_exec\":0,\"output_queue\":4},\"queue_bytes\":10257,"
		     "\"cpu_seconds\":0.311325,\"rss_bytes\":12132352}}");
	cr_assert_str_eq(text, "00:11:43.056 stats: execs 2310, shells 2023, reported 2022, "
			       "suppressed 1, windows 2078, exits 2012, tracked 12, lost: "
			       "output_queue 4; cpu 0.31 s, rss 11.6 MiB, queue 10 KiB\n",
			 "stats: '%s'", text);
	text = show(&p, "{\"type\":\"stop\",\"time\":\"2026-11-28T00:11:43.056530386Z\","
		     HOST_K8S "},\"reason\":\"signal\",\"stats\":{\"execs\":2310,\"shells\":2023,"
		     "\"reported\":2022,\"lost\":0,\"malformed\":0}}");
	cr_assert_str_eq(text, "00:11:43.056 shellwatch stopped (signal): execs 2310, "
			       "shells 2023, reported 2022, lost 0, malformed 0\n",
			 "stop: '%s'", text);
	text = show(&p, "{\"type\":\"future\\u001b\",\"time\":\"2026-11-28T00:11:43.056530386Z\"}");
	cr_assert_str_eq(text, "00:11:43.056 future\\e\n", "unknown type: '%s'", text);
	text = show(&p, "{\"type\":");
	cr_assert(strstr(text, "could not be shown"), "broken record: '%s'", text);
	pretty_destroy(&p);
}

Test(pretty, start_then_header)
{
	struct pretty p;
	const char *text;

	cr_assert_eq(pretty_init(&p, false), 0);
	text = show(&p, "{\"type\":\"start\",\"time\":\"2026-11-28T00:11:38.554181394Z\","
		     "\"host\":{\"name\":\"vm\"},\"k8s\":{\"cluster\":{\"name\":\"prod\\r\"},"
		     "\"node\":{\"name\":\"worker-1\"}},\"sensor\":{\"version\":\"0.1.0\","
		     "\"pid\":6806,\"shells\":[\"sh\",\"bash\"]}}");
	cr_assert(!strncmp(text, "00:11:38.554 shellwatch 0.1.0 started on node worker-1 "
				 "(cluster prod\\r), pid 6806; shells: sh bash\nTIME ", 90),
		  "start: '%s'", text);
	/* the header is written once */
	text = show(&p, EXEC_HOSTILE);
	cr_assert(strncmp(text, "TIME", 4), "header again: '%s'", text);
	pretty_destroy(&p);
}

/* colour: SGR sequences of ours only; none at all without it */
Test(pretty, colour_is_ours_only)
{
	struct pretty p;
	const char *text, *e;

	cr_assert_eq(pretty_init(&p, true), 0);
	text = show(&p, EXEC_HOSTILE);
	cr_assert(strstr(text, "\033[1;31m"), "pod scope not coloured: '%s'", text);
	for (e = strchr(text, 0x1b); e; e = strchr(e + 1, 0x1b)) {
		size_t k = 1;

		cr_assert_eq(e[1], '[', "ESC not starting SGR at %zd", e - text);
		for (k = 2; (e[k] >= '0' && e[k] <= '9') || e[k] == ';'; k++)
			;
		cr_assert_eq(e[k], 'm', "ESC sequence not SGR at %zd", e - text);
	}
	pretty_destroy(&p);
	cr_assert_eq(pretty_init(&p, false), 0);
	text = show(&p, EXEC_HOSTILE);
	cr_assert_null(strchr(text, 0x1b), "ESC without colour: '%s'", text);
	pretty_destroy(&p);
}

/* a terminal to test pretty_want_colour() on */
static int open_pty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), s;

	cr_assert_geq(m, 0, "posix_openpt");
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	cr_assert_geq(s, 0, "open %s", ptsname(m));
	return s;
}

Test(pretty, colour_only_on_a_terminal_without_no_color)
{
	int tty = open_pty(), fds[2];

	cr_assert_eq(pipe(fds), 0);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm-256color", 1);
	cr_assert(pretty_want_colour(tty), "no colour on a terminal");
	cr_assert(!pretty_want_colour(fds[1]), "colour on a pipe");
	cr_assert(!pretty_want_colour(open("/dev/null", O_WRONLY)),
		  "colour on /dev/null");
	setenv("NO_COLOR", "1", 1);
	cr_assert(!pretty_want_colour(tty), "colour with NO_COLOR=1");
	setenv("NO_COLOR", "", 1);
	cr_assert(!pretty_want_colour(tty), "colour with NO_COLOR empty");
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	cr_assert(!pretty_want_colour(tty), "colour with TERM=dumb");
}

/* the view replaces the JSON line in the queue, sequence numbers kept */
Test(pretty, output_view)
{
	struct output o;
	struct pretty p;
	struct jsonw *w;
	uint64_t seq;
	char got[4096];
	ssize_t n;
	int fds[2];

	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(output_init(&o, fds[1], 1 << 16), 0);
	cr_assert_eq(pretty_init(&p, false), 0);
	p.header_done = true;
	output_set_view(&o, &p);
	w = output_next(&o, &seq);
	jsonw_start_object(w, NULL);
	jsonw_string(w, "type", "loss");
	jsonw_string(w, "time", "2026-11-28T00:11:47.242165313Z");
	jsonw_uint(w, "lost", 2);
	jsonw_start_object(w, "reasons");
	jsonw_uint(w, "malformed", 2);
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_newline(w);
	output_commit(&o);
	cr_assert_eq(o.seq, 1, "seq %llu", (unsigned long long)o.seq);
	cr_assert_eq(output_flush(&o), 0);
	n = read(fds[0], got, sizeof(got) - 1);
	cr_assert_gt(n, 0);
	got[n] = '\0';
	cr_assert_str_eq(got, "00:11:47.242 LOSS: 2 records lost: malformed 2\n",
			 "queued: '%s'", got);
	output_destroy(&o);
	pretty_destroy(&p);
}
