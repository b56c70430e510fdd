// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of exec_id (user/exec_id.c): "<boot id>-<pid>-<start ns>-<exec ns>"
 * names one exec of one process, unique on the node across pid reuse and
 * re-execs.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "exec_id.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct format_case {
	const char *what;
	const char *boot_id;
	uint32_t pid;
	uint64_t start_ns;
	uint64_t exec_ns;
	const char *want;
};

static const struct format_case format_cases[] = {
	/* execs seen by the kernel */
	{ "typical", "1a2b3c4d", 4242, 123456789012ULL, 123456799999ULL,
	  "1a2b3c4d-4242-123456789012-123456799999" },
	{ "pid 1", "deadbeef", 1, 1000000, 1000001,
	  "deadbeef-1-1000000-1000001" },
	{ "pid_max", "00000000", 4194304, 5, 6, "00000000-4194304-5-6" },
	/* found at start: exec 0 */
	{ "found at start", "1a2b3c4d", 4242, 123456789012ULL, 0,
	  "1a2b3c4d-4242-123456789012-0" },
	/* extremes */
	{ "all zero", "00000000", 0, 0, 0, "00000000-0-0-0" },
	{ "largest", "ffffffff", UINT32_MAX, UINT64_MAX, UINT64_MAX,
	  "ffffffff-4294967295-18446744073709551615-18446744073709551615" },
};

ParameterizedTestParameters(exec_id, format)
{
	return sw_rows(ARRAY_SIZE(format_cases));
}

ParameterizedTest(int *row, exec_id, format)
{
	const struct format_case *c = &format_cases[*row];
	char buf[EXEC_ID_LEN];
	int ret;

	memset(buf, 'x', sizeof(buf));
	ret = exec_id_format(buf, sizeof(buf), c->boot_id, c->pid, c->start_ns,
			     c->exec_ns);
	cr_assert_eq(ret, 0, "case %s: %d", c->what, ret);
	cr_assert_str_eq(buf, c->want, "case %s: '%s', want '%s'", c->what, buf,
			 c->want);
	cr_assert_lt(strlen(buf), (size_t)EXEC_ID_LEN, "case %s: %zu bytes",
		     c->what, strlen(buf));
}

struct triple {
	const char *what;
	uint32_t pid;
	uint64_t start_ns;
	uint64_t exec_ns;
};

/* every row is a different exec: every id must differ */
static const struct triple triples[] = {
	/* one process */
	{ "first exec", 100, 5000000000ULL, 5000100000ULL },
	/* re-exec: same pid and start, later exec */
	{ "re-exec", 100, 5000000000ULL, 5000200000ULL },
	{ "re-exec again", 100, 5000000000ULL, 5000300000ULL },
	/* found at start: exec 0 */
	{ "found at start", 100, 5000000000ULL, 0 },
	/* pid reuse: same pid, different start */
	{ "pid reused", 100, 9000000000ULL, 9000100000ULL },
	{ "pid reused, found at start", 100, 9000000000ULL, 0 },
	/* other pids at the same times */
	{ "other pid", 101, 5000000000ULL, 5000100000ULL },
	{ "other pid, found at start", 101, 5000000000ULL, 0 },
	/* digits that could run into each other without separators */
	{ "pid 1, start 23", 1, 23, 4 },
	{ "pid 12, start 3", 12, 3, 4 },
	{ "pid 1, start 2, exec 34", 1, 2, 34 },
	{ "pid 1, start 23, exec 0", 1, 23, 0 },
	{ "pid 12, start 30, exec 0", 12, 30, 0 },
	{ "pid 123, start 0, exec 0", 123, 0, 0 },
};

Test(exec_id, unique)
{
	char ids[ARRAY_SIZE(triples)][EXEC_ID_LEN];
	size_t i, j;
	int ret;

	for (i = 0; i < ARRAY_SIZE(triples); i++) {
		const struct triple *t = &triples[i];

		ret = exec_id_format(ids[i], sizeof(ids[i]), "0badcafe", t->pid,
				     t->start_ns, t->exec_ns);
		cr_assert_eq(ret, 0, "exec %s: %d", t->what, ret);
	}
	for (i = 0; i < ARRAY_SIZE(triples); i++)
		for (j = i + 1; j < ARRAY_SIZE(triples); j++)
			cr_assert_str_neq(ids[i], ids[j],
					  "exec '%s' and exec '%s' share the id %s",
					  triples[i].what, triples[j].what,
					  ids[i]);
}

/* the same exec on another boot gets another id */
Test(exec_id, boot_id_part_of_id)
{
	char a[EXEC_ID_LEN], b[EXEC_ID_LEN];

	cr_assert_eq(exec_id_format(a, sizeof(a), "11111111", 1, 2, 3), 0);
	cr_assert_eq(exec_id_format(b, sizeof(b), "22222222", 1, 2, 3), 0);
	cr_assert_str_neq(a, b, "two boots share the id %s", a);
}

/* the same exec always gets the same id */
Test(exec_id, stable)
{
	char a[EXEC_ID_LEN], b[EXEC_ID_LEN];

	cr_assert_eq(exec_id_format(a, sizeof(a), "0badcafe", 77, 88, 99), 0);
	cr_assert_eq(exec_id_format(b, sizeof(b), "0badcafe", 77, 88, 99), 0);
	cr_assert_str_eq(a, b, "ids '%s' and '%s' of one exec", a, b);
}

