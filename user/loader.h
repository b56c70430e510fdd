/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which program an exec of a dynamic loader runs, read from its arguments
 * as the loader reads its own options: glibc's elf/rtld.c, musl's
 * ldso/dynlink.c.
 */
#ifndef SHELLWATCH_LOADER_H
#define SHELLWATCH_LOADER_H

#include "argv.h"

struct loader_run {
	int prog;		/* the argv element naming the program */
	const char *argv0;	/* the program's argv[0] (--argv0), or NULL */
};

/*
 * the program the loader of family (SW_FAM_LD_GLIBC, SW_FAM_LD_MUSL) runs
 * for argv; 0, -ENOENT when it runs none (--list, --verify, --help, a bad
 * option, no program), -EAGAIN when the deciding element was cut off
 */
int loader_program(unsigned int family, const struct argv_list *a,
		   struct loader_run *out);

#endif /* SHELLWATCH_LOADER_H */
