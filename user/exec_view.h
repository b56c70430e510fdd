/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One exec as its records see it: the values derived from the decoded
 * exec (exec_id, invoked name, command line, shell name, entry, user
 * names), computed once and read by rules, records and the tracker; and
 * what the identity and verdict stages found of it.
 */
#ifndef SHELLWATCH_EXEC_VIEW_H
#define SHELLWATCH_EXEC_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include "exec.h"
#include "context.h"
#include "exec_id.h"
#include "identity.h"

/* the user and group names a record carries */
enum exec_view_name {
	EXEC_VIEW_USER,		/* process.user.name: the effective user */
	EXEC_VIEW_REAL_USER,	/* process.real_user.name */
	EXEC_VIEW_GROUP,	/* process.group.name: the effective group */
	EXEC_VIEW_REAL_GROUP,	/* process.real_group.name */
	EXEC_VIEW_NAMES,
};

#define EXEC_VIEW_NAME_LEN	256

/* what the verdict stage (the allowlist) decided of an exec */
struct exec_verdict {
	const char *suppressed_by; /* the allowlist rule that matched, or NULL */
	const char *risk_rule;	/* the rule that set risk_score, or NULL */
	int risk_score;		/* risk_rule's score; unused without one */
};

struct exec_view {
	const struct sw_exec *ex;
	const struct sw_context *ctx;
	struct pod_ident pod;	/* the identity stage's: where the exec runs */
	struct exec_verdict verdict; /* the verdict stage's; none until judged */
	uint64_t found_ns;	/* a shell found at start: when (CLOCK_BOOTTIME) */
	const char *type;	/* the record: "exec" or "command" */
	const char *entry;	/* entry as the record has it */
	const char *invoked;	/* process.executable.name */
	const char *exec_id;	/* the record's: id, or a command's session_id */
	int exec_id_err;	/* 0 when exec_id is whole */
	int id_err;		/* 0 when id is whole */
	char id[EXEC_ID_LEN];	/* the exec's own id */
	char session_id[EXEC_ID_LEN]; /* a command's session's; "" when none */
	char shell[SW_NAME_LEN + SW_COMM_LEN]; /* shell.name; "" for commands */
	unsigned int looked;	/* the names looked up, 1 << enum exec_view_name */
	char names[EXEC_VIEW_NAMES][EXEC_VIEW_NAME_LEN];
	char owner[EXEC_VIEW_NAME_LEN];	/* process.owner, once a name is looked up */
	size_t command_line_len;
	char command_line[SW_ARGV_MAX + 1];	/* process.command_line */
};

/* whether ex's paths (parent: its parent's executable) are in the host's
 * view: 1, 0, or -1 when the exec does not say (an older recording) */
int exec_host_view(const struct sw_exec *ex, bool parent);
/* set v up for ex's exec record, with pod its identity (NULL: none, the
 * host's; it may be &v->pod) and no verdict yet */
void exec_view_init(struct exec_view *v, const struct sw_exec *ex,
		    const struct pod_ident *pod, const struct sw_context *ctx);
/* v, or a copy of src, seen as ex's command record in its session:
 * exec_id is the session's, entry the one the record carries, no verdict
 * (a command's is its session's, or its own) */
void exec_view_command(struct exec_view *v, const struct exec_view *src,
		       const char *entry);
/* one of the user and group names, "" when unknown; looked up once */
const char *exec_view_name(struct exec_view *v, enum exec_view_name which);
/* process.owner: the effective user's name, else its id */
const char *exec_view_owner(struct exec_view *v);

#endif /* SHELLWATCH_EXEC_VIEW_H */
