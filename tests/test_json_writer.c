// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the JSON writer. Hostile strings are written as {"k": input},
 * and the line must stay one line, hold one field, parse with the strict
 * parser, and decode to the input (valid UTF-8) or to the input with the
 * documented U+FFFD replacements (the expected bytes are in the tables).
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "json_parse.h"
#include "json_writer.h"
#include "sw_rows.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* a string literal as pointer and length, embedded NULs included */
#define B(s)		(s), sizeof(s) - 1
/* a case whose decoded value is its input */
#define SAME(s)		B(s), B(s)
#define FFFD		"\xef\xbf\xbd"
#define FFFD2		FFFD FFFD
#define FFFD3		FFFD FFFD FFFD
#define FFFD4		FFFD FFFD FFFD FFFD

/* room for show(): longer texts are cut, as Criterion cuts long messages */
#define SHOW_MAX	800

/*
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address): the tables hold pointers, so each test gets the index
 * of its row instead.
 */
/* the C escape letter for c in show(), 0 for none */
static char show_escape(unsigned char c)
{
	switch (c) {
	case '\\':
		return '\\';
	case '"':
		return '"';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	}
	return 0;
}

/*
 * Render n bytes for a failure message, C string style: printable ASCII
 * as is, \\ \" \n \r \t, anything else as \xNN; cut with "..." when out
 * is small.
 */
static const char *show(char *out, size_t outlen, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 8 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (show_escape(c)) {
			out[o++] = '\\';
			out[o++] = show_escape(c);
		} else if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
					      c);
		}
	}
	if (i < n)
		o += (size_t)snprintf(out + o, outlen - o, "...");
	out[o] = '\0';
	return out;
}

/* assert got == want byte for byte, showing both on failure */
static void assert_bytes(const char *what, const char *got, size_t gotlen,
			 const char *want, size_t wantlen)
{
	char g[SHOW_MAX], e[SHOW_MAX];

	cr_assert(gotlen == wantlen && !memcmp(got, want, wantlen),
		  "%s: decoded bytes differ\n  got  (%zu) \"%s\"\n  want (%zu) \"%s\"",
		  what, gotlen, show(g, sizeof(g), got, gotlen), wantlen,
		  show(e, sizeof(e), want, wantlen));
}

/*
 * Reference UTF-8 decoder, transcribed from the WHATWG Encoding standard
 * (section 9.1.1): what a browser-grade decoder makes of the bytes. out
 * needs 3 * n bytes. Returns the bytes written.
 */
static size_t whatwg_decode(const unsigned char *in, size_t n, char *out)
{
	unsigned int needed = 0, seen = 0, lower = 0x80, upper = 0xbf;
	uint32_t cp = 0;
	size_t i, o = 0;

#define EMIT(b)		(out[o++] = (char)(b))
#define EMIT_FFFD()	(EMIT(0xef), EMIT(0xbf), EMIT(0xbd))
	for (i = 0; i < n; i++) {
		unsigned int b = in[i];

		if (needed == 0) {
			if (b <= 0x7f) {
				EMIT(b);
			} else if (b >= 0xc2 && b <= 0xdf) {
				needed = 1;
				cp = b & 0x1f;
			} else if (b >= 0xe0 && b <= 0xef) {
				if (b == 0xe0)
					lower = 0xa0;
				if (b == 0xed)
					upper = 0x9f;
				needed = 2;
				cp = b & 0xf;
			} else if (b >= 0xf0 && b <= 0xf4) {
				if (b == 0xf0)
					lower = 0x90;
				if (b == 0xf4)
					upper = 0x8f;
				needed = 3;
				cp = b & 0x7;
			} else {
				EMIT_FFFD();
			}
			continue;
		}
		if (b < lower || b > upper) {
			cp = needed = seen = 0;
			lower = 0x80;
			upper = 0xbf;
			EMIT_FFFD();
			i--;		/* prepend the byte to the stream */
			continue;
		}
		lower = 0x80;
		upper = 0xbf;
		cp = (cp << 6) | (b & 0x3f);
		if (++seen != needed)
			continue;
		if (cp < 0x800) {
			EMIT(0xc0 | (cp >> 6));
		} else if (cp < 0x10000) {
			EMIT(0xe0 | (cp >> 12));
			EMIT(0x80 | ((cp >> 6) & 0x3f));
		} else {
			EMIT(0xf0 | (cp >> 18));
			EMIT(0x80 | ((cp >> 12) & 0x3f));
			EMIT(0x80 | ((cp >> 6) & 0x3f));
		}
		EMIT(0x80 | (cp & 0x3f));
		cp = needed = seen = 0;
	}
	if (needed)
		EMIT_FFFD();
#undef EMIT_FFFD
#undef EMIT
	return o;
}

/* is s valid UTF-8: decoding changes any ill-formed byte, nothing else */
static bool utf8_valid(const char *s, size_t n)
{
	char *d = malloc(3 * n + 1);
	bool ok;

	cr_assert_not_null(d);
	ok = whatwg_decode((const unsigned char *)s, n, d) == n &&
	     !memcmp(d, s, n);
	free(d);
	return ok;
}

/*
 * Check a finished line: one '\n', at the end; no other raw control byte
 * or NUL; no raw C1 control, U+2028 or U+2029; valid UTF-8.
 */
static void check_line(const char *what, const struct jsonw *w)
{
	const unsigned char *t = (const unsigned char *)jsonw_data(w);
	size_t n = jsonw_len(w), i;
	char s[SHOW_MAX];

	cr_assert(n >= 1 && t[n - 1] == '\n',
		  "%s: line does not end in one newline: \"%s\"", what,
		  show(s, sizeof(s), (const char *)t, n));
	for (i = 0; i + 1 < n; i++) {
		cr_assert(t[i] >= 0x20 && t[i] != 0x7f,
			  "%s: raw byte 0x%02x at %zu of \"%s\"", what, t[i], i,
			  show(s, sizeof(s), (const char *)t, n));
		cr_assert(!(t[i] == 0xc2 && t[i + 1] >= 0x80 &&
			    t[i + 1] <= 0x9f),
			  "%s: raw C1 control at %zu of \"%s\"", what, i,
			  show(s, sizeof(s), (const char *)t, n));
		cr_assert(!(i + 2 < n && t[i] == 0xe2 && t[i + 1] == 0x80 &&
			    (t[i + 2] == 0xa8 || t[i + 2] == 0xa9)),
			  "%s: raw U+2028/U+2029 at %zu of \"%s\"", what, i,
			  show(s, sizeof(s), (const char *)t, n));
	}
	cr_assert(utf8_valid((const char *)t, n),
		  "%s: output is not UTF-8: \"%s\"", what,
		  show(s, sizeof(s), (const char *)t, n));
}

/* parse the writer's text, failing the test with the parser's message */
static struct jv *parse_text(const char *what, const struct jsonw *w)
{
	char err[160], s[SHOW_MAX];
	struct jv *v;

	v = jv_parse(jsonw_data(w), jsonw_len(w), err, sizeof(err));
	cr_assert_not_null(v, "%s: output does not parse (%s): \"%s\"", what,
			   err,
			   show(s, sizeof(s), jsonw_data(w), jsonw_len(w)));
	return v;
}

/* assert the writer's text is exactly want */
static void assert_text(const char *what, const struct jsonw *w,
			const char *want)
{
	char g[SHOW_MAX], e[SHOW_MAX];

	cr_assert(jsonw_len(w) == strlen(want) && !strcmp(jsonw_data(w), want),
		  "%s:\n  got  \"%s\"\n  want \"%s\"", what,
		  show(g, sizeof(g), jsonw_data(w), jsonw_len(w)),
		  show(e, sizeof(e), want, strlen(want)));
}

