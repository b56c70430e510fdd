// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the rules' bounds (rules.h, glob.h): a file at each bound
 * loads, one past it is refused with a message naming the bound; long
 * globs (automata of several words) agree with fnmatch(3); and globs made
 * to almost match at every place of a 4 KiB command line cost about the
 * same as any other (the matcher is linear in the value).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "glob.h"
#include "rules.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define CMD	"process.command_line"
#define EXE	"process.executable.name"

static const char *const fields[] = { CMD, EXE, "scope", NULL };

/* a growing YAML text */
struct text {
	char *s;
	size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		cr_assert_geq(n, 0);
		if (t->len + n < t->cap)
			break;
		t->cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
		t->s = realloc(t->s, t->cap);
		cr_assert_not_null(t->s);
	}
	t->len += n;
}

/* n bytes of c */
static void put_run(struct text *t, char c, size_t n)
{
	char *run = malloc(n + 1);

	cr_assert_not_null(run);
	memset(run, c, n);
	run[n] = '\0';
	put(t, "%s", run);
	free(run);
}

/* what a bound case builds: at the bound (over false) or one past it */
struct bound_case {
	const char *what;
	void (*build)(struct text *t, bool over);
	const char *word;		/* in the message past the bound */
};

/* RULES_MAX rules of one value each */
static void many_rules(struct text *t, bool over)
{
	int i;

	put(t, "rules:\n");
	for (i = 0; i < RULES_MAX + over; i++)
		put(t, "- {name: r%d, match: {scope: s%d}}\n", i, i);
}

/* RULES_VALUES_MAX values, four per rule; the last rule's one more */
static void many_values(struct text *t, bool over)
{
	int i;

	put(t, "rules:\n");
	for (i = 0; i < RULES_VALUES_MAX / 4; i++)
		put(t, "- {name: r%d, match: {scope: [a%d, b, c, d%s]}}\n", i, i,
		    over && i == RULES_VALUES_MAX / 4 - 1 ? ", e" : "");
}

/* globs of GLOB_LEN_MAX bytes adding up to RULES_GLOB_BYTES_MAX */
static void many_glob_bytes(struct text *t, bool over)
{
	int i, n = RULES_GLOB_BYTES_MAX / GLOB_LEN_MAX;

	put(t, "rules:\n");
	for (i = 0; i < n; i++) {
		put(t, "- name: r%d\n  match:\n    " CMD ": '*", i);
		put_run(t, 'a' + i % 26, GLOB_LEN_MAX - 2);
		put(t, "*'\n");
	}
	if (over)
		put(t, "- {name: extra, match: {scope: c}}\n");
}

/* one glob of GLOB_LEN_MAX bytes, of sets and stars */
static void long_glob(struct text *t, bool over)
{
	int i;

	put(t, "rules:\n- name: long\n  match:\n    " CMD ": '");
	for (i = 0; i < GLOB_LEN_MAX / 4; i++)
		put(t, i % 7 == 3 ? "*[a]" : "[a]?");
	if (over)
		put(t, "x");
	put(t, "'\n");
}

/* a rule name of RULE_NAME_MAX bytes */
static void long_name(struct text *t, bool over)
{
	put(t, "rules:\n- name: ");
	put_run(t, 'n', RULE_NAME_MAX + over);
	put(t, "\n  match: {scope: s}\n");
}

/* a file of RULES_FILE_MAX bytes: one rule and a comment */
static void big_file(struct text *t, bool over)
{
	put(t, "rules:\n- {name: r, match: {scope: s}}\n#");
	put_run(t, ' ', RULES_FILE_MAX - t->len - 1 + over);
	put(t, "\n");
}

static const struct bound_case bound_cases[] = {
	{ "rules", many_rules, "more than 1024 rules" },
	{ "values", many_values, "more than 2048 values" },
	{ "glob bytes", many_glob_bytes, "longer than 64 KiB in all" },
	{ "glob length", long_glob, "longer than 1024 bytes" },
	{ "rule name", long_name, "longer than 256 bytes" },
	{ "file size", big_file, "larger than 1 MiB" },
};

