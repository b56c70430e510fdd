// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Strict JSON parser for the tests: see json_parse.h for what it rejects.
 * Recursive descent; the recursion is bounded by JV_MAX_DEPTH.
 */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse.h"

struct parser {
	const unsigned char *s;
	size_t len;
	size_t pos;		/* next byte to read */
	char *err;
	size_t errlen;
	bool failed;
};

/* a growable byte buffer, always NUL-terminated once used */
struct sbuf {
	char *b;
	size_t len;
	size_t cap;
};

static struct jv *parse_value(struct parser *ps, unsigned int depth);

/* record the first error with the byte offset at; returns NULL */
__attribute__((format(printf, 3, 4)))
static void *fail_at(struct parser *ps, size_t at, const char *fmt, ...)
{
	char msg[128];
	va_list ap;

	if (ps->failed)
		return NULL;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->err && ps->errlen)
		snprintf(ps->err, ps->errlen, "offset %zu: %s", at, msg);
	return NULL;
}

/* the error for the byte at the current position, or the end of input */
static void *fail_here(struct parser *ps, const char *what)
{
	if (ps->pos >= ps->len)
		return fail_at(ps, ps->pos, "%s, got end of input", what);
	return fail_at(ps, ps->pos, "%s, got byte 0x%02x", what,
		       ps->s[ps->pos]);
}

/* append n bytes; 0 or -1 on ENOMEM */
static int sb_put(struct sbuf *sb, const void *p, size_t n)
{
	size_t cap = sb->cap ? sb->cap : 16;
	char *b;

	while (cap < sb->len + n + 1)
		cap *= 2;
	if (cap != sb->cap) {
		b = realloc(sb->b, cap);
		if (!b)
			return -1;
		sb->b = b;
		sb->cap = cap;
	}
	memcpy(sb->b + sb->len, p, n);
	sb->len += n;
	sb->b[sb->len] = '\0';
	return 0;
}

/* is the next byte c */
static bool peek(const struct parser *ps, unsigned char c)
{
	return ps->pos < ps->len && ps->s[ps->pos] == c;
}

/* is the next byte an ASCII digit */
static bool peek_digit(const struct parser *ps)
{
	return ps->pos < ps->len && ps->s[ps->pos] >= '0' &&
	       ps->s[ps->pos] <= '9';
}

/* skip the four whitespace bytes of RFC 8259 */
static void skip_ws(struct parser *ps)
{
	while (ps->pos < ps->len) {
		unsigned char c = ps->s[ps->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		ps->pos++;
	}
}

/*
 * Length of the well-formed UTF-8 sequence (RFC 3629 section 4) of 2..4
 * bytes at s, or 0 if it is ill-formed.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* append code point cp (not a surrogate) as UTF-8; 0 or -1 */
static int put_utf8(struct sbuf *sb, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return sb_put(sb, b, n);
}

/* value of a hex digit, -1 if c is not one */
static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* read "uXXXX" at the position (after the backslash); 0 or -1 */
static int parse_u4(struct parser *ps, uint32_t *u)
{
	int i, d;

	if (!peek(ps, 'u')) {
		fail_here(ps, "expected 'u'");
		return -1;
	}
	ps->pos++;
	*u = 0;
	for (i = 0; i < 4; i++) {
		if (ps->pos >= ps->len || (d = hexval(ps->s[ps->pos])) < 0) {
			fail_here(ps, "expected a hex digit in \\u escape");
			return -1;
		}
		*u = (*u << 4) | (uint32_t)d;
		ps->pos++;
	}
	return 0;
}

/* append cp as UTF-8, recording ENOMEM against offset at; 0 or -1 */
static int put_cp(struct parser *ps, struct sbuf *sb, uint32_t cp, size_t at)
{
	if (put_utf8(sb, cp)) {
		fail_at(ps, at, "out of memory");
		return -1;
	}
	return 0;
}

/* decode a \u escape, pairing surrogates; at is the backslash; 0 or -1 */
static int parse_unicode(struct parser *ps, struct sbuf *sb, size_t at)
{
	uint32_t hi, lo;

	if (parse_u4(ps, &hi))
		return -1;
	if (hi >= 0xdc00 && hi <= 0xdfff) {
		fail_at(ps, at, "unpaired low surrogate \\u%04x", hi);
		return -1;
	}
	if (hi < 0xd800 || hi > 0xdbff)
		return put_cp(ps, sb, hi, at);
	/* a high surrogate must be followed by a \u low surrogate */
	if (ps->len - ps->pos < 2 || ps->s[ps->pos] != '\\' ||
	    ps->s[ps->pos + 1] != 'u') {
		fail_at(ps, at, "unpaired high surrogate \\u%04x", hi);
		return -1;
	}
	ps->pos++;
	if (parse_u4(ps, &lo))
		return -1;
	if (lo < 0xdc00 || lo > 0xdfff) {
		fail_at(ps, at, "unpaired high surrogate \\u%04x", hi);
		return -1;
	}
	return put_cp(ps, sb, 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00),
		      at);
}