/* a new writer, failing the test on ENOMEM */
static struct jsonw *new_writer(void)
{
	struct jsonw *w = jsonw_new();

	cr_assert_not_null(w, "jsonw_new failed");
	return w;
}

/*
 * Write {"k": in} (cstr: through jsonw_string) and check it comes back as
 * one line, one field, with the string decoding to want.
 */
static void roundtrip_value(const char *name, const char *in, size_t inlen,
			    const char *want, size_t wantlen, bool cstr)
{
	struct jsonw *w = new_writer();
	const struct jv *val;
	char what[256];
	struct jv *v;

	snprintf(what, sizeof(what), "input '%s' as %s value", name,
		 cstr ? "jsonw_string" : "jsonw_string_n");
	jsonw_start_object(w, NULL);
	if (cstr)
		jsonw_string(w, "k", in);
	else
		jsonw_string_n(w, "k", in, inlen);
	jsonw_end_object(w);
	cr_assert_eq(jsonw_error(w), 0, "%s: error %d", what, jsonw_error(w));
	cr_assert_null(memchr(jsonw_data(w), '\n', jsonw_len(w)),
		       "%s: raw newline before jsonw_newline", what);
	jsonw_newline(w);
	check_line(what, w);

	v = parse_text(what, w);
	cr_assert_eq(jv_type(v), JV_OBJECT, "%s: not an object", what);
	cr_assert_eq(jv_len(v), 1, "%s: %zu fields, want 1", what, jv_len(v));
	cr_assert(jv_keylen_at(v, 0) == 1 && !strcmp(jv_key_at(v, 0), "k"),
		  "%s: key is not \"k\"", what);
	val = jv_val_at(v, 0);
	cr_assert_eq(jv_type(val), JV_STRING, "%s: value is not a string",
		     what);
	assert_bytes(what, jv_str(val), jv_strlen(val), want, wantlen);
	jv_free(v);
	jsonw_destroy(w);
}

/* write {in: 1} and check the key decodes to want */
static void roundtrip_key(const char *name, const char *in, const char *want,
			  size_t wantlen)
{
	struct jsonw *w = new_writer();
	char what[256];
	struct jv *v;

	snprintf(what, sizeof(what), "input '%s' as key", name);
	jsonw_start_object(w, NULL);
	jsonw_uint(w, in, 1);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "%s: error %d", what, jsonw_error(w));
	check_line(what, w);

	v = parse_text(what, w);
	cr_assert_eq(jv_len(v), 1, "%s: %zu fields, want 1", what, jv_len(v));
	assert_bytes(what, jv_key_at(v, 0), jv_keylen_at(v, 0), want, wantlen);
	cr_assert_eq(jv_num(jv_val_at(v, 0)), 1.0, "%s: value is not 1", what);
	jv_free(v);
	jsonw_destroy(w);
}

struct str_case {
	const char *name;
	const char *in;
	size_t inlen;
	const char *want;	/* the decoded value expected back */
	size_t wantlen;
};

static struct str_case str_cases[] = {
	/* quotes and backslashes */
	{ "empty", SAME("") },
	{ "quote", SAME("\"") },
	{ "backslash", SAME("\\") },
	{ "trailing backslash", SAME("abc\\") },
	{ "backslash quote", SAME("\\\"") },
	{ "field injection", SAME("x\",\"admin\":true,\"y\":\"") },
	{ "object close injection", SAME("\"}\n{\"evil\":1}") },
	{ "escape text is literal", SAME("\\u0000\\n\\\"") },
	{ "slash", SAME("/bin/sh") },
	{ "quoted path", SAME("/tmp/\"a b\"/c") },

	/* control bytes */
	{ "newline", SAME("\n") },
	{ "crlf", SAME("line1\r\nline2") },
	{ "tab", SAME("\t") },
	{ "backspace", SAME("\b") },
	{ "form feed", SAME("\f") },
	{ "vertical tab", SAME("\v") },
	{ "0x01", SAME("\x01") },
	{ "0x1f", SAME("\x1f") },
	{ "DEL", SAME("\x7f") },
	{ "ANSI escape", SAME("\x1b[31mred\x1b[0m") },
	{ "all C0", SAME("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
			 "\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
			 "\x19\x1a\x1b\x1c\x1d\x1e\x1f") },
	{ "fake log line",
	  SAME("sh\n{\"event\":\"login\",\"user\":\"root\"}") },

	/* invalid UTF-8 */
	{ "stray continuation", B("\x80"), B(FFFD) },
	{ "two continuations", B("\x80\xbf"), B(FFFD2) },
	{ "lone lead at end", B("\xc3"), B(FFFD) },
	{ "lead then ASCII", B("\xc3" "A"), B(FFFD "A") },
	{ "lead then quote", B("\xc3\""), B(FFFD "\"") },
	{ "lead then newline", B("\xc3\n"), B(FFFD "\n") },
	{ "truncated 3-byte", B("\xe2\x82"), B(FFFD) },
	{ "truncated 3-byte then A", B("\xe2\x82" "A"), B(FFFD "A") },
	{ "truncated 3-byte then backslash", B("\xe2\x82\\"), B(FFFD "\\") },
	{ "truncated 4-byte", B("\xf0\x9f\x98"), B(FFFD) },
	{ "truncated 4-byte then quote", B("\xf0\x9f\x98\""), B(FFFD "\"") },
	{ "overlong slash C0", B("\xc0\xaf"), B(FFFD2) },
	{ "overlong C1", B("\xc1\xbf"), B(FFFD2) },
	{ "overlong 3-byte slash", B("\xe0\x80\xaf"), B(FFFD3) },
	{ "overlong 3-byte max", B("\xe0\x9f\xbf"), B(FFFD3) },
	{ "overlong 4-byte slash", B("\xf0\x80\x80\xaf"), B(FFFD4) },
	{ "overlong 4-byte max", B("\xf0\x8f\xbf\xbf"), B(FFFD4) },
	{ "overlong NUL", B("\xc0\x80"), B(FFFD2) },
	{ "surrogate D800", B("\xed\xa0\x80"), B(FFFD3) },
	{ "surrogate DFFF", B("\xed\xbf\xbf"), B(FFFD3) },
	{ "CESU-8 pair", B("\xed\xa0\xbd\xed\xb8\x80"), B(FFFD3 FFFD3) },
	{ "U+110000", B("\xf4\x90\x80\x80"), B(FFFD4) },
	{ "F5 lead", B("\xf5\x80\x80\x80"), B(FFFD4) },
	{ "5-byte form", B("\xf8\x88\x80\x80\x80"), B(FFFD4 FFFD) },
	{ "6-byte form", B("\xfc\x84\x80\x80\x80\x80"), B(FFFD3 FFFD3) },
	{ "FE", B("\xfe"), B(FFFD) },
	{ "FF", B("\xff"), B(FFFD) },
	{ "invalid inside ASCII", B("a\xff" "b"), B("a" FFFD "b") },
	{ "bad second byte", B("\xe2\x28\xa1"), B(FFFD "(" FFFD) },
	{ "extra continuation", B("\xc3\xa9\xa9"), B("\xc3\xa9" FFFD) },
	{ "emoji then continuation", B("\xf0\x9f\x98\x80\x80"),
	  B("\xf0\x9f\x98\x80" FFFD) },
	{ "truncated E0 A0", B("\xe0\xa0"), B(FFFD) },
	{ "truncated F4 8F BF", B("\xf4\x8f\xbf"), B(FFFD) },
	{ "latin-1 name", B("caf\xe9"), B("caf" FFFD) },
	{ "latin-1 quote", B("\xe9\"x"), B(FFFD "\"x") },
	{ "split U+2028", B("\xe2\x80" "\n"), B(FFFD "\n") },

