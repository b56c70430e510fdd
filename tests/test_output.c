// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The output stage alone: records leave in order with their sequence
 * numbers; a full queue drops a record, counted, and its number shows as
 * a gap; the reserve still takes an urgent record (the sensor's own); a
 * record that fails to build is counted, writes nothing and uses no number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "output.h"

#define QUEUE	4096

static struct output out;
static int fds[2];

static void setup(void)
{
	cr_assert_eq(pipe(fds), 0);
	cr_assert_eq(output_init(&out, fds[1], QUEUE), 0);
}

static void teardown(void)
{
	output_destroy(&out);
	close(fds[0]);
	close(fds[1]);
}

TestSuite(output, .init = setup, .fini = teardown);

/* one record {"n":n,"seq":seq}, committed (urgent: from the reserve) */
static uint64_t put(unsigned int n, bool urgent)
{
	uint64_t seq;
	struct jsonw *w = output_next(&out, &seq);

	jsonw_start_object(w, NULL);
	jsonw_uint(w, "n", n);
	jsonw_uint(w, "seq", seq);
	jsonw_string(w, "pad", "....................................................");
	jsonw_end_object(w);
	if (urgent)
		output_commit_urgent(&out);
	else
		output_commit(&out);
	return seq;
}

/* what the pipe holds now */
static char *drain(void)
{
	static char buf[1 << 16];
	ssize_t n;

	cr_assert_eq(output_flush(&out), 0);
	cr_assert_eq(output_pending(&out), 0, "%zu bytes still queued",
		     output_pending(&out));
	n = read(fds[0], buf, sizeof(buf) - 1);
	cr_assert_gt(n, 0, "nothing was written");
	buf[n] = '\0';
	return buf;
}

Test(output, records_leave_in_order_with_their_numbers)
{
	char want[64];
	char *text;
	unsigned int i;

	for (i = 1; i <= 3; i++)
		cr_assert_eq(put(i, false), i, "record %u got another number", i);
	text = drain();
	for (i = 1; i <= 3; i++) {
		snprintf(want, sizeof(want), "{\"n\":%u,\"seq\":%u,", i, i);
		cr_assert_not_null(strstr(text, want), "no %s in: %s", want, text);
		if (i > 1)
			cr_assert_lt(strstr(text, want) - text,
				     strlen(text), "out of order: %s", text);
	}
	cr_assert_eq(out.written, 3);
	cr_assert_eq(out.dropped, 0);
}

/* nothing is flushed: the queue fills, then drops, and the reserve holds
 * the urgent record */
Test(output, a_full_queue_drops_and_leaves_a_gap)
{
	uint64_t seq = 0, last;
	unsigned int i;
	char want[64], *text;

	for (i = 1; i <= 200 && !out.dropped; i++)
		seq = put(i, false);
	cr_assert_eq(out.dropped, 1, "no record dropped in %u of %d queue bytes",
		     i - 1, QUEUE);
	cr_assert_leq(output_pending(&out), QUEUE, "%zu bytes queued over %d",
		      output_pending(&out), QUEUE);
	last = put(999, true);
	cr_assert_eq(last, seq + 1, "the urgent record is %llu, want %llu",
		     (unsigned long long)last, (unsigned long long)seq + 1);
	cr_assert_eq(out.dropped, 1, "the reserve did not take the urgent record");
	text = drain();
	snprintf(want, sizeof(want), "\"seq\":%llu,", (unsigned long long)seq);
	cr_assert_null(strstr(text, want), "the dropped record was written");
	snprintf(want, sizeof(want), "{\"n\":999,\"seq\":%llu,",
		 (unsigned long long)last);
	cr_assert_not_null(strstr(text, want), "no urgent record in: %.200s",
			   text);
}

Test(output, a_record_that_fails_to_build_writes_nothing)
{
	uint64_t seq;
	struct jsonw *w = output_next(&out, &seq);

	/* a value without a key inside an object: the writer refuses it */
	jsonw_start_object(w, NULL);
	jsonw_uint(w, NULL, 1);
	jsonw_end_object(w);
	output_commit(&out);
	cr_assert_eq(out.failed, 1, "the bad record was not counted");
	cr_assert_eq(output_pending(&out), 0, "the bad record was queued");
	/* counted as failed, not as a gap: the next record takes its number */
	cr_assert_eq(put(2, false), seq, "the record that failed used its number");
	cr_assert_not_null(strstr(drain(), "{\"n\":2,"));
}
