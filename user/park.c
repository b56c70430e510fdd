// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "park.h"

int park_init(struct park *p, size_t max_count, size_t max_bytes)
{
	memset(p, 0, sizeof(*p));
	p->q = calloc(max_count ? max_count : 1, sizeof(*p->q));
	if (!p->q)
		return -ENOMEM;
	p->max_count = max_count ? max_count : 1;
	p->max_bytes = max_bytes;
	return 0;
}

static struct park_rec *oldest(const struct park *p)
{
	return p->n ? &p->q[p->head] : NULL;
}

/* take the oldest record off the ring; its data is the caller's */
static struct park_rec take(struct park *p)
{
	struct park_rec r = p->q[p->head];

	memset(&p->q[p->head], 0, sizeof(r));
	p->head = (p->head + 1) % p->max_count;
	p->n--;
	p->bytes -= r.size;
	return r;
}

void park_destroy(struct park *p)
{
	if (!p->q)
		return;
	while (p->n)
		free(take(p).data);
	free(p->q);
	p->q = NULL;
}

size_t park_count(const struct park *p)
{
	return p->n;
}

size_t park_bytes(const struct park *p)
{
	return p->bytes;
}

uint64_t park_next_deadline(const struct park *p)
{
	const struct park_rec *r = oldest(p);

	return r ? r->deadline_ns : 0;
}

static void count(struct park *p, enum park_why why)
{
	switch (why) {
	case PARK_TURN:
		break;
	case PARK_READY:
		p->st.ready++;
		break;
	case PARK_EXPIRED:
		p->st.expired++;
		break;
	case PARK_OVER_BOUND:
		p->st.over_bound++;
		break;
	case PARK_FLUSHED:
		p->st.flushed++;
		break;
	}
}

/*
 * the oldest goes out: taken off the ring first, so that out may park
 * again; a record that waited for nothing goes in its turn whatever the
 * reason
 */
static int go(struct park *p, enum park_why why, park_out_fn out, void *ctx)
{
	struct park_rec r = take(p);
	int err;

	if (!r.deadline_ns)
		why = PARK_TURN;
	count(p, why);
	err = out(ctx, r.data, r.size, why);
	free(r.data);
	return err;
}

static bool fits(const struct park *p, size_t size)
{
	return p->n < p->max_count && p->bytes + size <= p->max_bytes;
}

int park_push(struct park *p, const void *data, size_t size,
	      uint64_t deadline_ns, park_out_fn out, void *ctx)
{
	struct park_rec *r;
	int err;

	while (p->n && !fits(p, size)) {
		err = go(p, PARK_OVER_BOUND, out, ctx);
		if (err < 0)
			return err;
	}
	/* larger than the whole bound: out now, nothing is before it */
	if (!fits(p, size)) {
		if (deadline_ns)
			p->st.over_bound++;
		return out(ctx, (void *)data, size,
			   deadline_ns ? PARK_OVER_BOUND : PARK_TURN);
	}
	r = &p->q[(p->head + p->n) % p->max_count];
	r->data = malloc(size ? size : 1);
	if (!r->data)
		return -ENOMEM;
	memcpy(r->data, data, size);
	r->size = size;
	r->deadline_ns = deadline_ns;
	p->bytes += size;
	p->n++;
	if (deadline_ns)
		p->st.waited++;
	else
		p->st.held++;
	return 0;
}

int park_release(struct park *p, uint64_t now_ns, size_t max,
		 park_ready_fn ready, park_out_fn out, void *ctx)
{
	const struct park_rec *r;
	enum park_why why;
	int n = 0, err;

	while ((size_t)n < max && (r = oldest(p))) {
		if (!r->deadline_ns)
			why = PARK_TURN;
		else if (now_ns >= r->deadline_ns)
			why = PARK_EXPIRED;
		else if (ready && ready(ctx, r->data, r->size))
			why = PARK_READY;
		else
			break;
		err = go(p, why, out, ctx);
		if (err < 0)
			return err;
		n++;
	}
	return n;
}

int park_flush(struct park *p, park_out_fn out, void *ctx)
{
	int n = 0, err;

	while (p->n) {
		err = go(p, PARK_FLUSHED, out, ctx);
		if (err < 0)
			return err;
		n++;
	}
	return n;
}
