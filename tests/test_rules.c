// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the allowlist rules engine (user/rules.c): how rules match
 * records (globs, lists, numbers, booleans, missing fields, several keys
 * and rules, risk scores), hit counts, every load error with its line and
 * column, and the shipped deploy/rules.yaml.
 *
 * The tables are indexed by row, as in test_classify.c, so the tests do
 * not depend on where the binary is loaded.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "rules.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define NS	"k8s.namespace.name"
#define POD	"k8s.pod.name"
#define CTR	"k8s.container.name"
#define EXE	"process.executable.name"
#define CMD	"process.command_line"
#define PEXE	"process.parent.executable.path"
#define TTY	"process.interactive"
#define PID	"process.pid"
#define UID	"process.user.id"
#define PHV	"process.parent.host_view"

/* the valid field names, as the daemon would give them */
static const char *const fields[] = {
	NS, POD, CTR, "scope", EXE, "process.executable.path", PEXE, CMD,
	"process.command_args", "process.working_directory", TTY, PID, UID,
	PHV, NULL,
};

/* one field of a test record */
struct fv {
	const char *field;
	enum rule_vtype type;
	const char *str;	/* RULE_V_STR, or a number's text */
	double num;
	bool b;
};

#define S(f, s)		{ (f), RULE_V_STR, (s), 0, false }
#define N(f, n)		{ (f), RULE_V_NUM, NULL, (n), false }
#define NT(f, n, s)	{ (f), RULE_V_NUM, (s), (n), false }
#define B(f, v)		{ (f), RULE_V_BOOL, NULL, 0, (v) }
#define REC(...)	((const struct fv[]){ __VA_ARGS__, { .field = NULL } })
#define EMPTY		((const struct fv[]){ { .field = NULL } })

/* a record being judged, with its strings in buffers of their exact size */
struct rec {
	const struct fv *fv;
	char **copies;
	size_t n;
	unsigned int calls;	/* lookups so far */
};

static void rec_init(struct rec *r, const struct fv *fv)
{
	size_t i, len;

	memset(r, 0, sizeof(*r));
	r->fv = fv;
	while (fv[r->n].field)
		r->n++;
	r->copies = calloc(r->n + 1, sizeof(*r->copies));
	cr_assert_not_null(r->copies);
	/* no NUL after the bytes: ASan catches a read past len */
	for (i = 0; i < r->n; i++) {
		if (!fv[i].str)
			continue;
		len = strlen(fv[i].str);
		r->copies[i] = malloc(len ? len : 1);
		cr_assert_not_null(r->copies[i]);
		memcpy(r->copies[i], fv[i].str, len);
	}
}

static void rec_free(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->copies[i]);
	free(r->copies);
}

static void lookup(void *ctx, const char *field, struct rule_value *out)
{
	struct rec *r = ctx;
	size_t i;

	r->calls++;
	cr_assert_eq(out->type, RULE_V_MISSING, "lookup of %s: out not cleared",
		     field);
	/* the engine passes the pointers of the list it was given */
	for (i = 0; fields[i] && fields[i] != field; i++)
		;
	cr_assert_not_null(fields[i], "lookup of %s: not a pointer of the list",
			   field);
	for (i = 0; i < r->n; i++) {
		if (strcmp(r->fv[i].field, field))
			continue;
		out->type = r->fv[i].type;
		out->str = r->copies[i];
		out->len = r->fv[i].str ? strlen(r->fv[i].str) : 0;
		out->num = r->fv[i].num;
		out->b = r->fv[i].b;
		return;
	}
}

/* parse text as "t.yaml", failing the test on an error */
static struct ruleset *parse_ok(const char *what, const char *text)
{
	char err[512];
	struct ruleset *rs;

	rs = rules_parse("t.yaml", text, strlen(text), fields, err,
			 sizeof(err));
	cr_assert_not_null(rs, "case %s: %s", what, err);
	return rs;
}

/* judge record fv with rs */
static void judge(struct ruleset *rs, const struct fv *fv,
		  struct rules_verdict *v)
{
	struct rec r;

	rec_init(&r, fv);
	memset(v, 0x5a, sizeof(*v));
	rules_judge(rs, lookup, &r, v);
	rec_free(&r);
}

/* one rule named r0 whose match is the flow mapping m */
#define R1(m)		"rules: [{name: r0, match: {" m "}}]"

struct judge_case {
	const char *what;
	const char *yaml;
	const struct fv *rec;
	int suppressed_by;	/* expected verdict */
	int risk_score;
	int risk_rule;
};

