/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The rules' globs: '*' any bytes ('/' included), '?' one byte, '[a-z]'
 * '[!a-z]' '[^a-z]' one byte of (not of) a set of ASCII bytes, '\\x' the
 * byte x; a glob matches the whole value, byte by byte, case-sensitive.
 */
#ifndef SHELLWATCH_GLOB_H
#define SHELLWATCH_GLOB_H

#include <stdbool.h>
#include <stddef.h>

/* longest pattern compiled */
#define GLOB_LEN_MAX		(16 << 20)

struct glob;

/* compile pat[0..len) into *out (freed with free()); 0, -EINVAL with *why, or -ENOMEM */
int glob_compile(const char *pat, size_t len, struct glob **out,
		 const char **why);
/* segments of g (runs of stars + 1): a rough cost of matching it */
unsigned int glob_segments(const struct glob *g);
/* whether glob g matches all n bytes of str */
bool glob_match(const struct glob *g, const char *str, size_t n);

#endif /* SHELLWATCH_GLOB_H */