	/* valid multi-byte */
	{ "e acute", SAME("\xc3\xa9") },
	{ "euro", SAME("\xe2\x82\xac") },
	{ "emoji", SAME("\xf0\x9f\x98\x80") },
	{ "U+10FFFF", SAME("\xf4\x8f\xbf\xbf") },
	{ "U+D7FF", SAME("\xed\x9f\xbf") },
	{ "U+E000", SAME("\xee\x80\x80") },
	{ "U+FFFD", SAME("\xef\xbf\xbd") },
	{ "U+FFFF", SAME("\xef\xbf\xbf") },
	{ "BOM", SAME("\xef\xbb\xbf") },
	{ "U+0080", SAME("\xc2\x80") },
	{ "NEL", SAME("\xc2\x85") },
	{ "CSI", SAME("\xc2\x9b" "31m") },
	{ "U+009F", SAME("\xc2\x9f") },
	{ "NBSP", SAME("\xc2\xa0") },
	{ "right-to-left override", SAME("\xe2\x80\xae" "txt.exe") },
	{ "CJK", SAME("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e") },
	{ "mixed command", SAME("bash -c 'echo \xe2\x82\xac \xc3\xa9'") },

	/* line and paragraph separators */
	{ "U+2028", SAME("\xe2\x80\xa8") },
	{ "U+2029", SAME("\xe2\x80\xa9") },
	{ "U+2028 inside", SAME("a\xe2\x80\xa8" "b") },
	{ "both separators", SAME("\xe2\x80\xa8\xe2\x80\xa9") },
	{ "U+2027 neighbour", SAME("\xe2\x80\xa7") },
	{ "U+202A neighbour", SAME("\xe2\x80\xaa") },

	/* embedded NUL */
	{ "NUL", SAME("\0") },
	{ "NUL inside", SAME("a\0b") },
	{ "three NULs", SAME("\0\0\0") },
	{ "NUL then injection", SAME("x\0\",\"y\":\"\n") },
	{ "argv", SAME("/bin/sh\0-c\0id\0") },
	{ "NUL breaks a sequence", B("\xe2\x82\0\xac"), B(FFFD "\0" FFFD) },
	{ "lead then NUL", B("\xc3\0"), B(FFFD "\0") },
};

ParameterizedTestParameters(json_writer, string_value)
{
	return sw_rows(ARRAY_SIZE(str_cases));
}

ParameterizedTest(int *row, json_writer, string_value)
{
	const struct str_case *c = &str_cases[*row];
	char label[96];

	snprintf(label, sizeof(label), "#%d %s", *row, c->name);
	roundtrip_value(label, c->in, c->inlen, c->want, c->wantlen, false);
	if (!memchr(c->in, '\0', c->inlen))
		roundtrip_value(label, c->in, c->inlen, c->want, c->wantlen,
				true);
}

ParameterizedTestParameters(json_writer, string_key)
{
	return sw_rows(ARRAY_SIZE(str_cases));
}

ParameterizedTest(int *row, json_writer, string_key)
{
	const struct str_case *c = &str_cases[*row];
	char label[96];

	if (memchr(c->in, '\0', c->inlen))
		cr_skip_test("input #%d '%s': keys are C strings, NUL ends them",
			     *row, c->name);
	snprintf(label, sizeof(label), "#%d %s", *row, c->name);
	roundtrip_key(label, c->in, c->want, c->wantlen);
}

/*
 * 255-byte names (NAME_MAX): unit repeated reps times then tail, and the
 * expected decoding: want_unit repeated reps times then want_tail.
 */
struct name_case {
	const char *name;
	const char *unit;
	size_t unitlen;
	unsigned int reps;
	const char *tail;
	size_t taillen;
	const char *want_unit;
	size_t want_unitlen;
	const char *want_tail;
	size_t want_taillen;
};

static struct name_case name_cases[] = {
	/* 255-byte names */
	{ "255 x a", B("a"), 255, B(""), B("a"), B("") },
	{ "255 x quote", B("\""), 255, B(""), B("\""), B("") },
	{ "255 x backslash", B("\\"), 255, B(""), B("\\"), B("") },
	{ "255 x newline", B("\n"), 255, B(""), B("\n"), B("") },
	{ "255 x 0x01", B("\x01"), 255, B(""), B("\x01"), B("") },
	{ "255 x DEL", B("\x7f"), 255, B(""), B("\x7f"), B("") },
	{ "51 x mixed escapes", B("a\"\n\\\x01"), 51, B(""),
	  B("a\"\n\\\x01"), B("") },
	{ "85 x euro", B("\xe2\x82\xac"), 85, B(""), B("\xe2\x82\xac"), B("") },
	{ "85 x U+2028", B("\xe2\x80\xa8"), 85, B(""), B("\xe2\x80\xa8"),
	  B("") },
	{ "127 x NEL + a", B("\xc2\x85"), 127, B("a"), B("\xc2\x85"),
	  B("a") },
	{ "63 x emoji + abc", B("\xf0\x9f\x98\x80"), 63, B("abc"),
	  B("\xf0\x9f\x98\x80"), B("abc") },
	{ "255 x FF", B("\xff"), 255, B(""), B(FFFD), B("") },
	{ "255 x continuation", B("\x80"), 255, B(""), B(FFFD), B("") },
	{ "85 x surrogate", B("\xed\xa0\x80"), 85, B(""), B(FFFD3), B("") },
	{ "127 x e acute + cut lead", B("\xc3\xa9"), 127, B("\xc3"),
	  B("\xc3\xa9"), B(FFFD) },
	{ "63 x U+110000 + euro", B("\xf4\x90\x80\x80"), 63,
	  B("\xe2\x82\xac"), B(FFFD4), B("\xe2\x82\xac") },
	{ "255 x lone lead", B("\xc3"), 255, B(""), B(FFFD), B("") },
};

/* unit x reps + tail into a malloc'd buffer; returns its length */
static size_t repeat(const char *unit, size_t unitlen, unsigned int reps,
		     const char *tail, size_t taillen, char **out)
{
	size_t n = unitlen * reps + taillen, i;
	char *b = malloc(n + 1);

	cr_assert_not_null(b);
	for (i = 0; i < reps; i++)
		memcpy(b + i * unitlen, unit, unitlen);
	memcpy(b + n - taillen, tail, taillen);
	b[n] = '\0';
	*out = b;
	return n;
}

ParameterizedTestParameters(json_writer, name_255)
{
	return sw_rows(ARRAY_SIZE(name_cases));
}

ParameterizedTest(int *row, json_writer, name_255)
{
	const struct name_case *c = &name_cases[*row];
	size_t inlen, wantlen;
	char *in, *want;
	char label[96];

	inlen = repeat(c->unit, c->unitlen, c->reps, c->tail, c->taillen, &in);
	wantlen = repeat(c->want_unit, c->want_unitlen, c->reps, c->want_tail,
			 c->want_taillen, &want);
	snprintf(label, sizeof(label), "#%d %s", *row, c->name);
	cr_assert_eq(inlen, 255, "table error: input %s is %zu bytes", label,
		     inlen);
	roundtrip_value(label, in, inlen, want, wantlen, false);
	roundtrip_value(label, in, inlen, want, wantlen, true);
	roundtrip_key(label, in, want, wantlen);
	free(in);
	free(want);
}

/* the exact escaped text, to pin the output format */
struct esc_case {
	const char *name;
	const char *in;
	size_t inlen;
	const char *want;	/* json_escape_bytes() output */
};

