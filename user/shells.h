/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The set of names that make a process a shell. */
#ifndef SHELLWATCH_SHELLS_H
#define SHELLWATCH_SHELLS_H

#include <stdbool.h>
#include <stddef.h>
#include "shellwatch.h"

#define SHELLS_MAX	64

/* the default set, as --shells takes it */
#define SHELLS_DEFAULT \
	"sh,bash,rbash,dash,ash,hush,zsh,zsh-static,ksh,ksh93,mksh,lksh,pdksh," \
	"oksh,loksh,posh,csh,bsd-csh,tcsh,fish,yash,sash,rc,es,elvish,xonsh,rush"

struct shell_set {
	int n;
	char names[SHELLS_MAX][SW_NAME_LEN];
};

/* parse a comma-separated list into set; 0, or -EINVAL with a message in err */
int shells_parse(struct shell_set *set, const char *list, char *err,
		 size_t errlen);
/* whether name is in the set */
bool shells_has(const struct shell_set *set, const char *name);
/* whether name is a multi-call binary whose applet is argv[0] */
bool shells_is_multicall(const char *name);
/* the multi-call binary names, NULL-terminated */
extern const char *const shells_multicall[];
/* write the set as a comma-separated list into buf */
void shells_format(const struct shell_set *set, char *buf, size_t len);

#endif /* SHELLWATCH_SHELLS_H */
