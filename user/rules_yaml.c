// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The rules file loader (rules.h). The file is read with libyaml's event
 * API, so that every error can point at the node it is about. Globs are
 * compiled at load (glob.c); a rule's keys are sorted cheapest first.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "rules_int.h"

/* bytes of a scalar quoted in an error message */
#define SHOWN_MAX		64

/* the tags of YAML's core schema, written !!name */
#define TAG_CORE		"tag:yaml.org,2002:"
#define TAG_STR			TAG_CORE "str"

/* a load in progress */
struct loader {
	yaml_parser_t p;
	yaml_event_t ev;		/* the current event */
	bool have_ev;
	const char *name;
	const char *text;
	size_t len;
	const char *const *fields;
	char *err;
	size_t errlen;
	struct ruleset *rs;
	size_t nvalues;			/* values of every rule so far */
	size_t glob_bytes;		/* bytes of their globs */
	char shown[SHOWN_MAX + 8];
};

enum skind { S_STR, S_NUM, S_BOOL, S_NULL };

static const char *const rule_keys[] = { "name", "reason", "match",
					 "risk_score", NULL };
enum { RK_NAME, RK_REASON, RK_MATCH, RK_RISK };

/* messages */

/* write "NAME:LINE:COL: message" for mark m; returns -EINVAL */
__attribute__((format(printf, 3, 4)))
static int fail_at(struct loader *ld, yaml_mark_t m, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->err && ld->errlen)
		snprintf(ld->err, ld->errlen, "%s:%zu:%zu: %s", ld->name,
			 m.line + 1, m.column + 1, msg);
	return -EINVAL;
}

/* fail at the current event */
#define fail(ld, ...)	fail_at((ld), (ld)->ev.start_mark, __VA_ARGS__)

static int fail_nomem(struct loader *ld)
{
	if (ld->err && ld->errlen)
		snprintf(ld->err, ld->errlen, "%s: out of memory", ld->name);
	return -ENOMEM;
}

/* s[0..n) for a message: cut at SHOWN_MAX bytes, control bytes as '?' */
static const char *show(struct loader *ld, const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && i < SHOWN_MAX; i++) {
		unsigned char c = s[i];

		ld->shown[k++] = c < ' ' || c == 0x7f ? '?' : c;
	}
	if (i < n)
		k += sprintf(ld->shown + k, "...");
	ld->shown[k] = '\0';
	return ld->shown;
}

static const char *scalar(const struct loader *ld)
{
	return (const char *)ld->ev.data.scalar.value;
}

static size_t scalar_len(const struct loader *ld)
{
	return ld->ev.data.scalar.length;
}

/* the current scalar, for a message */
static const char *shown(struct loader *ld)
{
	return show(ld, scalar(ld), scalar_len(ld));
}

