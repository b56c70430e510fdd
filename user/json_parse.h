/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small, strict JSON parser (RFC 8259): the tests parse the daemon's
 * output lines back with it, and --format pretty reads the records the
 * daemon built. It refuses anything a lenient reader might let through.
 * Rejected: trailing commas, leading zeros, numbers without digits or out
 * of double range, raw control characters (0x00-0x1f) in
 * strings, unknown escapes, unpaired surrogate escapes, invalid UTF-8
 * anywhere (RFC 3629: overlongs, surrogates, > U+10FFFF, truncated or
 * stray bytes), a byte order mark, duplicate keys (compared after
 * decoding), comments, any trailing bytes but whitespace (space, tab, CR,
 * LF), and nesting deeper than JV_MAX_DEPTH containers.
 *
 * Strings are decoded to UTF-8 bytes and may contain NUL (from \u0000), so
 * use the lengths. Object members keep the order of the text. Numbers
 * keep their text as well as their value, for exact comparisons of
 * integers a double cannot hold. Accessors accept NULL and then return
 * their "not this type" answer, so calls can be chained.
 */
#ifndef SHELLWATCH_JSON_PARSE_H
#define SHELLWATCH_JSON_PARSE_H

#include <stddef.h>

/* containers that may be open at once */
#define JV_MAX_DEPTH	64

enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

/* what jv_type() returns for NULL (an absent value): equals no JV_* */
#define JV_ABSENT	((enum jv_type)-1)

struct jv;

/* one object member */
struct jv_member {
	char *key;		/* decoded, NUL-terminated, may contain NUL */
	size_t keylen;
	struct jv *val;
};

/* a parsed value */
struct jv {
	enum jv_type type;
	int boolean;		/* JV_BOOL: 0 or 1 */
	double num;		/* JV_NUMBER: value */
	char *numtext;		/* JV_NUMBER: literal as in the text */
	char *str;		/* JV_STRING: decoded, NUL-terminated */
	size_t slen;		/* JV_STRING: bytes, NUL excluded */
	size_t n;		/* JV_ARRAY, JV_OBJECT: elements */
	struct jv **items;	/* JV_ARRAY: elements */
	struct jv_member *members; /* JV_OBJECT: members in text order */
};

/* parse len bytes of text; NULL with "offset N: why" in err on error */
struct jv *jv_parse(const char *text, size_t len, char *err, size_t errlen);
/* free a parsed value; accepts NULL */
void jv_free(struct jv *v);
/* walk nested objects by '.'-separated keys ("a.b.c"); NULL if absent */
const struct jv *jv_get(const struct jv *obj, const char *dotted);
/* decoded string (may contain NUL), NULL if not a string */
const char *jv_str(const struct jv *v);
/* bytes of a decoded string, 0 if not a string */
size_t jv_strlen(const struct jv *v);
/* value of a number, NAN if not a number */
double jv_num(const struct jv *v);
/* literal text of a number ("18446744073709551615"), NULL if not a number */
const char *jv_numtext(const struct jv *v);
/* 0 or 1, -1 if not a bool */
int jv_bool(const struct jv *v);
/* elements of an array or object, 0 otherwise */
size_t jv_len(const struct jv *v);
/* array element i, NULL if out of range or not an array */
const struct jv *jv_at(const struct jv *arr, size_t i);
/* key of object member i, NULL if out of range or not an object */
const char *jv_key_at(const struct jv *obj, size_t i);
/* bytes of the key of object member i, 0 if out of range or not an object */
size_t jv_keylen_at(const struct jv *obj, size_t i);
/* value of object member i, NULL if out of range or not an object */
const struct jv *jv_val_at(const struct jv *obj, size_t i);
/* type of a value; JV_ABSENT for NULL */
enum jv_type jv_type(const struct jv *v);

#endif /* SHELLWATCH_JSON_PARSE_H */
