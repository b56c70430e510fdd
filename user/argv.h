/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* argv as the kernel captures it: NUL-separated elements, maybe cut. */
#ifndef SHELLWATCH_ARGV_H
#define SHELLWATCH_ARGV_H

#include <stdbool.h>
#include <stddef.h>

#define ARGV_SPLIT_MAX	256

struct argv_list {
	int argc;
	bool last_cut;		/* the last element has no NUL: it was cut */
	const char *v[ARGV_SPLIT_MAX];
};

/*
 * split buf (len bytes, not NUL-terminated as a whole) into elements; the
 * elements point into buf, a cut last one is copied into tail (tail_len
 * bytes) so that it ends; at most ARGV_SPLIT_MAX elements are kept
 */
void argv_split(struct argv_list *a, const char *buf, size_t len, char *tail,
		size_t tail_len);
/* the part of path after its last '/' (path itself when none) */
const char *argv_basename(const char *path);

#endif /* SHELLWATCH_ARGV_H */
