// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the allowlist, loaded at start and again on SIGHUP */
#include <errno.h>
#include <stdio.h>
#include "daemon.h"
#include "reload.h"
#include "rule_fields.h"
#include "rules.h"
#include "run.h"

int reload_load(struct daemon *d, struct ruleset **out)
{
	char err[512];

	*out = rule_fields_load(d->opts.rules, err, sizeof(err));
	if (*out)
		return 0;
	fprintf(stderr, "shellwatch: %s\n", err);
	return -EINVAL;
}

void reload_rules(struct daemon *d)
{
	struct ruleset *rs;

	if (!d->opts.rules[0])
		return;
	/* execs before the reload are judged by the rules they met */
	run_drain(d);
	if (reload_load(d, &rs)) {
		d->reloads_refused++;
		fprintf(stderr, "shellwatch: kept the %zu rules in force\n",
			rules_count(d->ev.rules));
		return;
	}
	rules_free(d->ev.rules);
	d->ev.rules = rs;
	tap_rules(&d->tap, d->opts.rules);
	fprintf(stderr, "shellwatch: loaded %zu rules from %s\n",
		rules_count(rs), d->opts.rules);
}
