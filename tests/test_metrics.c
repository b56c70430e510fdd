// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The Prometheus text of --metrics (user/metrics.c) and its address. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <criterion/criterion.h>
#include "metrics.h"

static const struct park_stats park = {
	.waited = 50, .held = 400, .ready = 2, .expired = 45,
	.over_bound = 3, .flushed = 1,
};

static struct health_in sample_in(void)
{
	struct health_in in = {
		.kstats = {
			[SW_STAT_EXECS] = 1000,
			[SW_STAT_SHELLS] = 40,
			[SW_STAT_LOST_RINGBUF] = 3,
			[SW_STAT_LOST_PROC] = 5,
			[SW_STAT_TRACK_FULL] = 7,
			[SW_STAT_RB_HIGH] = 8192,
			[SW_STAT_VERDICT_HITS] = 900,
			[SW_STAT_CANDIDATES] = 21,
			[SW_STAT_CAND_OVER] = 2,
		},
		.queue_dropped = 11,
		.malformed = 13,
		.exec_dropped = 2,
		.reported = 37,
		.windows = 120,
		.exits = 30,
		.tracked = 9,
		.queue_bytes = 4096,
		.ringbuf_bytes = 4194304,
		.suppressed = 4,
		.park = &park,
		.parked = 6,
		.tracked_kernel = 17,
		.table_over_limit = 1,
	};
	in.kstats[SW_STAT_TRACK_OVER] = 6;
	return in;
}

static void assert_line(const char *text, const char *line)
{
	char want[256];

	snprintf(want, sizeof(want), "\n%s\n", line);
	cr_assert_not_null(strstr(text, want), "expected the line '%s' in:\n%s",
			   line, text);
}

Test(metrics, every_counter)
{
	struct health_in in = sample_in();
	static char buf[65536];
	int n = metrics_format(&in, "1.2.3", buf, sizeof(buf));

	cr_assert_gt(n, 0, "metrics_format: %d", n);
	cr_assert_eq((size_t)n, strlen(buf), "length %d, text %zu", n,
		     strlen(buf));
	cr_assert_eq(buf[n - 1], '\n', "the text does not end its line");
	assert_line(buf, "shellwatch_execs_total 1000");
	assert_line(buf, "shellwatch_shells_total 40");
	assert_line(buf, "shellwatch_records_total{type=\"exec\"} 37");
	assert_line(buf, "shellwatch_records_total{type=\"window\"} 120");
	assert_line(buf, "shellwatch_records_total{type=\"exit\"} 30");
	assert_line(buf, "shellwatch_suppressed_total 4");
	assert_line(buf, "shellwatch_lost_total{cause=\"ringbuf_exec\"} 3");
	assert_line(buf, "shellwatch_lost_total{cause=\"ringbuf_proc\"} 5");
	assert_line(buf, "shellwatch_lost_total{cause=\"output_queue\"} 11");
	assert_line(buf, "shellwatch_lost_total{cause=\"malformed\"} 13");
	assert_line(buf, "shellwatch_lost_total{cause=\"untracked\"} 7");
	assert_line(buf, "shellwatch_lost_exec_records_total 5");
	assert_line(buf, "shellwatch_tracked_processes 9");
	assert_line(buf, "shellwatch_tracked_kernel_processes 17");
	assert_line(buf, "shellwatch_untracked_over_limit_total 7");
	assert_line(buf, "shellwatch_queue_bytes 4096");
	assert_line(buf, "shellwatch_ringbuf_bytes 4194304");
	assert_line(buf, "shellwatch_ringbuf_high_water_bytes 8192");
	assert_line(buf, "shellwatch_verdict_cache_hits_total 900");
	assert_line(buf, "shellwatch_candidates_total{outcome=\"sent\"} 21");
	assert_line(buf, "shellwatch_candidates_total{outcome=\"over_bound\"} 2");
	assert_line(buf, "shellwatch_fingerprints_total{result=\"read\"} 0");
	assert_line(buf, "shellwatch_parked_total{outcome=\"ready\"} 2");
	assert_line(buf, "shellwatch_parked_total{outcome=\"expired\"} 45");
	assert_line(buf, "shellwatch_parked_total{outcome=\"over_bound\"} 3");
	assert_line(buf, "shellwatch_parked_total{outcome=\"flushed\"} 1");
	assert_line(buf, "shellwatch_parked_records 6");
	assert_line(buf, "# TYPE shellwatch_lost_total counter");
	assert_line(buf, "# TYPE shellwatch_tracked_processes gauge");
	cr_assert_eq(strncmp(buf, "# HELP shellwatch_info ", 23), 0,
		     "first line: %.40s", buf);
}