static struct esc_case esc_cases[] = {
	{ "plain", B("abc"), "abc" },
	{ "quote", B("\""), "\\\"" },
	{ "backslash", B("\\"), "\\\\" },
	{ "slash is not escaped", B("/"), "/" },
	{ "short forms", B("\b\f\n\r\t"), "\\b\\f\\n\\r\\t" },
	{ "NUL", B("\0"), "\\u0000" },
	{ "0x01", B("\x01"), "\\u0001" },
	{ "0x1f", B("\x1f"), "\\u001f" },
	{ "vertical tab", B("\v"), "\\u000b" },
	{ "DEL", B("\x7f"), "\\u007f" },
	{ "U+0080", B("\xc2\x80"), "\\u0080" },
	{ "NEL", B("\xc2\x85"), "\\u0085" },
	{ "U+009F", B("\xc2\x9f"), "\\u009f" },
	{ "NBSP is raw", B("\xc2\xa0"), "\xc2\xa0" },
	{ "U+2028", B("\xe2\x80\xa8"), "\\u2028" },
	{ "U+2029", B("\xe2\x80\xa9"), "\\u2029" },
	{ "euro is raw", B("\xe2\x82\xac"), "\xe2\x82\xac" },
	{ "FF", B("\xff"), FFFD },
	{ "overlong", B("\xe0\x80\xaf"), FFFD3 },
	{ "cut then quote", B("\xe2\x82\""), FFFD "\\\"" },
};

ParameterizedTestParameters(json_writer, escape_text)
{
	return sw_rows(ARRAY_SIZE(esc_cases));
}

ParameterizedTest(int *row, json_writer, escape_text)
{
	const struct esc_case *c = &esc_cases[*row];
	char out[64], g[SHOW_MAX], e[SHOW_MAX];
	size_t need;

	need = json_escape_bytes(out, sizeof(out), c->in, c->inlen);
	cr_assert(need == strlen(c->want) && !strcmp(out, c->want),
		  "input #%d '%s':\n  got  (%zu) \"%s\"\n  want \"%s\"",
		  *row, c->name, need,
		  show(g, sizeof(g), out, strlen(out)),
		  show(e, sizeof(e), c->want, strlen(c->want)));
	cr_assert_eq(json_escape_bytes(NULL, 0, c->in, c->inlen), need,
		     "input #%d '%s': size query differs", *row, c->name);
}

/* offsets in an escaped text where an escape or character starts */
static bool *unit_starts(const char *t, size_t n)
{
	bool *start = calloc(n + 1, sizeof(*start));
	size_t i = 0;
	unsigned char c;

	cr_assert_not_null(start);
	while (i < n) {
		start[i] = true;
		c = (unsigned char)t[i];
		if (c == '\\')
			i += t[i + 1] == 'u' ? 6 : 2;
		else if (c < 0x80)
			i += 1;
		else if (c < 0xe0)
			i += 2;
		else if (c < 0xf0)
			i += 3;
		else
			i += 4;
	}
	cr_assert_eq(i, n, "escaped text ends inside a unit");
	start[n] = true;
	return start;
}

struct bytes_case {
	const char *name;
	const char *s;
	size_t n;
};

static struct bytes_case trunc_cases[] = {
	{ "ASCII", B("hello world") },
	{ "escapes", B("\"\\\n\x01\x7f\t") },
	{ "multi-byte", B("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80") },
	{ "separators and C1", B("\xe2\x80\xa8" "a" "\xc2\x85\xe2\x80\xa9") },
	{ "invalid", B("\xff\xe2\x82\xc0\xaf" "a\xed\xa0\x80") },
	{ "NULs", B("\0a\0\xc3\xa9\0") },
	{ "everything", B("x\"\xf0\x9f\x98\x80\\\x00\xe2\x80\xa8\xff\n"
			  "\xc3\xa9\x1b") },
};

ParameterizedTestParameters(json_writer, escape_truncation)
{
	return sw_rows(ARRAY_SIZE(trunc_cases));
}

/*
 * For every dst size: the result is the full length, the text is a
 * NUL-terminated prefix of the full escape ending at the last unit
 * boundary that fits, and nothing past dstlen is touched.
 */
ParameterizedTest(int *row, json_writer, escape_truncation)
{
	const struct bytes_case *c = &trunc_cases[*row];
	char full[256], dst[256 + 16], s[SHOW_MAX], what[96];
	size_t need, dstlen, got, want, i;
	bool *start;

	snprintf(what, sizeof(what), "input #%d '%s'", *row, c->name);
	need = json_escape_bytes(full, sizeof(full), c->s, c->n);
	cr_assert_lt(need, sizeof(full), "%s: table input too long", what);
	start = unit_starts(full, need);
	cr_assert_eq(json_escape_bytes(NULL, 0, c->s, c->n), need,
		     "%s: size query differs", what);
	memset(dst, 0x5a, sizeof(dst));
	json_escape_bytes(dst, 0, c->s, c->n);
	cr_assert_eq(dst[0], 0x5a, "%s: dstlen 0 wrote to dst", what);

	for (dstlen = 1; dstlen <= need + 2; dstlen++) {
		memset(dst, 0x5a, sizeof(dst));
		cr_assert_eq(json_escape_bytes(dst, dstlen, c->s, c->n), need,
			     "%s dstlen %zu: wrong length", what, dstlen);
		got = strnlen(dst, dstlen);
		cr_assert_lt(got, dstlen, "%s dstlen %zu: no NUL", what,
			     dstlen);
		want = dstlen - 1 < need ? dstlen - 1 : need;
		while (!start[want])
			want--;
		cr_assert(got == want && !memcmp(dst, full, got),
			  "%s dstlen %zu: got %zu bytes \"%s\", want the %zu-byte prefix",
			  what, dstlen, got, show(s, sizeof(s), dst, got),
			  want);
		for (i = dstlen; i < sizeof(dst); i++)
			cr_assert_eq(dst[i], 0x5a,
				     "%s dstlen %zu: wrote past dst at %zu",
				     what, dstlen, i);
	}
	free(start);
}

/* splitmix64: a fixed, portable sequence */
static uint64_t rnd_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* bytes that stress the escaper, drawn as whole pieces */
static const struct bytes_case pieces[] = {
	{ "", B("\"") }, { "", B("\\") }, { "", B("\n") }, { "", B("\r") },
	{ "", B("\0") }, { "", B("\x7f") }, { "", B("\x1b") },
	{ "", B("\xe2\x80\xa8") }, { "", B("\xe2\x80\xa9") },
	{ "", B("\xc2\x85") }, { "", B("\xc3\xa9") }, { "", B("\xe2\x82\xac") },
	{ "", B("\xf0\x9f\x98\x80") }, { "", B("\xef\xbf\xbd") },
	{ "", B("\xe2\x82") }, { "", B("\xc3") }, { "", B("\xf0\x9f") },
	{ "", B("\xc0\xaf") }, { "", B("\xed\xa0\x80") },
	{ "", B("\xf4\x90\x80\x80") }, { "", B("\\u0000") },
	{ "", B("\",\"x\":\"") },
};

/* fill b with n random bytes: raw bytes, printable ASCII and pieces */
static void random_bytes(uint64_t *state, char *b, size_t n)
{
	const struct bytes_case *p;
	size_t i = 0, k;
	uint64_t r;

	while (i < n) {
		r = rnd_next(state);
		switch (r % 3) {
		case 0:
			b[i++] = (char)(r >> 8);
			break;
		case 1:
			b[i++] = (char)(0x20 + (r >> 8) % 0x5f);
			break;
		default:
			p = &pieces[(r >> 8) % ARRAY_SIZE(pieces)];
			for (k = 0; k < p->n && i < n; k++)
				b[i++] = p->s[k];
		}
	}
}

/*
 * 20000 random byte strings of 0..300 bytes: every output is one line of
 * valid UTF-8 that parses, with one field decoding to the WHATWG decoding
 * of the input.
 */
