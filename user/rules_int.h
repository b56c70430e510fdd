/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The ruleset's insides, shared by its loader (rules_yaml.c) and judge (rules.c). */
#ifndef SHELLWATCH_RULES_INT_H
#define SHELLWATCH_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>
#include "glob.h"
#include "rules.h"

enum matcher_type { M_GLOB, M_NUM, M_BOOL };

/* one value a field may match */
struct matcher {
	enum matcher_type type;
	bool b;
	double num;
	struct glob *g;
};

/* one key of a rule's match: a field and the values it may have */
struct rule_key {
	const char *field;		/* from the caller's list */
	unsigned int slot;		/* its index in that list */
	struct matcher *m;
	size_t nm;
};

struct rule {
	char *name;
	int risk;			/* -1: the rule suppresses */
	struct rule_key *keys;
	size_t nkeys;
	uint64_t hits;
	yaml_mark_t mark;		/* of the name, for duplicates */
};

/* the value of one field, looked up once per judge */
struct slot {
	const char *field;
	uint64_t gen;			/* judge that looked it up */
	struct rule_value v;
	char text[32];			/* a number's text, if not given */
};

struct ruleset {
	struct rule *rules;
	size_t n;
	struct slot *slots;		/* one per valid field */
	size_t nslots;
	uint64_t gen;			/* judges so far */
};


#endif /* SHELLWATCH_RULES_INT_H */
