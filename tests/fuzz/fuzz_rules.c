// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the rules loader of user/rules_yaml.c: the input is a
 * rules file. A refused file must say "fuzz.yaml:LINE:COL: message" (or
 * "fuzz.yaml: out of memory" with ENOMEM), cut cleanly into a short err
 * buffer. A loaded one is judged against a few synthetic records: the
 * lookup callback gets the list's own pointers, at most once per field per
 * judge; verdicts are in range, repeatable and agree with the hit counts.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Iuser \
 *   tests/fuzz/fuzz_rules.c user/rules.c user/rules_yaml.c user/glob.c -o /tmp/fuzz_rules -lyaml -lm
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "rules.h"

static const char *const fields[] = {
	"k8s.namespace.name",
	"process.executable.name",
	"process.command_line",
	"process.interactive",
	"process.pid",
	"scope",
	NULL,
};
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]) - 1)

/* one synthetic record: a value per field */
struct rec {
	struct rule_value v[NFIELDS];
	unsigned int calls[NFIELDS];
};

static void lookup(void *ctx, const char *field, struct rule_value *out)
{
	struct rec *r = ctx;
	size_t i;

	/* the very pointer of the list, not a copy of the name */
	for (i = 0; i < NFIELDS; i++)
		if (field == fields[i])
			break;
	check(i < NFIELDS);
	check(out->type == RULE_V_MISSING);
	r->calls[i]++;
	*out = r->v[i];
}

static struct rule_value vstr(const char *s, size_t n)
{
	return (struct rule_value){ .type = RULE_V_STR, .str = s, .len = n };
}

static struct rule_value vnum(double x, const char *text)
{
	return (struct rule_value){ .type = RULE_V_NUM, .num = x,
				    .str = text, .len = text ? strlen(text) : 0 };
}

static struct rule_value vbool(bool b)
{
	return (struct rule_value){ .type = RULE_V_BOOL, .b = b };
}

static void judge(struct ruleset *rs, struct rec *r)
{
	size_t n = rules_count(rs), i;
	struct rules_verdict v1, v2;
	uint64_t *h0 = calloc(n + 1, sizeof(*h0));
	uint64_t *h1 = calloc(n + 1, sizeof(*h1));

	check(h0 && h1);
	for (i = 0; i < n; i++)
		h0[i] = rules_hits(rs, i);
	memset(r->calls, 0, sizeof(r->calls));
	rules_judge(rs, lookup, r, &v1);
	for (i = 0; i < NFIELDS; i++)
		check(r->calls[i] <= 1);

	check(v1.suppressed_by >= -1 && v1.suppressed_by < (int)n);
	check(v1.risk_rule >= -1 && v1.risk_rule < (int)n);
	check((v1.risk_rule < 0) == (v1.risk_score < 0));
	check(v1.risk_score >= -1 && v1.risk_score <= 100);
	for (i = 0; i < n; i++) {
		h1[i] = rules_hits(rs, i);
		check(h1[i] - h0[i] <= 1);
	}
	if (v1.suppressed_by >= 0)
		check(h1[v1.suppressed_by] == h0[v1.suppressed_by] + 1);
	if (v1.risk_rule >= 0)
		check(h1[v1.risk_rule] == h0[v1.risk_rule] + 1);
	/* suppressing and scoring rules are apart */
	check(v1.suppressed_by < 0 || v1.suppressed_by != v1.risk_rule);

	/* again: the same verdict, the same hits once more */
	memset(r->calls, 0, sizeof(r->calls));
	rules_judge(rs, lookup, r, &v2);
	for (i = 0; i < NFIELDS; i++)
		check(r->calls[i] <= 1);
	check(!memcmp(&v1, &v2, sizeof(v1)));
	for (i = 0; i < n; i++)
		check(rules_hits(rs, i) - h1[i] == h1[i] - h0[i]);
	check(rules_hits(rs, n) == 0);
	free(h0);
	free(h1);
}