static const struct judge_case judge_cases[] = {
	/* exact text */
	{ "exact", R1(EXE ": bash"), REC(S(EXE, "bash")), 0, -1, -1 },
	{ "exact, other text", R1(EXE ": bash"), REC(S(EXE, "dash")),
	  -1, -1, -1 },
	{ "exact, prefix of the value", R1(EXE ": bash"), REC(S(EXE, "bashx")),
	  -1, -1, -1 },
	{ "exact, value is a prefix", R1(EXE ": bash"), REC(S(EXE, "bas")),
	  -1, -1, -1 },
	{ "exact is case-sensitive", R1(EXE ": bash"), REC(S(EXE, "Bash")),
	  -1, -1, -1 },
	{ "quoted exact", R1(EXE ": \"bash\""), REC(S(EXE, "bash")), 0, -1, -1 },
	{ "empty glob, empty value", R1(CMD ": ''"), REC(S(CMD, "")),
	  0, -1, -1 },
	{ "empty glob, some value", R1(CMD ": ''"), REC(S(CMD, "x")),
	  -1, -1, -1 },
	{ "path with slashes", R1(PEXE ": /usr/local/bin/node-health"),
	  REC(S(PEXE, "/usr/local/bin/node-health")), 0, -1, -1 },

	/* globs: *, ?, [...], escapes */
	{ "star suffix", R1(NS ": 'prod-*'"), REC(S(NS, "prod-eu")), 0, -1, -1 },
	{ "star matches nothing", R1(NS ": 'prod-*'"), REC(S(NS, "prod-")),
	  0, -1, -1 },
	{ "star suffix, no prefix", R1(NS ": 'prod-*'"), REC(S(NS, "x-prod-eu")),
	  -1, -1, -1 },
	{ "star crosses '/'", R1(PEXE ": '/usr/*'"),
	  REC(S(PEXE, "/usr/local/bin/x")), 0, -1, -1 },
	{ "star in the middle", R1(CMD ": '*check-disk*'"),
	  REC(S(CMD, "/bin/sh -c check-disk --all")), 0, -1, -1 },
	{ "question mark", R1(EXE ": 'ba?h'"), REC(S(EXE, "bash")), 0, -1, -1 },
	{ "question mark needs a byte", R1(EXE ": 'ba?h'"), REC(S(EXE, "bah")),
	  -1, -1, -1 },
	{ "range", R1(EXE ": '[a-z]sh'"), REC(S(EXE, "zsh")), 0, -1, -1 },
	{ "range, not in it", R1(EXE ": '[a-z]sh'"), REC(S(EXE, "Zsh")),
	  -1, -1, -1 },
	{ "negated range", R1(EXE ": '[!a-z]sh'"), REC(S(EXE, "Zsh")),
	  0, -1, -1 },
	{ "escaped star", R1(CMD ": 'a\\*b'"), REC(S(CMD, "a*b")), 0, -1, -1 },
	{ "escaped star is not a star", R1(CMD ": 'a\\*b'"), REC(S(CMD, "axb")),
	  -1, -1, -1 },
	{ "escape in double quotes", R1(CMD ": \"a\\\\?\""), REC(S(CMD, "a?")),
	  0, -1, -1 },

	/* lists: any element may match */
	{ "list, second", R1(EXE ": [sh, bash]"), REC(S(EXE, "bash")),
	  0, -1, -1 },
	{ "list, none", R1(EXE ": [sh, bash]"), REC(S(EXE, "zsh")), -1, -1, -1 },
	{ "list of globs", R1(EXE ": ['ba*', dash]"), REC(S(EXE, "bash5")),
	  0, -1, -1 },
	{ "block list", "rules:\n- name: r0\n  match:\n    " EXE ":\n"
	  "      - sh\n      - bash\n", REC(S(EXE, "sh")), 0, -1, -1 },
	{ "list of a number and a glob", R1(PID ": [0, '1*']"), REC(N(PID, 0)),
	  0, -1, -1 },
	{ "list of a number and a glob, glob", R1(PID ": [0, '1*']"),
	  REC(N(PID, 17)), 0, -1, -1 },

	/* numbers match numbers by value */
	{ "number", R1(PID ": 123"), REC(N(PID, 123)), 0, -1, -1 },
	{ "number, other", R1(PID ": 123"), REC(N(PID, 124)), -1, -1, -1 },
	{ "number as float", R1(PID ": 123.0"), REC(N(PID, 123)), 0, -1, -1 },
	{ "number with exponent", R1(PID ": 1e3"), REC(N(PID, 1000)),
	  0, -1, -1 },
	{ "hex number", R1(PID ": 0x7b"), REC(N(PID, 123)), 0, -1, -1 },
	{ "negative number", R1(UID ": -1"), REC(N(UID, -1)), 0, -1, -1 },
	{ "number zero", R1(UID ": 0"), REC(N(UID, 0)), 0, -1, -1 },
	{ "number against text", R1(NS ": 123"), REC(S(NS, "123")),
	  -1, -1, -1 },
	{ "number against a boolean", R1(TTY ": 1"), REC(B(TTY, true)),
	  -1, -1, -1 },

	/* quoted numbers are globs against the text */
	{ "quoted number, text", R1(NS ": '123'"), REC(S(NS, "123")),
	  0, -1, -1 },
	{ "quoted number, number", R1(PID ": '123'"), REC(N(PID, 123)),
	  0, -1, -1 },
	{ "quoted number, number with text", R1(PID ": '123'"),
	  REC(NT(PID, 123, "123")), 0, -1, -1 },
	{ "glob against a number", R1(PID ": '12*'"), REC(N(PID, 12345)),
	  0, -1, -1 },
	{ "quoted float is text", R1(PID ": '123.0'"), REC(N(PID, 123)),
	  -1, -1, -1 },
	{ "big number as text", R1(UID ": '4294967295'"),
	  REC(N(UID, 4294967295.0)), 0, -1, -1 },

	/* booleans match booleans by value */
	{ "true", R1(TTY ": true"), REC(B(TTY, true)), 0, -1, -1 },
	{ "true, false", R1(TTY ": true"), REC(B(TTY, false)), -1, -1, -1 },
	{ "false", R1(TTY ": false"), REC(B(TTY, false)), 0, -1, -1 },
	{ "True", R1(TTY ": True"), REC(B(TTY, true)), 0, -1, -1 },
	{ "FALSE", R1(TTY ": FALSE"), REC(B(TTY, false)), 0, -1, -1 },
	{ "true against text", R1(NS ": true"), REC(S(NS, "true")),
	  -1, -1, -1 },
	{ "quoted true against a boolean", R1(TTY ": 'true'"),
	  REC(B(TTY, true)), 0, -1, -1 },
	{ "glob against a boolean", R1(TTY ": 'f*'"), REC(B(TTY, false)),
	  0, -1, -1 },

	/* a missing field never matches */
	{ "missing field", R1(NS ": ci"), REC(S(EXE, "bash")), -1, -1, -1 },
	{ "missing field, star", R1(NS ": '*'"), EMPTY, -1, -1, -1 },
	{ "missing field, empty glob", R1(NS ": ''"), EMPTY, -1, -1, -1 },
	{ "missing field, number", R1(PID ": 0"), EMPTY, -1, -1, -1 },
	{ "missing field, false", R1(TTY ": false"), EMPTY, -1, -1, -1 },
	{ "star, empty text", R1(NS ": '*'"), REC(S(NS, "")), 0, -1, -1 },

	/* every key of a rule must match */
	{ "two keys", R1(NS ": ci, " EXE ": [sh, bash]"),
	  REC(S(NS, "ci"), S(EXE, "sh")), 0, -1, -1 },
	{ "two keys, first fails", R1(NS ": ci, " EXE ": [sh, bash]"),
	  REC(S(NS, "prod"), S(EXE, "sh")), -1, -1, -1 },
	{ "two keys, second fails", R1(NS ": ci, " EXE ": [sh, bash]"),
	  REC(S(NS, "ci"), S(EXE, "zsh")), -1, -1, -1 },
	{ "two keys, one missing", R1(NS ": ci, " EXE ": [sh, bash]"),
	  REC(S(NS, "ci")), -1, -1, -1 },
	{ "three kinds of key", R1("scope: host, " PEXE ": /usr/local/bin/nh, "
				   CMD ": '*check-disk*'"),
	  REC(S("scope", "host"), S(PEXE, "/usr/local/bin/nh"),
	      S(CMD, "sh -c check-disk")), 0, -1, -1 },

	/* several rules: the first suppressing one is named */
	{ "second rule matches",
	  "rules:\n- {name: a, match: {" NS ": x}}\n"
	  "- {name: b, match: {" NS ": ci}}\n- {name: c, match: {" NS ": '*'}}\n",
	  REC(S(NS, "ci")), 1, -1, -1 },
	{ "third rule matches",
	  "rules:\n- {name: a, match: {" NS ": x}}\n"
	  "- {name: b, match: {" NS ": ci}}\n- {name: c, match: {" NS ": '*'}}\n",
	  REC(S(NS, "prod")), 2, -1, -1 },
	{ "no rule matches",
	  "rules:\n- {name: a, match: {" NS ": x}}\n"
	  "- {name: b, match: {" NS ": ci}}\n",
	  REC(S(NS, "prod")), -1, -1, -1 },
	{ "no rules", "rules: []", REC(S(NS, "ci")), -1, -1, -1 },

	/* risk_score rules set the score and do not suppress */
	{ "risk rule",
	  "rules:\n- name: prod-interactive\n  risk_score: 80\n  match:\n"
	  "    " NS ": 'prod-*'\n    " TTY ": true\n",
	  REC(S(NS, "prod-eu"), B(TTY, true)), -1, 80, 0 },
	{ "risk rule, no match",
	  "rules:\n- name: prod-interactive\n  risk_score: 80\n  match:\n"
	  "    " NS ": 'prod-*'\n    " TTY ": true\n",
	  REC(S(NS, "prod-eu"), B(TTY, false)), -1, -1, -1 },
	{ "risk 0", "rules: [{name: z, risk_score: 0, match: {" NS ": x}}]",
	  REC(S(NS, "x")), -1, 0, 0 },
	{ "highest risk wins, last",
	  "rules:\n- {name: a, risk_score: 30, match: {" NS ": '*'}}\n"
	  "- {name: b, risk_score: 70, match: {" NS ": '*'}}\n",
	  REC(S(NS, "x")), -1, 70, 1 },
	{ "highest risk wins, first",
	  "rules:\n- {name: a, risk_score: 70, match: {" NS ": '*'}}\n"
	  "- {name: b, risk_score: 30, match: {" NS ": '*'}}\n",
	  REC(S(NS, "x")), -1, 70, 0 },
	{ "equal risks: the first",
	  "rules:\n- {name: a, risk_score: 50, match: {" NS ": '*'}}\n"
	  "- {name: b, risk_score: 50, match: {" NS ": '*'}}\n",
	  REC(S(NS, "x")), -1, 50, 0 },
	{ "risk only from matching rules",
	  "rules:\n- {name: a, risk_score: 90, match: {" NS ": prod}}\n"
	  "- {name: b, risk_score: 20, match: {" NS ": '*'}}\n",
	  REC(S(NS, "x")), -1, 20, 1 },
	{ "risk and suppress both match",
	  "rules:\n- {name: a, risk_score: 50, match: {" NS ": '*'}}\n"
	  "- {name: b, match: {" EXE ": sh}}\n"
	  "- {name: c, match: {" NS ": x}}\n",
	  REC(S(NS, "x"), S(EXE, "sh")), 1, 50, 0 },

	/* the example of the specification */
	{ "spec: ci runner",
	  "rules:\n"
	  "  - name: ci-runners\n"
	  "    reason: build pods run shells by design\n"
	  "    match:\n"
	  "      k8s.namespace.name: ci\n"
	  "      process.executable.name: [sh, bash]\n"
	  "  - name: node-health-script\n"
	  "    match:\n"
	  "      scope: host\n"
	  "      process.parent.executable.path: /usr/local/bin/node-health\n"
	  "      process.command_line: \"*check-disk*\"\n"
	  "  - name: prod-interactive\n"
	  "    risk_score: 80\n"
	  "    match:\n"
	  "      k8s.namespace.name: \"prod-*\"\n"
	  "      process.interactive: true\n",
	  REC(S(NS, "ci"), S(EXE, "bash"), B(TTY, true)), 0, -1, -1 },
};

