// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Parked records: order, deadlines, bounds and the flush at a stop */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "park.h"

#define OUT_MAX	16

/* what went out, in order: each record's text and why */
struct outs {
	char text[OUT_MAX][16];
	enum park_why why[OUT_MAX];
	int n;
	int fail_at;		/* out returns -EIO for this one (1-based) */
	bool ready;		/* what the ready callback answers */
	int asked;		/* how often it was asked */
};

static int out(void *ctx, void *data, size_t size, enum park_why why)
{
	struct outs *o = ctx;

	cr_assert_lt(o->n, OUT_MAX, "too many records out");
	snprintf(o->text[o->n], sizeof(o->text[0]), "%.*s", (int)size,
		 (const char *)data);
	o->why[o->n] = why;
	if (++o->n == o->fail_at)
		return -EIO;
	return 0;
}

static bool ready(void *ctx, const void *data, size_t size)
{
	struct outs *o = ctx;

	(void)data;
	(void)size;
	o->asked++;
	return o->ready;
}

static void push(struct park *p, const char *s, uint64_t deadline,
		 struct outs *o)
{
	cr_assert_eq(park_push(p, s, strlen(s), deadline, out, o), 0,
		     "push %s", s);
}

/* the records out so far are want (space-separated) */
static void assert_out(const struct outs *o, const char *want)
{
	char got[OUT_MAX * 17] = "";
	int i;

	for (i = 0; i < o->n; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, o->text[i]);
	}
	cr_assert_str_eq(got, want, "records out");
}

Test(park, a_record_waits_for_its_deadline)
{
	struct outs o = {};
	struct park p;

	cr_assert_eq(park_init(&p, 8, 1024), 0);
	push(&p, "exec", 100, &o);
	cr_assert_eq(park_next_deadline(&p), 100);
	cr_assert_eq(park_release(&p, 99, 8, ready, out, &o), 0);
	cr_assert_eq(o.n, 0, "out before its deadline");
	cr_assert_eq(o.asked, 1, "ready asked once");
	cr_assert_eq(park_release(&p, 100, 8, ready, out, &o), 1);
	assert_out(&o, "exec");
	cr_assert_eq(o.why[0], PARK_EXPIRED);
	cr_assert_eq(p.st.expired, 1);
	cr_assert_eq(park_count(&p), 0);
	cr_assert_eq(park_bytes(&p), 0);
	cr_assert_eq(park_next_deadline(&p), 0);
	park_destroy(&p);
}

Test(park, records_behind_a_waiting_one_keep_their_order)
{
	struct outs o = {};
	struct park p;

	cr_assert_eq(park_init(&p, 8, 1024), 0);
	push(&p, "exec", 100, &o);
	push(&p, "fork", 0, &o);
	push(&p, "exit", 0, &o);
	push(&p, "exec2", 150, &o);
	push(&p, "host", 0, &o);
	cr_assert_eq(p.st.waited, 2);
	cr_assert_eq(p.st.held, 3);
	/* nothing passes the oldest, though the others wait for nothing */
	cr_assert_eq(park_release(&p, 50, 8, ready, out, &o), 0);
	cr_assert_eq(o.n, 0);
	/* at its deadline the oldest goes, and those behind it up to the
	 * next that waits */
	cr_assert_eq(park_release(&p, 100, 8, ready, out, &o), 3);
	assert_out(&o, "exec fork exit");
	cr_assert_eq(o.why[1], PARK_TURN);
	cr_assert_eq(park_next_deadline(&p), 150);
	o.ready = true;
	cr_assert_eq(park_release(&p, 120, 8, ready, out, &o), 2);
	assert_out(&o, "exec fork exit exec2 host");
	cr_assert_eq(o.why[3], PARK_READY);
	cr_assert_eq(o.why[4], PARK_TURN);
	cr_assert_eq(p.st.ready, 1);
	park_destroy(&p);
}

Test(park, a_release_takes_at_most_max)
{
	struct outs o = { .ready = true };
	struct park p;

	cr_assert_eq(park_init(&p, 8, 1024), 0);
	push(&p, "a", 100, &o);
	push(&p, "b", 0, &o);
	push(&p, "c", 0, &o);
	cr_assert_eq(park_release(&p, 0, 2, ready, out, &o), 2);
	assert_out(&o, "a b");
	cr_assert_eq(park_release(&p, 0, 2, ready, out, &o), 1);
	assert_out(&o, "a b c");
	park_destroy(&p);
}

