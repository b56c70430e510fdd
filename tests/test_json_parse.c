// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the strict JSON parser the other tests rely on: it must reject
 * every document in the bad table at the byte given there, and accept and
 * decode the good ones.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "json_parse.h"
#include "sw_rows.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* a string literal as pointer and length, embedded NULs included */
#define B(s)		(s), sizeof(s) - 1

/*
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address): the tables hold pointers, so each test gets the index
 * of its row instead.
 */
/* render n bytes for a failure message: \xNN for all but printable ASCII */
static const char *show(char *out, size_t outlen, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 8 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x",
					      c);
	}
	if (i < n)
		o += (size_t)snprintf(out + o, outlen - o, "...");
	out[o] = '\0';
	return out;
}

/* parse text, failing the test with the parser's message */
static struct jv *must_parse(const char *what, const char *text, size_t len)
{
	char err[160], s[512];
	struct jv *v = jv_parse(text, len, err, sizeof(err));

	cr_assert_not_null(v, "%s: rejected (%s): \"%s\"", what, err,
			   show(s, sizeof(s), text, len));
	return v;
}

struct bad_doc {
	const char *why;	/* what makes it invalid */
	const char *text;
	size_t len;
	size_t at;		/* offset the error must name */
};

static struct bad_doc bad_docs[] = {
	/* empty */
	{ "empty document", B(""), 0 },
	{ "whitespace only", B(" \t\r\n"), 4 },

	/* structure */
	{ "trailing comma in array", B("[1,]"), 3 },
	{ "trailing comma in object", B("{\"a\":1,}"), 7 },
	{ "leading comma", B("[,1]"), 1 },
	{ "double comma", B("[1,,2]"), 3 },
	{ "missing comma in array", B("[1 2]"), 3 },
	{ "missing comma in object", B("{\"a\":1 \"b\":2}"), 7 },
	{ "missing colon", B("{\"a\" 1}"), 5 },
	{ "double colon", B("{\"a\"::1}"), 5 },
	{ "unquoted key", B("{a:1}"), 1 },
	{ "number key", B("{1:1}"), 1 },
	{ "single quotes", B("'a'"), 0 },
	{ "unclosed array", B("["), 1 },
	{ "unclosed array after value", B("[1,2"), 4 },
	{ "unclosed object", B("{"), 1 },
	{ "object without value", B("{\"a\":"), 5 },
	{ "object without colon", B("{\"a\""), 4 },
	{ "extra bracket", B("[1]]"), 3 },
	{ "two documents", B("{} {}"), 3 },
	{ "two numbers", B("1 2"), 2 },
	{ "trailing garbage", B("{}x"), 2 },
	{ "trailing NUL", B("{}\0"), 2 },
	{ "block comment", B("/* c */ 1"), 0 },
	{ "line comment", B("// c\n1"), 0 },
	{ "vertical tab is not whitespace", B("\v1"), 0 },
	{ "form feed is not whitespace", B("\f1"), 0 },
	{ "NBSP is not whitespace", B("\xc2\xa0" "1"), 0 },
	{ "byte order mark", B("\xef\xbb\xbf{}"), 0 },

	/* numbers */
	{ "leading zero", B("01"), 0 },
	{ "negative leading zero", B("-01"), 1 },
	{ "double zero in array", B("[00]"), 1 },
	{ "leading zero with fraction", B("01.5"), 0 },
	{ "no fraction digits", B("1."), 2 },
	{ "no fraction digits before exponent", B("-1.e5"), 3 },
	{ "no integer digits", B(".5"), 0 },
	{ "plus sign", B("+1"), 0 },
	{ "minus alone", B("-"), 1 },
	{ "minus then letter", B("-a"), 1 },
	{ "empty exponent", B("1e"), 2 },
	{ "signed empty exponent", B("1e+"), 3 },
	{ "fraction then empty exponent", B("1.5E"), 4 },
	{ "hex", B("0x10"), 1 },
	{ "NaN", B("NaN"), 0 },
	{ "Infinity", B("Infinity"), 0 },
	{ "-Infinity", B("-Infinity"), 1 },
	{ "overflows a double", B("1e400"), 0 },
	{ "overflows negative", B("[-1e400]"), 1 },

