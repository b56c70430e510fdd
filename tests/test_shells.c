// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the shell name set (user/shells.c): --shells lists, their
 * errors, duplicates, and the list written back.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "shells.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* the set as a list, for messages and comparisons */
static const char *set_text(const struct shell_set *set, char *buf,
			    size_t len)
{
	shells_format(set, buf, len);
	return buf;
}

Test(shells, default_list)
{
	static const char *const want[] = {
		"sh", "bash", "rbash", "dash", "ash", "hush", "zsh",
		"zsh-static", "ksh", "ksh93", "mksh", "lksh", "pdksh", "oksh",
		"loksh", "posh", "csh", "bsd-csh", "tcsh", "fish", "yash",
		"sash", "rc", "es", "elvish", "xonsh", "rush",
	};
	struct shell_set set;
	char err[256] = "";
	size_t i;

	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0,
		     "default list: %s", err);
	cr_assert_eq(set.n, (int)ARRAY_SIZE(want), "default list: %d names, want %zu",
		     set.n, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		cr_assert_str_eq(set.names[i], want[i],
				 "default list: name %zu is '%s', want '%s'", i,
				 set.names[i], want[i]);
		cr_assert(shells_has(&set, want[i]), "default list: no '%s'",
			  want[i]);
	}
	/* the multi-call binaries are not shell names */
	for (i = 0; shells_multicall[i]; i++)
		cr_assert(!shells_has(&set, shells_multicall[i]),
			  "default list has multi-call binary '%s'",
			  shells_multicall[i]);
}

struct ok_case {
	const char *list;
	const char *want;	/* the set written back */
};

static const struct ok_case ok_cases[] = {
	/* one name */
	{ "bash", "bash" },
	{ "a", "a" },
	{ "abcdefghijklmno", "abcdefghijklmno" },	/* 15 bytes */
	{ "bsd-csh", "bsd-csh" },
	{ "ksh93", "ksh93" },
	{ "my_shell.v2+x", "my_shell.v2+x" },
	{ "b\xc3\xa4sh", "b\xc3\xa4sh" },		/* UTF-8 */
	{ "busybox2", "busybox2" },
	{ "toy", "toy" },
	/* several names */
	{ "bash,zsh", "bash,zsh" },
	{ "zsh,bash", "zsh,bash" },
	{ "sh,ash,dash", "sh,ash,dash" },
	{ "x,abcdefghijklmno,y", "x,abcdefghijklmno,y" },
	/* duplicates collapsed, first place kept */
	{ "bash,bash", "bash" },
	{ "bash,zsh,bash", "bash,zsh" },
	{ "sh,sh,sh,sh", "sh" },
	{ "zsh,bash,zsh,bash,fish", "zsh,bash,fish" },
	{ SHELLS_DEFAULT "," SHELLS_DEFAULT, SHELLS_DEFAULT },
};

ParameterizedTestParameters(shells, parse_ok)
{
	return sw_rows(ARRAY_SIZE(ok_cases));
}

ParameterizedTest(int *row, shells, parse_ok)
{
	const struct ok_case *c = &ok_cases[*row];
	struct shell_set set, again;
	char err[256] = "", got[1024], back[1024];
	int ret, i;

	ret = shells_parse(&set, c->list, err, sizeof(err));
	cr_assert_eq(ret, 0, "list '%s': %d (%s)", c->list, ret, err);
	cr_assert_str_eq(set_text(&set, got, sizeof(got)), c->want,
			 "list '%s': set '%s', want '%s'", c->list, got, c->want);
	for (i = 0; i < set.n; i++)
		cr_assert(shells_has(&set, set.names[i]),
			  "list '%s': shells_has('%s') false", c->list,
			  set.names[i]);
	/* the written list parses to the same set */
	ret = shells_parse(&again, got, err, sizeof(err));
	cr_assert_eq(ret, 0, "list '%s': written back '%s' does not parse (%s)",
		     c->list, got, err);
	cr_assert_str_eq(set_text(&again, back, sizeof(back)), got,
			 "list '%s': round trip '%s' -> '%s'", c->list, got,
			 back);
	cr_assert_eq(again.n, set.n, "list '%s': round trip %d names, want %d",
		     c->list, again.n, set.n);
}

struct err_case {
	const char *what;
	const char *list;
	const char *mention;	/* the error message holds this */
};