Test(json_writer, random_strings)
{
	struct jsonw *w = new_writer();
	char in[300], want[900], what[64];
	uint64_t state = 0x5eedULL;
	size_t n, wantlen;
	const struct jv *val;
	struct jv *v;
	int i;

	for (i = 0; i < 20000; i++) {
		n = rnd_next(&state) % (sizeof(in) + 1);
		random_bytes(&state, in, n);
		wantlen = whatwg_decode((unsigned char *)in, n, want);
		snprintf(what, sizeof(what), "random input #%d (%zu bytes)",
			 i, n);

		jsonw_reset(w);
		jsonw_start_object(w, NULL);
		jsonw_string_n(w, "k", in, n);
		jsonw_end_object(w);
		jsonw_newline(w);
		cr_assert_eq(jsonw_error(w), 0, "%s: error %d", what,
			     jsonw_error(w));
		check_line(what, w);
		v = parse_text(what, w);
		cr_assert_eq(jv_len(v), 1, "%s: %zu fields", what, jv_len(v));
		val = jv_get(v, "k");
		cr_assert_eq(jv_type(val), JV_STRING, "%s: no string k", what);
		assert_bytes(what, jv_str(val), jv_strlen(val), want, wantlen);
		jv_free(v);
	}
	jsonw_destroy(w);
}

/* nesting and commas */

Test(json_writer, nested_objects_and_arrays)
{
	struct jsonw *w = new_writer();
	struct jv *v;

	jsonw_start_object(w, NULL);
	jsonw_start_array(w, "a");
	jsonw_start_object(w, NULL);
	jsonw_uint(w, "b", 1);
	jsonw_end_object(w);
	jsonw_start_object(w, NULL);
	jsonw_end_object(w);
	jsonw_start_array(w, NULL);
	jsonw_end_array(w);
	jsonw_end_array(w);
	jsonw_start_array(w, "c");
	jsonw_end_array(w);
	jsonw_start_object(w, "d");
	jsonw_start_object(w, "e");
	jsonw_bool(w, "t", true);
	jsonw_bool(w, "f", false);
	jsonw_null(w, "n");
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	assert_text("nested", w,
		    "{\"a\":[{\"b\":1},{},[]],\"c\":[],"
		    "\"d\":{\"e\":{\"t\":true,\"f\":false,\"n\":null}}}\n");

	v = parse_text("nested", w);
	cr_assert_eq(jv_len(jv_get(v, "a")), 3, "a has 3 elements");
	cr_assert_eq(jv_num(jv_get(jv_at(jv_get(v, "a"), 0), "b")), 1.0,
		     "a[0].b is 1");
	cr_assert_eq(jv_bool(jv_get(v, "d.e.t")), 1, "d.e.t is true");
	cr_assert_eq(jv_type(jv_get(v, "d.e.n")), JV_NULL, "d.e.n is null");
	jv_free(v);
	jsonw_destroy(w);
}