	/* literals */
	{ "truncated true", B("tru"), 0 },
	{ "truncated null", B("nul"), 0 },
	{ "capital True", B("True"), 0 },
	{ "capital NULL", B("NULL"), 0 },
	{ "literal with tail", B("nulll"), 4 },
	{ "literal with tail in array", B("[truex]"), 5 },

	/* strings */
	{ "unterminated string", B("\"abc"), 0 },
	{ "unterminated key", B("{\"a"), 1 },
	{ "raw newline", B("\"a\nb\""), 2 },
	{ "raw tab", B("\"a\tb\""), 2 },
	{ "raw 0x01", B("\"\x01\""), 1 },
	{ "raw 0x1f", B("\"\x1f\""), 1 },
	{ "raw NUL", B("\"a\0b\""), 2 },
	{ "raw newline in key", B("{\"a\n\":1}"), 3 },
	{ "unknown escape", B("\"\\x41\""), 2 },
	{ "capital U escape", B("\"\\U0041\""), 2 },
	{ "escape at end", B("\"\\"), 2 },
	{ "short \\u", B("\"\\u12\""), 5 },
	{ "non-hex \\u", B("\"\\u12G4\""), 5 },

	/* surrogate escapes */
	{ "lone high surrogate", B("\"\\ud800\""), 1 },
	{ "lone low surrogate", B("\"\\udc00\""), 1 },
	{ "high then ASCII escape", B("\"\\ud800\\u0041\""), 1 },
	{ "high then raw byte", B("\"\\ud800x\""), 1 },
	{ "high then \\n", B("\"\\ud800\\n\""), 1 },
	{ "two highs", B("\"\\ud800\\ud800\""), 1 },
	{ "reversed pair", B("\"\\udc00\\ud800\""), 1 },
	{ "high at end of key", B("{\"\\udbff\":1}"), 2 },

	/* invalid UTF-8 */
	{ "byte FF", B("\"\xff\""), 1 },
	{ "stray continuation", B("\"\x80\""), 1 },
	{ "overlong slash", B("\"\xc0\xaf\""), 1 },
	{ "overlong 3-byte", B("\"\xe0\x80\xaf\""), 1 },
	{ "overlong 4-byte", B("\"\xf0\x80\x80\xaf\""), 1 },
	{ "encoded surrogate", B("\"\xed\xa0\x80\""), 1 },
	{ "above U+10FFFF", B("\"\xf4\x90\x80\x80\""), 1 },
	{ "F5 lead", B("\"\xf5\x80\x80\x80\""), 1 },
	{ "truncated before quote", B("\"\xe2\x82\""), 1 },
	{ "truncated at end of text", B("\"a\xe2\x82"), 2 },
	{ "invalid UTF-8 in key", B("{\"\xff\":1}"), 2 },
	{ "invalid UTF-8 outside strings", B("[\xc3\xa9]"), 1 },

	/* duplicate keys */
	{ "duplicate key", B("{\"a\":1,\"a\":2}"), 7 },
	{ "duplicate after decoding", B("{\"a\":1,\"\\u0061\":2}"), 7 },
	{ "duplicate empty key", B("{\"\":1,\"\":2}"), 6 },
	{ "duplicate nested", B("{\"o\":{\"b\":1,\"b\":1}}"), 12 },
};

ParameterizedTestParameters(json_parse, rejects)
{
	return sw_rows(ARRAY_SIZE(bad_docs));
}

ParameterizedTest(int *row, json_parse, rejects)
{
	const struct bad_doc *c = &bad_docs[*row];
	char err[160], want[32], s[512];
	struct jv *v;

	v = jv_parse(c->text, c->len, err, sizeof(err));
	cr_assert_null(v, "document #%d (%s) accepted: \"%s\"", *row, c->why,
		       show(s, sizeof(s), c->text, c->len));
	snprintf(want, sizeof(want), "offset %zu: ", c->at);
	cr_assert(!strncmp(err, want, strlen(want)),
		  "document #%d (%s): error \"%s\", want it at offset %zu",
		  *row, c->why, err, c->at);
}

struct good_doc {
	const char *why;	/* what it shows the parser accepts */
	const char *text;
	size_t len;
	enum jv_type type;	/* of the top value */
};

