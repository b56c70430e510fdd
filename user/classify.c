// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "classify.h"

const char *classify_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

const char *classify_match_name(unsigned int match)
{
	switch (match) {
	case SW_MATCH_BINARY:
		return "binary";
	case SW_MATCH_INVOKED:
		return "invoked_name";
	case SW_MATCH_APPLET:
		return "applet";
	case SW_MATCH_ARGV0:
		return "argv0";
	case SW_MATCH_CONTENT:
		return "content";
	case SW_MATCH_LOADER:
		return "loader";
	default:
		return "none";
	}
}

/* a name the kernel can look up: shorter than its key */
static bool name_fits(const char *name)
{
	return name && strnlen(name, SW_NAME_LEN) < SW_NAME_LEN;
}

/*
 * the basename of argv element idx as the kernel reads it: the element must
 * fit in SW_ARGV0_MAX bytes with its NUL; NULL when it does not
 */
static const char *argv_basename(const struct classify_in *in, int idx,
				 size_t *elem_len)
{
	size_t off = 0, len;
	int i;

	for (i = 0; i < idx; i++) {
		len = strnlen(in->argv + off, in->argv_len - off);
		if (off + len >= in->argv_len)
			return NULL;
		off += len + 1;
	}
	if (off >= in->argv_len)
		return NULL;
	len = strnlen(in->argv + off, in->argv_len - off);
	/* the element must end inside argv and inside the kernel's read */
	if (off + len >= in->argv_len || len + 1 >= SW_ARGV0_MAX || !len)
		return NULL;
	if (elem_len)
		*elem_len = len;
	return classify_basename(in->argv + off);
}

static unsigned int found(struct classify_out *out, unsigned int match,
			  const char *name)
{
	out->match = match;
	strncpy(out->shell, name, SW_NAME_LEN - 1);
	out->shell[SW_NAME_LEN - 1] = '\0';
	return match;
}

unsigned int classify_exec(const struct shell_set *set,
			   const struct classify_in *in,
			   struct classify_out *out)
{
	const char *applet;

	memset(out, 0, sizeof(*out));
	if (name_fits(in->binary)) {
		if (shells_has(set, in->binary))
			return found(out, SW_MATCH_BINARY, in->binary);
		if (shells_is_multicall(in->binary)) {
			out->multicall = true;
			applet = argv_basename(in, 0, NULL);
			if (!name_fits(applet))
				return SW_MATCH_NONE;
			if (shells_has(set, applet))
				return found(out, SW_MATCH_APPLET, applet);
			/* "busybox sh -c ...": the applet is argv[1] */
			if (shells_is_multicall(applet)) {
				applet = argv_basename(in, 1, NULL);
				if (name_fits(applet) && shells_has(set, applet))
					return found(out, SW_MATCH_APPLET, applet);
			}
			return SW_MATCH_NONE;
		}
	}
	if (name_fits(in->invoked) && shells_has(set, in->invoked))
		return found(out, SW_MATCH_INVOKED, in->invoked);
	if (in->fileless) {
		applet = argv_basename(in, 0, NULL);
		if (name_fits(applet) && shells_has(set, applet))
			return found(out, SW_MATCH_ARGV0, applet);
	}
	return SW_MATCH_NONE;
}
