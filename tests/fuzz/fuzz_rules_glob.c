// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the glob matcher of user/glob.c, against a plain
 * dynamic-programming matcher of the syntax rules.h documents. Byte 0 is
 * the pattern's length; the pattern (made printable ASCII, other bytes
 * mapped to glob metacharacters) goes into a one-rule file as a quoted
 * process.command_line glob, the rest of the input is the value judged.
 * The rule must load exactly when the reference parses the glob, and
 * suppress exactly when the reference matches.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Iuser \
 *   tests/fuzz/fuzz_rules_glob.c user/rules.c user/rules_yaml.c user/glob.c -o /tmp/fuzz_rules_glob \
 *   -lyaml -lm
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "rules.h"

#define PAT_MAX	64

static const char *const fields[] = { "process.command_line", NULL };

/* one element of a reference pattern */
struct ratom {
	enum { R_LIT, R_ONE, R_SET, R_STAR } kind;
	unsigned char c;
	bool in[256];
};

/* parse a bracket expression after '['; false when malformed */
static bool ref_set(const char *p, size_t n, size_t *i, struct ratom *a)
{
	bool neg = false, first = true;
	unsigned int lo, hi, k;

	memset(a->in, 0, sizeof(a->in));
	if (*i < n && (p[*i] == '!' || p[*i] == '^')) {
		neg = true;
		(*i)++;
	}
	for (;;) {
		if (*i >= n)
			return false;
		if (p[*i] == ']' && !first)
			break;
		if (p[*i] == '[' && *i + 1 < n && strchr(":=.", p[*i + 1]))
			return false;
		if (p[*i] == '\\' && ++(*i) >= n)
			return false;
		lo = hi = (unsigned char)p[(*i)++];
		if (*i + 1 < n && p[*i] == '-' && p[*i + 1] != ']') {
			(*i)++;
			if (p[*i] == '\\' && ++(*i) >= n)
				return false;
			hi = (unsigned char)p[(*i)++];
			if (hi < lo)
				return false;
		}
		if (hi >= 0x80)
			return false;
		for (k = lo; k <= hi; k++)
			a->in[k] = true;
		first = false;
	}
	(*i)++;
	if (neg)
		for (k = 0; k < 256; k++)
			a->in[k] = !a->in[k];
	a->kind = R_SET;
	return true;
}

/* parse a pattern into atoms; -1 when malformed */
static int ref_parse(const char *p, size_t n, struct ratom *atoms)
{
	size_t i = 0;
	int na = 0;

	while (i < n) {
		struct ratom *a = &atoms[na++];
		char c = p[i++];

		if (c == '*') {
			a->kind = R_STAR;
		} else if (c == '?') {
			a->kind = R_ONE;
		} else if (c == '[') {
			if (!ref_set(p, n, &i, a))
				return -1;
		} else {
			if (c == '\\') {
				if (i >= n)
					return -1;
				c = p[i++];
			}
			a->kind = R_LIT;
			a->c = (unsigned char)c;
		}
	}
	return na;
}

/* whether atoms match all n bytes of s: m[i][j] = atoms i.. match s j.. */
static bool ref_match(const struct ratom *atoms, int na, const uint8_t *s,
		      size_t n)
{
	bool *m = calloc((size_t)(na + 1) * (n + 1), sizeof(bool));
	bool r;
	int i;
	size_t j;

	check(m);
#define M(i, j)	m[(size_t)(i) * (n + 1) + (j)]
	M(na, n) = true;
	for (i = na - 1; i >= 0; i--) {
		for (j = n + 1; j-- > 0;) {
			const struct ratom *a = &atoms[i];

			switch (a->kind) {
			case R_STAR:
				M(i, j) = M(i + 1, j) || (j < n && M(i, j + 1));
				break;
			case R_ONE:
				M(i, j) = j < n && M(i + 1, j + 1);
				break;
			case R_SET:
				M(i, j) = j < n && a->in[s[j]] &&
					  M(i + 1, j + 1);
				break;
			case R_LIT:
				M(i, j) = j < n && s[j] == a->c &&
					  M(i + 1, j + 1);
				break;
			}
		}
	}
	r = M(0, 0);
#undef M
	free(m);
	return r;
}

struct val {
	const char *s;
	size_t n;
};

static void lookup(void *ctx, const char *field, struct rule_value *out)
{
	const struct val *v = ctx;

	check(field == fields[0]);
	out->type = RULE_V_STR;
	out->str = v->s;
	out->len = v->n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char meta[] = "*?[]\\!^-a";
	static struct ratom atoms[PAT_MAX];
	char pat[PAT_MAX + 1], yaml[3 * PAT_MAX + 128], err[512];
	struct rules_verdict v;
	struct ruleset *rs;
	struct val val;
	size_t plen, i, y;
	char *subject;
	int na;
	bool want;

	if (!size)
		return 0;
	plen = data[0] % (PAT_MAX + 1);
	if (plen > size - 1)
		plen = size - 1;
	for (i = 0; i < plen; i++) {
		uint8_t b = data[1 + i];

		pat[i] = b >= 0x20 && b < 0x7f ? (char)b :
			 meta[b % (sizeof(meta) - 1)];
	}
	pat[plen] = '\0';

	y = (size_t)snprintf(yaml, sizeof(yaml),
			     "rules: [{name: g, match: {process.command_line: '");
	for (i = 0; i < plen; i++) {
		if (pat[i] == '\'')
			yaml[y++] = '\'';
		yaml[y++] = pat[i];
	}
	y += (size_t)snprintf(yaml + y, sizeof(yaml) - y, "'}}]\n");

	na = ref_parse(pat, plen, atoms);
	rs = rules_parse("glob.yaml", yaml, y, fields, err, sizeof(err));
	if (!rs != (na < 0)) {
		fprintf(stderr, "glob '%s': rules.c %s, reference %s (%s)\n",
			pat, rs ? "loads" : "refuses",
			na < 0 ? "refuses" : "parses", rs ? "" : err);
		abort();
	}
	if (!rs) {
		check(strstr(err, "bad glob"));
		return 0;
	}

	/* the value judged: an exact-size copy */
	val.n = size - 1 - plen;
	subject = malloc(val.n ? val.n : 1);
	check(subject);
	memcpy(subject, data + 1 + plen, val.n);
	val.s = subject;
	want = ref_match(atoms, na, (const uint8_t *)subject, val.n);
	rules_judge(rs, lookup, &val, &v);
	if ((v.suppressed_by == 0) != want) {
		fprintf(stderr, "glob '%s' on %zu bytes: rules.c %s, "
			"reference %s\n", pat, val.n,
			v.suppressed_by == 0 ? "matches" : "does not match",
			want ? "matches" : "does not");
		abort();
	}
	rules_free(rs);
	free(subject);
	return 0;
}
