// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Streaming JSON writer: see json_writer.h for the rules and the string
 * escaping policy.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"

#define JSONW_INIT_CAP		256
/* "%.9f" of -DBL_MAX is 320 bytes; leave room for a long locale point */
#define JSONW_NUM_MAX		384

struct jsonw {
	char *buf;
	size_t len;		/* text bytes, NUL excluded */
	size_t cap;		/* bytes allocated */
	size_t limit;		/* most text bytes, 0 for no cap */
	int err;		/* sticky first error */
	unsigned int depth;	/* open containers */
	bool line_used;		/* a top-level value is on this line */
	bool is_array[JSONW_MAX_DEPTH + 1];	/* per depth, [0] unused */
	bool has_items[JSONW_MAX_DEPTH + 1];	/* per depth, [0] unused */
};

static const char hexdig[] = "0123456789abcdef";

/* bytes that stand for themselves: printable ASCII but '"' and '\\' */
#define PLAIN(c)	((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
#define PLAIN4(c)	PLAIN(c), PLAIN(c + 1), PLAIN(c + 2), PLAIN(c + 3)
#define PLAIN16(c)	PLAIN4(c), PLAIN4(c + 4), PLAIN4(c + 8), PLAIN4(c + 12)
#define PLAIN64(c)	PLAIN16(c), PLAIN16(c + 16), PLAIN16(c + 32), PLAIN16(c + 48)
static const unsigned char plain[256] = {
	PLAIN64(0), PLAIN64(64), PLAIN64(128), PLAIN64(192)
};

#define ONES8		0x0101010101010101ULL
#define HIGHS8		0x8080808080808080ULL

/* is every byte of x plain, as plain[] says: a few operations for eight */
static inline bool plain8(uint64_t x)
{
	uint64_t q = x ^ (ONES8 * '"'), b = x ^ (ONES8 * '\\');

	/*
	 * Each term is exact as a whole (not per byte): a byte below 0x20;
	 * a byte of 0x7f or above (x + 1 carries out of no byte below 0x80);
	 * a byte equal to '"'; a byte equal to '\\'.
	 */
	return !((((x - ONES8 * 0x20) & ~x) | x | (x + ONES8) |
		  ((q - ONES8) & ~q) | ((b - ONES8) & ~b)) & HIGHS8);
}

/* copy the plain bytes that start s[0..n) to dst; returns how many */
static inline __attribute__((always_inline)) size_t
copy_plain(char *dst, const unsigned char *s, size_t n)
{
	size_t i = 0;
	uint64_t x;

	if (n >= 8) {
		for (; i + 8 <= n; i += 8) {
			memcpy(&x, s + i, 8);
			if (!plain8(x))
				goto bytes;
			memcpy(dst + i, &x, 8);
		}
		if (i == n)
			return n;
		/* the last eight, overlapping the ones already copied */
		memcpy(&x, s + n - 8, 8);
		if (plain8(x)) {
			memcpy(dst + n - 8, &x, 8);
			return n;
		}
	} else if (n >= 4) {
		uint32_t lo, hi;

		/* the first four and the last four, overlapping */
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		if (plain8(lo | (uint64_t)hi << 32)) {
			memcpy(dst, &lo, 4);
			memcpy(dst + n - 4, &hi, 4);
			return n;
		}
	}
bytes:
	while (i < n && plain[s[i]]) {
		dst[i] = (char)s[i];
		i++;
	}
	return i;
}

/* a + b, or SIZE_MAX when it overflows */
static size_t sat_add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/*
 * Decode one UTF-8 sequence at s (n > 0 bytes), WHATWG style. Returns the
 * bytes used and sets *cp; an ill-formed maximal subpart gives U+FFFD and
 * leaves the byte that broke it for the next call.
 */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t need, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		/* stray continuation byte, C0, C1, F5-FF */
		*cp = 0xfffd;
		return 1;
	}

	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = 0xfffd;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need + 1;
}

/* write \u00xx-style escape of cp into out; returns 6 */
static size_t escape_u(uint32_t cp, char *out)
{
	out[0] = '\\';
	out[1] = 'u';
	out[2] = hexdig[(cp >> 12) & 0xf];
	out[3] = hexdig[(cp >> 8) & 0xf];
	out[4] = hexdig[(cp >> 4) & 0xf];
	out[5] = hexdig[cp & 0xf];
	return 6;
}