/* the byte a one-letter escape stands for, 0 if c is not one */
static char simple_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return '"';
	case '\\':
		return '\\';
	case '/':
		return '/';
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	}
	return 0;
}

/* decode an escape at the position (a backslash); 0 or -1 */
static int parse_escape(struct parser *ps, struct sbuf *sb)
{
	size_t at = ps->pos++;
	char c;

	if (ps->pos >= ps->len) {
		fail_here(ps, "unterminated escape");
		return -1;
	}
	if (ps->s[ps->pos] == 'u')
		return parse_unicode(ps, sb, at);
	c = simple_escape(ps->s[ps->pos]);
	if (!c) {
		fail_here(ps, "invalid escape");
		return -1;
	}
	ps->pos++;
	if (sb_put(sb, &c, 1)) {
		fail_at(ps, at, "out of memory");
		return -1;
	}
	return 0;
}

/* copy the raw string byte(s) at the position; 0 or -1 */
static int parse_raw(struct parser *ps, struct sbuf *sb)
{
	unsigned char c = ps->s[ps->pos];
	size_t n = 1;

	if (c < 0x20) {
		fail_at(ps, ps->pos, "raw control byte 0x%02x in string", c);
		return -1;
	}
	if (c >= 0x80) {
		n = utf8_len(ps->s + ps->pos, ps->len - ps->pos);
		if (!n) {
			fail_at(ps, ps->pos, "invalid UTF-8 at byte 0x%02x", c);
			return -1;
		}
	}
	if (sb_put(sb, ps->s + ps->pos, n)) {
		fail_at(ps, ps->pos, "out of memory");
		return -1;
	}
	ps->pos += n;
	return 0;
}

/* parse a string at the position (a '"'); 0 with *out malloc'd, or -1 */
static int parse_string(struct parser *ps, char **out, size_t *outlen)
{
	struct sbuf sb = { 0 };
	size_t start = ps->pos++;
	int ret = 0;

	for (;;) {
		if (ps->pos >= ps->len) {
			fail_at(ps, start, "unterminated string");
			ret = -1;
		} else if (ps->s[ps->pos] == '"') {
			ps->pos++;
			break;
		} else if (ps->s[ps->pos] == '\\') {
			ret = parse_escape(ps, &sb);
		} else {
			ret = parse_raw(ps, &sb);
		}
		if (ret)
			break;
	}
	if (!ret && !sb.b && sb_put(&sb, "", 0)) {
		fail_at(ps, start, "out of memory");
		ret = -1;
	}
	if (ret) {
		free(sb.b);
		return -1;
	}
	*out = sb.b;
	*outlen = sb.len;
	return 0;
}

/* a fresh value of type t, or NULL (error recorded) */
static struct jv *new_value(struct parser *ps, enum jv_type t)
{
	struct jv *v = calloc(1, sizeof(*v));

	if (!v)
		return fail_at(ps, ps->pos, "out of memory");
	v->type = t;
	return v;
}

/* skip digits; false if there was none */
static bool skip_digits(struct parser *ps)
{
	size_t start = ps->pos;

	while (peek_digit(ps))
		ps->pos++;
	return ps->pos > start;
}

/* check the number grammar, leaving the position after it; 0 or -1 */
static int scan_number(struct parser *ps)
{
	if (peek(ps, '-'))
		ps->pos++;
	if (peek(ps, '0')) {
		ps->pos++;
		if (peek_digit(ps)) {
			fail_at(ps, ps->pos - 1, "leading zero");
			return -1;
		}
	} else if (!skip_digits(ps)) {
		fail_here(ps, "expected a digit");
		return -1;
	}
	if (peek(ps, '.')) {
		ps->pos++;
		if (!skip_digits(ps)) {
			fail_here(ps, "expected a digit after '.'");
			return -1;
		}
	}
	if (peek(ps, 'e') || peek(ps, 'E')) {
		ps->pos++;
		if (peek(ps, '+') || peek(ps, '-'))
			ps->pos++;
		if (!skip_digits(ps)) {
			fail_here(ps, "expected a digit in the exponent");
			return -1;
		}
	}
	return 0;
}

/* parse a number at the position */
static struct jv *parse_number(struct parser *ps)
{
	size_t start = ps->pos, n;
	struct jv *v;

