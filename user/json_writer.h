/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A streaming JSON writer into a growable in-memory buffer: the daemon
 * builds one event as one compact line of JSON for the SIEM.
 *
 * Commas and colons are inserted by the writer. Keys are required inside
 * objects and forbidden elsewhere (top level, arrays). One value is allowed
 * per line at the top level; jsonw_newline() ends the line. At most
 * JSONW_MAX_DEPTH containers may be open at once. Duplicate keys are not
 * detected: that is the caller's job.
 *
 * Errors are sticky: the first failure (-ENOMEM, or -EINVAL for misuse)
 * is kept until jsonw_reset(), and every later call is a no-op. Each call
 * either appends its whole element (comma, key and value) or nothing, so
 * the buffer always holds the text up to the last successful call; still,
 * a caller must check jsonw_error() and drop the line when it is set.
 *
 * String policy. Keys and string values are attacker-controlled bytes
 * (names, paths, argv) and are escaped so that the output is always valid
 * JSON in valid UTF-8 and no input can end a line early or add a field:
 *  - '"' and '\' are escaped as \" and \\;
 *  - \b \f \n \r \t use their short forms; the other C0 controls
 *    (0x00-0x1f), DEL (0x7f) and the C1 controls (U+0080-U+009F, which
 *    include NEL, a line break to some readers) are written as \u00xx;
 *  - U+2028 and U+2029 are written as \u2028 and \u2029 (line breaks to
 *    JavaScript and to some line splitters);
 *  - other valid UTF-8 (RFC 3629) is copied as is;
 *  - bytes that are not valid UTF-8 are replaced by U+FFFD (EF BF BD),
 *    one U+FFFD per maximal subpart of an ill-formed sequence, as the
 *    WHATWG UTF-8 decoder and Unicode's "substitution of maximal subparts"
 *    do. A maximal subpart is the longest prefix of a well-formed sequence
 *    seen before the offending byte, or one byte that cannot start one:
 *    C0, C1, F5-FF and stray continuation bytes give one U+FFFD each; a
 *    sequence cut short by a byte out of range for its position (not a
 *    continuation byte, or an overlong E0 80 / F0 80, a surrogate ED A0,
 *    above U+10FFFF F4 90) gives one U+FFFD for the bytes so far, and the
 *    offending byte is decoded afresh; a sequence cut short by the end of
 *    input gives one U+FFFD.
 *    Examples: "\xc0\xaf" -> 2 x U+FFFD; "\xe2\x82" -> 1 x U+FFFD;
 *    "\xe2\x82A" -> U+FFFD "A"; "\xed\xa0\x80" -> 3 x U+FFFD.
 * Decoding the output therefore gives the input unchanged when it is valid
 * UTF-8, and the WHATWG decoding of it otherwise.
 *
 * json_escape_bytes() writes that escape (without quotes) into dst,
 * NUL-terminated unless dstlen is 0 (dst may then be NULL). When dst is
 * too small the text is cut before the first escape or character that
 * does not fit, never inside one, and nothing after it is written. It
 * returns the length the whole escape needs, NUL excluded (saturated at
 * SIZE_MAX): a result >= dstlen means the text was cut.
 */
#ifndef SHELLWATCH_JSON_WRITER_H
#define SHELLWATCH_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* containers that may be open at once */
#define JSONW_MAX_DEPTH		32
/* most decimals jsonw_double() accepts */
#define JSONW_MAX_DECIMALS	9

struct jsonw;

/* allocate an empty writer; NULL on ENOMEM */
struct jsonw *jsonw_new(void);
/* free the writer and its buffer; accepts NULL */
void jsonw_destroy(struct jsonw *w);
/* empty the buffer, nesting state and error; keep the capacity and limit */
void jsonw_reset(struct jsonw *w);
/* cap the text at max_len bytes (0: no cap); going past it is -ENOMEM */
void jsonw_set_limit(struct jsonw *w, size_t max_len);
/* NUL-terminated text written so far */
const char *jsonw_data(const struct jsonw *w);
/* bytes written so far, terminator excluded */
size_t jsonw_len(const struct jsonw *w);
/* 0, or the sticky -ENOMEM / -EINVAL (misuse, depth > 32, bad decimals) */
int jsonw_error(const struct jsonw *w);

