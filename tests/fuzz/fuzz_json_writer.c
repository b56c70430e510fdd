// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for user/json_writer.c. The input is a little program:
 * byte 0 picks the top-level value, then each op byte writes a string
 * (length byte + bytes; keys are the NUL-free part of their own piece,
 * prefixed "k<n>:" so they stay unique), opens or closes an object or
 * array, or writes a number, bool or null. The line is then checked:
 * strict JSON (tests/helpers jv_parse), valid UTF-8, no raw control bytes,
 * C1 or U+2028/9, one '\n' at the very end; every decoded key and string
 * must equal the WHATWG UTF-8 decoding of its input bytes (so valid UTF-8
 * round-trips exactly), numbers must read back. The same program is run
 * again under a byte limit (the output must be a prefix of the full one),
 * and json_escape_bytes() is checked for its cut-short contract.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Iuser \
 *   -Itests/helpers tests/fuzz/fuzz_json_writer.c user/json_writer.c \
 *   user/json_parse.c -o /tmp/fuzz_json_writer -lm
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "json_parse.h"
#include "json_writer.h"

#define KEY_PART_MAX	64

enum ev_type { EV_OBJ, EV_ARR, EV_END, EV_STR, EV_UINT, EV_INT, EV_DBL,
	       EV_BOOL, EV_NULL };

/* one call made to the writer, for comparing with the parsed line */
struct ev {
	enum ev_type type;
	bool has_key;
	unsigned int kno;		/* the "k<n>:" of the key */
	const uint8_t *key;		/* NUL-free part, klen bytes */
	size_t klen;
	const uint8_t *s;		/* EV_STR */
	size_t n;
	uint64_t u;			/* EV_UINT, EV_BOOL */
	int64_t i;			/* EV_INT */
	double d;			/* EV_DBL */
	int decimals;
};

struct evs {
	struct ev *v;
	size_t n, cap;
};

static void ev_add(struct evs *e, const struct ev *x)
{
	if (!e)
		return;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = realloc(e->v, e->cap * sizeof(*e->v));
		check(e->v);
	}
	e->v[e->n++] = *x;
}

/* the output line: valid UTF-8, no raw control byte, C1, U+2028/9, one
 * '\n' at the end */
static void check_line_bytes(const char *text, size_t len)
{
	const uint8_t *p = (const uint8_t *)text;
	size_t i;

	check(len >= 2);
	check(text[len] == '\0');
	check(text[len - 1] == '\n');
	check(utf8_valid(p, len));
	for (i = 0; i + 1 < len; i++) {
		check(p[i] >= 0x20 && p[i] != 0x7f);
		/* C1 as UTF-8: C2 80..C2 9F */
		check(!(p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f));
		/* U+2028, U+2029: E2 80 A8/A9 */
		check(!(i + 2 < len && p[i] == 0xe2 && p[i + 1] == 0x80 &&
			(p[i + 2] == 0xa8 || p[i + 2] == 0xa9)));
	}
}

/* reading the program */
struct prog {
	const uint8_t *d;
	size_t n, pos;
};

static bool take(struct prog *p, size_t want, const uint8_t **s)
{
	if (p->n - p->pos < want)
		return false;
	*s = p->d + p->pos;
	p->pos += want;
	return true;
}

/* a piece: length byte then up to that many bytes (cut at the end) */
static void piece(struct prog *p, const uint8_t **s, size_t *n)
{
	size_t len = 0;

	if (p->pos < p->n)
		len = p->d[p->pos++];
	if (len > p->n - p->pos)
		len = p->n - p->pos;
	*s = p->d + p->pos;
	*n = len;
	p->pos += len;
}

static uint64_t u64_of(const uint8_t *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return v;
}

/* state of the program's nesting, kept apart from the writer's */
struct run {
	struct jsonw *w;
	struct evs *evs;		/* NULL: do not record */
	unsigned int depth;
	bool is_array[JSONW_MAX_DEPTH + 1];
	bool line_used;
	unsigned int kno;
	char key[KEY_PART_MAX + 16];
};

/* a key for the next value when inside an object, else NULL */
static const char *next_key(struct run *r, struct prog *p, struct ev *e)
{
	const uint8_t *s;
	size_t n, k, pre;

	e->has_key = false;
	if (!r->depth || r->is_array[r->depth])
		return NULL;
	piece(p, &s, &n);
	k = strnlen((const char *)s, n);
	if (k > KEY_PART_MAX)
		k = KEY_PART_MAX;
	e->has_key = true;
	e->kno = r->kno++;
	e->key = s;
	e->klen = k;
	pre = (size_t)snprintf(r->key, sizeof(r->key), "k%u:", e->kno);
	memcpy(r->key + pre, s, k);
	r->key[pre + k] = '\0';
	return r->key;
}