	if (scan_number(ps))
		return NULL;
	v = new_value(ps, JV_NUMBER);
	if (!v)
		return NULL;
	n = ps->pos - start;
	v->numtext = malloc(n + 1);
	if (!v->numtext) {
		jv_free(v);
		return fail_at(ps, start, "out of memory");
	}
	memcpy(v->numtext, ps->s + start, n);
	v->numtext[n] = '\0';
	v->num = strtod(v->numtext, NULL);
	if (!isfinite(v->num)) {
		jv_free(v);
		return fail_at(ps, start, "number out of range");
	}
	return v;
}

/* parse true, false or null at the position */
static struct jv *parse_literal(struct parser *ps)
{
	static const struct {
		const char *text;
		enum jv_type type;
		int boolean;
	} lits[] = {
		{ "true", JV_BOOL, 1 },
		{ "false", JV_BOOL, 0 },
		{ "null", JV_NULL, 0 },
	};
	struct jv *v;
	size_t i, n;

	for (i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
		n = strlen(lits[i].text);
		if (ps->len - ps->pos < n ||
		    memcmp(ps->s + ps->pos, lits[i].text, n))
			continue;
		v = new_value(ps, lits[i].type);
		if (v) {
			v->boolean = lits[i].boolean;
			ps->pos += n;
		}
		return v;
	}
	return fail_at(ps, ps->pos, "invalid literal");
}

/* parse an array at the position (a '[') */
static struct jv *parse_array(struct parser *ps, unsigned int depth)
{
	struct jv *v, *item, **items;

	if (depth >= JV_MAX_DEPTH)
		return fail_at(ps, ps->pos, "nesting deeper than %d",
			       JV_MAX_DEPTH);
	v = new_value(ps, JV_ARRAY);
	if (!v)
		return NULL;
	ps->pos++;
	skip_ws(ps);
	if (peek(ps, ']')) {
		ps->pos++;
		return v;
	}
	for (;;) {
		skip_ws(ps);
		if (peek(ps, ']'))
			goto err_trailing;
		item = parse_value(ps, depth + 1);
		if (!item)
			goto err;
		items = realloc(v->items, (v->n + 1) * sizeof(*items));
		if (!items) {
			jv_free(item);
			fail_at(ps, ps->pos, "out of memory");
			goto err;
		}
		v->items = items;
		v->items[v->n++] = item;
		skip_ws(ps);
		if (peek(ps, ']'))
			break;
		if (!peek(ps, ',')) {
			fail_here(ps, "expected ',' or ']'");
			goto err;
		}
		ps->pos++;
	}
	ps->pos++;
	return v;
err_trailing:
	fail_at(ps, ps->pos, "trailing comma");
err:
	jv_free(v);
	return NULL;
}

/* is key already a member of object v */
static bool has_key(const struct jv *v, const char *key, size_t keylen)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->members[i].keylen == keylen &&
		    !memcmp(v->members[i].key, key, keylen))
			return true;
	return false;
}

/* parse one "key": value member into object v; 0 or -1 */
static int parse_member(struct parser *ps, struct jv *v, unsigned int depth)
{
	struct jv_member *m;
	size_t at = ps->pos, keylen;
	struct jv *val;
	char *key;

	if (!peek(ps, '"')) {
		fail_here(ps, "expected a string key");
		return -1;
	}
	if (parse_string(ps, &key, &keylen))
		return -1;
	if (has_key(v, key, keylen)) {
		free(key);
		fail_at(ps, at, "duplicate key");
		return -1;
	}
	skip_ws(ps);
	if (!peek(ps, ':')) {
		free(key);
		fail_here(ps, "expected ':'");
		return -1;
	}
	ps->pos++;
	val = parse_value(ps, depth);
	if (!val) {
		free(key);
		return -1;
	}
	m = realloc(v->members, (v->n + 1) * sizeof(*m));
	if (!m) {
		free(key);
		jv_free(val);
		fail_at(ps, ps->pos, "out of memory");
		return -1;
	}
	v->members = m;
	m[v->n].key = key;
	m[v->n].keylen = keylen;
	m[v->n].val = val;
	v->n++;
	return 0;
}

/* parse an object at the position (a '{') */
static struct jv *parse_object(struct parser *ps, unsigned int depth)
{
	struct jv *v;