/*
 * Every call that takes a key has a _k form that also takes its length,
 * klen == strlen(key) (0 when key is NULL). The plain names below are
 * inline wrappers that pass it: for a string literal the compiler folds
 * the length, so a record's keys are not measured again at run time.
 * The key's bytes are still checked and escaped as any other string's.
 */
void jsonw_start_object_k(struct jsonw *w, const char *key, size_t klen);
void jsonw_start_array_k(struct jsonw *w, const char *key, size_t klen);
void jsonw_string_k(struct jsonw *w, const char *key, size_t klen,
		    const char *s, size_t n);
void jsonw_uint_k(struct jsonw *w, const char *key, size_t klen, uint64_t v);
void jsonw_int_k(struct jsonw *w, const char *key, size_t klen, int64_t v);
void jsonw_double_k(struct jsonw *w, const char *key, size_t klen, double v,
		    int decimals);
void jsonw_seconds_k(struct jsonw *w, const char *key, size_t klen,
		     uint64_t ns);
void jsonw_bool_k(struct jsonw *w, const char *key, size_t klen, bool v);
void jsonw_null_k(struct jsonw *w, const char *key, size_t klen);

/* strlen(key), 0 for NULL: a constant for a literal */
static inline size_t jsonw_klen(const char *key)
{
	return key ? __builtin_strlen(key) : 0;
}

/* open an object; key NULL at top level or inside an array */
static inline void jsonw_start_object(struct jsonw *w, const char *key)
{
	jsonw_start_object_k(w, key, jsonw_klen(key));
}
/* close the innermost container, which must be an object */
void jsonw_end_object(struct jsonw *w);
/* open an array; key NULL at top level or inside an array */
static inline void jsonw_start_array(struct jsonw *w, const char *key)
{
	jsonw_start_array_k(w, key, jsonw_klen(key));
}
/* close the innermost container, which must be an array */
void jsonw_end_array(struct jsonw *w);

/* write n arbitrary bytes as a string (NUL included); s NULL writes null */
static inline void jsonw_string_n(struct jsonw *w, const char *key,
				  const char *s, size_t n)
{
	jsonw_string_k(w, key, jsonw_klen(key), s, n);
}
/* write a NUL-terminated string; s NULL writes null */
static inline void jsonw_string(struct jsonw *w, const char *key,
				const char *s)
{
	jsonw_string_k(w, key, jsonw_klen(key), s, s ? __builtin_strlen(s) : 0);
}
/* write an unsigned integer */
static inline void jsonw_uint(struct jsonw *w, const char *key, uint64_t v)
{
	jsonw_uint_k(w, key, jsonw_klen(key), v);
}
/* one member of jsonw_uint_object() */
struct jsonw_uint_field {
	const char *key;
	uint64_t v;
};
/* write an object of n unsigned integers, in the order given */
void jsonw_uint_object(struct jsonw *w, const char *key,
		       const struct jsonw_uint_field *f, size_t n);
/* write a signed integer */
static inline void jsonw_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_int_k(w, key, jsonw_klen(key), v);
}
/* write v with 0..9 fixed decimals, trailing zeros trimmed; NaN/inf as null */
static inline void jsonw_double(struct jsonw *w, const char *key, double v,
				int decimals)
{
	jsonw_double_k(w, key, jsonw_klen(key), v, decimals);
}
/*
 * ns nanoseconds as seconds, exactly: up to nine decimals, trailing zeros
 * trimmed, as jsonw_double(w, key, ns / 1e9, 9) writes them below 2^52 ns
 */
static inline void jsonw_seconds(struct jsonw *w, const char *key,
				 uint64_t ns)
{
	jsonw_seconds_k(w, key, jsonw_klen(key), ns);
}
/* write true or false */
static inline void jsonw_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_bool_k(w, key, jsonw_klen(key), v);
}
/* write null */
static inline void jsonw_null(struct jsonw *w, const char *key)
{
	jsonw_null_k(w, key, jsonw_klen(key));
}
/* append '\n' to end the line; only valid at depth 0 */
void jsonw_newline(struct jsonw *w);

/* escape n bytes for inside a JSON string into dst; returns the full length */
size_t json_escape_bytes(char *dst, size_t dstlen, const char *s, size_t n);

#endif /* SHELLWATCH_JSON_WRITER_H */