/* "fuzz.yaml:LINE:COL: message" with 1 <= LINE, COL <= size + 1 */
static void check_error(const char *err, size_t errsize, int e, size_t size)
{
	unsigned long line, col;
	char *end;

	check(strnlen(err, errsize) < errsize);
	if (!strcmp(err, "fuzz.yaml: out of memory")) {
		check(e == ENOMEM);
		return;
	}
	if (strncmp(err, "fuzz.yaml:", 10)) {
		fprintf(stderr, "error without the file name: '%s'\n", err);
		abort();
	}
	if (err[10] < '1' || err[10] > '9')
		goto bad;
	line = strtoul(err + 10, &end, 10);
	if (*end != ':' || end[1] < '1' || end[1] > '9')
		goto bad;
	col = strtoul(end + 1, &end, 10);
	if (strncmp(end, ": ", 2) || !end[2])
		goto bad;
	if (line > size + 1 || col > size + 1)
		goto bad;
	check(e == EINVAL);
	return;
bad:
	fprintf(stderr, "error not FILE:LINE:COL: message: '%s'\n", err);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char tokbuf[8][64];
	size_t toklen[8] = { 0 };
	char err[512], small[24];
	struct ruleset *rs;
	struct rec r;
	size_t i, n, t, k;
	char *text;
	int e;

	/* an exact-size copy: the text is not NUL-terminated */
	text = malloc(size ? size : 1);
	check(text);
	memcpy(text, data, size);

	memset(err, 0x5a, sizeof(err));
	errno = 0;
	rs = rules_parse("fuzz.yaml", text, size, fields, err, sizeof(err));
	e = errno;
	if (!rs) {
		check_error(err, sizeof(err), e, size);
		/* the same message, cut short into a small buffer */
		k = 1 + size % sizeof(small);
		memset(small, 0x5a, sizeof(small));
		check(!rules_parse("fuzz.yaml", text, size, fields, small, k));
		check(strnlen(small, k) < k);
		check(!strncmp(small, err, strlen(small)));
		check(strlen(small) == k - 1 || !strcmp(small, err));
		/* and with nowhere to write it */
		check(!rules_parse("fuzz.yaml", text, size, fields, NULL, 0));
		free(text);
		return 0;
	}
	check(err[0] == '\0');

	n = rules_count(rs);
	for (i = 0; i < n; i++) {
		const char *name = rules_name(rs, i);

		check(name && name[0]);
		for (k = 0; name[k]; k++)
			check((unsigned char)name[k] >= ' ' && name[k] != 0x7f);
		for (k = 0; k < i; k++)
			check(strcmp(name, rules_name(rs, k)));
		check(rules_hits(rs, i) == 0);
	}
	check(rules_name(rs, n) == NULL);

	/* a plain record */
	memset(&r, 0, sizeof(r));
	r.v[0] = vstr("ci", 2);
	r.v[1] = vstr("bash", 4);
	r.v[2] = vstr("/bin/sh -c echo hi", 18);
	r.v[3] = vbool(true);
	r.v[4] = vnum(1234, NULL);
	r.v[5] = vstr("container", 9);
	judge(rs, &r);

	/* nothing known */
	memset(&r, 0, sizeof(r));
	judge(rs, &r);

	/* odd values: NUL inside, NULL text, numbers with and without text */
	memset(&r, 0, sizeof(r));
	r.v[0] = vstr("ci\0x", 4);
	r.v[1] = vstr(NULL, 0);
	r.v[2] = vstr("", 0);
	r.v[3] = vbool(false);
	r.v[4] = vnum(NAN, NULL);
	r.v[5] = vnum(-0.0, NULL);
	judge(rs, &r);
	r.v[4] = vnum(1e300, NULL);
	r.v[5] = vnum(0.1, "0x10");
	r.v[3] = vstr("true", 4);
	judge(rs, &r);
	r.v[4] = vnum(-9.3e18, NULL);
	r.v[5] = vnum(42, NULL);
	judge(rs, &r);

	/* words of the file itself, so that some globs match */
	memset(&r, 0, sizeof(r));
	for (i = 0, t = 0; i < size && t < 8;) {
		static const char sep[] = " \t\r\n:,[]{}'\"#&*!|>%@`";

		while (i < size && (memchr(sep, text[i], sizeof(sep) - 1) ||
				    !text[i]))
			i++;
		for (k = 0; i < size && k < sizeof(tokbuf[t]) &&
			    text[i] && !memchr(sep, text[i], sizeof(sep) - 1);
		     i++, k++)
			tokbuf[t][k] = text[i];
		toklen[t] = k;
		if (k)
			r.v[t % NFIELDS] = vstr(tokbuf[t], k);
		if (k && t % NFIELDS == 4) {
			char num[65];
			char *end;
			double x;

			memcpy(num, tokbuf[t], k);
			num[k] = '\0';
			x = strtod(num, &end);
			if (!*end)
				r.v[4] = vnum(x, NULL);
		}
		t++;
	}
	judge(rs, &r);
	/* the same words, each field a word of its own */
	for (i = 0; i < NFIELDS && i < t; i++)
		r.v[i] = vstr(tokbuf[(i + 1) % t], toklen[(i + 1) % t]);
	judge(rs, &r);

	rules_free(rs);
	free(text);
	return 0;
}
