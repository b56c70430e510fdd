// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "multicall.h"
#include "shellwatch.h"

static bool prefixed(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool cut_at(const struct argv_list *a, int i)
{
	return a->last_cut && i == a->argc - 1;
}

/*
 * busybox: argv[0] loses one leading '-' (login shells), then its
 * directories; a name beginning with "busybox" hands over to the next
 * argument, which loses its directories but not a '-', again and again
 */
static int busybox_applet(const struct argv_list *a, struct mc_applet *out)
{
	const char *name, *next;
	int i = 0;

	if (!a->argc)
		return -ENOENT;
	if (cut_at(a, 0))
		return -EAGAIN;
	name = a->v[0];
	if (name[0] == '-')
		name++;
	name = argv_basename(name);
	/* each level consumes an argument: argc bounds the walk */
	while (prefixed(name, "busybox")) {
		if (i + 1 >= a->argc)
			return -ENOENT;	/* "busybox" alone prints its help */
		next = a->v[i + 1];
		if (prefixed(next, "--list") || !strcmp(next, "--install") ||
		    !strcmp(next, "--help") || !strcmp(next, "--show"))
			return -ENOENT;
		i++;
		if (cut_at(a, i))
			return -EAGAIN;
		name = argv_basename(next);
	}
	out->idx = i;
	out->name = name;
	return 0;
}

/*
 * the part of path after its last '/', trailing '/'s ignored as POSIX
 * basename() does; into buf, which holds SW_NAME_LEN bytes: a longer one
 * is cut and names no applet of interest anyway
 */
static const char *posix_basename(const char *path, char *buf)
{
	size_t end = strlen(path), start, len;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	len = end - start;
	if (!len)
		return path[0] == '/' ? "/" : "";
	if (len >= SW_NAME_LEN)
		len = SW_NAME_LEN - 1;
	memcpy(buf, path + start, len);
	buf[len] = '\0';
	return buf;
}

/*
 * toybox: argv[0]'s basename, with no '-' removed; a name beginning with
 * "toybox" hands over to argv[1] once (the multiplexer is only found
 * first). toybox also follows argv[0] as a symbolic link when the name is
 * unknown: that reads the process's file system and is not followed here.
 */
static int toybox_applet(const struct argv_list *a, struct mc_applet *out,
			 char *buf)
{
	const char *name;
	int i = 0;

	if (!a->argc)
		return -ENOENT;
	if (cut_at(a, 0))
		return -EAGAIN;
	name = posix_basename(a->v[0], buf);
	if (prefixed(name, "toybox")) {
		if (a->argc < 2)
			return -ENOENT;
		i = 1;
		if (cut_at(a, 1))
			return -EAGAIN;
		name = posix_basename(a->v[1], buf);
	}
	out->idx = i;
	out->name = name;
	return 0;
}

int multicall_applet(unsigned int family, const struct argv_list *a,
		     struct mc_applet *out)
{
	memset(out, 0, sizeof(*out));
	switch (family) {
	case SW_FAM_BUSYBOX:
		return busybox_applet(a, out);
	case SW_FAM_TOYBOX:
		return toybox_applet(a, out, out->buf);
	default:
		return -EINVAL;
	}
}