Test(json_writer, empty_containers)
{
	struct jsonw *w = new_writer();

	jsonw_start_object(w, NULL);
	jsonw_end_object(w);
	jsonw_newline(w);
	jsonw_start_array(w, NULL);
	jsonw_end_array(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	assert_text("empty containers", w, "{}\n[]\n");
	jsonw_destroy(w);
}

Test(json_writer, top_level_array_of_values)
{
	struct jsonw *w = new_writer();

	jsonw_start_array(w, NULL);
	jsonw_uint(w, NULL, 1);
	jsonw_string(w, NULL, "x");
	jsonw_string(w, NULL, NULL);
	jsonw_bool(w, NULL, true);
	jsonw_int(w, NULL, -2);
	jsonw_double(w, NULL, 0.25, 2);
	jsonw_end_array(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	assert_text("array", w, "[1,\"x\",null,true,-2,0.25]\n");
	jsonw_destroy(w);
}

Test(json_writer, top_level_scalar_and_lines)
{
	struct jsonw *w = new_writer();

	jsonw_uint(w, NULL, 5);
	jsonw_newline(w);
	jsonw_string(w, NULL, "a\nb");
	jsonw_newline(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	assert_text("scalars", w, "5\n\"a\\nb\"\n\n");
	jsonw_destroy(w);
}

Test(json_writer, depth_32_is_allowed)
{
	struct jsonw *w = new_writer();
	struct jv *v;
	int i;

	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_start_array(w, NULL);
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_end_array(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	cr_assert_eq(jsonw_len(w), 2 * JSONW_MAX_DEPTH + 1, "length");
	v = parse_text("depth 32", w);
	jv_free(v);
	jsonw_destroy(w);
}

Test(json_writer, reset_keeps_working)
{
	struct jsonw *w = new_writer();

	jsonw_start_object(w, NULL);
	jsonw_uint(w, "a", 1);
	jsonw_reset(w);
	cr_assert_eq(jsonw_len(w), 0, "reset empties");
	cr_assert_str_empty(jsonw_data(w), "reset empties");
	jsonw_start_object(w, NULL);
	jsonw_uint(w, "b", 2);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	assert_text("after reset", w, "{\"b\":2}\n");
	jsonw_destroy(w);
}

Test(json_writer, large_string_grows_buffer)
{
	struct jsonw *w = new_writer();
	size_t n = 1 << 20, i;
	char *s = malloc(n);
	const struct jv *val;
	struct jv *v;

	cr_assert_not_null(s);
	for (i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	jsonw_start_object(w, NULL);
	jsonw_string_n(w, "k", s, n);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	cr_assert_eq(jsonw_len(w), n + 9, "length %zu", jsonw_len(w));
	v = parse_text("1 MiB string", w);
	val = jv_get(v, "k");
	assert_bytes("1 MiB string", jv_str(val), jv_strlen(val), s, n);
	jv_free(v);
	free(s);
	jsonw_destroy(w);
}

/* every line length up to 2 KiB, fresh writers: growth at each boundary */
Test(json_writer, lengths_across_growth)
{
	char s[2048], what[48];
	const struct jv *val;
	struct jsonw *w;
	struct jv *v;
	size_t n;

	memset(s, 'a', sizeof(s));
	for (n = 0; n <= sizeof(s); n++) {
		snprintf(what, sizeof(what), "%zu-byte string", n);
		w = new_writer();
		jsonw_start_object(w, NULL);
		jsonw_string_n(w, "k", s, n);
		jsonw_end_object(w);
		jsonw_newline(w);
		cr_assert_eq(jsonw_error(w), 0, "%s: error %d", what,
			     jsonw_error(w));
		cr_assert_eq(jsonw_len(w), n + 9, "%s: length %zu", what,
			     jsonw_len(w));
		cr_assert_eq(strlen(jsonw_data(w)), n + 9, "%s: terminator",
			     what);
		v = parse_text(what, w);
		val = jv_get(v, "k");
		assert_bytes(what, jv_str(val), jv_strlen(val), s, n);
		jv_free(v);
		jsonw_destroy(w);
	}
}

Test(json_writer, destroy_null)
{
	jsonw_destroy(NULL);
}

/* numbers */

Test(json_writer, integers)
{
	static const struct {
		bool is_signed;
		uint64_t u;
		int64_t i;
		const char *want;
	} cases[] = {
		{ false, 0, 0, "0" },
		{ false, 1, 0, "1" },
		{ false, UINT32_MAX, 0, "4294967295" },
		{ false, UINT64_MAX, 0, "18446744073709551615" },
		{ true, 0, 0, "0" },
		{ true, 0, -1, "-1" },
		{ true, 0, INT64_MAX, "9223372036854775807" },
		{ true, 0, INT64_MIN, "-9223372036854775808" },
	};
	struct jsonw *w = new_writer();
	char want[64];
	struct jv *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		jsonw_reset(w);
		jsonw_start_object(w, NULL);
		if (cases[i].is_signed)
			jsonw_int(w, "n", cases[i].i);
		else
			jsonw_uint(w, "n", cases[i].u);
		jsonw_end_object(w);
		jsonw_newline(w);
		snprintf(want, sizeof(want), "{\"n\":%s}\n", cases[i].want);
		cr_assert_eq(jsonw_error(w), 0, "case #%zu: error", i);
		assert_text(cases[i].want, w, want);
		v = parse_text(cases[i].want, w);
		cr_assert_str_eq(jv_numtext(jv_get(v, "n")), cases[i].want,
				 "case #%zu: parsed number text", i);
		jv_free(v);
	}
	jsonw_destroy(w);
}

struct dbl_case {
	double v;
	int decimals;
	const char *want;
};

static struct dbl_case dbl_cases[] = {
	{ 0.5, 3, "0.5" },
	{ 1.0, 3, "1" },
	{ 10.0, 5, "10" },
	{ 100.0, 0, "100" },
	{ 0.000123, 6, "0.000123" },
	{ 0.000123, 9, "0.000123" },
	{ 0.000123, 3, "0" },
	{ 123.456, 1, "123.5" },
	{ 123.456, 0, "123" },
	{ -1.25, 2, "-1.25" },
	{ -1.25, 1, "-1.2" },		/* 1.25 is exact: ties to even */
	{ 0.1, 9, "0.1" },
	{ 1.0 / 3.0, 9, "0.333333333" },
	{ 2.0 / 3.0, 4, "0.6667" },
	{ 0.0, 9, "0" },
	{ -0.0, 3, "0" },
	{ -0.0001, 2, "0" },		/* no "-0" */
	{ -1e-10, 9, "0" },
	{ 1e15, 2, "1000000000000000" },
	{ 99.9999999999, 9, "100" },
	{ NAN, 3, "null" },
	{ INFINITY, 3, "null" },
	{ -INFINITY, 0, "null" },
};

ParameterizedTestParameters(json_writer, doubles)
{
	return sw_rows(ARRAY_SIZE(dbl_cases));
}

ParameterizedTest(int *row, json_writer, doubles)
{
	const struct dbl_case *c = &dbl_cases[*row];
	struct jsonw *w = new_writer();
	char what[80], want[64];
	struct jv *v;

	snprintf(what, sizeof(what), "input #%d: %.17g with %d decimals", *row,
		 c->v, c->decimals);
	jsonw_start_object(w, NULL);
	jsonw_double(w, "d", c->v, c->decimals);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "%s: error %d", what, jsonw_error(w));
	snprintf(want, sizeof(want), "{\"d\":%s}\n", c->want);
	assert_text(what, w, want);
	v = parse_text(what, w);
	jv_free(v);
	jsonw_destroy(w);
}

Test(json_writer, double_max)
{
	struct jsonw *w = new_writer();
	const struct jv *d;
	struct jv *v;

	jsonw_start_array(w, NULL);
	jsonw_double(w, NULL, DBL_MAX, 9);
	jsonw_double(w, NULL, -DBL_MAX, 9);
	jsonw_end_array(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	v = parse_text("DBL_MAX", w);
	d = jv_at(v, 0);
	cr_assert_eq(jv_num(d), DBL_MAX, "DBL_MAX reads back");
	cr_assert_eq(strlen(jv_numtext(d)), 309, "309 digits, no point");
	cr_assert_eq(jv_num(jv_at(v, 1)), -DBL_MAX, "-DBL_MAX reads back");
	jv_free(v);
	jsonw_destroy(w);
}

/*
 * printf's decimal point follows LC_NUMERIC; JSON's does not. Runs in
 * the first locale found (LOCPATH may point at locales built with
 * localedef); ps_AF's point is the two-byte U+066B.
 */
Test(json_writer, double_ignores_locale)
{
	static const char *const locales[] = {
		"ps_AF.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "fr_FR",
	};
	struct jsonw *w;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(locales); i++)
		if (setlocale(LC_NUMERIC, locales[i]))
			break;
	if (i == ARRAY_SIZE(locales))
		cr_skip_test("no locale with a non-'.' decimal point installed");
	w = new_writer();
	jsonw_start_array(w, NULL);
	jsonw_double(w, NULL, -1234.5, 3);
	jsonw_double(w, NULL, 0.25, 2);
	jsonw_double(w, NULL, 7.0, 2);
	jsonw_end_array(w);
	jsonw_newline(w);
	setlocale(LC_NUMERIC, "C");
	cr_assert_eq(jsonw_error(w), 0, "error %d", jsonw_error(w));
	assert_text(locales[i], w, "[-1234.5,0.25,7]\n");
	jsonw_destroy(w);
}

/* sticky errors */

/* a sequence of calls that ends in misuse or a full buffer */
struct misuse_case {
	const char *name;
	void (*script)(struct jsonw *w);
	const char *kept;	/* text left in the buffer */
	int err;
};

static void end_object_at_top(struct jsonw *w)
{
	jsonw_end_object(w);
}

static void end_array_at_top(struct jsonw *w)
{
	jsonw_end_array(w);
}

static void end_object_in_array(struct jsonw *w)
{
	jsonw_start_array(w, NULL);
	jsonw_end_object(w);
}

static void end_array_in_object(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_end_array(w);
}

static void key_at_top(struct jsonw *w)
{
	jsonw_uint(w, "k", 1);
}

static void key_object_at_top(struct jsonw *w)
{
	jsonw_start_object(w, "k");
}

static void key_in_array(struct jsonw *w)
{
	jsonw_start_array(w, NULL);
	jsonw_uint(w, NULL, 1);
	jsonw_string(w, "k", "v");
}

static void no_key_in_object(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_uint(w, "a", 1);
	jsonw_uint(w, NULL, 1);
}

static void no_key_for_array_in_object(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_start_array(w, NULL);
}

static void two_values_one_line(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_end_object(w);
	jsonw_start_object(w, NULL);
}

static void newline_in_object(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_newline(w);
}

static void depth_33(struct jsonw *w)
{
	int i;

	for (i = 0; i <= JSONW_MAX_DEPTH; i++)
		jsonw_start_array(w, NULL);
}

static void decimals_10(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_double(w, "d", 1.0, 10);
}

static void decimals_negative(struct jsonw *w)
{
	jsonw_start_object(w, NULL);
	jsonw_double(w, "d", NAN, -1);
}

static void first_error_wins(struct jsonw *w)
{
	jsonw_set_limit(w, 4);
	jsonw_end_array(w);
	jsonw_string(w, NULL, "longer than the limit");
}

static void limit_string(struct jsonw *w)
{
	jsonw_set_limit(w, 16);
	jsonw_start_object(w, NULL);
	jsonw_string(w, "k", "0123456789abcdef");
}

static void limit_second_field(struct jsonw *w)
{
	jsonw_set_limit(w, 10);
	jsonw_start_object(w, NULL);
	jsonw_uint(w, "a", 1);
	jsonw_uint(w, "b", 12345);
}

static void limit_escapes(struct jsonw *w)
{
	/* 4 bytes of input, 24 escaped */
	jsonw_set_limit(w, 20);
	jsonw_string(w, NULL, "\x01\x02\x03\x04");
}

static void limit_newline(struct jsonw *w)
{
	jsonw_set_limit(w, 7);
	jsonw_start_object(w, NULL);
	jsonw_uint(w, "a", 1);
	jsonw_end_object(w);
	jsonw_newline(w);
}

static struct misuse_case misuse_cases[] = {
	{ "end_object at top", end_object_at_top, "", -EINVAL },
	{ "end_array at top", end_array_at_top, "", -EINVAL },
	{ "end_object in array", end_object_in_array, "[", -EINVAL },
	{ "end_array in object", end_array_in_object, "{", -EINVAL },
	{ "key at top level", key_at_top, "", -EINVAL },
	{ "keyed object at top level", key_object_at_top, "", -EINVAL },
	{ "key in array", key_in_array, "[1", -EINVAL },
	{ "no key in object", no_key_in_object, "{\"a\":1", -EINVAL },
	{ "no key for array in object", no_key_for_array_in_object, "{",
	  -EINVAL },
	{ "two values on one line", two_values_one_line, "{}", -EINVAL },
	{ "newline in object", newline_in_object, "{", -EINVAL },
	{ "depth 33", depth_33, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", -EINVAL },
	{ "10 decimals", decimals_10, "{", -EINVAL },
	{ "-1 decimals", decimals_negative, "{", -EINVAL },
	{ "first error wins", first_error_wins, "", -EINVAL },
	{ "string past the limit", limit_string, "{", -ENOMEM },
	{ "field past the limit", limit_second_field, "{\"a\":1", -ENOMEM },
	{ "escapes past the limit", limit_escapes, "", -ENOMEM },
	{ "newline past the limit", limit_newline, "{\"a\":1}", -ENOMEM },
};

ParameterizedTestParameters(json_writer, sticky_error)
{
	return sw_rows(ARRAY_SIZE(misuse_cases));
}

/*
 * The script fails with the expected error and leaves the text up to the
 * last good call; every later call is a no-op; reset clears it all.
 */
ParameterizedTest(int *row, json_writer, sticky_error)
{
	const struct misuse_case *c = &misuse_cases[*row];
	struct jsonw *w = new_writer();
	char what[128];

	snprintf(what, sizeof(what), "script #%d '%s'", *row, c->name);
	c->script(w);
	cr_assert_eq(jsonw_error(w), c->err, "%s: error %d, want %d", what,
		     jsonw_error(w), c->err);
	assert_text(what, w, c->kept);

	jsonw_set_limit(w, 0);
	jsonw_start_object(w, NULL);
	jsonw_start_object(w, "o");
	jsonw_start_array(w, "a");
	jsonw_string(w, "s", "x");
	jsonw_string_n(w, NULL, "x", 1);
	jsonw_uint(w, NULL, 1);
	jsonw_int(w, "i", -1);
	jsonw_double(w, NULL, 1.5, 1);
	jsonw_bool(w, "b", true);
	jsonw_null(w, NULL);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), c->err,
		     "%s: error changed to %d by later calls", what,
		     jsonw_error(w));
	assert_text(what, w, c->kept);

	jsonw_reset(w);
	cr_assert_eq(jsonw_error(w), 0, "%s: reset keeps the error", what);
	jsonw_start_object(w, NULL);
	jsonw_end_object(w);
	jsonw_newline(w);
	assert_text(what, w, "{}\n");
	jsonw_destroy(w);
}

Test(json_writer, limit_exact_fit)
{
	struct jsonw *w = new_writer();

	jsonw_set_limit(w, 8);
	jsonw_start_object(w, NULL);
	jsonw_uint(w, "a", 1);
	jsonw_end_object(w);
	jsonw_newline(w);
	cr_assert_eq(jsonw_error(w), 0, "8 bytes fit a limit of 8");
	assert_text("exact fit", w, "{\"a\":1}\n");
	jsonw_destroy(w);
}

/* jsonw_seconds writes what jsonw_double(ns / 1e9, 9) did, exactly */
Test(json_writer, seconds_match_the_double_form)
{
	static const uint64_t fixed[] = {
		0, 1, 9, 10, 999999999, 1000000000, 1000000001, 1500000000,
		3273203, 10000000000ULL, 86400000000000ULL, 999999999999999ULL,
	};
	struct jsonw *a = new_writer(), *b = new_writer();
	uint64_t ns, x = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < 20000; i++) {
		if (i < (int)ARRAY_SIZE(fixed)) {
			ns = fixed[i];
		} else {
			/* xorshift: values of every magnitude below 2^50 ns */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			ns = x >> (14 + i % 50);
		}
		jsonw_reset(a);
		jsonw_reset(b);
		jsonw_seconds(a, NULL, ns);
		jsonw_double(b, NULL, (double)ns / 1e9, 9);
		cr_assert_str_eq(jsonw_data(a), jsonw_data(b),
				 "%" PRIu64 " ns: jsonw_seconds wrote %s, the double form %s",
				 ns, jsonw_data(a), jsonw_data(b));
	}
	jsonw_destroy(a);
	jsonw_destroy(b);
}

/* printf's "%.*f" of v, trailing zeros trimmed and "-0" made "0" */
static void printf_fixed(char *out, size_t len, double v, int decimals)
{
	size_t n;

	snprintf(out, len, "%.*f", decimals, v);
	n = strlen(out);
	if (strchr(out, '.')) {
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (!strcmp(out, "-0"))
		strcpy(out, "0");
}

/*
 * jsonw_double writes printf's digits without calling printf where it can:
 * ties (exact halves at the last decimal), values past 2^52 units of the
 * last decimal, and random values of every magnitude and sign agree
 */
Test(json_writer, double_digits_are_printfs)
{
	static const struct { double v; int d; } fixed[] = {
		{ 0.5, 0 }, { 1.5, 0 }, { 2.5, 0 }, { -2.5, 0 }, { 0.125, 2 },
		{ 0.375, 2 }, { 0.0000000005, 9 }, { 0.0000000015, 9 },
		{ 1e-10, 9 }, { -1e-10, 9 }, { 0, 9 }, { -0.0, 3 },
		{ 4503599.627370496, 9 }, { 4503599.627370497, 9 }, { 9e15, 0 },
		{ 4503599627370495.5, 0 }, { 1e300, 3 }, { 0.359159657, 9 },
		{ 0.9999999995, 9 }, { 99.99999999949999, 9 }, { 1.0, 9 },
	};
	struct jsonw *w = new_writer();
	uint64_t x = 0x2545f4914f6cdd1dULL;
	char want[512];
	double v;
	int i, d;

	for (i = 0; i < 200000; i++) {
		if (i < (int)ARRAY_SIZE(fixed)) {
			v = fixed[i].v;
			d = fixed[i].d;
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* mantissa bits of x, exponents from 2^-40 to 2^60 */
			v = ldexp((double)(x >> 11) / 9007199254740992.0,
				  (int)(x % 101) - 40);
			if (x & (1ULL << 10))
				v = -v;
			d = (int)((x >> 4) % 10);
		}
		jsonw_reset(w);
		jsonw_double(w, NULL, v, d);
		printf_fixed(want, sizeof(want), v, d);
		cr_assert_str_eq(jsonw_data(w), want,
				 "%.17g with %d decimals: jsonw_double wrote %s, printf %s",
				 v, d, jsonw_data(w), want);
	}
	jsonw_destroy(w);
}

/* the _k forms, given strlen(key), write what the plain names write */
Test(json_writer, k_forms_match_the_plain_names)
{
	struct jsonw *a = new_writer(), *b = new_writer();

	jsonw_start_object(a, NULL);
	jsonw_start_object_k(b, NULL, 0);
	jsonw_start_object(a, "obj");
	jsonw_start_object_k(b, "obj", 3);
	jsonw_string(a, "s", "value");
	jsonw_string_k(b, "s", 1, "value", 5);
	jsonw_string_n(a, "n", "a\0b", 3);
	jsonw_string_k(b, "n", 1, "a\0b", 3);
	jsonw_string(a, "nul", NULL);
	jsonw_string_k(b, "nul", 3, NULL, 0);
	jsonw_uint(a, "u", UINT64_MAX);
	jsonw_uint_k(b, "u", 1, UINT64_MAX);
	jsonw_int(a, "i", INT64_MIN);
	jsonw_int_k(b, "i", 1, INT64_MIN);
	jsonw_double(a, "d", 2.25, 3);
	jsonw_double_k(b, "d", 1, 2.25, 3);
	jsonw_seconds(a, "t", 1500000001ULL);
	jsonw_seconds_k(b, "t", 1, 1500000001ULL);
	jsonw_bool(a, "b", false);
	jsonw_bool_k(b, "b", 1, false);
	jsonw_null(a, "z");
	jsonw_null_k(b, "z", 1);
	jsonw_end_object(a);
	jsonw_end_object(b);
	jsonw_start_array(a, "arr");
	jsonw_start_array_k(b, "arr", 3);
	jsonw_end_array(a);
	jsonw_end_array(b);
	jsonw_end_object(a);
	jsonw_end_object(b);
	jsonw_newline(a);
	jsonw_newline(b);
	cr_assert_eq(jsonw_error(a), 0);
	cr_assert_eq(jsonw_error(b), 0);
	assert_text("_k forms", b, jsonw_data(a));
	assert_text("plain names", a,
		    "{\"obj\":{\"s\":\"value\",\"n\":\"a\\u0000b\",\"nul\":null,"
		    "\"u\":18446744073709551615,\"i\":-9223372036854775808,"
		    "\"d\":2.25,\"t\":1.500000001,\"b\":false,\"z\":null},"
		    "\"arr\":[]}\n");
	jsonw_destroy(a);
	jsonw_destroy(b);
}

/* a key that is not plain is escaped, by either name, wherever its byte is */
Test(json_writer, k_key_not_plain_is_escaped)
{
	struct jsonw *w = new_writer();

	jsonw_start_object(w, NULL);
	jsonw_string_k(w, "a\"b\n", 4, "v", 1);
	jsonw_uint_k(w, "\xe2\x80\xa8\xff", 4, 1);
	jsonw_bool(w, "c\\d\x7f", true);
	jsonw_end_object(w);
	cr_assert_eq(jsonw_error(w), 0);
	assert_text("keys not plain", w,
		    "{\"a\\\"b\\n\":\"v\",\"\\u2028\xef\xbf\xbd\":1,"
		    "\"c\\\\d\\u007f\":true}");
	jsonw_destroy(w);
}

/*
 * Every byte at every place of keys and values of 1..24 bytes (the
 * eight-at-a-time, four-and-four and byte paths) is escaped as it is alone.
 */
Test(json_writer, plain_scan_every_byte_everywhere)
{
	struct jsonw *w = new_writer();
	char in[24], esc[8], want[320];
	size_t n, pos, elen;
	unsigned int c;

	for (c = 0; c < 256; c++) {
		in[0] = (char)c;
		elen = json_escape_bytes(esc, sizeof(esc), in, 1);
		cr_assert(elen < sizeof(esc));
		for (n = 1; n <= sizeof(in); n++) {
			for (pos = 0; pos < n; pos++) {
				char v[96];
				size_t vl = 0, i;

				memset(in, 'a', sizeof(in));
				in[pos] = (char)c;
				for (i = 0; i < n; i++) {
					if (i == pos) {
						memcpy(v + vl, esc, elen);
						vl += elen;
					} else {
						v[vl++] = 'a';
					}
				}
				v[vl] = '\0';
				snprintf(want, sizeof(want),
					 "{\"%s\":\"%s\",\"%s\":0}", v, v, v);
				jsonw_reset(w);
				jsonw_start_object(w, NULL);
				jsonw_string_k(w, in, n, in, n);
				jsonw_uint_k(w, in, n, 0);
				jsonw_end_object(w);
				cr_assert_eq(jsonw_error(w), 0);
				if (strcmp(jsonw_data(w), want))
					assert_text("byte in key and value", w,
						    want);
			}
		}
	}
	jsonw_destroy(w);
}

/* a record that fits the limit exactly is written; one byte less is not */
Test(json_writer, k_value_at_the_line_limit)
{
	static const char *const keys[] = { "key", "k\te" };
	struct jsonw *w = new_writer();
	char val[64], want[160];
	size_t k, len;

	memset(val, 'x', sizeof(val));
	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		/* the worst case (6 per byte) is past the limit: measured */
		jsonw_reset(w);
		jsonw_set_limit(w, 0);
		jsonw_start_object(w, NULL);
		jsonw_uint(w, "a", 1);
		jsonw_string_k(w, keys[k], 3, val, sizeof(val));
		jsonw_end_object(w);
		cr_assert_eq(jsonw_error(w), 0);
		snprintf(want, sizeof(want), "%s", jsonw_data(w));
		len = jsonw_len(w);

		jsonw_reset(w);
		jsonw_set_limit(w, len);
		jsonw_start_object(w, NULL);
		jsonw_uint(w, "a", 1);
		jsonw_string_k(w, keys[k], 3, val, sizeof(val));
		jsonw_end_object(w);
		cr_assert_eq(jsonw_error(w), 0, "%s: fits %zu", keys[k], len);
		assert_text("exact fit", w, want);

		jsonw_reset(w);
		jsonw_set_limit(w, len - 2);
		jsonw_start_object(w, NULL);
		jsonw_uint(w, "a", 1);
		jsonw_string_k(w, keys[k], 3, val, sizeof(val));
		cr_assert_eq(jsonw_error(w), -ENOMEM);
		assert_text("the value a byte short", w, "{\"a\":1");
		cr_assert_eq(strlen(jsonw_data(w)), jsonw_len(w));
	}
	jsonw_destroy(w);
}

/*
 * A key not plain that fits the limit as it is but not escaped: nothing of
 * it stays, and the text is still ended where it was
 */
Test(json_writer, k_key_not_plain_past_the_limit)
{
	struct jsonw *w = new_writer();

	jsonw_set_limit(w, 11);
	jsonw_start_object(w, NULL);
	jsonw_uint_k(w, "a\x01", 2, 1);
	cr_assert_eq(jsonw_error(w), -ENOMEM);
	assert_text("not plain past the limit", w, "{");

	jsonw_reset(w);
	jsonw_set_limit(w, 12);
	jsonw_start_object(w, NULL);
	jsonw_uint_k(w, "a\x01", 2, 1);
	cr_assert_eq(jsonw_error(w), 0);
	assert_text("not plain at the limit", w, "{\"a\\u0001\":1");
	jsonw_destroy(w);
}

/* the _k forms keep the place rules and the sticky error */
Test(json_writer, k_error_paths)
{
	struct jsonw *w = new_writer();

	jsonw_uint_k(w, "k", 1, 1);
	cr_assert_eq(jsonw_error(w), -EINVAL, "a key at top level");
	assert_text("key at top", w, "");

	jsonw_reset(w);
	jsonw_start_array_k(w, NULL, 0);
	jsonw_string_k(w, "k", 1, "v", 1);
	cr_assert_eq(jsonw_error(w), -EINVAL, "a key in an array");
	assert_text("key in array", w, "[");

	jsonw_reset(w);
	jsonw_start_object_k(w, NULL, 0);
	jsonw_bool_k(w, NULL, 0, true);
	cr_assert_eq(jsonw_error(w), -EINVAL, "no key in an object");
	jsonw_string_k(w, "k", 1, "v", 1);
	jsonw_start_object_k(w, "o", 1);
	cr_assert_eq(jsonw_error(w), -EINVAL, "the first error stays");
	assert_text("no key", w, "{");

	jsonw_reset(w);
	jsonw_start_object_k(w, NULL, 0);
	jsonw_double_k(w, "d", 1, 1.0, 10);
	cr_assert_eq(jsonw_error(w), -EINVAL, "10 decimals");
	assert_text("decimals", w, "{");
	jsonw_destroy(w);
}