	if (depth >= JV_MAX_DEPTH)
		return fail_at(ps, ps->pos, "nesting deeper than %d",
			       JV_MAX_DEPTH);
	v = new_value(ps, JV_OBJECT);
	if (!v)
		return NULL;
	ps->pos++;
	skip_ws(ps);
	if (peek(ps, '}')) {
		ps->pos++;
		return v;
	}
	for (;;) {
		skip_ws(ps);
		if (peek(ps, '}')) {
			fail_at(ps, ps->pos, "trailing comma");
			goto err;
		}
		if (parse_member(ps, v, depth + 1))
			goto err;
		skip_ws(ps);
		if (peek(ps, '}'))
			break;
		if (!peek(ps, ',')) {
			fail_here(ps, "expected ',' or '}'");
			goto err;
		}
		ps->pos++;
	}
	ps->pos++;
	return v;
err:
	jv_free(v);
	return NULL;
}

/* parse a string value at the position */
static struct jv *parse_string_value(struct parser *ps)
{
	struct jv *v = new_value(ps, JV_STRING);

	if (v && parse_string(ps, &v->str, &v->slen)) {
		jv_free(v);
		return NULL;
	}
	return v;
}

/* parse any value after optional whitespace; depth containers are open */
static struct jv *parse_value(struct parser *ps, unsigned int depth)
{
	skip_ws(ps);
	if (ps->pos >= ps->len)
		return fail_here(ps, "expected a value");
	switch (ps->s[ps->pos]) {
	case '{':
		return parse_object(ps, depth);
	case '[':
		return parse_array(ps, depth);
	case '"':
		return parse_string_value(ps);
	case 't':
	case 'f':
	case 'n':
		return parse_literal(ps);
	case '-':
	case '0' ... '9':
		return parse_number(ps);
	}
	return fail_here(ps, "expected a value");
}

struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser ps = {
		.s = (const unsigned char *)text,
		.len = text ? len : 0,
		.err = err,
		.errlen = errlen,
	};
	struct jv *v;

	if (err && errlen)
		err[0] = '\0';
	v = parse_value(&ps, 0);
	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.pos != ps.len) {
		fail_here(&ps, "expected end of input");
		jv_free(v);
		return NULL;
	}
	return v;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v->type == JV_ARRAY && i < v->n; i++)
		jv_free(v->items[i]);
	for (i = 0; v->type == JV_OBJECT && i < v->n; i++) {
		free(v->members[i].key);
		jv_free(v->members[i].val);
	}
	free(v->items);
	free(v->members);
	free(v->numtext);
	free(v->str);
	free(v);
}

/* the value of the member of obj whose key is the n bytes at key */
static const struct jv *member(const struct jv *obj, const char *key,
			       size_t n)
{
	size_t i;

	if (!obj || obj->type != JV_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (obj->members[i].keylen == n &&
		    !memcmp(obj->members[i].key, key, n))
			return obj->members[i].val;
	return NULL;
}

const struct jv *jv_get(const struct jv *obj, const char *dotted)
{
	const char *dot;
	size_t n;

	for (;;) {
		dot = strchr(dotted, '.');
		n = dot ? (size_t)(dot - dotted) : strlen(dotted);
		obj = member(obj, dotted, n);
		if (!obj || !dot)
			return obj;
		dotted = dot + 1;
	}
}

const char *jv_str(const struct jv *v)
{
	return v && v->type == JV_STRING ? v->str : NULL;
}

size_t jv_strlen(const struct jv *v)
{
	return v && v->type == JV_STRING ? v->slen : 0;
}

double jv_num(const struct jv *v)
{
	return v && v->type == JV_NUMBER ? v->num : NAN;
}

const char *jv_numtext(const struct jv *v)
{
	return v && v->type == JV_NUMBER ? v->numtext : NULL;
}

int jv_bool(const struct jv *v)
{
	return v && v->type == JV_BOOL ? v->boolean : -1;
}

size_t jv_len(const struct jv *v)
{
	if (!v || (v->type != JV_ARRAY && v->type != JV_OBJECT))
		return 0;
	return v->n;
}

const struct jv *jv_at(const struct jv *arr, size_t i)
{
	if (!arr || arr->type != JV_ARRAY || i >= arr->n)
		return NULL;
	return arr->items[i];
}

const char *jv_key_at(const struct jv *obj, size_t i)
{
	if (!obj || obj->type != JV_OBJECT || i >= obj->n)
		return NULL;
	return obj->members[i].key;
}

size_t jv_keylen_at(const struct jv *obj, size_t i)
{
	if (!obj || obj->type != JV_OBJECT || i >= obj->n)
		return 0;
	return obj->members[i].keylen;
}

const struct jv *jv_val_at(const struct jv *obj, size_t i)
{
	if (!obj || obj->type != JV_OBJECT || i >= obj->n)
		return NULL;
	return obj->members[i].val;
}

enum jv_type jv_type(const struct jv *v)
{
	return v ? v->type : JV_ABSENT;
}