static struct good_doc good_docs[] = {
	/* scalars */
	{ "zero", B("0"), JV_NUMBER },
	{ "negative zero", B("-0"), JV_NUMBER },
	{ "fraction and exponent", B("-12.5e-3"), JV_NUMBER },
	{ "capital exponent with sign", B("1E+2"), JV_NUMBER },
	{ "underflow to zero", B("1e-400"), JV_NUMBER },
	{ "uint64 max", B("18446744073709551615"), JV_NUMBER },
	{ "true", B("true"), JV_BOOL },
	{ "false", B("false"), JV_BOOL },
	{ "null", B("null"), JV_NULL },
	{ "empty string", B("\"\""), JV_STRING },

	/* strings */
	{ "escaped NUL", B("\"\\u0000\""), JV_STRING },
	{ "surrogate pair", B("\"\\ud83d\\ude00\""), JV_STRING },
	{ "upper-case hex", B("\"\\uDBFF\\uDFFF\""), JV_STRING },
	{ "escaped slash", B("\"\\/\""), JV_STRING },
	{ "raw DEL", B("\"\x7f\""), JV_STRING },
	{ "raw U+10FFFF", B("\"\xf4\x8f\xbf\xbf\""), JV_STRING },
	{ "raw U+FFFD", B("\"\xef\xbf\xbd\""), JV_STRING },
	{ "raw U+2028", B("\"\xe2\x80\xa8\""), JV_STRING },
	{ "raw BOM inside a string", B("\"\xef\xbb\xbf\""), JV_STRING },

	/* containers */
	{ "empty array", B("[]"), JV_ARRAY },
	{ "empty object", B("{}"), JV_OBJECT },
	{ "all whitespace kinds", B(" \t\r\n[ 1 , 2 ]\r\n"), JV_ARRAY },
	{ "nested", B("{\"a\":{\"b\":[true,false,null]}}"), JV_OBJECT },
	{ "empty key", B("{\"\":1}"), JV_OBJECT },
	{ "keys differ in case", B("{\"a\":1,\"A\":2}"), JV_OBJECT },
	{ "same key in two objects", B("{\"a\":1,\"b\":{\"a\":2}}"),
	  JV_OBJECT },
	{ "equal strings in an array", B("[\"a\",\"a\"]"), JV_ARRAY },
	{ "nested empty arrays", B("[[[]]]"), JV_ARRAY },
	{ "a writer line", B("{\"k\":\"v\"}\n"), JV_OBJECT },
};

ParameterizedTestParameters(json_parse, accepts)
{
	return sw_rows(ARRAY_SIZE(good_docs));
}

ParameterizedTest(int *row, json_parse, accepts)
{
	const struct good_doc *c = &good_docs[*row];
	char what[96];
	struct jv *v;

	snprintf(what, sizeof(what), "document #%d (%s)", *row, c->why);
	v = must_parse(what, c->text, c->len);
	cr_assert_eq(jv_type(v), c->type, "%s: type %d, want %d", what,
		     jv_type(v), c->type);
	jv_free(v);
}

struct decode_case {
	const char *text;	/* a JSON string */
	size_t len;
	const char *want;	/* its decoded bytes */
	size_t wantlen;
};

static struct decode_case decode_cases[] = {
	{ B("\"abc\""), B("abc") },
	{ B("\"\\u00e9\""), B("\xc3\xa9") },
	{ B("\"\\u20AC\""), B("\xe2\x82\xac") },
	{ B("\"\\ud83d\\ude00\""), B("\xf0\x9f\x98\x80") },
	{ B("\"\\uDBFF\\uDFFF\""), B("\xf4\x8f\xbf\xbf") },
	{ B("\"\\u0000\""), B("\0") },
	{ B("\"a\\u0000b\""), B("a\0b") },
	{ B("\"\\u2028\\u2029\""), B("\xe2\x80\xa8\xe2\x80\xa9") },
	{ B("\"\\u007f\\u0085\""), B("\x7f\xc2\x85") },
	{ B("\"\\b\\f\\n\\r\\t\\\"\\\\\\/\""), B("\b\f\n\r\t\"\\/") },
	{ B("\"raw \xc3\xa9 \xf0\x9f\x98\x80\""),
	  B("raw \xc3\xa9 \xf0\x9f\x98\x80") },
	{ B("\"\\\\u0041\""), B("\\u0041") },
};

