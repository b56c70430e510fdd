/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Ring buffer records to struct sw_exec. Every length is checked against
 * the record's size and the contract's maxima: a bad record is refused,
 * never read past.
 */
#ifndef SHELLWATCH_DECODE_H
#define SHELLWATCH_DECODE_H

#include <stddef.h>
#include "exec.h"

/* the contract's most bytes of each tail string, by SW_STR_* */
extern const unsigned int decode_str_max[SW_STR_COUNT];

/* decode an exec record of size bytes into ex; 0, or -EINVAL if malformed */
int decode_exec(const void *data, size_t size, struct sw_exec *ex);
/*
 * assemble "/a/b/c" from the leaf-first components "c\0b\0a\0" (n bytes)
 * into out; truncated paths start with "..."; 0, or -ENOSPC if out is small
 */
int decode_path(const char *comps, size_t n, bool truncated, char *out,
		size_t outlen);

#endif /* SHELLWATCH_DECODE_H */