Test(park, at_the_count_bound_the_oldest_goes_at_once)
{
	struct outs o = {};
	struct park p;

	cr_assert_eq(park_init(&p, 3, 1024), 0);
	push(&p, "a", 100, &o);
	push(&p, "b", 0, &o);
	push(&p, "c", 110, &o);
	cr_assert_eq(o.n, 0);
	push(&p, "d", 0, &o);
	assert_out(&o, "a");
	cr_assert_eq(o.why[0], PARK_OVER_BOUND);
	cr_assert_eq(p.st.over_bound, 1);
	cr_assert_eq(park_count(&p), 3);
	/* the ring wraps: the order holds */
	push(&p, "e", 0, &o);
	assert_out(&o, "a b");
	cr_assert_eq(o.why[1], PARK_TURN, "a held record is no over-bound one");
	cr_assert_eq(p.st.over_bound, 1);
	cr_assert_eq(park_flush(&p, out, &o), 3);
	assert_out(&o, "a b c d e");
	park_destroy(&p);
}

Test(park, at_the_byte_bound_the_oldest_go_until_it_fits)
{
	struct outs o = {};
	struct park p;

	cr_assert_eq(park_init(&p, 8, 10), 0);
	push(&p, "aaaa", 100, &o);
	push(&p, "bbb", 100, &o);
	push(&p, "cc", 100, &o);
	cr_assert_eq(park_bytes(&p), 9);
	push(&p, "dddddd", 100, &o);
	assert_out(&o, "aaaa bbb");
	cr_assert_eq(park_bytes(&p), 8);
	cr_assert_eq(p.st.over_bound, 2);
	park_destroy(&p);
}

Test(park, a_record_larger_than_the_bound_goes_after_those_before_it)
{
	struct outs o = {};
	struct park p;

	cr_assert_eq(park_init(&p, 8, 4), 0);
	push(&p, "ab", 100, &o);
	push(&p, "c", 0, &o);
	push(&p, "toolarge", 100, &o);
	assert_out(&o, "ab c toolarge");
	cr_assert_eq(o.why[2], PARK_OVER_BOUND);
	cr_assert_eq(park_count(&p), 0);
	/* one that waits for nothing goes in its turn */
	push(&p, "toolarge", 0, &o);
	cr_assert_eq(o.why[3], PARK_TURN);
	park_destroy(&p);
}

Test(park, a_flush_at_the_stop_writes_everything_in_order)
{
	struct outs o = {};
	struct park p;

	cr_assert_eq(park_init(&p, 8, 1024), 0);
	push(&p, "exec", 1000, &o);
	push(&p, "exit", 0, &o);
	push(&p, "exec2", 2000, &o);
	cr_assert_eq(park_flush(&p, out, &o), 3);
	assert_out(&o, "exec exit exec2");
	cr_assert_eq(o.why[0], PARK_FLUSHED);
	cr_assert_eq(o.why[1], PARK_TURN);
	cr_assert_eq(o.why[2], PARK_FLUSHED);
	cr_assert_eq(p.st.flushed, 2);
	cr_assert_eq(park_count(&p), 0);
	cr_assert_eq(park_bytes(&p), 0);
	park_destroy(&p);
}

Test(park, an_error_out_stops_the_release_and_the_rest_stays)
{
	struct outs o = { .fail_at = 2 };
	struct park p;

	cr_assert_eq(park_init(&p, 8, 1024), 0);
	push(&p, "a", 0, &o);
	push(&p, "b", 0, &o);
	push(&p, "c", 0, &o);
	cr_assert_eq(park_release(&p, 0, 8, ready, out, &o), -EIO);
	assert_out(&o, "a b");
	cr_assert_eq(park_count(&p), 1);
	park_destroy(&p);
}

Test(park, destroy_frees_what_is_parked_and_accepts_a_zeroed_park)
{
	struct outs o = {};
	struct park p, zero = {};

	cr_assert_eq(park_init(&p, 4, 1024), 0);
	push(&p, "a", 100, &o);
	push(&p, "b", 0, &o);
	park_destroy(&p);
	cr_assert_eq(o.n, 0, "destroy hands nothing out");
	park_destroy(&zero);
}
