/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The allowlist rules engine: a YAML file of rules, each a set of dotted
 * field names with globs (or numbers, or booleans) that must all match the
 * record of a shell exec. A matching rule without risk_score suppresses the
 * record; one with risk_score sets its score instead (the highest wins).
 *
 * The engine knows nothing of the record: the caller gives the valid field
 * names at load and a lookup callback at judge time, which gets the very
 * pointer of the list (it may compare addresses). Each field is looked up at
 * most once per rules_judge() call, and what the callback gives (str) must
 * stay valid until rules_judge() returns.
 *
 * Unquoted YAML numbers and booleans match RULE_V_NUM and RULE_V_BOOL
 * fields by value. A glob matches a field's text: str of a string; for a
 * number str if set, else its value printed ("%lld" for integers, "%.17g"
 * otherwise); "true" or "false" for a boolean.
 *
 * Globs match the whole value, byte by byte: '*' any bytes ('/' included),
 * '?' one byte, '[a-z]' '[!a-z]' '[^a-z]' one byte of (not of) a set of
 * ASCII bytes, '\x' the byte x. Matching is case-sensitive.
 *
 * rules_judge() tests every rule, so the hits of a rule count every record
 * it matched, whether or not it decided the verdict. A ruleset is not
 * thread-safe: rules_judge() counts hits and caches lookups in it.
 */
#ifndef SHELLWATCH_RULES_H
#define SHELLWATCH_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * the bounds of a rules file, each refused at load with a message naming
 * it (a reload over them keeps the rules in force). With them, judging a
 * record costs at most about a nanosecond per byte of a field per glob on
 * it (glob.h), with no allocation.
 */
#define RULES_FILE_MAX		(1 << 20)	/* bytes of the file */
#define RULES_MAX		1024		/* rules */
#define RULES_VALUES_MAX	2048		/* values, over all rules */
#define RULES_GLOB_BYTES_MAX	(64 << 10)	/* bytes of all globs */
#define RULE_NAME_MAX		256		/* bytes of a rule's name */

enum rule_vtype { RULE_V_MISSING, RULE_V_STR, RULE_V_NUM, RULE_V_BOOL };

/* a field's value: str/len for RULE_V_STR (and the text of a number), num, b */
struct rule_value {
	enum rule_vtype type;
	const char *str;
	size_t len;
	double num;
	bool b;
};

/* look up a dotted field of the record being judged; fill *out (type MISSING when absent) */
typedef void (*rules_lookup_fn)(void *ctx, const char *field,
				struct rule_value *out);

struct ruleset;

/* what rules_judge() decided for one record */
struct rules_verdict {
	int suppressed_by;	/* rule index or -1 */
	int risk_score;		/* -1 when no risk rule matched */
	int risk_rule;		/* index or -1 */
};

/* parse path; fields is a NULL-terminated list of valid field names; on error returns NULL, errno set, and err holds "FILE:LINE:COL: message" */
struct ruleset *rules_load(const char *path, const char *const *fields,
			   char *err, size_t errlen);
/* same, from a buffer; name is used in messages */
struct ruleset *rules_parse(const char *name, const char *text, size_t len,
			    const char *const *fields, char *err,
			    size_t errlen);
/*
 * make field hold only where the boolean field guard is true: every rule
 * with a key on field and none on guard gets the key guard: true (a rule
 * that names guard keeps its own); 0, -EINVAL for a name not in the
 * fields, or -ENOMEM
 */
int rules_guard(struct ruleset *rs, const char *field, const char *guard);
/* free a ruleset; accepts NULL */
void rules_free(struct ruleset *rs);
/* number of rules; 0 for NULL */
size_t rules_count(const struct ruleset *rs);
/* name of rule i, NULL if out of range */
const char *rules_name(const struct ruleset *rs, size_t i);
/* judge one record; O(rules x keys), no allocation; counts matches per rule */
void rules_judge(struct ruleset *rs, rules_lookup_fn lookup, void *ctx,
		 struct rules_verdict *v);
/* times rule i matched, 0 if out of range */
uint64_t rules_hits(const struct ruleset *rs, size_t i);

#endif /* SHELLWATCH_RULES_H */