ParameterizedTestParameters(json_parse, decodes)
{
	return sw_rows(ARRAY_SIZE(decode_cases));
}

ParameterizedTest(int *row, json_parse, decodes)
{
	const struct decode_case *c = &decode_cases[*row];
	char what[64], g[512], e[512];
	struct jv *v;

	snprintf(what, sizeof(what), "string #%d", *row);
	v = must_parse(what, c->text, c->len);
	cr_assert_eq(jv_type(v), JV_STRING, "%s: not a string", what);
	cr_assert(jv_strlen(v) == c->wantlen &&
		  !memcmp(jv_str(v), c->want, c->wantlen),
		  "%s: got \"%s\", want \"%s\"", what,
		  show(g, sizeof(g), jv_str(v), jv_strlen(v)),
		  show(e, sizeof(e), c->want, c->wantlen));
	cr_assert_eq(jv_str(v)[jv_strlen(v)], '\0', "%s: not terminated",
		     what);
	jv_free(v);
}

/* n nested arrays, or objects {"a":...}, around 0 */
static char *nest(int n, bool objects, size_t *len)
{
	size_t cap = (size_t)n * 6 + 2, o = 0;
	char *s = malloc(cap);
	int i;

	cr_assert_not_null(s);
	for (i = 0; i < n; i++)
		o += (size_t)sprintf(s + o, objects ? "{\"a\":" : "[");
	s[o++] = '0';
	for (i = 0; i < n; i++)
		s[o++] = objects ? '}' : ']';
	*len = o;
	return s;
}

Test(json_parse, depth_limit)
{
	char err[160], want[32];
	struct jv *v;
	size_t len;
	char *s;
	int k;

	for (k = 0; k < 2; k++) {
		s = nest(JV_MAX_DEPTH, k, &len);
		v = must_parse(k ? "64 objects" : "64 arrays", s, len);
		jv_free(v);
		free(s);

		s = nest(JV_MAX_DEPTH + 1, k, &len);
		v = jv_parse(s, len, err, sizeof(err));
		cr_assert_null(v, "%s: 65 levels accepted",
			       k ? "objects" : "arrays");
		/* the 65th container starts at byte 64 or 64 * 5 */
		snprintf(want, sizeof(want), "offset %d: ",
			 JV_MAX_DEPTH * (k ? 5 : 1));
		cr_assert(!strncmp(err, want, strlen(want)),
			  "%s: error \"%s\", want %s", k ? "objects" : "arrays",
			  err, want);
		free(s);
	}
}

