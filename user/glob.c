// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Globs (glob.h), compiled into segments of fixed-length tokens, split at
 * the stars: the first segment is anchored at the start of the value, the
 * last at its end, and each one between is found leftmost, which is enough
 * since a segment always matches the same number of bytes. Matching only
 * compares bytes, without backtracking.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "glob.h"

enum tok_op { TOK_LIT, TOK_ONE, TOK_SET };

/* a fixed-length piece of a glob */
struct gtok {
	enum tok_op op;
	uint32_t len;			/* bytes it matches */
	const unsigned char *p;		/* TOK_LIT: bytes; TOK_SET: a bitmap */
};

/* the tokens between two stars */
struct gseg {
	const struct gtok *tok;
	uint32_t ntok;
	uint32_t len;			/* bytes it matches */
};

/* a compiled glob, in one allocation: segments, tokens, sets, literals */
struct glob {
	struct gseg *seg;
	uint32_t nseg;			/* stars (runs of) + 1 */
	size_t minlen;			/* bytes the segments match */
};

/* sizes of a glob's parts, from a first pass over the pattern */
struct gsize {
	size_t nseg, ntok, nset, nlit;
};

/* one element of a pattern */
struct atom {
	enum { A_LIT, A_ONE, A_SET, A_STAR } kind;
	unsigned char c;
	unsigned char set[32];
};

/* glob compilation */

/* read a bracket expression after its '['; NULL or what is wrong */
static const char *read_set(const char *pat, size_t len, size_t *i,
			    unsigned char *set)
{
	const unsigned char *s = (const unsigned char *)pat;
	bool neg = false, first = true;
	unsigned int lo, hi, c;
	size_t k;

	memset(set, 0, 32);
	if (*i < len && (s[*i] == '!' || s[*i] == '^')) {
		neg = true;
		(*i)++;
	}
	for (;;) {
		if (*i >= len)
			return "unterminated '[' (write \\[ for a literal '[')";
		c = s[*i];
		if (c == ']' && !first)
			break;
		if (c == '[' && *i + 1 < len &&
		    (s[*i + 1] == ':' || s[*i + 1] == '=' || s[*i + 1] == '.'))
			return "classes such as [:alpha:] are not supported";
		if (c == '\\' && ++(*i) >= len)
			return "unterminated '[' (write \\[ for a literal '[')";
		c = s[(*i)++];
		lo = hi = c;
		if (*i + 1 < len && s[*i] == '-' && s[*i + 1] != ']') {
			(*i)++;
			if (s[*i] == '\\' && ++(*i) >= len)
				return "unterminated '[' (write \\[ for a literal '[')";
			hi = s[(*i)++];
			if (hi < lo)
				return "reversed range in '[...]'";
		}
		if (hi >= 0x80)
			return "non-ASCII byte in '[...]'";
		for (k = lo; k <= hi; k++)
			set[k >> 3] |= 1u << (k & 7);
		first = false;
	}
	(*i)++;
	if (neg)
		for (k = 0; k < 32; k++)
			set[k] = ~set[k];
	return NULL;
}

/* read the pattern's element at *i; NULL or what is wrong */
static const char *read_atom(const char *pat, size_t len, size_t *i,
			     struct atom *a)
{
	unsigned char c = pat[(*i)++];

	switch (c) {
	case '*':
		a->kind = A_STAR;
		return NULL;
	case '?':
		a->kind = A_ONE;
		return NULL;
	case '[':
		a->kind = A_SET;
		return read_set(pat, len, i, a->set);
	case '\\':
		if (*i >= len)
			return "a lone backslash at the end (write \\\\ for one)";
		c = pat[(*i)++];
		break;
	}
	a->kind = A_LIT;
	a->c = c;
	return NULL;
}

/* tokens of a glob into g (NULL: only count them into sz) */
static const char *glob_build(const char *pat, size_t len, struct glob *g,
			      struct gsize *sz)
{
	struct gtok *tok = NULL, *t;
	unsigned char *sets = NULL, *lit = NULL;
	struct gseg *seg = NULL;
	enum tok_op prev = TOK_SET;
	bool star = false;
	struct atom a;
	const char *why;
	size_t i = 0;

