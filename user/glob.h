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

/*
 * longest pattern compiled, in bytes: longer than the longest value a rule
 * can match but for the command line (4 KiB), and it bounds the matcher's
 * work per byte of the value (glob_words())
 */
#define GLOB_LEN_MAX		1024

struct glob;

/* compile pat[0..len) into *out (freed with glob_free()); 0, -EINVAL with *why, or -ENOMEM */
int glob_compile(const char *pat, size_t len, struct glob **out,
		 const char **why);
/* free a compiled glob; accepts NULL */
void glob_free(struct glob *g);
/* segments of g (runs of stars + 1): a rough cost of matching it */
unsigned int glob_segments(const struct glob *g);
/*
 * the matcher's work per byte of a value: 64-bit words of its longest
 * unanchored segment (1 to GLOB_LEN_MAX / 64), or 0 when it has none.
 * Matching n bytes costs at most n times this plus the pattern's length.
 */
unsigned int glob_words(const struct glob *g);
/* whether glob g matches all n bytes of str, in time linear in n */
bool glob_match(const struct glob *g, const char *str, size_t n);

#endif /* SHELLWATCH_GLOB_H */
