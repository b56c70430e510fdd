/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exec record's fields as allowlist rules see them: the same dotted
 * names the output uses, read from the decoded exec before it is written.
 */
#ifndef SHELLWATCH_RULE_FIELDS_H
#define SHELLWATCH_RULE_FIELDS_H

#include "exec.h"
#include "record.h"
#include "rules.h"

/* every field a rule may name, NULL-terminated */
extern const char *const rule_fields[];

/* what a rule judges: one exec, in its context */
struct rule_subject {
	const struct sw_exec *ex;
	const struct sw_context *ctx;
	const char *type;	/* the record judged: "exec" or "command" */
	const char *entry;	/* entry as the record has it */
	char exec_id[64];
	char owner[64];		/* process.owner */
	char user[64];		/* process.user.name */
	char real_user[64];	/* process.real_user.name */
	char shell[SW_NAME_LEN];
	char command_line[SW_ARGV_MAX + 1];
};

/* give rs the guards of path fields: a path matches in the host's view
 * only, unless a rule names the view; 0 or -errno */
int rule_fields_guard(struct ruleset *rs);
/* rules_load() with rule_fields and their guards */
struct ruleset *rule_fields_load(const char *path, char *err, size_t errlen);
/* rules_parse() with rule_fields and their guards */
struct ruleset *rule_fields_parse(const char *name, const char *text,
				  size_t len, char *err, size_t errlen);
/* set s up to judge ex */
void rule_subject_init(struct rule_subject *s, const struct sw_exec *ex,
		       const struct sw_context *ctx);
/* set s up to judge ex as a command record: exec_id is its session's,
 * entry the one the record carries */
void rule_subject_init_command(struct rule_subject *s,
			       const struct sw_exec *ex,
			       const struct sw_context *ctx, const char *entry);
/* rules_lookup_fn over a struct rule_subject */
void rule_fields_lookup(void *subject, const char *field,
			struct rule_value *out);

#endif /* SHELLWATCH_RULE_FIELDS_H */