Test(json_parse, accessors)
{
	static const char doc[] =
		"{\"z\":1,\"a\":[1,\"x\",null],\"m\":{\"k\":true,\"f\":false},"
		"\"s\":\"str\"}";
	struct jv *v = must_parse("doc", doc, strlen(doc));
	const struct jv *a = jv_get(v, "a");

	/* key order is the text's */
	cr_assert_eq(jv_len(v), 4, "4 members");
	cr_assert_str_eq(jv_key_at(v, 0), "z", "key 0");
	cr_assert_str_eq(jv_key_at(v, 1), "a", "key 1");
	cr_assert_str_eq(jv_key_at(v, 2), "m", "key 2");
	cr_assert_str_eq(jv_key_at(v, 3), "s", "key 3");
	cr_assert_eq(jv_keylen_at(v, 3), 1, "key 3 length");
	cr_assert_null(jv_key_at(v, 4), "key 4 is out of range");
	cr_assert_null(jv_val_at(v, 4), "value 4 is out of range");
	cr_assert_eq(jv_val_at(v, 1), a, "value 1 is a");

	/* arrays */
	cr_assert_eq(jv_len(a), 3, "a has 3 elements");
	cr_assert_eq(jv_num(jv_at(a, 0)), 1.0, "a[0]");
	cr_assert_str_eq(jv_str(jv_at(a, 1)), "x", "a[1]");
	cr_assert_eq(jv_type(jv_at(a, 2)), JV_NULL, "a[2]");
	cr_assert_null(jv_at(a, 3), "a[3] is out of range");

	/* dotted paths */
	cr_assert_eq(jv_bool(jv_get(v, "m.k")), 1, "m.k");
	cr_assert_eq(jv_bool(jv_get(v, "m.f")), 0, "m.f");
	cr_assert_null(jv_get(v, "m.x"), "m.x is absent");
	cr_assert_null(jv_get(v, "z.k"), "z is not an object");
	cr_assert_null(jv_get(v, "m."), "empty last segment");
	cr_assert_null(jv_get(v, ""), "empty path");

	/* wrong types give the "not this type" answers */
	cr_assert_null(jv_str(jv_get(v, "z")), "number is not a string");
	cr_assert_eq(jv_strlen(jv_get(v, "z")), 0, "number has no strlen");
	cr_assert(isnan(jv_num(jv_get(v, "s"))), "string is not a number");
	cr_assert_null(jv_numtext(jv_get(v, "s")), "string has no numtext");
	cr_assert_eq(jv_bool(jv_get(v, "z")), -1, "number is not a bool");
	cr_assert_eq(jv_len(jv_get(v, "s")), 0, "string has no elements");
	cr_assert_null(jv_at(v, 0), "object is not an array");
	cr_assert_null(jv_key_at(a, 0), "array has no keys");

	/* NULL is absent, and distinct from a JSON null */
	cr_assert_eq(jv_type(NULL), JV_ABSENT, "jv_type(NULL)");
	cr_assert_neq(jv_type(NULL), JV_NULL, "absent is not null");
	cr_assert_null(jv_str(NULL), "jv_str(NULL)");
	cr_assert(isnan(jv_num(NULL)), "jv_num(NULL)");
	cr_assert_eq(jv_bool(NULL), -1, "jv_bool(NULL)");
	cr_assert_eq(jv_len(NULL), 0, "jv_len(NULL)");
	cr_assert_null(jv_get(NULL, "a"), "jv_get(NULL)");
	jv_free(v);
	jv_free(NULL);
}

Test(json_parse, numbers_keep_their_text)
{
	static const char doc[] =
		"[18446744073709551615,-9223372036854775808,-0,1.5e-3]";
	struct jv *v = must_parse("numbers", doc, strlen(doc));

	cr_assert_str_eq(jv_numtext(jv_at(v, 0)), "18446744073709551615",
			 "uint64 max text");
	cr_assert_eq(jv_num(jv_at(v, 0)), 18446744073709551615.0,
		     "uint64 max value");
	cr_assert_str_eq(jv_numtext(jv_at(v, 1)), "-9223372036854775808",
			 "int64 min text");
	cr_assert(jv_num(jv_at(v, 2)) == 0 && signbit(jv_num(jv_at(v, 2))),
		  "-0 keeps its sign");
	cr_assert_eq(jv_num(jv_at(v, 3)), 0.0015, "1.5e-3");
	jv_free(v);
}

Test(json_parse, key_with_nul)
{
	static const char doc[] = "{\"a\\u0000b\":1,\"a\":2}";
	struct jv *v = must_parse("NUL key", doc, strlen(doc));

	cr_assert_eq(jv_keylen_at(v, 0), 3, "key 0 is 3 bytes");
	cr_assert(!memcmp(jv_key_at(v, 0), "a\0b", 3), "key 0 bytes");
	cr_assert_eq(jv_num(jv_get(v, "a")), 2.0, "\"a\" is the second key");
	jv_free(v);
}

Test(json_parse, length_is_respected)
{
	static const char text[] = "[1]xyz";
	struct jv *v = must_parse("prefix", text, 3);

	cr_assert_eq(jv_len(v), 1, "parsed only the first 3 bytes");
	jv_free(v);
}

Test(json_parse, error_buffer)
{
	char err[8];

	memset(err, 'x', sizeof(err));
	cr_assert_null(jv_parse("[1,]", 4, err, sizeof(err)), "rejected");
	cr_assert_eq(err[sizeof(err) - 1], '\0', "message cut to errlen");
	cr_assert_str_eq(err, "offset ", "message prefix");
	cr_assert_null(jv_parse("[1,]", 4, NULL, 0), "no error buffer");
	cr_assert_null(jv_parse(NULL, 0, err, sizeof(err)), "NULL text");
}
