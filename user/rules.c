// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The allowlist rules engine's judge (rules.h): each field is looked up
 * once per judge, rules are tested in order, a rule's keys cheapest first
 * (as the loader, rules_yaml.c, sorted them), globs matched by glob.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rules_int.h"

void rules_free(struct ruleset *rs)
{
	struct rule_key *key;
	size_t i, k, m;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++) {
		for (k = 0; k < rs->rules[i].nkeys; k++) {
			key = &rs->rules[i].keys[k];
			for (m = 0; m < key->nm; m++)
				glob_free(key->m[m].g);
			free(key->m);
		}
		free(rs->rules[i].keys);
		free(rs->rules[i].name);
	}
	free(rs->rules);
	free(rs->slots);
	free(rs);
}

size_t rules_count(const struct ruleset *rs)
{
	return rs ? rs->n : 0;
}

const char *rules_name(const struct ruleset *rs, size_t i)
{
	return rs && i < rs->n ? rs->rules[i].name : NULL;
}

uint64_t rules_hits(const struct ruleset *rs, size_t i)
{
	return rs && i < rs->n ? rs->rules[i].hits : 0;
}

/* judging */

/* the slot of a field, looked up once per judge */
static struct slot *value_of(struct ruleset *rs, unsigned int slot,
			     rules_lookup_fn lookup, void *ctx)
{
	struct slot *s = &rs->slots[slot];
	struct rule_value *v = &s->v;

	if (s->gen == rs->gen)
		return s;
	s->gen = rs->gen;
	*v = (struct rule_value){ .type = RULE_V_MISSING };
	lookup(ctx, s->field, v);
	if (v->type == RULE_V_BOOL) {
		v->str = v->b ? "true" : "false";
		v->len = strlen(v->str);
	} else if (v->type == RULE_V_STR && !v->str) {
		v->str = "";
		v->len = 0;
	}
	return s;
}

/* the text of a number without one, printed when a glob needs it */
static void number_text(struct slot *s)
{
	double x = s->v.num;
	int n;

	/* integers as the daemon prints them, the rest exactly */
	if (x > -9.2e18 && x < 9.2e18 && x == (double)(long long)x)
		n = snprintf(s->text, sizeof(s->text), "%lld", (long long)x);
	else
		n = snprintf(s->text, sizeof(s->text), "%.17g", x);
	s->v.str = s->text;
	s->v.len = n > 0 ? (size_t)n : 0;
}

/* whether the value in s (not missing) matches m */
static bool matcher_matches(const struct matcher *m, struct slot *s)
{
	const struct rule_value *v = &s->v;

	switch (m->type) {
	case M_NUM:
		return v->type == RULE_V_NUM && v->num == m->num;
	case M_BOOL:
		return v->type == RULE_V_BOOL && v->b == m->b;
	case M_GLOB:
		if (!v->str)
			number_text(s);
		return glob_match(m->g, v->str, v->len);
	}
	return false;
}

/* whether every key of r matches; a missing field matches nothing */
static bool rule_matches(struct ruleset *rs, const struct rule *r,
			 rules_lookup_fn lookup, void *ctx)
{
	const struct rule_key *key;
	struct slot *s;
	size_t k, m;

	for (k = 0; k < r->nkeys; k++) {
		key = &r->keys[k];
		s = value_of(rs, key->slot, lookup, ctx);
		if (s->v.type == RULE_V_MISSING)
			return false;
		for (m = 0; m < key->nm; m++)
			if (matcher_matches(&key->m[m], s))
				break;
		if (m == key->nm)
			return false;
	}
	return true;
}

void rules_judge(struct ruleset *rs, rules_lookup_fn lookup, void *ctx,
		 struct rules_verdict *v)
{
	struct rule *r;
	size_t i;

	v->suppressed_by = -1;
	v->risk_score = -1;
	v->risk_rule = -1;
	if (!rs)
		return;
	rs->gen++;
	for (i = 0; i < rs->n; i++) {
		r = &rs->rules[i];
		if (!rule_matches(rs, r, lookup, ctx))
			continue;
		r->hits++;
		if (r->risk < 0) {
			if (v->suppressed_by < 0)
				v->suppressed_by = (int)i;
		} else if (r->risk > v->risk_score) {
			v->risk_score = r->risk;
			v->risk_rule = (int)i;
		}
	}
}