/* run the program against r->w, then close what is open and end the line */
static void run_prog(struct run *r, const uint8_t *data, size_t size)
{
	struct prog p = { data, size, 1 };
	const uint8_t *s;
	const char *key;
	struct ev e;
	uint8_t op;
	size_t n;

	r->depth = 0;
	r->line_used = false;
	r->kno = 0;
	if (size && data[0] % 4 < 2) {
		memset(&e, 0, sizeof(e));
		e.type = data[0] % 4 ? EV_ARR : EV_OBJ;
		if (e.type == EV_ARR)
			jsonw_start_array(r->w, NULL);
		else
			jsonw_start_object(r->w, NULL);
		ev_add(r->evs, &e);
		r->line_used = true;
		r->depth = 1;
		r->is_array[1] = e.type == EV_ARR;
	}
	while (p.pos < p.n) {
		/* a value at top level ends the program */
		if (!r->depth && r->line_used)
			break;
		op = p.d[p.pos++];
		memset(&e, 0, sizeof(e));
		switch (op & 0xf) {
		case 6:
		case 7:
			if (r->depth >= JSONW_MAX_DEPTH)
				continue;
			key = next_key(r, &p, &e);
			e.type = (op & 0xf) == 7 ? EV_ARR : EV_OBJ;
			if (e.type == EV_ARR)
				jsonw_start_array(r->w, key);
			else
				jsonw_start_object(r->w, key);
			r->line_used = true;
			r->depth++;
			r->is_array[r->depth] = e.type == EV_ARR;
			ev_add(r->evs, &e);
			continue;
		case 8:
		case 9:
			if (!r->depth)
				continue;
			if (r->is_array[r->depth])
				jsonw_end_array(r->w);
			else
				jsonw_end_object(r->w);
			r->depth--;
			e.type = EV_END;
			ev_add(r->evs, &e);
			continue;
		}
		key = next_key(r, &p, &e);
		r->line_used = true;
		switch (op & 0xf) {
		case 10:
			if (!take(&p, 8, &s))
				s = (const uint8_t *)"\xff\xff\xff\xff\xff\xff\xff\xff";
			e.type = EV_UINT;
			e.u = u64_of(s);
			jsonw_uint(r->w, key, e.u);
			break;
		case 11:
			if (!take(&p, 8, &s))
				s = (const uint8_t *)"\0\0\0\0\0\0\0\x80";
			e.type = EV_INT;
			e.i = (int64_t)u64_of(s);
			jsonw_int(r->w, key, e.i);
			break;
		case 12:
			if (!take(&p, 8, &s))
				s = (const uint8_t *)"\x9a\x99\x99\x99\x99\x99\xb9\x3f";
			e.type = EV_DBL;
			memcpy(&e.d, s, sizeof(e.d));
			e.decimals = (op >> 4) % (JSONW_MAX_DECIMALS + 1);
			jsonw_double(r->w, key, e.d, e.decimals);
			break;
		case 13:
			e.type = EV_BOOL;
			e.u = op >> 4 & 1;
			jsonw_bool(r->w, key, e.u);
			break;
		case 14:
			e.type = EV_NULL;
			if (op & 0x10)
				jsonw_string_n(r->w, key, NULL, 3);
			else
				jsonw_null(r->w, key);
			break;
		case 15:
			/* the rest of the input as one long string */
			e.type = EV_STR;
			e.s = p.d + p.pos;
			e.n = p.n - p.pos;
			p.pos = p.n;
			jsonw_string_n(r->w, key, (const char *)e.s, e.n);
			break;
		default:
			piece(&p, &s, &n);
			e.type = EV_STR;
			e.s = s;
			e.n = n;
			if ((op & 0x10) && !memchr(s, '\0', n)) {
				char *z = strndup((const char *)s, n);

				check(z);
				jsonw_string(r->w, key, z);
				free(z);
			} else {
				jsonw_string_n(r->w, key, (const char *)s, n);
			}
			break;
		}
		ev_add(r->evs, &e);
	}
	while (r->depth) {
		if (r->is_array[r->depth])
			jsonw_end_array(r->w);
		else
			jsonw_end_object(r->w);
		r->depth--;
		memset(&e, 0, sizeof(e));
		e.type = EV_END;
		ev_add(r->evs, &e);
	}
	if (!r->line_used) {
		memset(&e, 0, sizeof(e));
		e.type = EV_NULL;
		jsonw_null(r->w, NULL);
		ev_add(r->evs, &e);
	}
	jsonw_newline(r->w);
}

