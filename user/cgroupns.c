// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "cgroupns.h"

/* components given leaf first, written root first as "/a/b/c" */
static int put_reversed(const char *const *comps, int n, char *out, size_t len)
{
	size_t off = 0, clen;
	int i;

	if (len < 2)
		return -ENAMETOOLONG;
	if (!n) {
		strcpy(out, "/");
		return 0;
	}
	for (i = n - 1; i >= 0; i--) {
		clen = strlen(comps[i]);
		if (off + 1 + clen >= len)
			return -ENAMETOOLONG;
		out[off++] = '/';
		memcpy(out + off, comps[i], clen);
		off += clen;
	}
	out[off] = '\0';
	return 0;
}

int cgroupns_parse(const char *buf, size_t len, char *v2, size_t v2_len,
		   char *v1, size_t v1_len)
{
	const char *comps[SW_PATH_DEPTH], *tag, *p = buf, *end = buf + len;
	const char *nul;
	char *out;
	size_t out_len;
	int n, err;

	if (v2_len)
		v2[0] = '\0';
	if (v1_len)
		v1[0] = '\0';
	while (p < end) {
		tag = p;
		nul = memchr(p, '\0', end - p);
		if (!nul)
			return -EINVAL;
		if (!strcmp(tag, "2")) {
			out = v2;
			out_len = v2_len;
		} else if (!strcmp(tag, "1")) {
			out = v1;
			out_len = v1_len;
		} else {
			return -EINVAL;
		}
		p = nul + 1;
		/* components up to the empty one */
		for (n = 0;; n++) {
			nul = p < end ? memchr(p, '\0', end - p) : NULL;
			if (!nul)
				return -EINVAL;
			if (nul == p)
				break;
			if (n == SW_PATH_DEPTH || memchr(p, '/', nul - p))
				return -EINVAL;
			comps[n] = p;
			p = nul + 1;
		}
		p++;
		err = put_reversed(comps, n, out, out_len);
		if (err)
			return err;
	}
	return 0;
}

int cgroupns_resolve(const char *root, const char *rel, char *out, size_t len)
{
	size_t off, clen;
	const char *c;
	char *slash;

	if (rel[0] != '/')
		return -EINVAL;
	if (!root || !root[0])
		root = "/";
	off = strlen(root);
	if (off >= len)
		return -ENAMETOOLONG;
	memcpy(out, root, off);
	/* "/" is the empty path: components are added as "/name" */
	if (off == 1)
		off = 0;
	out[off] = '\0';
	for (c = rel; *c;) {
		while (*c == '/')
			c++;
		clen = strcspn(c, "/");
		if (!clen)
			break;
		if (clen == 2 && !memcmp(c, "..", 2)) {
			/* above the initial root is the initial root */
			slash = strrchr(out, '/');
			off = slash ? (size_t)(slash - out) : 0;
			out[off] = '\0';
		} else if (!(clen == 1 && c[0] == '.')) {
			if (off + 1 + clen >= len)
				return -ENAMETOOLONG;
			out[off++] = '/';
			memcpy(out + off, c, clen);
			off += clen;
			out[off] = '\0';
		}
		c += clen;
	}
	if (!off) {
		if (len < 2)
			return -ENAMETOOLONG;
		strcpy(out, "/");
	}
	return 0;
}

bool cgroupns_outside(const char *rel)
{
	return !strncmp(rel, "/..", 3) && (rel[3] == '/' || !rel[3]);
}