	if (g) {
		seg = g->seg;
		tok = (struct gtok *)(seg + sz->nseg);
		sets = (unsigned char *)(tok + sz->ntok);
		lit = sets + 32 * sz->nset;
		seg[0] = (struct gseg){ .tok = tok };
	}
	memset(sz, 0, sizeof(*sz));
	sz->nseg = 1;
	while (i < len) {
		why = read_atom(pat, len, &i, &a);
		if (why)
			return why;
		if (a.kind == A_STAR) {
			/* runs of stars are one star */
			if (!star) {
				if (g)
					seg[sz->nseg] = (struct gseg){
						.tok = tok + sz->ntok };
				sz->nseg++;
			}
			star = true;
			prev = TOK_SET;
			continue;
		}
		star = false;
		/* a literal byte extends the literal token before it */
		if (a.kind == A_LIT && prev == TOK_LIT) {
			if (g) {
				lit[sz->nlit] = a.c;
				tok[sz->ntok - 1].len++;
				seg[sz->nseg - 1].len++;
			}
			sz->nlit++;
			continue;
		}
		if (g) {
			t = &tok[sz->ntok];
			t->len = 1;
			if (a.kind == A_LIT) {
				t->op = TOK_LIT;
				t->p = lit + sz->nlit;
				lit[sz->nlit] = a.c;
			} else if (a.kind == A_SET) {
				t->op = TOK_SET;
				t->p = sets + 32 * sz->nset;
				memcpy(sets + 32 * sz->nset, a.set, 32);
			} else {
				t->op = TOK_ONE;
				t->p = NULL;
			}
			seg[sz->nseg - 1].ntok++;
			seg[sz->nseg - 1].len++;
		}
		sz->ntok++;
		sz->nlit += a.kind == A_LIT;
		sz->nset += a.kind == A_SET;
		prev = a.kind == A_LIT ? TOK_LIT : TOK_SET;
	}
	return NULL;
}

/* compile pat into *out; 0, -EINVAL with *why, or -ENOMEM */
int glob_compile(const char *pat, size_t len, struct glob **out,
			const char **why)
{
	struct gsize sz;
	struct glob *g;
	size_t i;

	/* token and segment lengths are 32-bit */
	if (len > GLOB_LEN_MAX) {
		*why = "longer than 16 MiB";
		return -EINVAL;
	}
	*why = glob_build(pat, len, NULL, &sz);
	if (*why)
		return -EINVAL;
	g = malloc(sizeof(*g) + sz.nseg * sizeof(struct gseg) +
		   sz.ntok * sizeof(struct gtok) + 32 * sz.nset + sz.nlit);
	if (!g)
		return -ENOMEM;
	g->seg = (struct gseg *)(g + 1);
	g->nseg = sz.nseg;
	glob_build(pat, len, g, &sz);
	g->minlen = 0;
	for (i = 0; i < g->nseg; i++)
		g->minlen += g->seg[i].len;
	*out = g;
	return 0;
}

unsigned int glob_segments(const struct glob *g)
{
	return g->nseg;
}

/* glob matching */

/* whether the n bytes at a and b are equal; short ones without a call */
static inline bool same(const unsigned char *a, const unsigned char *b,
			uint32_t n)
{
	uint32_t i;

	if (n > 16)
		return !memcmp(a, b, n);
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* whether segment sg matches the bytes at s (at least sg->len of them) */
static bool seg_at(const struct gseg *sg, const unsigned char *s)
{
	const struct gtok *t;
	uint32_t i;

	for (i = 0; i < sg->ntok; i++) {
		t = &sg->tok[i];
		switch (t->op) {
		case TOK_LIT:
			if (!same(s, t->p, t->len))
				return false;
			break;
		case TOK_SET:
			if (!(t->p[*s >> 3] & (1u << (*s & 7))))
				return false;
			break;
		case TOK_ONE:
			break;
		}
		s += t->len;
	}
	return true;
}

/* find sg leftmost in s[*pos..end); moves *pos past it */
static bool seg_find(const struct gseg *sg, const unsigned char *s,
		     size_t *pos, size_t end)
{
	const unsigned char *q;
	size_t p = *pos;

	while (p + sg->len <= end) {
		/* skip to the next place the first literal byte is */
		if (sg->tok[0].op == TOK_LIT) {
			q = memchr(s + p, sg->tok[0].p[0],
				   end - sg->len - p + 1);
			if (!q)
				return false;
			p = q - s;
		}
		if (seg_at(sg, s + p)) {
			*pos = p + sg->len;
			return true;
		}
		p++;
	}
	return false;
}

/* whether glob g matches all n bytes of str */
bool glob_match(const struct glob *g, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	const struct gseg *last = &g->seg[g->nseg - 1];
	size_t pos, end;
	uint32_t i;

	if (n < g->minlen)
		return false;
	if (g->nseg == 1)
		return n == g->minlen && seg_at(&g->seg[0], s);
	if (!seg_at(&g->seg[0], s))
		return false;
	end = n - last->len;
	if (!seg_at(last, s + end))
		return false;
	pos = g->seg[0].len;
	for (i = 1; i < g->nseg - 1; i++)
		if (!seg_find(&g->seg[i], s, &pos, end))
			return false;
	return true;
}
