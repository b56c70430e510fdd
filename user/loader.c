// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "loader.h"
#include "shellwatch.h"

/* glibc options that take the next argument, when there is one */
static const char *const glibc_with_arg[] = {
	"--library-path", "--inhibit-rpath", "--audit", "--preload", "--argv0",
	"--glibc-hwcaps-prepend", "--glibc-hwcaps-mask", NULL,
};

static bool in_list(const char *s, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/*
 * glibc: options are whole arguments. One taking a value takes the next
 * argument only when another follows it; else it is an unknown option and
 * the loader stops. --list, --verify and --help load without running;
 * --version, --list-tunables and --list-diagnostics print and exit; "--"
 * ends the options; the first argument not starting with "--" is the
 * program.
 */
static int glibc_program(const struct argv_list *a, struct loader_run *out)
{
	bool runs = true;
	const char *s;
	int i = 1;

	while (i < a->argc) {
		s = a->v[i];
		if (a->last_cut && i == a->argc - 1)
			return -EAGAIN;
		if (!strcmp(s, "--list") || !strcmp(s, "--verify") ||
		    !strcmp(s, "--help")) {
			runs = false;
			i++;
		} else if (!strcmp(s, "--inhibit-cache")) {
			i++;
		} else if (in_list(s, glibc_with_arg) && i + 1 < a->argc) {
			if (!strcmp(s, "--argv0"))
				out->argv0 = a->v[i + 1];
			i += 2;
		} else if (!strcmp(s, "--version") ||
			   !strcmp(s, "--list-tunables") ||
			   !strcmp(s, "--list-diagnostics")) {
			return -ENOENT;
		} else if (s[0] == '-' && s[1] == '-') {
			if (s[2])
				return -ENOENT;	/* unknown: usage and exit */
			i++;
			break;
		} else {
			break;
		}
	}
	if (i >= a->argc || !runs)
		return -ENOENT;
	if (a->last_cut && i == a->argc - 1)
		return -EAGAIN;
	out->prog = i;
	return 0;
}

/*
 * musl value options: "--name=value", or "--name" and the next argument;
 * anything else after the name stops the loader
 */
static int musl_value(const char *opt, const char *name, int *i,
		      const struct argv_list *a, const char **value)
{
	size_t n = strlen(name);

	if (strncmp(opt, name, n))
		return 1;	/* not this option */
	if (opt[n] == '=') {
		*value = opt + n + 1;
		return 0;
	}
	if (opt[n])
		return -ENOENT;
	if (*i < a->argc)
		*value = a->v[(*i)++];
	return 0;
}

/*
 * musl: a loader invoked under a name ending in "ldd" only lists. Options
 * are arguments starting with "--": "--" ends them, "--list" lists, three
 * take values; any other stops the loader. The next argument is the
 * program.
 */
static int musl_program(const struct argv_list *a, struct loader_run *out)
{
	static const char *const valued[] = {
		"library-path", "preload", "argv0", NULL,
	};
	const char *opt, *value;
	size_t len;
	bool runs = true;
	int i = 1, k, r;

	if (!a->argc)
		return -ENOENT;
	len = strlen(a->v[0]);
	if (len >= 3 && !strcmp(a->v[0] + len - 3, "ldd"))
		runs = false;
	while (i < a->argc && a->v[i][0] == '-' && a->v[i][1] == '-') {
		if (a->last_cut && i == a->argc - 1)
			return -EAGAIN;
		opt = a->v[i++] + 2;
		if (!*opt)
			break;
		if (!strcmp(opt, "list")) {
			runs = false;
			continue;
		}
		for (k = 0; valued[k]; k++) {
			value = NULL;
			r = musl_value(opt, valued[k], &i, a, &value);
			if (r < 0)
				return r;
			if (!r) {
				if (k == 2 && value)
					out->argv0 = value;
				break;
			}
		}
		if (!valued[k])
			return -ENOENT;
	}
	if (i >= a->argc || !runs)
		return -ENOENT;
	if (a->last_cut && i == a->argc - 1)
		return -EAGAIN;
	out->prog = i;
	return 0;
}

int loader_program(unsigned int family, const struct argv_list *a,
		   struct loader_run *out)
{
	memset(out, 0, sizeof(*out));
	switch (family) {
	case SW_FAM_LD_GLIBC:
		return glibc_program(a, out);
	case SW_FAM_LD_MUSL:
		return musl_program(a, out);
	default:
		return -EINVAL;
	}
}