/* every sample line is NAME[{LABELS}] VALUE, every other a comment */
Test(metrics, exposition_syntax)
{
	struct health_in in = sample_in();
	static char buf[65536];
	char *line, *save = NULL;

	cr_assert_gt(metrics_format(&in, "x", buf, sizeof(buf)), 0);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t name = strspn(line, "abcdefghijklmnopqrstuvwxyz_");
		const char *value;

		if (line[0] == '#') {
			cr_assert(!strncmp(line, "# HELP shellwatch_", 18) ||
				  !strncmp(line, "# TYPE shellwatch_", 18),
				  "comment line '%s'", line);
			continue;
		}
		cr_assert(name > 11 && !strncmp(line, "shellwatch_", 11),
			  "sample line '%s'", line);
		value = strrchr(line, ' ');
		cr_assert_not_null(value, "no value in '%s'", line);
		cr_assert_eq(strspn(value + 1, "0123456789"), strlen(value + 1),
			     "value of '%s'", line);
		cr_assert(line[name] == ' ' || line[name] == '{',
			  "name of '%s'", line);
	}
}

/* a label value cannot break out of its quotes or its line */
Test(metrics, label_escaping)
{
	struct health_in in = sample_in();
	static char buf[65536];

	cr_assert_gt(metrics_format(&in, "a\"b\\c\nd\re\x1b[31m", buf,
				    sizeof(buf)), 0);
	assert_line(buf, "shellwatch_info{version=\"a\\\"b\\\\c\\nd?e?[31m\"} 1");
	cr_assert_null(strchr(buf, '\r'), "a CR in the text");
	cr_assert_null(strchr(buf, '\x1b'), "an ESC in the text");
}

Test(metrics, too_small)
{
	struct health_in in = sample_in();
	char buf[128];

	cr_assert_eq(metrics_format(&in, "1", buf, sizeof(buf)), -ENOSPC);
}

Test(metrics, addresses)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	unsigned int len;

	cr_assert_eq(metrics_parse_addr("127.0.0.1:9469", &ss, &len), 0);
	cr_assert_eq(ss.ss_family, AF_INET);
	cr_assert_eq(ntohs(a4->sin_port), 9469);
	cr_assert_eq(a4->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	cr_assert_eq(len, sizeof(*a4));
	cr_assert_eq(metrics_parse_addr("[::1]:0", &ss, &len), 0);
	cr_assert_eq(ss.ss_family, AF_INET6);
	cr_assert_eq(ntohs(a6->sin6_port), 0);
	cr_assert_eq(len, sizeof(*a6));
	cr_assert_eq(metrics_parse_addr("0.0.0.0:65535", &ss, &len), 0);
	cr_assert_eq(metrics_parse_addr("127.0.0.1", &ss, &len), -EINVAL);
	cr_assert_eq(metrics_parse_addr("[::1]", &ss, &len), -EINVAL);
	cr_assert_eq(metrics_parse_addr("127.0.0.1:+80", &ss, &len), -EINVAL);
	cr_assert_eq(metrics_parse_addr("127.0.0.1: 80", &ss, &len), -EINVAL);
}
