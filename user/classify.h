/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shell classification in user space, for processes found running at start.
 * It follows the kernel side's rules (bpf/shellwatch.bpf.c) step for step.
 */
#ifndef SHELLWATCH_CLASSIFY_H
#define SHELLWATCH_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "shells.h"

struct classify_in {
	const char *binary;	/* basename of the binary the exec resolved to */
	const char *invoked;	/* basename of the path as invoked (comm) */
	const char *argv;	/* argv, NUL-separated */
	size_t argv_len;
	bool fileless;		/* the binary has no link */
};

struct classify_out {
	unsigned int match;		/* enum sw_match */
	bool multicall;			/* binary is busybox, toybox, ... */
	char shell[SW_NAME_LEN];	/* the name that matched */
};

/* classify one exec; returns out->match (SW_MATCH_NONE for no shell) */
unsigned int classify_exec(const struct shell_set *set,
			   const struct classify_in *in,
			   struct classify_out *out);
/* the basename of path (after the last '/'), path itself when none */
const char *classify_basename(const char *path);
/* the name of a match kind for the output: "binary", "invoked_name", ... */
const char *classify_match_name(unsigned int match);

#endif /* SHELLWATCH_CLASSIFY_H */