/* UTF-8 encode a valid code point into out; returns 1..4 */
static size_t utf8_put(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* the letter of a two-byte escape for cp, 0 when it has none */
static char short_escape(uint32_t cp)
{
	switch (cp) {
	case '"':
		return '"';
	case '\\':
		return '\\';
	case '\b':
		return 'b';
	case '\f':
		return 'f';
	case '\n':
		return 'n';
	case '\r':
		return 'r';
	case '\t':
		return 't';
	}
	return 0;
}

/* the escaped form of one code point into out (6 bytes); returns its length */
static size_t escape_cp(uint32_t cp, char *out)
{
	char c = short_escape(cp);

	if (c) {
		out[0] = '\\';
		out[1] = c;
		return 2;
	}
	/* C0, DEL, C1, and the JavaScript line terminators */
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029)
		return escape_u(cp, out);
	return utf8_put(cp, out);
}

size_t json_escape_bytes(char *dst, size_t dstlen, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t need = 0, used = 0, i = 0, ulen;
	bool room = dstlen > 0;
	uint32_t cp;
	char unit[6];

	/* room for all of it as it is: copy the plain bytes in one pass */
	if (dstlen > n) {
		i = copy_plain(dst, p, n);
		used = need = i;
	}
	while (i < n) {
		/* a run of printable ASCII stands for itself: the common case */
		size_t run = 0, fit;

		while (i + run < n && plain[p[i + run]])
			run++;
		if (run) {
			fit = room && dstlen - used > 1 ? dstlen - used - 1 : 0;
			if (fit > run)
				fit = run;
			/* dst is NULL when only the length is asked for */
			if (fit) {
				memcpy(dst + used, p + i, fit);
				used += fit;
			}
			room = room && fit == run;
			need = sat_add(need, run);
			i += run;
			continue;
		}
		i += utf8_next(p + i, n - i, &cp);
		ulen = escape_cp(cp, unit);
		/* once a unit does not fit, nothing more is written */
		if (room && ulen < dstlen - used) {
			memcpy(dst + used, unit, ulen);
			used += ulen;
		} else {
			room = false;
		}
		need = sat_add(need, ulen);
	}
	if (dstlen)
		dst[used] = '\0';
	return need;
}

struct jsonw *jsonw_new(void)
{
	struct jsonw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->buf = malloc(JSONW_INIT_CAP);
	if (!w->buf) {
		free(w);
		return NULL;
	}
	w->cap = JSONW_INIT_CAP;
	w->buf[0] = '\0';
	return w;
}

void jsonw_destroy(struct jsonw *w)
{
	if (!w)
		return;
	free(w->buf);
	free(w);
}

void jsonw_reset(struct jsonw *w)
{
	w->len = 0;
	w->buf[0] = '\0';
	w->err = 0;
	w->depth = 0;
	w->line_used = false;
}

void jsonw_set_limit(struct jsonw *w, size_t max_len)
{
	w->limit = max_len;
}

const char *jsonw_data(const struct jsonw *w)
{
	return w->buf;
}

size_t jsonw_len(const struct jsonw *w)
{
	return w->len;
}

int jsonw_error(const struct jsonw *w)
{
	return w->err;
}

