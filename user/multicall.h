/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which applet a multi-call binary runs, by the binary's own rules:
 * busybox's (libbb/appletlib.c) and toybox's (main.c).
 */
#ifndef SHELLWATCH_MULTICALL_H
#define SHELLWATCH_MULTICALL_H

#include "argv.h"
#include "shellwatch.h"

/* most "busybox busybox ..." levels followed, in the kernel too */
#define MULTICALL_DEPTH	8

struct mc_applet {
	int idx;		/* the argv element that names the applet */
	const char *name;	/* the applet's name, in that element or buf */
	char buf[SW_NAME_LEN];
};

/*
 * the applet the binary of family (SW_FAM_BUSYBOX, SW_FAM_TOYBOX) runs for
 * argv; 0, -ENOENT when it runs none (help, --list, --install, no
 * argument), -EAGAIN when the deciding element was cut off
 */
int multicall_applet(unsigned int family, const struct argv_list *a,
		     struct mc_applet *out);

#endif /* SHELLWATCH_MULTICALL_H */
