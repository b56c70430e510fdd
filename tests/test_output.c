// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The output stage alone: records leave in order with their sequence
 * numbers; a full queue drops a record, counted, and its number shows as
 * a gap; the reserve still takes an urgent record (the sensor's own); a
 * record that fails to build is counted, writes nothing and uses no number.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
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

/* one lazy record {"n":n}, queued at now_ms */
static void put_lazy(unsigned int n, uint64_t now_ms)
{
	uint64_t seq;
	struct jsonw *w = output_next(&out, &seq);

	jsonw_start_object(w, NULL);
	jsonw_uint(w, "n", n);
	jsonw_end_object(w);
	output_commit_lazy(&out, now_ms);
}

/* bytes the pipe holds, read without waiting */
static size_t in_pipe(void)
{
	int n = 0;

	cr_assert_eq(ioctl(fds[0], FIONREAD, &n), 0);
	return (size_t)n;
}

Test(output, a_lazy_record_waits_for_the_next_urgent_one)
{
	put_lazy(1, 1000);
	cr_assert_eq(output_flush_due(&out, 1000 + OUTPUT_LAZY_MS - 1), 0);
	cr_assert_eq(in_pipe(), 0, "a lazy record was written %d ms after it "
		     "was queued, before it was due", OUTPUT_LAZY_MS - 1);
	cr_assert_eq(output_wait_ms(&out, 1005), OUTPUT_LAZY_MS - 5,
		     "the loop may sleep %d ms, want %d", output_wait_ms(&out, 1005),
		     OUTPUT_LAZY_MS - 5);
	put(2, false);
	cr_assert_eq(output_flush_due(&out, 1006), 0);
	cr_assert_eq(output_pending(&out), 0, "an urgent record did not take "
		     "the lazy one along");
	cr_assert_gt(in_pipe(), 0);
	cr_assert_eq(output_wait_ms(&out, 1006), -1, "an empty queue has a due time");
}

Test(output, a_lazy_record_goes_once_due)
{
	put_lazy(1, 1000);
	put_lazy(2, 1015);
	cr_assert_eq(output_wait_ms(&out, 1015), OUTPUT_LAZY_MS - 15,
		     "the due time is not the oldest lazy record's");
	cr_assert_eq(output_flush_due(&out, 1000 + OUTPUT_LAZY_MS), 0);
	cr_assert_eq(output_pending(&out), 0, "lazy records due were not written");
	cr_assert_eq(output_wait_ms(&out, 1000), -1);
}

Test(output, lazy_records_go_at_their_byte_bound)
{
	unsigned int i;

	/* a queue and a pipe roomy enough for the bound */
	output_destroy(&out);
	cr_assert_eq(output_init(&out, fds[1], 4 * OUTPUT_LAZY_BYTES), 0);
	cr_assert_geq(fcntl(fds[1], F_SETPIPE_SZ, 4 * OUTPUT_LAZY_BYTES), 0);
	for (i = 0; output_pending(&out) < OUTPUT_LAZY_BYTES; i++) {
		put_lazy(i, 1000);
		cr_assert_lt(i, 100000);
	}
	cr_assert_eq(out.dropped, 0, "the queue is too small for the test");
	cr_assert_eq(output_flush_due(&out, 1000), 0);
	cr_assert_lt(output_pending(&out), OUTPUT_LAZY_BYTES,
		     "%zu bytes of lazy records waited", output_pending(&out));
}