/* record the first error; returns it */
static int fail(struct jsonw *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/* grow the buffer to hold want bytes; 0 or -ENOMEM */
static int grow(struct jsonw *w, size_t want)
{
	size_t cap = w->cap;
	char *buf;

	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	buf = realloc(w->buf, cap);
	if (!buf)
		return fail(w, -ENOMEM);
	w->buf = buf;
	w->cap = cap;
	return 0;
}

/* make room for extra more text bytes and the NUL; 0 or -ENOMEM */
static inline int reserve(struct jsonw *w, size_t extra)
{
	size_t want;

	if (extra >= SIZE_MAX - w->len)
		return fail(w, -ENOMEM);
	if (w->limit && w->len + extra > w->limit)
		return fail(w, -ENOMEM);
	want = w->len + extra + 1;
	if (want <= w->cap)
		return 0;
	return grow(w, want);
}

/* append n bytes already reserved */
static void put(struct jsonw *w, const char *s, size_t n)
{
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* append one byte already reserved */
static void put_char(struct jsonw *w, char c)
{
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

/* append the escape of n bytes, its length already reserved */
static void put_escaped(struct jsonw *w, const char *s, size_t n)
{
	w->len += json_escape_bytes(w->buf + w->len, w->cap - w->len, s, n);
}

/* may a value with this key go at the current position */
static bool place_ok(const struct jsonw *w, const char *key)
{
	if (w->depth == 0)
		return !key && !w->line_used;
	if (w->is_array[w->depth])
		return !key;
	return key != NULL;
}

/* bytes of the comma and "key" (klen bytes unescaped) before a value */
static size_t prefix_len(const struct jsonw *w, const char *key, size_t klen)
{
	size_t n = w->depth && w->has_items[w->depth] ? 1 : 0;

	if (key)
		n = sat_add(n, sat_add(json_escape_bytes(NULL, 0, key, klen),
				       3));
	return n;
}

/* the most bytes n bytes can escape to: 6 per byte (a \uXXXX escape) */
static size_t escape_max(size_t n)
{
	return n > SIZE_MAX / 6 ? SIZE_MAX : n * 6;
}

/*
 * Does extra bytes more stay within the limit: then reserving the worst
 * case is as good as measuring first, and escaping once is enough
 */
static bool within_limit(const struct jsonw *w, size_t extra)
{
	return extra < SIZE_MAX - w->len &&
	       (!w->limit || w->len + extra <= w->limit);
}

/*
 * The common case of begin_value: a key of klen plain bytes, with room
 * for it all within the limit. Writes the comma and key past the text
 * without committing them; returns the bytes written, or 0 when the key
 * is not plain or room would be short, and then nothing counts.
 */
static size_t begin_plain_key(struct jsonw *w, const char *key, size_t klen,
			      size_t vlen, bool comma)
{
	size_t worst = sat_add(sat_add(klen, 4), vlen);
	char *p;

	/* within_limit() and reserve(), each test once */
	if (worst >= SIZE_MAX - w->len ||
	    (w->limit && w->len + worst > w->limit))
		return 0;
	if (w->len + worst + 1 > w->cap && grow(w, w->len + worst + 1))
		return 0;
	p = w->buf + w->len;
	if (comma)
		*p++ = ',';
	*p++ = '"';
	if (copy_plain(p, (const unsigned char *)key, klen) != klen) {
		w->buf[w->len] = '\0';
		return 0;
	}
	p += klen;
	*p++ = '"';
	*p++ = ':';
	return (size_t)(p - (w->buf + w->len));
}

static __attribute__((noinline)) int begin_value_slow(struct jsonw *w,
		const char *key, size_t klen, size_t vlen, bool comma);

/*
 * Check the position, reserve room for the comma, key (klen bytes,
 * strlen(key)) and vlen value bytes, and write the comma and key. 0 or
 * -errno; on error nothing is written. The text is left without its NUL:
 * the caller's value ends with one.
 */

static inline int begin_value(struct jsonw *w, const char *key, size_t klen,
			      size_t vlen)
{
	size_t n;
	bool comma;

	if (w->err)
		return w->err;
	if (!place_ok(w, key))
		return fail(w, -EINVAL);
	comma = w->depth && w->has_items[w->depth];
	if (key) {
		n = begin_plain_key(w, key, klen, vlen, comma);
		if (n) {
			w->len += n;
			w->has_items[w->depth] = true;
			return 0;
		}
		/* growing failed */
		if (w->err)
			return w->err;
	}
	return begin_value_slow(w, key, klen, vlen, comma);
}

/*
 * begin_value for no key, a key that is not plain, or room near the
 * limit, where the key is measured exactly
 */
static int begin_value_slow(struct jsonw *w, const char *key, size_t klen,
			    size_t vlen, bool comma)
{
	size_t worst;

	worst = sat_add(sat_add(key ? escape_max(klen) : 0, 4), vlen);
	if (within_limit(w, worst)) {
		if (reserve(w, worst))
			return w->err;
	} else if (reserve(w, sat_add(prefix_len(w, key, klen), vlen))) {
		return w->err;
	}

	if (w->depth == 0) {
		w->line_used = true;
	} else {
		if (comma)
			w->buf[w->len++] = ',';
		w->has_items[w->depth] = true;
	}
	if (key) {
		w->buf[w->len++] = '"';
		put_escaped(w, key, klen);
		put(w, "\":", 2);
	}
	return 0;
}

/* write a value whose text needs no escaping */
static void put_value(struct jsonw *w, const char *key, size_t klen,
		      const char *text, size_t n)
{
	if (begin_value(w, key, klen, n))
		return;
	put(w, text, n);
}

/* open an object or array */
static void start_container(struct jsonw *w, const char *key, size_t klen,
			    bool array)
{
	if (w->err)
		return;
	if (w->depth >= JSONW_MAX_DEPTH) {
		fail(w, -EINVAL);
		return;
	}
	if (begin_value(w, key, klen, 1))
		return;
	put_char(w, array ? '[' : '{');
	w->depth++;
	w->is_array[w->depth] = array;
	w->has_items[w->depth] = false;
}

/* close the innermost container, which must be of the given kind */
static void end_container(struct jsonw *w, bool array)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->is_array[w->depth] != array) {
		fail(w, -EINVAL);
		return;
	}
	if (reserve(w, 1))
		return;
	put_char(w, array ? ']' : '}');
	w->depth--;
}

void jsonw_start_object_k(struct jsonw *w, const char *key, size_t klen)
{
	start_container(w, key, klen, false);
}

void jsonw_end_object(struct jsonw *w)
{
	end_container(w, false);
}

void jsonw_start_array_k(struct jsonw *w, const char *key, size_t klen)
{
	start_container(w, key, klen, true);
}

void jsonw_end_array(struct jsonw *w)
{
	end_container(w, true);
}

void jsonw_string_k(struct jsonw *w, const char *key, size_t klen,
		    const char *s, size_t n)
{
	size_t elen;

	if (!s) {
		jsonw_null_k(w, key, klen);
		return;
	}
	if (w->err)
		return;
	/* measure only near the limit: else the worst case is reserved */
	elen = escape_max(n);
	if (!within_limit(w, sat_add(elen, 2)))
		elen = json_escape_bytes(NULL, 0, s, n);
	if (begin_value(w, key, klen, sat_add(elen, 2)))
		return;
	put_char(w, '"');
	put_escaped(w, s, n);
	put_char(w, '"');
}

/* decimal digits of v, right-aligned at the end of out[24]; returns start */
static char *format_u64(char out[24], uint64_t v)
{
	char *p = out + 24;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

void jsonw_uint_k(struct jsonw *w, const char *key, size_t klen, uint64_t v)
{
	char num[24];
	char *p = format_u64(num, v);

	put_value(w, key, klen, p, (size_t)(num + sizeof(num) - p));
}

void jsonw_uint_object(struct jsonw *w, const char *key,
		       const struct jsonw_uint_field *f, size_t n)
{
	size_t i;

	jsonw_start_object(w, key);
	for (i = 0; i < n; i++)
		jsonw_uint_k(w, f[i].key, jsonw_klen(f[i].key), f[i].v);
	jsonw_end_object(w);
}

void jsonw_int_k(struct jsonw *w, const char *key, size_t klen, int64_t v)
{
	char num[24];
	/* the magnitude, INT64_MIN included */
	char *p = format_u64(num, v < 0 ? -(uint64_t)v : (uint64_t)v);

	if (v < 0)
		*--p = '-';
	put_value(w, key, klen, p, (size_t)(num + sizeof(num) - p));
}

/* is c an ASCII digit */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Format finite v with fixed decimals into out (JSONW_NUM_MAX bytes) as
 * printf's "%.*f" does, trailing zeros trimmed and "-0" made "0".
 * printf's decimal point follows the locale, so whatever separates the
 * digits is replaced by '.'. Returns the length.
 */
static size_t format_fixed_printf(char *out, double v, int decimals)
{
	char raw[JSONW_NUM_MAX];
	const char *p = raw;
	size_t n = 0, point;

	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (*p == '-')
		out[n++] = *p++;
	while (is_digit(*p))
		out[n++] = *p++;
	if (*p) {
		while (*p && !is_digit(*p))
			p++;
		point = n;
		out[n++] = '.';
		while (is_digit(*p))
			out[n++] = *p++;
		while (out[n - 1] == '0')
			n--;
		if (n == point + 1)
			n--;
	}
	out[n] = '\0';
	if (n == 2 && out[0] == '-' && out[1] == '0') {
		out[0] = '0';
		out[1] = '\0';
		n = 1;
	}
	return n;
}

/*
 * the fraction fp of d decimal digits as ".ddd" into out, trailing zeros
 * trimmed; nothing for 0. Returns the bytes written.
 */
static size_t put_fraction(char *out, uint64_t fp, int d)
{
	int i;

	if (!fp)
		return 0;
	while (!(fp % 10)) {
		fp /= 10;
		d--;
	}
	out[0] = '.';
	for (i = d; i >= 1; i--) {
		out[i] = (char)('0' + fp % 10);
		fp /= 10;
	}
	return (size_t)d + 1;
}

/*
 * The same digits without printf, where they are sure: |v| * 10^decimals
 * below 2^52, computed in long double (64-bit mantissa or more, one
 * rounding: off by less than 2^-12), and not within 2^-8 of a tie, where
 * printf's exact rounding decides. Returns the length, or 0 to ask printf.
 */
static size_t format_fixed_fast(char *out, double v, int decimals)
{
	static const uint64_t pow10[JSONW_MAX_DECIMALS + 1] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
		100000000, 1000000000,
	};
	long double x = fabsl((long double)v) * (long double)pow10[decimals];
	long double frac;
	char whole[24], *p;
	uint64_t r, ip, fp;
	size_t n = 0;

	if (sizeof(long double) < 10 || !(x < 4503599627370496.0L))
		return 0;
	r = (uint64_t)x;
	frac = x - (long double)r;
	if (frac > 0.49609375L && frac < 0.50390625L)
		return 0;
	if (frac > 0.5L)
		r++;
	if (!r) {
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	if (v < 0)
		out[n++] = '-';
	ip = r / pow10[decimals];
	fp = r % pow10[decimals];
	p = format_u64(whole, ip);
	memcpy(out + n, p, (size_t)(whole + sizeof(whole) - p));
	n += (size_t)(whole + sizeof(whole) - p);
	n += put_fraction(out + n, fp, decimals);
	out[n] = '\0';
	return n;
}

static size_t format_fixed(char *out, double v, int decimals)
{
	size_t n = format_fixed_fast(out, v, decimals);

	return n ? n : format_fixed_printf(out, v, decimals);
}

void jsonw_double_k(struct jsonw *w, const char *key, size_t klen, double v,
		    int decimals)
{
	char num[JSONW_NUM_MAX];
	size_t n;

	if (w->err)
		return;
	if (decimals < 0 || decimals > JSONW_MAX_DECIMALS) {
		fail(w, -EINVAL);
		return;
	}
	if (!isfinite(v)) {
		jsonw_null_k(w, key, klen);
		return;
	}
	n = format_fixed(num, v, decimals);
	put_value(w, key, klen, num, n);
}

void jsonw_seconds_k(struct jsonw *w, const char *key, size_t klen,
		     uint64_t ns)
{
	char whole[24], out[24 + 10], *p;
	size_t n;

	p = format_u64(whole, ns / 1000000000ULL);
	n = (size_t)(whole + sizeof(whole) - p);
	memcpy(out, p, n);
	n += put_fraction(out + n, ns % 1000000000ULL, 9);
	put_value(w, key, klen, out, n);
}

void jsonw_bool_k(struct jsonw *w, const char *key, size_t klen, bool v)
{
	if (v)
		put_value(w, key, klen, "true", 4);
	else
		put_value(w, key, klen, "false", 5);
}

void jsonw_null_k(struct jsonw *w, const char *key, size_t klen)
{
	put_value(w, key, klen, "null", 4);
}

void jsonw_newline(struct jsonw *w)
{
	if (w->err)
		return;
	if (w->depth != 0) {
		fail(w, -EINVAL);
		return;
	}
	if (reserve(w, 1))
		return;
	put_char(w, '\n');
	w->line_used = false;
}