/* line and column of a byte offset, for reader errors that have no mark */
static yaml_mark_t mark_of(const struct loader *ld, size_t off)
{
	yaml_mark_t m = { .index = off };
	size_t i;

	for (i = 0; i < off && i < ld->len; i++) {
		if (ld->text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else if (((unsigned char)ld->text[i] & 0xc0) != 0x80) {
			m.column++;
		}
	}
	return m;
}

/* the parser's error as a message */
static int fail_yaml(struct loader *ld)
{
	const yaml_parser_t *p = &ld->p;
	const char *problem = p->problem ? p->problem : "unknown error";

	if (p->error == YAML_MEMORY_ERROR)
		return fail_nomem(ld);
	if (p->error == YAML_READER_ERROR)
		return fail_at(ld, mark_of(ld, p->problem_offset),
			       "YAML syntax error: %s", problem);
	if (p->problem_mark.index < ld->len &&
	    ld->text[p->problem_mark.index] == '\t')
		return fail_at(ld, p->problem_mark,
			       "YAML syntax error: %s (a tab: indent with spaces)",
			       problem);
	if (p->context)
		return fail_at(ld, p->problem_mark,
			       "YAML syntax error: %s (%s at %zu:%zu)", problem,
			       p->context, p->context_mark.line + 1,
			       p->context_mark.column + 1);
	return fail_at(ld, p->problem_mark, "YAML syntax error: %s", problem);
}

/* parse the whole text once: syntax errors come before any other */
static int check_syntax(struct loader *ld)
{
	yaml_event_type_t type;
	int err;

	if (!yaml_parser_initialize(&ld->p))
		return fail_nomem(ld);
	yaml_parser_set_input_string(&ld->p, (const unsigned char *)ld->text,
				     ld->len);
	do {
		if (!yaml_parser_parse(&ld->p, &ld->ev)) {
			err = fail_yaml(ld);
			yaml_parser_delete(&ld->p);
			return err;
		}
		type = ld->ev.type;
		yaml_event_delete(&ld->ev);
	} while (type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&ld->p);
	return 0;
}

/* events */

/* move to the next event; 0 or -errno */
static int next(struct loader *ld)
{
	if (ld->have_ev)
		yaml_event_delete(&ld->ev);
	ld->have_ev = yaml_parser_parse(&ld->p, &ld->ev);
	if (!ld->have_ev)
		return fail_yaml(ld);
	return 0;
}

static bool is(const struct loader *ld, yaml_event_type_t type)
{
	return ld->ev.type == type;
}

/* refuse an alias, which is what a plain '*glob' is to YAML */
static int no_alias(struct loader *ld)
{
	if (is(ld, YAML_ALIAS_EVENT))
		return fail(ld, "YAML aliases are not supported (quote a glob that starts with '*')");
	return 0;
}

/* the current event must be a mapping key */
static int expect_key(struct loader *ld)
{
	int err = no_alias(ld);

	if (err)
		return err;
	if (!is(ld, YAML_SCALAR_EVENT))
		return fail(ld, "a key must be a plain name, not a list or a mapping");
	return 0;
}

/* whether the current scalar is s */
static bool scalar_is(const struct loader *ld, const char *s)
{
	size_t n = scalar_len(ld);

	return n == strlen(s) && !memcmp(scalar(ld), s, n);
}

/* index of the current scalar in the NULL-terminated list, or -1 */
static int scalar_in(const struct loader *ld, const char *const *list)
{
	int i;

	for (i = 0; list[i]; i++)
		if (scalar_is(ld, list[i]))
			return i;
	return -1;
}

/* scalars */

/* YAML 1.2 core schema decimal int or float (no .inf/.nan) */
static bool is_decimal(const char *s, bool int_only)
{
	size_t digits = 0, frac = 0;

	if (*s == '+' || *s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, digits++;
	if (int_only)
		return digits && !*s;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			frac++;
	if (!digits && !frac)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return !*s;
}

/* a plain scalar as a YAML 1.2 core schema number */
static bool parse_number(const char *s, double *num)
{
	static const char *const inf[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	const char *u = s + (*s == '+' || *s == '-');
	const char *digits;
	int base, i;

	if (is_decimal(s, false)) {
		*num = strtod(s, NULL);
		return true;
	}
	for (i = 0; inf[i]; i++) {
		if (!strcmp(u, inf[i])) {
			*num = *s == '-' ? -INFINITY : INFINITY;
			return true;
		}
		if (!strcmp(s, nan[i])) {
			*num = NAN;
			return true;
		}
	}
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'o') || !s[2])
		return false;
	base = s[1] == 'x' ? 16 : 8;
	for (digits = s + 2; *digits; digits++)
		if (!(base == 16 ? strchr("0123456789abcdefABCDEF", *digits) :
				   strchr("01234567", *digits)))
			return false;
	*num = (double)strtoull(s + 2, NULL, base);
	return true;
}

/* what the current scalar is: text, a number, a boolean or null */
static int scalar_kind(struct loader *ld, enum skind *kind, double *num,
		       bool *b)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
					     NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	/* booleans of YAML 1.1 only, too easy to mean either way */
	static const char *const yaml11[] = {
		"yes", "Yes", "YES", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF", NULL,
	};
	const char *tag = (const char *)ld->ev.data.scalar.tag;

	*kind = S_STR;
	if (tag) {
		if (!strcmp(tag, TAG_STR) || !strcmp(tag, "!"))
			return 0;
		if (!strncmp(tag, TAG_CORE, strlen(TAG_CORE)))
			return fail(ld, "unsupported tag '!!%s' (only !!str is)",
				    show(ld, tag + strlen(TAG_CORE),
					 strlen(tag) - strlen(TAG_CORE)));
		return fail(ld, "unsupported tag '%s' (only !!str is)",
			    show(ld, tag, strlen(tag)));
	}
	if (ld->ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	if (scalar_in(ld, nulls) >= 0) {
		*kind = S_NULL;
	} else if (scalar_in(ld, trues) >= 0 || scalar_in(ld, falses) >= 0) {
		*kind = S_BOOL;
		*b = scalar_in(ld, trues) >= 0;
	} else if (scalar_in(ld, yaml11) >= 0) {
		return fail(ld, "'%s' is a boolean to some YAML readers: write true or false, or quote it",
			    shown(ld));
	} else if (parse_number(scalar(ld), num)) {
		*kind = S_NUM;
	}
	return 0;
}

/* ruleset building */

/* add a zeroed element to an array of n; NULL on ENOMEM */
static void *grow(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);

	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* the current scalar as a value field must have */
static int load_value(struct loader *ld, struct rule_key *key)
{
	struct matcher m = { .type = M_GLOB };
	enum skind kind;
	const char *why;
	struct matcher *arr;
	int err;

	err = scalar_kind(ld, &kind, &m.num, &m.b);
	if (err)
		return err;
	if (++ld->nvalues > RULES_VALUES_MAX)
		return fail(ld, "more than %d values in the rules (the most judged per exec)",
			    RULES_VALUES_MAX);
	switch (kind) {
	case S_NULL:
		return fail(ld, "'%s' has no value (a field that is empty or absent never matches)",
			    key->field);
	case S_BOOL:
		m.type = M_BOOL;
		break;
	case S_NUM:
		if (isnan(m.num))
			return fail(ld, "'%s' matches nothing", shown(ld));
		m.type = M_NUM;
		break;
	case S_STR:
		ld->glob_bytes += scalar_len(ld);
		if (ld->glob_bytes > RULES_GLOB_BYTES_MAX)
			return fail(ld, "the globs of the rules are longer than %d KiB in all",
				    RULES_GLOB_BYTES_MAX >> 10);
		err = glob_compile(scalar(ld), scalar_len(ld), &m.g, &why);
		if (err == -ENOMEM)
			return fail_nomem(ld);
		if (err)
			return fail(ld, "bad glob '%s': %s", shown(ld), why);
		break;
	}
	arr = grow(key->m, &key->nm, sizeof(*arr));
	if (!arr) {
		glob_free(m.g);
		return fail_nomem(ld);
	}
	key->m = arr;
	key->m[key->nm - 1] = m;
	return 0;
}

/* a value or a list of them, for key */
static int load_values(struct loader *ld, struct rule_key *key)
{
	yaml_mark_t start = ld->ev.start_mark;
	int err = no_alias(ld);

	if (err)
		return err;
	if (is(ld, YAML_SCALAR_EVENT))
		return load_value(ld, key);
	if (is(ld, YAML_MAPPING_START_EVENT))
		return fail(ld, "'%s': a value is a glob, a number, a boolean or a list of them, not a mapping",
			    key->field);
	for (;;) {
		err = next(ld);
		if (err)
			return err;
		if (is(ld, YAML_SEQUENCE_END_EVENT))
			break;
		err = no_alias(ld);
		if (err)
			return err;
		if (!is(ld, YAML_SCALAR_EVENT))
			return fail(ld, "'%s': list elements must be globs, numbers or booleans",
				    key->field);
		err = load_value(ld, key);
		if (err)
			return err;
	}
	if (!key->nm)
		return fail_at(ld, start, "'%s': an empty list matches nothing",
			       key->field);
	return 0;
}

/* a rough cost of testing key: values by value first, then plain text */
static unsigned int key_cost(const struct rule_key *key)
{
	unsigned int cost = 0;
	size_t m;

	for (m = 0; m < key->nm; m++)
		cost += key->m[m].type != M_GLOB ? 1 : 1 + glob_segments(key->m[m].g);
	return cost;
}

/* test the cheap keys of r first: all must match, in any order */
static void sort_keys(struct rule *r)
{
	struct rule_key key;
	size_t i, j;

	for (i = 1; i < r->nkeys; i++) {
		key = r->keys[i];
		for (j = i; j > 0; j--) {
			if (key_cost(&r->keys[j - 1]) <= key_cost(&key))
				break;
			r->keys[j] = r->keys[j - 1];
		}
		r->keys[j] = key;
	}
}

/* the match mapping of rule r */
static int load_match(struct loader *ld, struct rule *r)
{
	yaml_mark_t start = ld->ev.start_mark;
	struct rule_key *keys;
	int err, slot;
	size_t k;

	err = no_alias(ld);
	if (err)
		return err;
	if (!is(ld, YAML_MAPPING_START_EVENT))
		return fail(ld, "match must be a mapping of field names to globs");
	for (;;) {
		err = next(ld);
		if (err)
			return err;
		if (is(ld, YAML_MAPPING_END_EVENT))
			break;
		err = expect_key(ld);
		if (err)
			return err;
		slot = scalar_in(ld, ld->fields);
		if (slot < 0)
			return fail(ld, "unknown field '%s'", shown(ld));
		for (k = 0; k < r->nkeys; k++)
			if (r->keys[k].slot == (unsigned int)slot)
				return fail(ld, "duplicate field '%s'",
					    shown(ld));
		keys = grow(r->keys, &r->nkeys, sizeof(*keys));
		if (!keys)
			return fail_nomem(ld);
		r->keys = keys;
		keys[r->nkeys - 1].field = ld->fields[slot];
		keys[r->nkeys - 1].slot = slot;
		err = next(ld);
		if (err)
			return err;
		err = load_values(ld, &keys[r->nkeys - 1]);
		if (err)
			return err;
	}
	if (!r->nkeys)
		return fail_at(ld, start, "empty match: a rule must match at least one field");
	sort_keys(r);
	return 0;
}

/* the name of rule r, the last of the ruleset */
static int load_name(struct loader *ld, struct rule *r)
{
	const struct ruleset *rs = ld->rs;
	enum skind kind;
	double num;
	size_t i;
	bool b;
	int err;

	err = no_alias(ld);
	if (!err && !is(ld, YAML_SCALAR_EVENT))
		err = fail(ld, "name must be a string");
	if (!err)
		err = scalar_kind(ld, &kind, &num, &b);
	if (err)
		return err;
	if (kind == S_NULL && !scalar_len(ld))
		return fail(ld, "empty rule name");
	if (kind != S_STR)
		return fail(ld, "name must be a string (quote '%s')", shown(ld));
	if (!scalar_len(ld))
		return fail(ld, "empty rule name");
	if (scalar_len(ld) > RULE_NAME_MAX)
		return fail(ld, "rule name '%s...' is longer than %d bytes",
			    shown(ld), RULE_NAME_MAX);
	for (i = 0; i < scalar_len(ld); i++)
		if ((unsigned char)scalar(ld)[i] < ' ' || scalar(ld)[i] == 0x7f)
			return fail(ld, "rule name '%s' has a control character",
				    shown(ld));
	for (i = 0; i + 1 < rs->n; i++)
		if (!strcmp(rs->rules[i].name, scalar(ld)))
			return fail(ld, "duplicate rule name '%s' (first at %zu:%zu)",
				    shown(ld), rs->rules[i].mark.line + 1,
				    rs->rules[i].mark.column + 1);
	r->name = strdup(scalar(ld));
	if (!r->name)
		return fail_nomem(ld);
	r->mark = ld->ev.start_mark;
	return 0;
}

/* the risk_score of rule r */
static int load_risk(struct loader *ld, struct rule *r)
{
	enum skind kind = S_STR;
	double num;
	bool b;
	int err;

	err = no_alias(ld);
	if (!err && is(ld, YAML_SCALAR_EVENT))
		err = scalar_kind(ld, &kind, &num, &b);
	if (err)
		return err;
	if (!is(ld, YAML_SCALAR_EVENT) || kind != S_NUM ||
	    !is_decimal(scalar(ld), true) || num < 0 || num > 100)
		return fail(ld, "risk_score must be an integer from 0 to 100");
	r->risk = (int)num;
	return 0;
}

/* one rule, a mapping */
static int load_rule(struct loader *ld)
{
	yaml_mark_t start = ld->ev.start_mark;
	bool seen[4] = { false };
	struct ruleset *rs = ld->rs;
	struct rule *rules, *r;
	int err, k;

	err = no_alias(ld);
	if (err)
		return err;
	if (!is(ld, YAML_MAPPING_START_EVENT))
		return fail(ld, "a rule must be a mapping with a name and a match");
	if (rs->n >= RULES_MAX)
		return fail(ld, "more than %d rules", RULES_MAX);
	rules = grow(rs->rules, &rs->n, sizeof(*rules));
	if (!rules)
		return fail_nomem(ld);
	rs->rules = rules;
	r = &rules[rs->n - 1];
	r->risk = -1;
	for (;;) {
		err = next(ld);
		if (err)
			return err;
		if (is(ld, YAML_MAPPING_END_EVENT))
			break;
		err = expect_key(ld);
		if (err)
			return err;
		k = scalar_in(ld, rule_keys);
		if (k < 0)
			return fail(ld, "unknown rule key '%s' (allowed: name, reason, match, risk_score)",
				    shown(ld));
		if (seen[k])
			return fail(ld, "duplicate key '%s'", rule_keys[k]);
		seen[k] = true;
		err = next(ld);
		if (err)
			return err;
		switch (k) {
		case RK_NAME:
			err = load_name(ld, r);
			break;
		case RK_REASON:
			err = no_alias(ld);
			if (!err && !is(ld, YAML_SCALAR_EVENT))
				err = fail(ld, "reason must be a string");
			break;
		case RK_MATCH:
			err = load_match(ld, r);
			break;
		case RK_RISK:
			err = load_risk(ld, r);
			break;
		}
		if (err)
			return err;
	}
	if (!seen[RK_NAME])
		return fail_at(ld, start, "rule has no name");
	if (!seen[RK_MATCH])
		return fail_at(ld, start, "rule '%s' has no match",
			       show(ld, r->name, strlen(r->name)));
	return 0;
}

/* the list of rules */
static int load_rules(struct loader *ld)
{
	int err = no_alias(ld);

	if (err)
		return err;
	if (!is(ld, YAML_SEQUENCE_START_EVENT))
		return fail(ld, "rules must be a list of rules (rules: [] for none)");
	for (;;) {
		err = next(ld);
		if (err)
			return err;
		if (is(ld, YAML_SEQUENCE_END_EVENT))
			return 0;
		err = load_rule(ld);
		if (err)
			return err;
	}
}

/* the document's top node: a mapping with rules, or nothing */
static int load_top(struct loader *ld)
{
	yaml_mark_t start = ld->ev.start_mark;
	bool have_rules = false, b;
	enum skind kind;
	double num;
	int err;

	err = no_alias(ld);
	if (err)
		return err;
	if (is(ld, YAML_SCALAR_EVENT)) {
		err = scalar_kind(ld, &kind, &num, &b);
		if (err || kind == S_NULL)
			return err;
	}
	if (!is(ld, YAML_MAPPING_START_EVENT))
		return fail(ld, "the top level must be a mapping with a 'rules' key");
	for (;;) {
		err = next(ld);
		if (err)
			return err;
		if (is(ld, YAML_MAPPING_END_EVENT))
			break;
		err = expect_key(ld);
		if (err)
			return err;
		if (!scalar_is(ld, "rules"))
			return fail(ld, "unknown top-level key '%s' (the only one is 'rules')",
				    shown(ld));
		if (have_rules)
			return fail(ld, "duplicate key 'rules'");
		have_rules = true;
		err = next(ld);
		if (!err)
			err = load_rules(ld);
		if (err)
			return err;
	}
	if (!have_rules)
		return fail_at(ld, start, "no 'rules' key (write rules: [] for no rule)");
	return 0;
}

/* the whole stream: no document, or one */
static int load_stream(struct loader *ld)
{
	int err;

	err = next(ld);		/* stream start */
	if (!err)
		err = next(ld);
	if (err || is(ld, YAML_STREAM_END_EVENT))
		return err;
	err = next(ld);		/* after the document start */
	if (!err)
		err = load_top(ld);
	if (!err)
		err = next(ld);	/* document end */
	if (!err)
		err = next(ld);
	if (!err && is(ld, YAML_DOCUMENT_START_EVENT))
		return fail(ld, "more than one YAML document");
	return err;
}

static size_t count_fields(const char *const *fields)
{
	size_t n = 0;

	while (fields && fields[n])
		n++;
	return n;
}

struct ruleset *rules_parse(const char *name, const char *text, size_t len,
			    const char *const *fields, char *err,
			    size_t errlen)
{
	static const char *const none[] = { NULL };
	struct loader ld = {
		.name = name ? name : "<rules>",
		.text = text ? text : "",
		.len = text ? len : 0,
		.fields = fields ? fields : none,
		.err = err,
		.errlen = errlen,
	};
	size_t i;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	ld.rs = calloc(1, sizeof(*ld.rs));
	if (!ld.rs) {
		errno = -fail_nomem(&ld);
		return NULL;
	}
	ld.rs->nslots = count_fields(ld.fields);
	ld.rs->slots = calloc(ld.rs->nslots + 1, sizeof(*ld.rs->slots));
	if (!ld.rs->slots) {
		free(ld.rs);
		errno = -fail_nomem(&ld);
		return NULL;
	}
	for (i = 0; i < ld.rs->nslots; i++)
		ld.rs->slots[i].field = ld.fields[i];
	rc = ld.len > RULES_FILE_MAX ?
		fail_at(&ld, mark_of(&ld, 0), "larger than 1 MiB") : 0;
	if (!rc)
		rc = check_syntax(&ld);
	if (!rc && !yaml_parser_initialize(&ld.p))
		rc = fail_nomem(&ld);
	if (!rc) {
		yaml_parser_set_input_string(&ld.p,
					     (const unsigned char *)ld.text,
					     ld.len);
		rc = load_stream(&ld);
		if (ld.have_ev)
			yaml_event_delete(&ld.ev);
		yaml_parser_delete(&ld.p);
	}
	if (rc) {
		rules_free(ld.rs);
		errno = -rc;
		return NULL;
	}
	return ld.rs;
}

/* read all of path into a new *buf, refused past RULES_FILE_MAX (-EFBIG);
 * 0 or -errno */
static int read_rules_file(const char *path, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *b = NULL, *nb;
	FILE *f;
	int err = 0;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	for (;;) {
		nb = realloc(b, cap);
		if (!nb) {
			err = -ENOMEM;
			break;
		}
		b = nb;
		errno = 0;
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (n > RULES_FILE_MAX) {
			err = -EFBIG;
			break;
		}
		if (n < cap) {
			if (ferror(f))
				err = errno ? -errno : -EIO;
			break;
		}
		cap *= 2;
	}
	fclose(f);
	if (err) {
		free(b);
		return err;
	}
	*buf = b;
	*len = n;
	return 0;
}

struct ruleset *rules_load(const char *path, const char *const *fields,
			   char *err, size_t errlen)
{
	struct ruleset *rs;
	char *buf = NULL;
	size_t len = 0;
	int rc, saved;

	rc = read_rules_file(path, &buf, &len);
	if (rc) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path,
				 rc == -EFBIG ? "larger than 1 MiB" :
						strerror(-rc));
		errno = -rc;
		return NULL;
	}
	rs = rules_parse(path, buf, len, fields, err, errlen);
	saved = errno;
	free(buf);
	errno = saved;
	return rs;
}