ParameterizedTestParameters(rules, judge)
{
	return sw_rows(ARRAY_SIZE(judge_cases));
}

ParameterizedTest(int *row, rules, judge)
{
	const struct judge_case *c = &judge_cases[*row];
	struct ruleset *rs = parse_ok(c->what, c->yaml);
	struct rules_verdict v;

	judge(rs, c->rec, &v);
	cr_assert_eq(v.suppressed_by, c->suppressed_by,
		     "case %s: suppressed_by %d, want %d", c->what,
		     v.suppressed_by, c->suppressed_by);
	cr_assert_eq(v.risk_score, c->risk_score,
		     "case %s: risk_score %d, want %d", c->what, v.risk_score,
		     c->risk_score);
	cr_assert_eq(v.risk_rule, c->risk_rule, "case %s: risk_rule %d, want %d",
		     c->what, v.risk_rule, c->risk_rule);
	rules_free(rs);
}

struct glob_case {
	const char *pat;	/* as fnmatch(3) takes it */
	const char *text;
	bool match;
};

static const struct glob_case glob_cases[] = {
	/* literal */
	{ "bash", "bash", true },
	{ "bash", "bas", false },
	{ "bash", "bashh", false },
	{ "", "", true },
	{ "", "a", false },
	{ "a b", "a b", true },
	/* star */
	{ "*", "", true },
	{ "*", "anything at all", true },
	{ "**", "x", true },
	{ "a*", "a", true },
	{ "a*", "ba", false },
	{ "*a", "bca", true },
	{ "*a", "ab", false },
	{ "a*b", "ab", true },
	{ "a*b", "axxb", true },
	{ "a*b", "axxbx", false },
	{ "a*b*c", "abbbc", true },
	{ "a*b*c", "acb", false },
	{ "*ab*ab*", "abab", true },
	{ "*ab*ab*", "aba", false },
	{ "*aab", "aaab", true },
	{ "*abc*", "ababc", true },
	{ "a*a", "a", false },
	{ "a*a", "aa", true },
	{ "/usr/*", "/usr/bin/sh", true },
	{ "*/sh", "/usr/bin/sh", true },
	{ "*/sh", "/usr/bin/bash", false },
	/* question mark */
	{ "?", "a", true },
	{ "?", "", false },
	{ "?", "ab", false },
	{ "??*", "ab", true },
	{ "??*", "a", false },
	{ "*?", "", false },
	{ "a?c", "a/c", true },
	/* sets */
	{ "[abc]", "b", true },
	{ "[abc]", "d", false },
	{ "[a-z]sh", "zsh", true },
	{ "[a-z]sh", "Zsh", false },
	{ "[!a-z]sh", "Zsh", true },
	{ "[^a-z]sh", "zsh", false },
	{ "[]]", "]", true },
	{ "[!]]", "]", false },
	{ "[!]]", "a", true },
	{ "[a-]", "-", true },
	{ "[-a]", "-", true },
	{ "[\\]]", "]", true },
	{ "[0-9][0-9]*", "42x", true },
	{ "[0-9][0-9]*", "4x", false },
	{ "*[0-9]", "pod-7", true },
	{ "*[0-9]", "pod-x", false },
	/* escapes */
	{ "a\\*b", "a*b", true },
	{ "a\\*b", "axb", false },
	{ "\\?", "?", true },
	{ "\\?", "x", false },
	{ "\\[a]", "[a]", true },
	{ "\\\\", "\\", true },
	{ "\\a", "a", true },
	{ "*\\*", "x*", true },
	{ "*\\*", "x", false },
	/* bytes, not characters */
	{ "caf?", "caf\xc3\xa9", false },
	{ "caf??", "caf\xc3\xa9", true },
	{ "caf\xc3\xa9", "caf\xc3\xa9", true },
};

