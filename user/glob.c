// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Globs (glob.h), compiled into segments of fixed-length tokens, split at
 * the stars: the first segment is anchored at the start of the value, the
 * last at its end, and each one between is found leftmost, which is enough
 * since a segment always matches the same number of bytes. A segment
 * between stars is found with a bit-parallel automaton (shift-and): one
 * pass over the value, a word operation per byte and 64 bytes of segment,
 * so a value made to almost match at every place costs no more than any
 * other (trying each place in turn costs the segment's length at each).
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

/*
 * a segment's shift-and automaton: bit i of the state is set when the
 * segment's first i + 1 bytes end at the byte just read; bytes that the
 * same places accept share a class and its mask
 */
struct gbits {
	uint32_t words;			/* 64-bit words of a state */
	unsigned char cls[256];		/* byte -> class */
	uint64_t mask[];		/* class c: mask[c * words ...] */
};

/* the tokens between two stars */
struct gseg {
	const struct gtok *tok;
	uint32_t ntok;
	uint32_t len;			/* bytes it matches */
	struct gbits *bits;		/* segments between stars only */
};

/* a compiled glob, in one allocation (but for the automata): segments,
 * tokens, sets, literals */
struct glob {
	struct gseg *seg;
	uint32_t nseg;			/* stars (runs of) + 1 */
	uint32_t words;			/* the most of a segment's automaton */
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

/* whether the token t accepts byte c at its offset off */
static bool tok_accepts(const struct gtok *t, uint32_t off, unsigned int c)
{
	switch (t->op) {
	case TOK_LIT:
		return t->p[off] == c;
	case TOK_SET:
		return t->p[c >> 3] & (1u << (c & 7));
	case TOK_ONE:
		break;
	}
	return true;
}

/* the automaton of segment sg (1 to GLOB_LEN_MAX bytes); NULL on ENOMEM */
static struct gbits *bits_build(const struct gseg *sg)
{
	uint32_t words = (sg->len + 63) / 64, i, off, bit, ncls = 0;
	unsigned char cls[256];
	uint64_t *m, *all;
	struct gbits *b;
	unsigned int c, k;

	/* each byte's mask, then the distinct ones as classes */
	all = calloc(256 * words, sizeof(*all));
	if (!all)
		return NULL;
	for (bit = 0, i = 0; i < sg->ntok; i++)
		for (off = 0; off < sg->tok[i].len; off++, bit++)
			for (c = 0; c < 256; c++)
				if (tok_accepts(&sg->tok[i], off, c))
					all[c * words + bit / 64] |=
						1ULL << (bit % 64);
	/* packed at the front of all: class k < ncls <= c, never past m */
	for (c = 0; c < 256; c++) {
		m = all + c * words;
		for (k = 0; k < ncls; k++)
			if (!memcmp(m, all + k * words, words * sizeof(*m)))
				break;
		cls[c] = k;
		if (k == ncls)
			memmove(all + ncls++ * words, m, words * sizeof(*m));
	}
	b = malloc(sizeof(*b) + ncls * words * sizeof(uint64_t));
	if (b) {
		b->words = words;
		memcpy(b->cls, cls, sizeof(cls));
		memcpy(b->mask, all, ncls * words * sizeof(uint64_t));
	}
	free(all);
	return b;
}

void glob_free(struct glob *g)
{
	uint32_t i;

	if (!g)
		return;
	for (i = 0; i < g->nseg; i++)
		free(g->seg[i].bits);
	free(g);
}

/* compile pat into *out; 0, -EINVAL with *why, or -ENOMEM */
int glob_compile(const char *pat, size_t len, struct glob **out,
			const char **why)
{
	struct gsize sz;
	struct glob *g;
	size_t i;

	/* bounds the automata's words, and the work per byte matched */
	if (len > GLOB_LEN_MAX) {
		*why = "longer than 1024 bytes";
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
	g->words = 0;
	for (i = 0; i < g->nseg; i++) {
		g->seg[i].bits = NULL;
		g->minlen += g->seg[i].len;
	}
	for (i = 1; i + 1 < g->nseg; i++) {
		g->seg[i].bits = bits_build(&g->seg[i]);
		if (!g->seg[i].bits) {
			glob_free(g);
			return -ENOMEM;
		}
		if (g->seg[i].bits->words > g->words)
			g->words = g->seg[i].bits->words;
	}
	*out = g;
	return 0;
}

unsigned int glob_segments(const struct glob *g)
{
	return g->nseg;
}

unsigned int glob_words(const struct glob *g)
{
	return g->words;
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

/* the first byte of sg when it is a literal one, else -1 */
static int first_lit(const struct gseg *sg)
{
	return sg->tok[0].op == TOK_LIT ? sg->tok[0].p[0] : -1;
}

/* find sg (of at most 64 bytes) leftmost in s[*pos..end) */
static bool find_word(const struct gseg *sg, const unsigned char *s,
		      size_t *pos, size_t end)
{
	const struct gbits *b = sg->bits;
	const uint64_t hi = 1ULL << (sg->len - 1);
	const unsigned char *q;
	int lit = first_lit(sg);
	uint64_t d = 0;
	size_t p;

	for (p = *pos; p < end; p++) {
		/* nothing under way: skip to where the segment may start */
		if (!d && lit >= 0) {
			q = memchr(s + p, lit, end - p);
			if (!q)
				return false;
			p = q - s;
		}
		d = ((d << 1) | 1) & b->mask[b->cls[s[p]]];
		if (d & hi) {
			*pos = p + 1;
			return true;
		}
	}
	return false;
}

/* the same for a longer segment: a state of several words */
static bool find_words(const struct gseg *sg, const unsigned char *s,
		       size_t *pos, size_t end)
{
	const struct gbits *b = sg->bits;
	const uint32_t nw = b->words, top = (sg->len - 1) / 64;
	const uint64_t hi = 1ULL << ((sg->len - 1) % 64);
	uint64_t d[GLOB_LEN_MAX / 64] = { 0 }, carry, next;
	const uint64_t *m;
	size_t p;
	uint32_t w;

	for (p = *pos; p < end; p++) {
		m = b->mask + (size_t)b->cls[s[p]] * nw;
		carry = 1;
		for (w = 0; w < nw; w++) {
			next = d[w] >> 63;
			d[w] = ((d[w] << 1) | carry) & m[w];
			carry = next;
		}
		if (d[top] & hi) {
			*pos = p + 1;
			return true;
		}
	}
	return false;
}

/* find sg leftmost in s[*pos..end); moves *pos past it */
static bool seg_find(const struct gseg *sg, const unsigned char *s,
		     size_t *pos, size_t end)
{
	if (sg->bits->words == 1)
		return find_word(sg, s, pos, end);
	return find_words(sg, s, pos, end);
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
