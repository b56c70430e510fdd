/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared by the tests/fuzz harnesses: check() aborts with the failed
 * condition, whatwg_decode() is an independent WHATWG UTF-8 decoder (the
 * decoding json_writer.h promises its output gives back).
 */
#ifndef SHELLWATCH_FUZZ_COMMON_H
#define SHELLWATCH_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* WHATWG UTF-8 decode of n bytes into out (3 * n bytes); returns its length */
static inline size_t whatwg_decode(const uint8_t *s, size_t n, uint8_t *out)
{
	size_t i = 0, o = 0;
	unsigned int needed = 0, seen = 0;
	uint32_t cp = 0;
	uint8_t lower = 0x80, upper = 0xbf;

#define EMIT(c)								\
	do {								\
		uint32_t c_ = (c);					\
		if (c_ < 0x80) {					\
			out[o++] = c_;					\
		} else if (c_ < 0x800) {				\
			out[o++] = 0xc0 | (c_ >> 6);			\
			out[o++] = 0x80 | (c_ & 0x3f);			\
		} else if (c_ < 0x10000) {				\
			out[o++] = 0xe0 | (c_ >> 12);			\
			out[o++] = 0x80 | ((c_ >> 6) & 0x3f);		\
			out[o++] = 0x80 | (c_ & 0x3f);			\
		} else {						\
			out[o++] = 0xf0 | (c_ >> 18);			\
			out[o++] = 0x80 | ((c_ >> 12) & 0x3f);		\
			out[o++] = 0x80 | ((c_ >> 6) & 0x3f);		\
			out[o++] = 0x80 | (c_ & 0x3f);			\
		}							\
	} while (0)

	while (i < n) {
		uint8_t b = s[i];

		if (!needed) {
			i++;
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
				EMIT(0xfffd);
			}
			continue;
		}
		if (b < lower || b > upper) {
			/* b is decoded afresh: do not consume it */
			cp = needed = seen = 0;
			lower = 0x80;
			upper = 0xbf;
			EMIT(0xfffd);
			continue;
		}
		i++;
		lower = 0x80;
		upper = 0xbf;
		cp = (cp << 6) | (b & 0x3f);
		if (++seen == needed) {
			EMIT(cp);
			cp = needed = seen = 0;
		}
	}
	if (needed)
		EMIT(0xfffd);
#undef EMIT
	return o;
}

/* whether n bytes are valid UTF-8 (RFC 3629) */
static inline bool utf8_valid(const uint8_t *s, size_t n)
{
	uint8_t *tmp = malloc(3 * n + 1);
	size_t m;
	bool ok;

	check(tmp);
	m = whatwg_decode(s, n, tmp);
	ok = m == n && !memcmp(tmp, s, n);
	free(tmp);
	return ok;
}

#endif /* SHELLWATCH_FUZZ_COMMON_H */
