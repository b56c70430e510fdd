/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exec record's fields as allowlist rules see them: the same dotted
 * names the output uses, read from the exec's view (with its pod identity)
 * before it is written.
 */
#ifndef SHELLWATCH_RULE_FIELDS_H
#define SHELLWATCH_RULE_FIELDS_H

#include "exec_view.h"
#include "rules.h"

/* every field a rule may name, NULL-terminated */
extern const char *const rule_fields[];

/*
 * what a rule judges: one exec's view (rule_fields_lookup() takes a struct
 * exec_view too); for callers without a view of their own (tests, tools)
 */
struct rule_subject {
	struct exec_view view;
};

/* give rs the guards of path fields: a path matches in the host's view
 * only, unless a rule names the view; 0 or -errno */
int rule_fields_guard(struct ruleset *rs);
/* rules_load() with rule_fields and their guards */
struct ruleset *rule_fields_load(const char *path, char *err, size_t errlen);
/* rules_parse() with rule_fields and their guards */
struct ruleset *rule_fields_parse(const char *name, const char *text,
				  size_t len, char *err, size_t errlen);
/* set s up to judge ex in pod (NULL: none) */
void rule_subject_init(struct rule_subject *s, const struct sw_exec *ex,
		       const struct pod_ident *pod, const struct sw_context *ctx);
/* set s up to judge ex in pod (NULL: none) as a command record: exec_id
 * is its session's, entry the one the record carries */
void rule_subject_init_command(struct rule_subject *s,
			       const struct sw_exec *ex,
			       const struct pod_ident *pod,
			       const struct sw_context *ctx, const char *entry);
/* rules_lookup_fn over a struct exec_view (or a struct rule_subject) */
void rule_fields_lookup(void *subject, const char *field,
			struct rule_value *out);

#endif /* SHELLWATCH_RULE_FIELDS_H */
