// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "shells.h"

const char *const shells_multicall[] = { "busybox", "toybox", NULL };

bool shells_is_multicall(const char *name)
{
	int i;

	for (i = 0; shells_multicall[i]; i++)
		if (!strcmp(name, shells_multicall[i]))
			return true;
	return false;
}

bool shells_has(const struct shell_set *set, const char *name)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (!strncmp(set->names[i], name, SW_NAME_LEN))
			return true;
	return false;
}

/* a name is what a basename can be, short enough for the kernel's key */
static int check_name(const char *name, size_t len, char *err, size_t errlen)
{
	size_t i;

	if (!len) {
		snprintf(err, errlen, "empty shell name");
		return -EINVAL;
	}
	if (len >= SW_NAME_LEN) {
		snprintf(err, errlen, "shell name '%.*s' is longer than %d bytes",
			 (int)len, name, SW_NAME_LEN - 1);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = name[i];

		if (c == '/' || c <= ' ' || c == 0x7f) {
			snprintf(err, errlen,
				 "shell name '%.*s' has a '/', a space or a control byte",
				 (int)len, name);
			return -EINVAL;
		}
	}
	return 0;
}

int shells_parse(struct shell_set *set, const char *list, char *err,
		 size_t errlen)
{
	const char *p = list, *comma;
	char name[SW_NAME_LEN];
	size_t len;
	int err_;

	memset(set, 0, sizeof(*set));
	for (;;) {
		comma = strchr(p, ',');
		len = comma ? (size_t)(comma - p) : strlen(p);
		err_ = check_name(p, len, err, errlen);
		if (err_)
			return err_;
		memcpy(name, p, len);
		name[len] = '\0';
		if (shells_is_multicall(name)) {
			snprintf(err, errlen,
				 "'%s' is a multi-call binary: its shell applets are matched by name (sh, ash)",
				 name);
			return -EINVAL;
		}
		if (!shells_has(set, name)) {
			if (set->n == SHELLS_MAX) {
				snprintf(err, errlen, "more than %d shell names",
					 SHELLS_MAX);
				return -EINVAL;
			}
			memcpy(set->names[set->n++], name, len + 1);
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
}

void shells_format(const struct shell_set *set, char *buf, size_t len)
{
	size_t off = 0;
	int i, n;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < set->n; i++) {
		n = snprintf(buf + off, len - off, "%s%s", i ? "," : "",
			     set->names[i]);
		if (n < 0 || (size_t)n >= len - off)
			return;
		off += n;
	}
}
