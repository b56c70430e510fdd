// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Benchmark of the rules engine: 100 rules with mixed globs on 3 to 5
 * fields each, judging 1,000,000 synthetic records; then the attacker's
 * case, 1,000 near-miss globs on process.command_line against a 4 KiB
 * command line made to almost match each of them. Not part of the tests.
 *
 *   gcc -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 -Iuser \
 *       tests/bench/rules_bench.c user/rules.c user/rules_yaml.c \
 *       user/glob.c -lyaml -o /tmp/rules_bench
 *   /tmp/rules_bench [rules] [records]
 *   /tmp/rules_bench nearmiss [globs] [judges]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "rules.h"

#define NRECS		1024	/* distinct records, judged in turn */
#define TEXT_MAX	128

enum {
	F_NS, F_POD, F_CTR, F_SCOPE, F_EXE, F_PATH, F_PEXE, F_CMD, F_CWD,
	F_TTY, F_UID, F_COUNT,
};

static const char *const fields[] = {
	[F_NS] = "k8s.namespace.name",
	[F_POD] = "k8s.pod.name",
	[F_CTR] = "k8s.container.name",
	[F_SCOPE] = "scope",
	[F_EXE] = "process.executable.name",
	[F_PATH] = "process.executable.path",
	[F_PEXE] = "process.parent.executable.path",
	[F_CMD] = "process.command_line",
	[F_CWD] = "process.working_directory",
	[F_TTY] = "process.interactive",
	[F_UID] = "process.user.id",
	[F_COUNT] = NULL,
};

static const char *const shells[] = { "sh", "bash", "dash", "zsh" };

struct record {
	char text[F_COUNT][TEXT_MAX];
	bool tty;
	double uid;
};

static unsigned int seed = 42;

static unsigned int rnd(unsigned int n)
{
	return rand_r(&seed) % n;
}

/* a field of a record, found by name as a daemon without an index would */
static void lookup(void *ctx, const char *field, struct rule_value *out)
{
	const struct record *r = ctx;
	int i;

	for (i = 0; i < F_COUNT; i++)
		if (!strcmp(fields[i], field))
			break;
	switch (i) {
	case F_COUNT:
		return;
	case F_TTY:
		out->type = RULE_V_BOOL;
		out->b = r->tty;
		return;
	case F_UID:
		out->type = RULE_V_NUM;
		out->num = r->uid;
		return;
	default:
		out->type = RULE_V_STR;
		out->str = r->text[i];
		out->len = strlen(r->text[i]);
	}
}

static void make_record(struct record *r)
{
	const char *sh = shells[rnd(4)];
	unsigned int job = rnd(50);

	snprintf(r->text[F_NS], TEXT_MAX, "%s-%u",
		 rnd(2) ? "prod" : "ns", rnd(50));
	snprintf(r->text[F_POD], TEXT_MAX, "app-%u-%05x", rnd(50), rnd(1 << 20));
	snprintf(r->text[F_CTR], TEXT_MAX, "c%u", rnd(10));
	snprintf(r->text[F_SCOPE], TEXT_MAX, "%s", rnd(4) ? "container" : "host");
	snprintf(r->text[F_EXE], TEXT_MAX, "%s", sh);
	snprintf(r->text[F_PATH], TEXT_MAX, "/usr/bin/%s", sh);
	snprintf(r->text[F_PEXE], TEXT_MAX, "/usr/local/bin/tool-%u", rnd(20));
	snprintf(r->text[F_CMD], TEXT_MAX,
		 "%s -c /opt/job-%u/run.sh --check-%u --verbose", sh, job,
		 rnd(30));
	snprintf(r->text[F_CWD], TEXT_MAX, "/work/job-%u", job);
	r->tty = rnd(3) == 0;
	r->uid = rnd(4) ? 0 : 1000 + rnd(5);
}

/* one glob value for field f, of a kind picked at random */
static void put_value(char *buf, size_t len, int f)
{
	unsigned int n = rnd(50);

	switch (f) {
	case F_TTY:
		snprintf(buf, len, "%s", rnd(2) ? "true" : "false");
		return;
	case F_UID:
		snprintf(buf, len, "%u", rnd(2) ? 0 : 1000 + rnd(5));
		return;
	case F_SCOPE:
		snprintf(buf, len, "%s", rnd(2) ? "host" : "'cont*'");
		return;
	case F_EXE:
		snprintf(buf, len, "[%s, '%s*']", shells[rnd(4)], shells[rnd(4)]);
		return;
	case F_CMD:
		snprintf(buf, len, "'*/job-%u/*--check-?%s*'", n,
			 rnd(2) ? "" : "[0-4]");
		return;
	case F_PEXE:
		snprintf(buf, len, "'/usr/local/bin/tool-%u'", rnd(20));
		return;
	case F_PATH:
		snprintf(buf, len, "'/usr/bin/*%s'", shells[rnd(4)]);
		return;
	case F_CWD:
		snprintf(buf, len, "'/work/job-%u*'", n % 10);
		return;
	case F_POD:
		snprintf(buf, len, "'app-%u-*'", n);
		return;
	case F_CTR:
		snprintf(buf, len, "'c[0-%u]'", rnd(10));
		return;
	default:
		switch (rnd(4)) {
		case 0:
			snprintf(buf, len, "ns-%u", n);
			return;
		case 1:
			snprintf(buf, len, "'prod-*'");
			return;
		case 2:
			snprintf(buf, len, "'*-%u'", n);
			return;
		default:
			snprintf(buf, len, "['ns-%u?', 'prod-[0-4]*']", n % 5);
			return;
		}
	}
}