/* a YAML single-quoted scalar of s */
static void yaml_quote(const char *s, char *buf, size_t len)
{
	size_t k = 0;

	buf[k++] = '\'';
	for (; *s && k + 3 < len; s++) {
		if (*s == '\'')
			buf[k++] = '\'';
		buf[k++] = *s;
	}
	buf[k++] = '\'';
	buf[k] = '\0';
}

/* whether the one-rule ruleset of glob pat matches text */
static bool glob_matches(const char *pat, const char *text)
{
	char yaml[512], quoted[256];
	struct rules_verdict v;
	struct ruleset *rs;

	yaml_quote(pat, quoted, sizeof(quoted));
	snprintf(yaml, sizeof(yaml), "rules: [{name: g, match: {%s: %s}}]",
		 CMD, quoted);
	rs = parse_ok(pat, yaml);
	judge(rs, REC(S(CMD, text)), &v);
	rules_free(rs);
	return v.suppressed_by == 0;
}

ParameterizedTestParameters(rules, glob)
{
	return sw_rows(ARRAY_SIZE(glob_cases));
}

ParameterizedTest(int *row, rules, glob)
{
	const struct glob_case *c = &glob_cases[*row];
	bool got = glob_matches(c->pat, c->text);

	cr_assert_eq(got, c->match, "glob '%s' on '%s': %s, want %s", c->pat,
		     c->text, got ? "match" : "no match",
		     c->match ? "match" : "no match");
	/* what fnmatch(3) says too, in the C locale: bytes */
	cr_assert_eq(!fnmatch(c->pat, c->text, 0), c->match,
		     "fnmatch disagrees on '%s' '%s'", c->pat, c->text);
}

/* random globs and texts: the engine and fnmatch(3) agree */
Test(rules, glob_vs_fnmatch)
{
	static const char *const atoms[] = {
		"a", "b", "/", "*", "*", "?", "[ab]", "[!a]", "[a-b]", "\\*",
		"\\a", "ab",
	};
	static const char tchars[] = "ab*/c";
	char pat[64], text[16];
	unsigned int seed = 1;
	int i, j, n;

	for (i = 0; i < 3000; i++) {
		pat[0] = '\0';
		n = rand_r(&seed) % 7;
		for (j = 0; j < n; j++)
			strcat(pat, atoms[rand_r(&seed) % ARRAY_SIZE(atoms)]);
		n = rand_r(&seed) % 8;
		for (j = 0; j < n; j++)
			text[j] = tchars[rand_r(&seed) % (sizeof(tchars) - 1)];
		text[n] = '\0';
		cr_assert_eq(glob_matches(pat, text), !fnmatch(pat, text, 0),
			     "glob '%s' on '%s': fnmatch says %s", pat, text,
			     fnmatch(pat, text, 0) ? "no match" : "match");
	}
}