/* the slot of a field name, -1 when the ruleset has none */
static int slot_of(const struct ruleset *rs, const char *field)
{
	size_t i;

	for (i = 0; i < rs->nslots; i++)
		if (!strcmp(rs->slots[i].field, field))
			return (int)i;
	return -1;
}

int rules_guard(struct ruleset *rs, const char *field, const char *guard)
{
	int fslot, gslot;
	struct rule_key *keys;
	struct matcher *m;
	bool has_f, has_g;
	struct rule *r;
	size_t i, k;

	if (!rs)
		return 0;
	fslot = slot_of(rs, field);
	gslot = slot_of(rs, guard);
	if (fslot < 0 || gslot < 0)
		return -EINVAL;
	for (i = 0; i < rs->n; i++) {
		r = &rs->rules[i];
		has_f = has_g = false;
		for (k = 0; k < r->nkeys; k++) {
			has_f |= r->keys[k].slot == (unsigned int)fslot;
			has_g |= r->keys[k].slot == (unsigned int)gslot;
		}
		/* a rule that names the guard says itself what it wants */
		if (!has_f || has_g)
			continue;
		m = calloc(1, sizeof(*m));
		if (!m)
			return -ENOMEM;
		keys = grow(r->keys, &r->nkeys, sizeof(*keys));
		if (!keys) {
			free(m);
			return -ENOMEM;
		}
		r->keys = keys;
		m->type = M_BOOL;
		m->b = true;
		keys[r->nkeys - 1].field = rs->slots[gslot].field;
		keys[r->nkeys - 1].slot = gslot;
		keys[r->nkeys - 1].m = m;
		keys[r->nkeys - 1].nm = 1;
		sort_keys(r);
	}
	return 0;
}