/* nrules rules of 3 to 5 keys each, every tenth a risk rule */
static char *make_rules(int nrules)
{
	size_t cap = 256 * nrules + 64, off = 0;
	char *yaml = malloc(cap), val[TEXT_MAX];
	bool used[F_COUNT];
	int i, k, nkeys, f;

	if (!yaml)
		return NULL;
	off += snprintf(yaml + off, cap - off, "rules:\n");
	for (i = 0; i < nrules; i++) {
		off += snprintf(yaml + off, cap - off, "- name: rule-%d\n", i);
		if (i % 10 == 9)
			off += snprintf(yaml + off, cap - off,
					"  risk_score: %d\n", 10 + i % 90);
		off += snprintf(yaml + off, cap - off, "  match:\n");
		memset(used, 0, sizeof(used));
		nkeys = 3 + rnd(3);
		for (k = 0; k < nkeys; k++) {
			do
				f = rnd(F_COUNT);
			while (used[f]);
			used[f] = true;
			put_value(val, sizeof(val), f);
			off += snprintf(yaml + off, cap - off, "    %s: %s\n",
					fields[f], val);
		}
	}
	return yaml;
}

/* CPU time of this thread: other load on the machine does not count */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* the near-miss subject: argv of 4 KiB, one byte repeated */
#define NEAR_LEN	4096

struct near {
	char cmd[NEAR_LEN + 1];
};

static void near_lookup(void *ctx, const char *field, struct rule_value *out)
{
	const struct near *r = ctx;

	if (strcmp(field, "process.command_line"))
		return;
	out->type = RULE_V_STR;
	out->str = r->cmd;
	out->len = NEAR_LEN;
}

/*
 * nglobs rules of one glob each, '*' then 16 to 63 'a' then a 'b' or a
 * set without 'a', then '*': every place of the subject starts a match
 * that fails at its last byte (the worst case of a matcher that tries
 * every start)
 */
static int bench_nearmiss(int nglobs, long n)
{
	size_t cap = 128 * (size_t)nglobs + 64, off = 0;
	char *yaml = malloc(cap), err[512];
	static struct near rec;
	struct rules_verdict v;
	struct ruleset *rs;
	double t0, t1;
	int i, k, a;
	long j;

	if (!yaml)
		return 1;
	memset(rec.cmd, 'a', NEAR_LEN);
	memcpy(rec.cmd, "sh -c ", 6);
	off += snprintf(yaml + off, cap - off, "rules:\n");
	for (i = 0; i < nglobs; i++) {
		off += snprintf(yaml + off, cap - off,
				"- name: near-%d\n  match:\n"
				"    process.command_line: '*", i);
		a = 16 + i % 48;
		for (k = 0; k < a; k++)
			yaml[off++] = 'a';
		off += snprintf(yaml + off, cap - off, "%s*'\n",
				i % 2 ? "b" : "[!a]x");
	}
	rs = rules_parse("nearmiss", yaml, off, fields, err, sizeof(err));
	free(yaml);
	if (!rs) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	rules_judge(rs, near_lookup, &rec, &v);
	t0 = now_ns();
	for (j = 0; j < n; j++)
		rules_judge(rs, near_lookup, &rec, &v);
	t1 = now_ns();
	printf("%zu near-miss globs on a %d-byte command line, %ld judges: "
	       "%.1f us/judge of CPU (%.1f ns per glob), suppressed %d\n",
	       rules_count(rs), NEAR_LEN, n, (t1 - t0) / n / 1e3,
	       (t1 - t0) / n / rules_count(rs), v.suppressed_by >= 0);
	rules_free(rs);
	return 0;
}

int main(int argc, char **argv)
{
	int nrules = argc > 1 ? atoi(argv[1]) : 100;
	long n = argc > 2 ? atol(argv[2]) : 1000000, i, suppressed = 0, risky = 0;
	static struct record recs[NRECS];
	struct rules_verdict v;
	struct ruleset *rs;
	uint64_t hits = 0;
	char err[512], *yaml;
	double t0, t1, base;
	size_t r;

	if (argc > 1 && !strcmp(argv[1], "nearmiss"))
		return bench_nearmiss(argc > 2 ? atoi(argv[2]) : 1000,
				      argc > 3 ? atol(argv[3]) : 200);
	yaml = make_rules(nrules);
	if (!yaml)
		return 1;
	rs = rules_parse("bench", yaml, strlen(yaml), fields, err, sizeof(err));
	if (!rs) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (i = 0; i < NRECS; i++)
		make_record(&recs[i]);

	/* warm up, then time */
	for (i = 0; i < NRECS; i++)
		rules_judge(rs, lookup, &recs[i], &v);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		rules_judge(rs, lookup, &recs[i % NRECS], &v);
		suppressed += v.suppressed_by >= 0;
		risky += v.risk_score >= 0;
	}
	t1 = now_ns();

	/* the same with no rules: the cost of the call alone */
	{
		struct ruleset *none = rules_parse("none", "rules: []", 9,
						   fields, err, sizeof(err));

		base = now_ns();
		for (i = 0; i < n; i++)
			rules_judge(none, lookup, &recs[i % NRECS], &v);
		base = (now_ns() - base) / n;
		rules_free(none);
	}

	for (r = 0; r < rules_count(rs); r++)
		hits += rules_hits(rs, r);
	printf("%zu rules, %ld judges: %.1f ns/judge of CPU (empty ruleset %.1f ns); "
	       "suppressed %ld, risk %ld, rule hits %llu\n",
	       rules_count(rs), n, (t1 - t0) / n, base, suppressed, risky,
	       (unsigned long long)hits);
	rules_free(rs);
	free(yaml);
	return 0;
}
