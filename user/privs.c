// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include "privs.h"

/* what each grant is for, as the error says it */
struct grant {
	cap_value_t cap;
	const char *name;
	const char *why;
	unsigned int need;	/* PRIVS_NEED_* that ask for it */
	bool admin_covers;	/* CAP_SYS_ADMIN stands in for it */
};

static const struct grant grants[] = {
	{ CAP_BPF, "CAP_BPF", "load the BPF programs and maps",
	  PRIVS_NEED_LOAD, true },
	{ CAP_PERFMON, "CAP_PERFMON", "attach the tracing programs",
	  PRIVS_NEED_LOAD, true },
	{ CAP_SYS_PTRACE, "CAP_SYS_PTRACE",
	  "the start-up scan reads other processes' exe and cwd; or --no-scan",
	  PRIVS_NEED_SCAN, false },
	{ CAP_DAC_READ_SEARCH, "CAP_DAC_READ_SEARCH",
	  "the start-up scan reads every process's /proc entries; or --no-scan",
	  PRIVS_NEED_SCAN, false },
	{ CAP_SETPCAP, "CAP_SETPCAP",
	  "drop the other capabilities from the bounding set; or --keep-privileges",
	  PRIVS_NEED_DROP, false },
};

int privs_have(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return 0;
	cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

int privs_missing(unsigned int need, char *buf, size_t len)
{
	bool admin = privs_have(CAP_SYS_ADMIN);
	size_t i, off = 0;
	int n, missing = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
		const struct grant *g = &grants[i];

		if (!(g->need & need) || privs_have(g->cap) ||
		    (g->admin_covers && admin))
			continue;
		n = snprintf(buf + off, len > off ? len - off : 0, "%s%s (%s)",
			     missing ? ", " : "", g->name, g->why);
		if (n > 0)
			off += n;
		missing++;
	}
	return missing;
}

int privs_check(unsigned int need)
{
	char list[512];
	int n = privs_missing(need, list, sizeof(list));

	if (!n)
		return 0;
	fprintf(stderr,
		"shellwatch: missing capabilit%s %s: grant %s or run as root (see README, Least privilege)\n",
		n > 1 ? "ies" : "y", list, n > 1 ? "them" : "it");
	return -EPERM;
}

int privs_drop(void)
{
	/*
	 * CAP_BPF for the maps; the two that let the content judge open
	 * other processes' /proc/<pid>/exe and read binaries of any mode
	 * (user/judge.c), and the user names read below /proc/<pid>/root
	 * (user/users.c), kept when granted
	 */
	const cap_value_t wanted[] = {
		CAP_BPF, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH,
	};
	cap_value_t keep[3], c;
	int err = 0, nkeep = 0, i;
	bool kept;
	cap_t caps;

	/* the bounding set first: dropping from it needs CAP_SETPCAP */
	if (!privs_have(CAP_SETPCAP))
		return -EPERM;
	for (i = 0; i < 3; i++)
		if (wanted[i] == CAP_BPF || privs_have(wanted[i]))
			keep[nkeep++] = wanted[i];
	for (c = 0; c <= CAP_LAST_CAP; c++) {
		kept = false;
		for (i = 0; i < nkeep; i++)
			kept |= c == keep[i];
		if (!kept && cap_drop_bound(c) && errno != EINVAL)
			return -errno;
	}
	caps = cap_init();
	if (!caps)
		return -errno;
	if (cap_set_flag(caps, CAP_EFFECTIVE, nkeep, keep, CAP_SET) ||
	    cap_set_flag(caps, CAP_PERMITTED, nkeep, keep, CAP_SET) ||
	    cap_set_proc(caps))
		err = -errno;
	cap_free(caps);
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = -errno;
	return err;
}