static const struct err_case err_cases[] = {
	/* empty names */
	{ "empty list", "", "empty" },
	{ "a lone comma", ",", "empty" },
	{ "two commas", ",,", "empty" },
	{ "trailing comma", "bash,", "empty" },
	{ "leading comma", ",bash", "empty" },
	{ "empty name inside", "bash,,zsh", "empty" },
	/* too long */
	{ "16-byte name", "abcdefghijklmnop", "abcdefghijklmnop" },
	{ "16-byte name after a good one", "bash,abcdefghijklmnop",
	  "abcdefghijklmnop" },
	{ "very long name", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "longer than 15" },
	/* bytes a basename cannot hold or a key should not */
	{ "path", "/bin/bash", "/bin/bash" },
	{ "slash inside", "ba/sh", "ba/sh" },
	{ "trailing slash", "bash/", "bash/" },
	{ "space inside", "ba sh", "ba sh" },
	{ "space after comma", "bash, zsh", " zsh" },
	{ "trailing space", "bash ", "bash " },
	{ "tab", "ba\tsh", "control" },
	{ "newline", "bash\nzsh", "control" },
	{ "escape", "\x1b[0m", "control" },
	{ "DEL", "ba\x7fsh", "control" },
	{ "control 0x01", "\x01", "control" },
	/* multi-call binaries: their applets are matched instead */
	{ "busybox", "busybox", "busybox" },
	{ "toybox", "toybox", "toybox" },
	{ "busybox among shells", "bash,busybox,zsh", "busybox" },
};

ParameterizedTestParameters(shells, parse_error)
{
	return sw_rows(ARRAY_SIZE(err_cases));
}

ParameterizedTest(int *row, shells, parse_error)
{
	const struct err_case *c = &err_cases[*row];
	struct shell_set set;
	char err[256] = "";
	int ret;

	ret = shells_parse(&set, c->list, err, sizeof(err));
	cr_assert_eq(ret, -EINVAL, "case %s: list '%s' gives %d, want -EINVAL",
		     c->what, c->list, ret);
	cr_assert_neq(err[0], '\0', "case %s: list '%s': no error message",
		      c->what, c->list);
	cr_assert_not_null(strstr(err, c->mention),
			   "case %s: list '%s': error '%s' does not mention '%s'",
			   c->what, c->list, err, c->mention);
}

/* n distinct names "s0,s1,..." into buf */
static void numbered_list(char *buf, size_t len, int n)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		off += snprintf(buf + off, len - off, "%ss%d", i ? "," : "", i);
}

struct count_case {
	int names;	/* distinct names */
	int dups;	/* repeats of the first name appended */
	int want;	/* 0, or -EINVAL */
};

static const struct count_case count_cases[] = {
	/* up to SHELLS_MAX */
	{ 1, 0, 0 },
	{ SHELLS_MAX - 1, 0, 0 },
	{ SHELLS_MAX, 0, 0 },
	/* duplicates do not count */
	{ SHELLS_MAX, 1, 0 },
	{ SHELLS_MAX, 100, 0 },
	{ 1, 200, 0 },
	/* more than SHELLS_MAX */
	{ SHELLS_MAX + 1, 0, -EINVAL },
	{ SHELLS_MAX + 20, 0, -EINVAL },
	{ SHELLS_MAX + 1, 5, -EINVAL },
};

ParameterizedTestParameters(shells, count)
{
	return sw_rows(ARRAY_SIZE(count_cases));
}

ParameterizedTest(int *row, shells, count)
{
	const struct count_case *c = &count_cases[*row];
	char list[4096], err[256] = "";
	struct shell_set set;
	size_t off;
	int ret, i;

	numbered_list(list, sizeof(list), c->names);
	off = strlen(list);
	for (i = 0; i < c->dups; i++)
		off += snprintf(list + off, sizeof(list) - off, ",s0");
	cr_assert_lt(off, sizeof(list) - 1, "table error: list too long");

	ret = shells_parse(&set, list, err, sizeof(err));
	cr_assert_eq(ret, c->want, "%d names + %d duplicates: %d, want %d (%s)",
		     c->names, c->dups, ret, c->want, err);
	if (c->want) {
		cr_assert_not_null(strstr(err, "more than"),
				   "%d names: error '%s'", c->names, err);
		return;
	}
	cr_assert_eq(set.n, c->names, "%d names + %d duplicates: set of %d",
		     c->names, c->dups, set.n);
	for (i = 0; i < c->names; i++) {
		char name[16];

		snprintf(name, sizeof(name), "s%d", i);
		cr_assert(shells_has(&set, name), "%d names: no '%s'", c->names,
			  name);
	}
}

struct has_case {
	const char *name;
	bool want;
};

static const struct has_case has_cases[] = {
	/* in the default set */
	{ "sh", true },
	{ "bash", true },
	{ "bsd-csh", true },
	{ "posh", true },
	/* not in it */
	{ "", false },
	{ "s", false },
	{ "bas", false },
	{ "bashx", false },
	{ "BASH", false },
	{ "busybox", false },
	{ "/bin/sh", false },
	{ "bash\n", false },
	{ "shshshshshshshshshsh", false },
};