ParameterizedTestParameters(rules_bounds, at_and_past)
{
	return sw_rows(ARRAY_SIZE(bound_cases));
}

ParameterizedTest(int *row, rules_bounds, at_and_past)
{
	const struct bound_case *c = &bound_cases[*row];
	struct text at = { 0 }, past = { 0 };
	struct ruleset *rs;
	char err[512];

	c->build(&at, false);
	rs = rules_parse("t.yaml", at.s, at.len, fields, err, sizeof(err));
	cr_assert_not_null(rs, "case %s: at the bound, refused: %s", c->what,
			   err);
	rules_free(rs);

	c->build(&past, true);
	errno = 0;
	rs = rules_parse("t.yaml", past.s, past.len, fields, err, sizeof(err));
	cr_assert_null(rs, "case %s: past the bound, loaded", c->what);
	cr_assert_eq(errno, EINVAL, "case %s: errno %d", c->what, errno);
	cr_assert(strstr(err, c->word), "case %s: error '%s' does not say '%s'",
		  c->what, err, c->word);
	cr_assert(!strncmp(err, "t.yaml:", 7), "case %s: error '%s' names no place",
		  c->what, err);
	free(at.s);
	free(past.s);
}

/* the file read from disk: the same bound, said with the path */
Test(rules_bounds, load_big_file)
{
	char path[] = "/tmp/test_rules_bounds_XXXXXX", err[512];
	struct text t = { 0 };
	int fd;

	big_file(&t, true);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, t.s, t.len), (ssize_t)t.len);
	close(fd);
	errno = 0;
	cr_assert_null(rules_load(path, fields, err, sizeof(err)));
	unlink(path);
	cr_assert(strstr(err, path) && strstr(err, "larger than 1 MiB"),
		  "err: %s", err);
	free(t.s);
}

/* a glob compiled alone: the words of its longest unanchored segment */
Test(rules_bounds, glob_words)
{
	static const struct {
		const char *pat;
		unsigned int words;
	} cases[] = {
		{ "abc", 0 }, { "a*b", 0 }, { "*", 0 }, { "*a*", 1 },
		{ "x*[ab]?c*y*z", 1 },
	};
	char pat[GLOB_LEN_MAX + 2];
	struct glob *g;
	const char *why;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		cr_assert_eq(glob_compile(cases[i].pat, strlen(cases[i].pat), &g,
					  &why), 0, "glob %s", cases[i].pat);
		cr_assert_eq(glob_words(g), cases[i].words, "glob %s: %u words",
			     cases[i].pat, glob_words(g));
		glob_free(g);
	}
	/* the longest: a segment of GLOB_LEN_MAX - 2 bytes between stars */
	memset(pat, '?', GLOB_LEN_MAX);
	pat[0] = pat[GLOB_LEN_MAX - 1] = '*';
	cr_assert_eq(glob_compile(pat, GLOB_LEN_MAX, &g, &why), 0);
	cr_assert_eq(glob_words(g), (GLOB_LEN_MAX - 2 + 63) / 64);
	glob_free(g);
	cr_assert_eq(glob_compile(pat, GLOB_LEN_MAX + 1, &g, &why), -EINVAL);
	cr_assert(strstr(why, "1024 bytes"), "why: %s", why);
	glob_free(NULL);
}

/* whether glob pat matches text, through the engine */
static bool glob_matches(const char *pat, const char *text)
{
	struct glob *g;
	const char *why;
	bool m;

	cr_assert_eq(glob_compile(pat, strlen(pat), &g, &why), 0,
		     "glob '%s': %s", pat, why);
	m = glob_match(g, text, strlen(text));
	glob_free(g);
	return m;
}