struct small_case {
	const char *what;
	size_t len;	/* bytes of the buffer */
	int want;
};

/* "0badcafe-1-2-3" is 14 bytes: it needs 15 */
static const struct small_case small_cases[] = {
	/* too small */
	{ "zero bytes", 0, -EINVAL },
	{ "one byte", 1, -EINVAL },
	{ "boot id only", 9, -EINVAL },
	{ "no room for the NUL", 14, -EINVAL },
	/* enough */
	{ "exact", 15, 0 },
	{ "one more", 16, 0 },
	{ "EXEC_ID_LEN", EXEC_ID_LEN, 0 },
};

ParameterizedTestParameters(exec_id, buffer_size)
{
	return sw_rows(ARRAY_SIZE(small_cases));
}

ParameterizedTest(int *row, exec_id, buffer_size)
{
	const struct small_case *c = &small_cases[*row];
	char *buf = malloc(c->len ? c->len : 1);
	int ret;

	cr_assert_not_null(buf);
	/* exactly len bytes: ASan catches a write past them */
	ret = exec_id_format(c->len ? buf : NULL, c->len, "0badcafe", 1, 2, 3);
	cr_assert_eq(ret, c->want, "case %s (%zu bytes): %d, want %d", c->what,
		     c->len, ret, c->want);
	if (!ret)
		cr_assert_str_eq(buf, "0badcafe-1-2-3", "case %s: '%s'", c->what,
				 buf);
	free(buf);
}

/* the longest id, with a real boot id, fits in EXEC_ID_LEN */
Test(exec_id, longest_fits)
{
	char buf[EXEC_ID_LEN];
	int ret;

	ret = exec_id_format(buf, sizeof(buf), "ffffffff", UINT32_MAX,
			     UINT64_MAX, UINT64_MAX);
	cr_assert_eq(ret, 0, "longest id does not fit in %d bytes: %d",
		     EXEC_ID_LEN, ret);
}

Test(exec_id, boot_id)
{
	char buf[9], line[64], want[9];
	size_t i, n = 0;
	FILE *f;
	int ret;

	memset(buf, 'x', sizeof(buf));
	ret = exec_id_boot_id(buf, sizeof(buf));
	cr_assert_eq(ret, 0, "exec_id_boot_id: %d", ret);
	cr_assert_eq(strlen(buf), 8, "boot id '%s' is not 8 bytes", buf);
	for (i = 0; i < 8; i++)
		cr_assert(isxdigit((unsigned char)buf[i]),
			  "boot id '%s': byte %zu is not hex", buf, i);

	/* it is the start of the kernel's boot id */
	f = fopen("/proc/sys/kernel/random/boot_id", "r");
	cr_assert_not_null(f, "no /proc/sys/kernel/random/boot_id");
	cr_assert_not_null(fgets(line, sizeof(line), f));
	fclose(f);
	for (i = 0; line[i] && n < 8; i++)
		if (isxdigit((unsigned char)line[i]))
			want[n++] = line[i];
	want[n] = '\0';
	cr_assert_str_eq(buf, want, "boot id '%s', the kernel's starts '%s'",
			 buf, want);

	/* it is the same on every call */
	ret = exec_id_boot_id(line, sizeof(line));
	cr_assert_eq(ret, 0, "second exec_id_boot_id: %d", ret);
	cr_assert_str_eq(line, buf, "boot id changed: '%s' then '%s'", buf,
			 line);
}

struct boot_small_case {
	size_t len;
	int want;
};

static const struct boot_small_case boot_small_cases[] = {
	/* no room for 8 digits and the NUL */
	{ 0, -EINVAL }, { 1, -EINVAL }, { 8, -EINVAL },
	/* enough */
	{ 9, 0 }, { 64, 0 },
};

ParameterizedTestParameters(exec_id, boot_id_buffer)
{
	return sw_rows(ARRAY_SIZE(boot_small_cases));
}

ParameterizedTest(int *row, exec_id, boot_id_buffer)
{
	const struct boot_small_case *c = &boot_small_cases[*row];
	char *buf = malloc(c->len ? c->len : 1);
	int ret;

	cr_assert_not_null(buf);
	/* exactly len bytes: ASan catches a write past them */
	ret = exec_id_boot_id(buf, c->len);
	cr_assert_eq(ret, c->want, "boot id into %zu bytes: %d, want %d",
		     c->len, ret, c->want);
	if (!ret)
		cr_assert_eq(strlen(buf), 8, "boot id into %zu bytes: '%s'",
			     c->len, buf);
	free(buf);
}

/* the id is printf's "%s-%u-%llu-%llu", for numbers of every length */
Test(exec_id, same_as_printf)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, a, b;
	char got[EXEC_ID_LEN], want[EXEC_ID_LEN];
	uint32_t pid;
	int i;

	for (i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pid = (uint32_t)(x >> (i % 32));
		a = x >> (i % 64);
		b = i % 7 ? x * 31 >> (i % 61) : 0;
		snprintf(want, sizeof(want), "%s-%u-%llu-%llu", "f55adb19", pid,
			 (unsigned long long)a, (unsigned long long)b);
		cr_assert_eq(exec_id_format(got, sizeof(got), "f55adb19", pid, a, b),
			     0, "%s did not fit", want);
		cr_assert_str_eq(got, want, "exec_id_format wrote %s, printf %s",
				 got, want);
	}
}