ParameterizedTestParameters(shells, has)
{
	return sw_rows(ARRAY_SIZE(has_cases));
}

ParameterizedTest(int *row, shells, has)
{
	const struct has_case *c = &has_cases[*row];
	struct shell_set set;
	char err[256];

	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(shells_has(&set, c->name), c->want,
		     "shells_has(default, '%s') is %d, want %d", c->name,
		     !c->want, c->want);
}

struct multicall_case {
	const char *name;
	bool want;
};

static const struct multicall_case multicall_cases[] = {
	/* multi-call binaries */
	{ "busybox", true },
	{ "toybox", true },
	/* others */
	{ "", false },
	{ "busybo", false },
	{ "busybox.static", false },
	{ "Busybox", false },
	{ "sh", false },
	{ "/bin/busybox", false },
};

ParameterizedTestParameters(shells, multicall)
{
	return sw_rows(ARRAY_SIZE(multicall_cases));
}

ParameterizedTest(int *row, shells, multicall)
{
	const struct multicall_case *c = &multicall_cases[*row];

	cr_assert_eq(shells_is_multicall(c->name), c->want,
		     "shells_is_multicall('%s') is %d, want %d", c->name,
		     !c->want, c->want);
}

Test(shells, format_round_trip_default)
{
	struct shell_set set, again;
	char err[256], buf[1024], buf2[1024];

	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0,
		     "%s", err);
	shells_format(&set, buf, sizeof(buf));
	cr_assert_str_eq(buf, SHELLS_DEFAULT, "default formats as '%s'", buf);
	cr_assert_eq(shells_parse(&again, buf, err, sizeof(err)), 0, "%s", err);
	shells_format(&again, buf2, sizeof(buf2));
	cr_assert_str_eq(buf2, buf, "round trip '%s' -> '%s'", buf, buf2);
	cr_assert_eq(memcmp(&set, &again, sizeof(set)), 0,
		     "round trip of the default list changed the set");
}

Test(shells, format_full_set)
{
	char list[4096], buf[4096], err[256];
	struct shell_set set;

	numbered_list(list, sizeof(list), SHELLS_MAX);
	cr_assert_eq(shells_parse(&set, list, err, sizeof(err)), 0, "%s", err);
	shells_format(&set, buf, sizeof(buf));
	cr_assert_str_eq(buf, list, "%d names format as '%s'", SHELLS_MAX, buf);
}

Test(shells, format_empty_set)
{
	struct shell_set set = { .n = 0 };
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	shells_format(&set, buf, sizeof(buf));
	cr_assert_str_eq(buf, "", "empty set formats as '%s'", buf);
	/* a zero-length buffer is left alone */
	buf[0] = 'x';
	shells_format(&set, buf, 0);
	cr_assert_eq(buf[0], 'x', "zero-length buffer written to");
}

struct small_case {
	size_t len;
};

static const struct small_case small_cases[] = {
	/* buffers shorter than "sh,bash,rbash,..." */
	{ 1 }, { 2 }, { 3 }, { 4 }, { 7 }, { 8 }, { 20 },
	{ sizeof(SHELLS_DEFAULT) - 1 },
	/* just enough */
	{ sizeof(SHELLS_DEFAULT) },
};

ParameterizedTestParameters(shells, format_small_buffer)
{
	return sw_rows(ARRAY_SIZE(small_cases));
}

/* a short buffer holds a terminated prefix of the list, never more */
ParameterizedTest(int *row, shells, format_small_buffer)
{
	const struct small_case *c = &small_cases[*row];
	struct shell_set set;
	char err[256], *buf;

	cr_assert_eq(shells_parse(&set, SHELLS_DEFAULT, err, sizeof(err)), 0,
		     "%s", err);
	/* exactly len bytes: ASan catches a write past them */
	buf = malloc(c->len);
	cr_assert_not_null(buf);
	memset(buf, 'x', c->len);
	shells_format(&set, buf, c->len);
	cr_assert_not_null(memchr(buf, '\0', c->len),
			   "buffer of %zu: not terminated", c->len);
	cr_assert_lt(strlen(buf), c->len, "buffer of %zu: '%s' too long",
		     c->len, buf);
	cr_assert_eq(strncmp(buf, SHELLS_DEFAULT, strlen(buf)), 0,
		     "buffer of %zu: '%s' is not a prefix of the list", c->len,
		     buf);
	if (c->len == sizeof(SHELLS_DEFAULT))
		cr_assert_str_eq(buf, SHELLS_DEFAULT,
				 "buffer of %zu: '%s', want the whole list",
				 c->len, buf);
	free(buf);
}