struct err_case {
	const char *what;
	const char *yaml;
	const char *where;	/* "t.yaml:LINE:COL: " */
	const char *word;	/* in the message */
};

static const struct err_case err_cases[] = {
	/* YAML syntax */
	{ "unclosed flow list", "rules: [", "t.yaml:2:1: ", "syntax" },
	{ "bad indentation", "rules:\n  - name: a\n   match: x\n",
	  "t.yaml:3:4: ", "syntax" },
	{ "tab indentation", "rules:\n\t- name: a\n", "t.yaml:2:1: ",
	  "indent with spaces" },
	{ "plain [ glob", "rules:\n- name: a\n  match:\n    " EXE ": [a-z]sh\n",
	  "t.yaml:4:35: ", "syntax" },
	{ "invalid UTF-8", "rules: [{name: \xff}]", "t.yaml:1:16: ", "UTF-8" },
	{ "two documents", "rules: []\n---\nrules: []\n", "t.yaml:2:1: ",
	  "document" },
	{ "alias", "rules:\n- name: a\n  match: {" NS ": *x}\n",
	  "t.yaml:3:31: ", "alias" },

	/* top level */
	{ "top-level list", "- a\n", "t.yaml:1:1: ", "mapping" },
	{ "top-level text", "hello\n", "t.yaml:1:1: ", "mapping" },
	{ "no rules key", "{}\n", "t.yaml:1:1: ", "no 'rules'" },
	{ "unknown top-level key", "rules: []\nrule: []\n", "t.yaml:2:1: ",
	  "unknown top-level key 'rule'" },
	{ "duplicate rules key", "rules: []\nrules: []\n", "t.yaml:2:1: ",
	  "duplicate" },
	{ "rules null", "rules:\n", "t.yaml:1:7: ", "list" },
	{ "rules a mapping", "rules: {a: b}\n", "t.yaml:1:8: ", "list" },
	{ "rules a text", "rules: none\n", "t.yaml:1:8: ", "list" },

	/* rules */
	{ "rule not a mapping", "rules:\n  - ci\n", "t.yaml:2:5: ", "mapping" },
	{ "rule a list", "rules:\n  - [a]\n", "t.yaml:2:5: ", "mapping" },
	{ "unknown rule key",
	  "rules:\n- name: a\n  score: 5\n  match: {scope: x}\n",
	  "t.yaml:3:3: ", "unknown rule key 'score'" },
	{ "duplicate rule key",
	  "rules:\n- name: a\n  match: {scope: x}\n  name: b\n",
	  "t.yaml:4:3: ", "duplicate key 'name'" },
	{ "no name", "rules:\n- reason: x\n  match: {scope: x}\n",
	  "t.yaml:2:3: ", "no name" },
	{ "no match", "rules:\n- name: a\n  reason: x\n", "t.yaml:2:3: ",
	  "no match" },
	{ "empty name", "rules:\n- name: ''\n  match: {scope: x}\n",
	  "t.yaml:2:9: ", "empty" },
	{ "null name", "rules:\n- name:\n  match: {scope: x}\n", "t.yaml:2:8: ",
	  "empty" },
	{ "number name", "rules:\n- name: 123\n  match: {scope: x}\n",
	  "t.yaml:2:9: ", "string" },
	{ "boolean name", "rules:\n- name: true\n  match: {scope: x}\n",
	  "t.yaml:2:9: ", "string" },
	{ "list name", "rules:\n- name: [a]\n  match: {scope: x}\n",
	  "t.yaml:2:9: ", "string" },
	{ "control in name", "rules:\n- name: \"a\\tb\"\n  match: {scope: x}\n",
	  "t.yaml:2:9: ", "control" },
	{ "duplicate name",
	  "rules:\n- name: a\n  match: {scope: x}\n- name: a\n  match: {scope: y}\n",
	  "t.yaml:4:9: ", "duplicate rule name 'a' (first at 2:9)" },
	{ "reason a list", "rules:\n- name: a\n  reason: [x]\n  match: {scope: x}\n",
	  "t.yaml:3:11: ", "reason" },

	/* risk_score */
	{ "risk 101", "rules:\n- name: a\n  risk_score: 101\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "0 to 100" },
	{ "risk -1", "rules:\n- name: a\n  risk_score: -1\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "0 to 100" },
	{ "risk quoted", "rules:\n- name: a\n  risk_score: '50'\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "integer" },
	{ "risk float", "rules:\n- name: a\n  risk_score: 50.5\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "integer" },
	{ "risk 5e1", "rules:\n- name: a\n  risk_score: 5e1\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "integer" },
	{ "risk text", "rules:\n- name: a\n  risk_score: high\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "integer" },
	{ "risk list", "rules:\n- name: a\n  risk_score: [5]\n  match: {scope: x}\n",
	  "t.yaml:3:15: ", "integer" },
	{ "risk null", "rules:\n- name: a\n  risk_score:\n  match: {scope: x}\n",
	  "t.yaml:3:14: ", "integer" },

	/* match */
	{ "match a list", "rules:\n- name: a\n  match: [scope]\n", "t.yaml:3:10: ",
	  "mapping" },
	{ "match a text", "rules:\n- name: a\n  match: scope\n", "t.yaml:3:10: ",
	  "mapping" },
	{ "match null", "rules:\n- name: a\n  match:\n", "t.yaml:3:9: ",
	  "mapping" },
	{ "empty match", "rules:\n- name: a\n  match: {}\n", "t.yaml:3:10: ",
	  "empty match" },
	{ "unknown field",
	  "rules:\n- name: a\n  match:\n    scope: x\n    k8s.namespace: y\n",
	  "t.yaml:5:5: ", "unknown field 'k8s.namespace'" },
	{ "field case differs", "rules:\n- name: a\n  match:\n    Scope: x\n",
	  "t.yaml:4:5: ", "unknown field 'Scope'" },
	{ "duplicate field",
	  "rules:\n- name: a\n  match:\n    scope: x\n    scope: y\n",
	  "t.yaml:5:5: ", "duplicate field 'scope'" },
	{ "list key", "rules:\n- name: a\n  match: {[scope]: x}\n",
	  "t.yaml:3:11: ", "key" },
	{ "nested mapping",
	  "rules:\n- name: a\n  match:\n    scope:\n      host: true\n",
	  "t.yaml:5:7: ", "not a mapping" },
	{ "flow nested mapping", "rules:\n- name: a\n  match: {scope: {a: b}}\n",
	  "t.yaml:3:18: ", "not a mapping" },
	{ "list in a list", "rules:\n- name: a\n  match: {scope: [a, [b]]}\n",
	  "t.yaml:3:22: ", "list elements" },
	{ "mapping in a list", "rules:\n- name: a\n  match: {scope: [{a: b}]}\n",
	  "t.yaml:3:19: ", "list elements" },
	{ "alias in a list", "rules:\n- name: a\n  match: {scope: [a, *b]}\n",
	  "t.yaml:3:22: ", "alias" },
	{ "empty list", "rules:\n- name: a\n  match: {scope: []}\n",
	  "t.yaml:3:18: ", "empty list" },
	{ "null value", "rules:\n- name: a\n  match:\n    scope:\n    " NS ": x\n",
	  "t.yaml:4:11: ", "no value" },
	{ "tilde value", "rules:\n- name: a\n  match: {scope: ~}\n",
	  "t.yaml:3:18: ", "no value" },
	{ "yes", "rules:\n- name: a\n  match: {" TTY ": yes}\n",
	  "t.yaml:3:32: ", "true or false" },
	{ "Off", "rules:\n- name: a\n  match: {" TTY ": Off}\n",
	  "t.yaml:3:32: ", "true or false" },
	{ "nan", "rules:\n- name: a\n  match: {" PID ": .nan}\n",
	  "t.yaml:3:24: ", "nothing" },
	{ "int tag", "rules:\n- name: a\n  match: {" PID ": !!int 5}\n",
	  "t.yaml:3:24: ", "tag" },

	/* globs */
	{ "unterminated set", "rules:\n- name: a\n  match: {" EXE ": '[a-z'}\n",
	  "t.yaml:3:36: ", "unterminated '['" },
	{ "unterminated set after ]", "rules:\n- name: a\n  match: {" EXE ": '[]'}\n",
	  "t.yaml:3:36: ", "unterminated '['" },
	{ "lone backslash", "rules:\n- name: a\n  match: {" EXE ": 'ab\\'}\n",
	  "t.yaml:3:36: ", "backslash" },
	{ "class", "rules:\n- name: a\n  match: {" EXE ": '[[:alpha:]]'}\n",
	  "t.yaml:3:36: ", "[:alpha:]" },
	{ "reversed range", "rules:\n- name: a\n  match: {" EXE ": '[z-a]'}\n",
	  "t.yaml:3:36: ", "reversed" },
	{ "non-ASCII in a set",
	  "rules:\n- name: a\n  match: {" EXE ": '[\xc3\xa9]'}\n",
	  "t.yaml:3:36: ", "non-ASCII" },
	{ "bad glob in a list", "rules:\n- name: a\n  match:\n    " EXE ":\n"
	  "      - sh\n      - '[b'\n", "t.yaml:6:9: ", "bad glob '[b'" },
	{ "second rule bad",
	  "rules:\n- name: a\n  match: {scope: x}\n- name: b\n  match: {scope: [}\n",
	  "t.yaml:5:19: ", "syntax" },
};

ParameterizedTestParameters(rules, errors)
{
	return sw_rows(ARRAY_SIZE(err_cases));
}

ParameterizedTest(int *row, rules, errors)
{
	const struct err_case *c = &err_cases[*row];
	struct ruleset *rs;
	char err[512];

	memset(err, 'x', sizeof(err));
	errno = 0;
	rs = rules_parse("t.yaml", c->yaml, strlen(c->yaml), fields, err,
			 sizeof(err));
	cr_assert_null(rs, "case %s: loaded", c->what);
	cr_assert_eq(errno, EINVAL, "case %s: errno %d, want EINVAL", c->what,
		     errno);
	cr_assert(memchr(err, '\0', sizeof(err)), "case %s: err not terminated",
		  c->what);
	cr_assert(!strncmp(err, c->where, strlen(c->where)),
		  "case %s: error '%s', want it at '%s'", c->what, err, c->where);
	cr_assert(strstr(err + strlen(c->where), c->word),
		  "case %s: error '%s' does not say '%s'", c->what, err, c->word);
}

/* documents with no rule */
static const char *const empty_docs[] = {
	"", "\n", "# only a comment\n", "---\n", "--- ~\n", "---\n...\n",
	"rules: []\n", "rules: [] # none\n", "{rules: []}",
};

ParameterizedTestParameters(rules, empty)
{
	return sw_rows(ARRAY_SIZE(empty_docs));
}

ParameterizedTest(int *row, rules, empty)
{
	struct ruleset *rs = parse_ok(empty_docs[*row], empty_docs[*row]);
	struct rules_verdict v;

	cr_assert_eq(rules_count(rs), 0, "'%s': %zu rules", empty_docs[*row],
		     rules_count(rs));
	judge(rs, REC(S(NS, "ci")), &v);
	cr_assert_eq(v.suppressed_by, -1);
	cr_assert_eq(v.risk_score, -1);
	cr_assert_eq(v.risk_rule, -1);
	rules_free(rs);
}

Test(rules, hits)
{
	struct ruleset *rs = parse_ok("hits",
		"rules:\n"
		"- {name: ci, match: {" NS ": ci}}\n"
		"- {name: any-sh, match: {" EXE ": sh}}\n"
		"- {name: risky, risk_score: 60, match: {" NS ": '*'}}\n"
		"- {name: never, match: {" NS ": nowhere}}\n");
	struct rules_verdict v;

	cr_assert_eq(rules_count(rs), 4);
	cr_assert_str_eq(rules_name(rs, 0), "ci");
	cr_assert_str_eq(rules_name(rs, 3), "never");
	cr_assert_null(rules_name(rs, 4));
	judge(rs, REC(S(NS, "ci"), S(EXE, "sh")), &v);
	judge(rs, REC(S(NS, "ci"), S(EXE, "bash")), &v);
	judge(rs, REC(S(NS, "prod"), S(EXE, "sh")), &v);
	judge(rs, REC(S(EXE, "sh")), &v);
	/* every matching rule counts, not only the one named */
	cr_assert_eq(rules_hits(rs, 0), 2);
	cr_assert_eq(rules_hits(rs, 1), 3);
	cr_assert_eq(rules_hits(rs, 2), 3);
	cr_assert_eq(rules_hits(rs, 3), 0);
	cr_assert_eq(rules_hits(rs, 4), 0);
	rules_free(rs);
}

/* each field is looked up once per judge, however many rules use it */
Test(rules, lookup_once)
{
	struct ruleset *rs = parse_ok("lookup once",
		"rules:\n"
		"- {name: a, match: {" NS ": x, " EXE ": sh}}\n"
		"- {name: b, match: {" NS ": y, " EXE ": sh}}\n"
		"- {name: c, match: {" NS ": '*', " EXE ": '*', " PID ": 1}}\n");
	struct rules_verdict v;
	struct rec r;

	rec_init(&r, REC(S(NS, "x"), S(EXE, "sh"), N(PID, 1)));
	rules_judge(rs, lookup, &r, &v);
	cr_assert_eq(r.calls, 3, "%u lookups for 3 fields", r.calls);
	cr_assert_eq(v.suppressed_by, 0);
	rules_judge(rs, lookup, &r, &v);
	cr_assert_eq(r.calls, 6, "%u lookups in 2 judges", r.calls);
	rec_free(&r);
	rules_free(rs);
}

Test(rules, null_ruleset)
{
	struct rules_verdict v;

	rules_free(NULL);
	cr_assert_eq(rules_count(NULL), 0);
	cr_assert_null(rules_name(NULL, 0));
	cr_assert_eq(rules_hits(NULL, 0), 0);
	judge(NULL, REC(S(NS, "ci")), &v);
	cr_assert_eq(v.suppressed_by, -1);
	cr_assert_eq(v.risk_score, -1);
	cr_assert_eq(v.risk_rule, -1);
}

Test(rules, load_missing_file)
{
	char err[256];

	errno = 0;
	cr_assert_null(rules_load("/nonexistent/rules.yaml", fields, err,
				  sizeof(err)));
	cr_assert_eq(errno, ENOENT);
	cr_assert(strstr(err, "/nonexistent/rules.yaml: "), "err: %s", err);
}

Test(rules, load_file_error_names_file)
{
	char path[] = "/tmp/test_rules_XXXXXX", err[256];
	FILE *f;
	int fd;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	fputs("rules:\n- name: a\n  match: {scope: x}\n  extra: 1\n", f);
	fclose(f);
	errno = 0;
	cr_assert_null(rules_load(path, fields, err, sizeof(err)));
	unlink(path);
	cr_assert_eq(errno, EINVAL);
	cr_assert(!strncmp(err, path, strlen(path)) &&
		  !strncmp(err + strlen(path), ":4:3: ", 6), "err: %s", err);
}

/* the shipped file, from the top of the tree */
#define DEPLOY_RULES	"deploy/rules.yaml"

static char *read_deploy(void)
{
	char path[4096], *buf;
	const char *slash;
	size_t n;
	FILE *f;

	/* run from the top of the tree, else found from this file's path */
	f = fopen(DEPLOY_RULES, "r");
	slash = strrchr(__FILE__, '/');
	if (!f && slash) {
		snprintf(path, sizeof(path), "%.*s/../%s",
			 (int)(slash - __FILE__), __FILE__, DEPLOY_RULES);
		f = fopen(path, "r");
	}
	cr_assert_not_null(f, "cannot open %s", DEPLOY_RULES);
	buf = calloc(1, 65536);
	cr_assert_not_null(buf);
	n = fread(buf, 1, 65535, f);
	fclose(f);
	cr_assert(n > 0 && n < 65535, "%s: %zu bytes", DEPLOY_RULES, n);
	return buf;
}

Test(rules, deploy_default)
{
	char *text = read_deploy(), err[512];
	struct ruleset *rs;

	rs = rules_parse(DEPLOY_RULES, text, strlen(text), fields, err,
			 sizeof(err));
	cr_assert_not_null(rs, "%s", err);
	cr_assert_eq(rules_count(rs), 0, "the default file has %zu rules",
		     rules_count(rs));
	rules_free(rs);
	free(text);
}

/* the examples, uncommented as the file says, parse and do what they say */
Test(rules, deploy_examples)
{
	char *text = read_deploy(), *out, *line, *save, err[512];
	bool examples = false;
	struct rules_verdict v;
	struct ruleset *rs;

	out = calloc(1, strlen(text) + 1);
	cr_assert_not_null(out);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, "rules: []"))
			line = "rules:";
		if (!strncmp(line, "# Examples", 10))
			examples = true;
		if (examples && !strncmp(line, "#  ", 3))
			line++;
		strcat(out, line);
		strcat(out, "\n");
	}
	rs = rules_parse(DEPLOY_RULES, out, strlen(out), fields, err,
			 sizeof(err));
	cr_assert_not_null(rs, "examples: %s\n%s", err, out);
	cr_assert_eq(rules_count(rs), 4, "examples: %zu rules", rules_count(rs));

	judge(rs, REC(S(NS, "ci"), S(CTR, "runner"), S(EXE, "bash")), &v);
	cr_assert_eq(v.suppressed_by, 0, "a CI shell is not suppressed");
	judge(rs, REC(S(NS, "ci"), S(CTR, "app"), S(EXE, "bash")), &v);
	cr_assert_eq(v.suppressed_by, -1, "a shell of another CI container is");
	judge(rs, REC(S(NS, "debug-alice"), B(TTY, true)), &v);
	cr_assert(v.suppressed_by == -1 && v.risk_score == 10,
		  "debug shell: %d %d", v.suppressed_by, v.risk_score);
	judge(rs, REC(S("scope", "host"), S(PEXE, "/usr/local/bin/node-health"),
		      S(CMD, "/bin/sh -c /usr/local/lib/node-health/check-disk")),
	      &v);
	cr_assert_eq(v.suppressed_by, 2, "node-health check not suppressed");
	judge(rs, REC(S("scope", "container"),
		      S(PEXE, "/usr/local/bin/node-health"),
		      S(CMD, "/bin/sh -c /usr/local/lib/node-health/check-disk")),
	      &v);
	cr_assert_eq(v.suppressed_by, -1, "node-health in a container suppressed");
	judge(rs, REC(S(NS, "prod-eu"), B(TTY, true)), &v);
	cr_assert(v.suppressed_by == -1 && v.risk_score == 80 && v.risk_rule == 3,
		  "prod interactive: %d %d %d", v.suppressed_by, v.risk_score,
		  v.risk_rule);
	rules_free(rs);
	free(out);
	free(text);
}

/* guards: a field that holds only where a boolean field is true */
struct guard_case {
	const char *what;
	const char *yaml;
	const struct fv *rec;
	int suppressed_by;
};

#define SHIM	"'/usr/bin/containerd-shim*'"
#define SHIMP	"/usr/bin/containerd-shim-runc-v2"

static const struct guard_case guard_cases[] = {
	/* a key on the field alone: the guard must be true */
	{ "guard true", R1(PEXE ": " SHIM),
	  REC(S(PEXE, SHIMP), B(PHV, true)), 0 },
	{ "guard false", R1(PEXE ": " SHIM),
	  REC(S(PEXE, SHIMP), B(PHV, false)), -1 },
	{ "guard missing", R1(PEXE ": " SHIM), REC(S(PEXE, SHIMP)), -1 },
	/* the rule names the guard: its own values decide */
	{ "named false, guard false", R1(PEXE ": " SHIM ", " PHV ": false"),
	  REC(S(PEXE, SHIMP), B(PHV, false)), 0 },
	{ "named false, guard true", R1(PEXE ": " SHIM ", " PHV ": false"),
	  REC(S(PEXE, SHIMP), B(PHV, true)), -1 },
	{ "named either, guard false",
	  R1(PEXE ": " SHIM ", " PHV ": [true, false]"),
	  REC(S(PEXE, SHIMP), B(PHV, false)), 0 },
	{ "named either, guard missing",
	  R1(PEXE ": " SHIM ", " PHV ": [true, false]"), REC(S(PEXE, SHIMP)),
	  -1 },
	/* no key on the field: no guard */
	{ "other field", R1(NS ": ci"), REC(S(NS, "ci"), B(PHV, false)), 0 },
	/* each rule on its own: the second has the field, the first not */
	{ "two rules", "rules: [{name: a, match: {" NS ": ci}}, "
		       "{name: b, match: {" PEXE ": " SHIM "}}]",
	  REC(S(PEXE, SHIMP), B(PHV, false)), -1 },
	{ "two rules, the second holds", "rules: [{name: a, match: {" NS ": ci}}, "
		       "{name: b, match: {" PEXE ": " SHIM "}}]",
	  REC(S(PEXE, SHIMP), B(PHV, true)), 1 },
};

ParameterizedTestParameters(rules, guard)
{
	return sw_rows(ARRAY_SIZE(guard_cases));
}

ParameterizedTest(int *row, rules, guard)
{
	const struct guard_case *c = &guard_cases[*row];
	struct ruleset *rs = parse_ok(c->what, c->yaml);
	struct rules_verdict v;

	cr_assert_eq(rules_guard(rs, PEXE, PHV), 0, "case %s", c->what);
	/* a second guard on the same pair changes nothing */
	cr_assert_eq(rules_guard(rs, PEXE, PHV), 0, "case %s", c->what);
	judge(rs, c->rec, &v);
	cr_assert_eq(v.suppressed_by, c->suppressed_by,
		     "case %s: suppressed_by %d, want %d", c->what,
		     v.suppressed_by, c->suppressed_by);
	rules_free(rs);
}

Test(rules, guard_of_an_unknown_field)
{
	struct ruleset *rs = parse_ok("unknown", R1(PEXE ": " SHIM));

	cr_assert_eq(rules_guard(rs, "process.nope", PHV), -EINVAL);
	cr_assert_eq(rules_guard(rs, PEXE, "process.nope"), -EINVAL);
	cr_assert_eq(rules_guard(NULL, PEXE, PHV), 0);
	rules_free(rs);
}