/* compare the parsed tree with the recorded calls, in text order */
struct cmp {
	const struct evs *evs;
	size_t i;
	uint8_t *buf;		/* decode scratch */
	uint8_t *kbuf;
};

static void check_key(struct cmp *c, const struct ev *e, const char *k,
		      size_t klen)
{
	int pre = snprintf((char *)c->kbuf, 16, "k%u:", e->kno);
	size_t m = (size_t)pre + whatwg_decode(e->key, e->klen,
					       c->kbuf + pre);

	check(klen == m);
	check(!memcmp(k, c->kbuf, m));
}

static void check_double(const struct ev *e, const struct jv *v)
{
	const char *t, *dot;
	double tol;

	if (!isfinite(e->d)) {
		check(jv_type(v) == JV_NULL);
		return;
	}
	check(jv_type(v) == JV_NUMBER);
	t = jv_numtext(v);
	check(strcmp(t, "-0") != 0);
	check(!strchr(t, 'e') && !strchr(t, 'E'));
	dot = strchr(t, '.');
	if (dot) {
		size_t frac = strlen(dot + 1);

		check(frac >= 1 && frac <= (size_t)e->decimals);
		check(dot[frac] != '0');
	}
	tol = 0.5 * pow(10, -e->decimals) * (1 + 1e-9) + fabs(e->d) * 4e-16;
	check(fabs(jv_num(v) - e->d) <= tol);
}

static void visit(struct cmp *c, const struct jv *v, const char *k,
		  size_t klen)
{
	const struct ev *e;
	char num[32];
	size_t j, m;

	check(c->i < c->evs->n);
	e = &c->evs->v[c->i++];
	check(e->type != EV_END);
	check(e->has_key == (k != NULL));
	if (k)
		check_key(c, e, k, klen);
	switch (e->type) {
	case EV_OBJ:
		check(jv_type(v) == JV_OBJECT);
		for (j = 0; j < jv_len(v); j++)
			visit(c, jv_val_at(v, j), jv_key_at(v, j),
			      jv_keylen_at(v, j));
		check(c->i < c->evs->n && c->evs->v[c->i++].type == EV_END);
		break;
	case EV_ARR:
		check(jv_type(v) == JV_ARRAY);
		for (j = 0; j < jv_len(v); j++)
			visit(c, jv_at(v, j), NULL, 0);
		check(c->i < c->evs->n && c->evs->v[c->i++].type == EV_END);
		break;
	case EV_STR:
		check(jv_type(v) == JV_STRING);
		m = whatwg_decode(e->s, e->n, c->buf);
		check(jv_strlen(v) == m);
		check(!memcmp(jv_str(v), c->buf, m));
		/* the requirement in its plainest form */
		if (utf8_valid(e->s, e->n))
			check(jv_strlen(v) == e->n &&
			      !memcmp(jv_str(v), e->s, e->n));
		break;
	case EV_UINT:
		check(jv_type(v) == JV_NUMBER);
		snprintf(num, sizeof(num), "%" PRIu64, e->u);
		check(!strcmp(jv_numtext(v), num));
		break;
	case EV_INT:
		check(jv_type(v) == JV_NUMBER);
		snprintf(num, sizeof(num), "%" PRId64, e->i);
		check(!strcmp(jv_numtext(v), num));
		break;
	case EV_DBL:
		check_double(e, v);
		break;
	case EV_BOOL:
		check(jv_bool(v) == (int)e->u);
		break;
	case EV_NULL:
		check(jv_type(v) == JV_NULL);
		break;
	case EV_END:
		break;
	}
}

/* the places of escape units in an escaped text */
static bool unit_boundary(const char *esc, size_t len, size_t at)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = esc[i];

		if (i == at)
			return true;
		if (c == '\\')
			i += esc[i + 1] == 'u' ? 6 : 2;
		else if (c < 0x80)
			i += 1;
		else if (c < 0xe0)
			i += 2;
		else if (c < 0xf0)
			i += 3;
		else
			i += 4;
	}
	return i == at;
}

