/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Hex digits, for the ids in cgroup paths and kubelet log names. */
#ifndef SHELLWATCH_HEX_H
#define SHELLWATCH_HEX_H

#include <stdbool.h>

/* c is 0-9, a-f or A-F */
static inline bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

#endif /* SHELLWATCH_HEX_H */
