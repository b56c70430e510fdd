/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* the allowlist: loaded at start, again on SIGHUP */
#ifndef SHELLWATCH_RELOAD_H
#define SHELLWATCH_RELOAD_H

struct daemon;
struct ruleset;

/* load the allowlist; 0, or -errno after saying FILE:LINE:COLUMN: why */
int reload_load(struct daemon *d, struct ruleset **out);
/* new rules for every exec from now on; bad ones keep the old */
void reload_rules(struct daemon *d);

#endif /* SHELLWATCH_RELOAD_H */