/* length of the escape unit at esc[at] */
static size_t unit_len(const char *esc, size_t at)
{
	unsigned char c = esc[at];

	if (c == '\\')
		return esc[at + 1] == 'u' ? 6 : 2;
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* json_escape_bytes() into a short buffer: a prefix cut between units */
static void check_escape_cut(const uint8_t *s, size_t n, size_t seed)
{
	size_t need = json_escape_bytes(NULL, 0, (const char *)s, n);
	char *full = malloc(need + 1), *part;
	size_t dstlen, used;

	check(full);
	check(json_escape_bytes(full, need + 1, (const char *)s, n) == need);
	check(strlen(full) == need);
	dstlen = seed % (need + 2);
	part = malloc(dstlen ? dstlen : 1);
	check(part);
	check(json_escape_bytes(dstlen ? part : NULL, dstlen,
				(const char *)s, n) == need);
	if (dstlen) {
		used = strnlen(part, dstlen);
		check(used < dstlen);
		check(!memcmp(part, full, used));
		check(unit_boundary(full, need, used));
		/* the next unit did not fit */
		if (used < need)
			check(unit_len(full, used) >= dstlen - used);
	}
	free(part);
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evs evs = { 0 };
	struct run r = { 0 };
	struct cmp c = { 0 };
	struct jv *v;
	char err[128];
	char *full;
	size_t len, limit, i;
	uint16_t lim16 = 0;

	r.w = jsonw_new();
	check(r.w);
	r.evs = &evs;
	run_prog(&r, data, size);
	check(jsonw_error(r.w) == 0);
	len = jsonw_len(r.w);
	check_line_bytes(jsonw_data(r.w), len);
	check(memchr(jsonw_data(r.w), '\n', len) ==
	      jsonw_data(r.w) + len - 1);

	v = jv_parse(jsonw_data(r.w), len, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "jv_parse: %s\n", err);
		abort();
	}
	c.evs = &evs;
	c.buf = malloc(3 * size + 1);
	c.kbuf = malloc(3 * KEY_PART_MAX + 16);
	check(c.buf && c.kbuf);
	visit(&c, v, NULL, 0);
	check(c.i == evs.n);
	jv_free(v);

	/* misuse is refused, sticky, and writes nothing */
	full = malloc(len + 1);
	check(full);
	memcpy(full, jsonw_data(r.w), len + 1);
	jsonw_end_object(r.w);
	check(jsonw_error(r.w) == -EINVAL);
	jsonw_null(r.w, NULL);
	check(jsonw_len(r.w) == len && !memcmp(jsonw_data(r.w), full, len));

	/* each misuse: -EINVAL, nothing written past the last good call */
	for (i = 0; i < 5; i++) {
		size_t before;
		unsigned int d;

		jsonw_reset(r.w);
		jsonw_start_array(r.w, NULL);
		for (d = 1; i == 0 && d < JSONW_MAX_DEPTH; d++)
			jsonw_start_array(r.w, NULL);
		check(jsonw_error(r.w) == 0);
		before = jsonw_len(r.w);
		switch (i) {
		case 0:		/* one container too deep */
			jsonw_start_object(r.w, NULL);
			break;
		case 1:		/* a key in an array */
			jsonw_string_n(r.w, "k", (const char *)data, size);
			break;
		case 2:		/* decimals out of range */
			jsonw_double(r.w, NULL, 1.5, JSONW_MAX_DECIMALS + 1);
			break;
		case 3:		/* a line ended inside a container */
			jsonw_newline(r.w);
			break;
		case 4:		/* the wrong kind of close */
			jsonw_end_object(r.w);
			break;
		}
		check(jsonw_error(r.w) == -EINVAL);
		check(jsonw_len(r.w) == before);
		jsonw_end_array(r.w);
		check(jsonw_len(r.w) == before);
	}

	/* under a limit: the text up to the last call that fit */
	if (size >= 3)
		memcpy(&lim16, data + size - 2, 2);
	limit = 1 + lim16 % (len + 8);
	jsonw_reset(r.w);
	check(jsonw_len(r.w) == 0 && jsonw_error(r.w) == 0);
	jsonw_set_limit(r.w, limit);
	r.evs = NULL;
	run_prog(&r, data, size);
	check(jsonw_len(r.w) <= limit);
	check(strlen(jsonw_data(r.w)) == jsonw_len(r.w));
	if (jsonw_error(r.w)) {
		check(jsonw_error(r.w) == -ENOMEM);
		check(jsonw_len(r.w) < len);
		check(!memcmp(jsonw_data(r.w), full, jsonw_len(r.w)));
	} else {
		check(jsonw_len(r.w) == len &&
		      !memcmp(jsonw_data(r.w), full, len));
	}

	/* json_escape_bytes() cut short, on the whole input */
	check_escape_cut(data, size, lim16);

	free(full);
	free(c.buf);
	free(c.kbuf);
	free(evs.v);
	jsonw_destroy(r.w);
	return 0;
}