/* long segments (automata of one to three words) agree with fnmatch(3) */
Test(rules_bounds, long_globs_vs_fnmatch)
{
	static const char *const atoms[] = { "a", "b", "?", "[ab]", "[!a]", "a" };
	char pat[1024], text[512];
	unsigned int seed = 7;
	int i, j, n, stars;

	for (i = 0; i < 400; i++) {
		pat[0] = '\0';
		stars = 1 + rand_r(&seed) % 3;
		n = 20 + rand_r(&seed) % 180;
		strcat(pat, "*");
		for (j = 0; j < n; j++) {
			strcat(pat, atoms[rand_r(&seed) % ARRAY_SIZE(atoms)]);
			if (stars > 1 && j == n / 2)
				strcat(pat, "*");
		}
		if (rand_r(&seed) % 2)
			strcat(pat, "*");
		n = 100 + rand_r(&seed) % 400;
		for (j = 0; j < n; j++)
			text[j] = rand_r(&seed) % 5 ? 'a' : 'b';
		text[n] = '\0';
		/* plant the segment's text half the time: matches happen */
		cr_assert_eq(glob_matches(pat, text), !fnmatch(pat, text, 0),
			     "glob '%s' on '%s': fnmatch says %s", pat, text,
			     fnmatch(pat, text, 0) ? "no match" : "match");
	}
	/* a long segment that matches, placed late */
	memset(text, 'a', 300);
	memcpy(text + 250, "b", 1);
	text[300] = '\0';
	snprintf(pat, sizeof(pat), "*%.*s*", 150, text + 101);
	cr_assert(glob_matches(pat, text), "planted segment not found");
	cr_assert(fnmatch(pat, text, 0) == 0);
}

/* CPU time of this thread, in ns */
static double cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void near_lookup(void *ctx, const char *field, struct rule_value *out)
{
	if (strcmp(field, CMD))
		return;
	out->type = RULE_V_STR;
	out->str = ctx;
	out->len = 4096;
}

/*
 * 1,000 globs of 16 to 63 'a' then a byte that is not, between stars,
 * against a command line of 4 KiB of 'a': a matcher that tries each place
 * pays the segment at each (about 30 ms a judge, measured on the old one);
 * this one pays a word operation per byte per glob
 */
Test(rules_bounds, near_miss_cost)
{
	struct text t = { 0 };
	struct rules_verdict v;
	struct ruleset *rs;
	double best = 1e18, t0, limit_ms = 12;
	char err[512], *cmd;
	int i, k;

	put(&t, "rules:\n");
	for (i = 0; i < 1000; i++) {
		put(&t, "- name: near-%d\n  match:\n    " CMD ": '*", i);
		put_run(&t, 'a', 16 + i % 48);
		put(&t, "%s*'\n", i % 2 ? "b" : "[!a]x");
	}
	rs = rules_parse("near.yaml", t.s, t.len, fields, err, sizeof(err));
	cr_assert_not_null(rs, "%s", err);
	cmd = malloc(4096);
	cr_assert_not_null(cmd);
	memset(cmd, 'a', 4096);
	for (k = 0; k < 5; k++) {
		t0 = cpu_ns();
		rules_judge(rs, near_lookup, cmd, &v);
		if (cpu_ns() - t0 < best)
			best = cpu_ns() - t0;
		cr_assert_eq(v.suppressed_by, -1, "a near miss matched");
	}
#if defined(__SANITIZE_ADDRESS__)
	/* instrumented loads cost several times more */
	limit_ms *= 6;
#endif
	cr_assert_lt(best / 1e6, limit_ms,
		     "1000 near-miss globs on 4 KiB: %.1f ms a judge (limit %.0f ms)",
		     best / 1e6, limit_ms);
	/* the same globs matched once the last byte is there */
	memcpy(cmd + 4000, "b", 1);
	rules_judge(rs, near_lookup, cmd, &v);
	cr_assert_geq(v.suppressed_by, 0, "a planted 'b' matched nothing");
	rules_free(rs);
	free(cmd);
	free(t.s);
}
