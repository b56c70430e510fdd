// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "argv.h"

void argv_split(struct argv_list *a, const char *buf, size_t len, char *tail,
		size_t tail_len)
{
	size_t off = 0, n;

	memset(a, 0, sizeof(*a));
	while (off < len && a->argc < ARGV_SPLIT_MAX) {
		n = strnlen(buf + off, len - off);
		if (off + n == len) {
			/* no NUL before the end: keep what there is, ended */
			a->last_cut = true;
			if (!tail_len)
				break;
			if (n >= tail_len)
				n = tail_len - 1;
			memcpy(tail, buf + off, n);
			tail[n] = '\0';
			a->v[a->argc++] = tail;
			break;
		}
		a->v[a->argc++] = buf + off;
		off += n + 1;
	}
}

const char *argv_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}
