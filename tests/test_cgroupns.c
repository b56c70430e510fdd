// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "cgroupns.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct resolve_case {
	const char *what;
	const char *root;
	const char *rel;
	int ret;
	const char *want;
};

static const struct resolve_case resolve_cases[] = {
	/* the initial namespace: paths are absolute already */
	{ "initial ns", NULL, "/kubepods/pod1/c1", 0, "/kubepods/pod1/c1" },
	{ "initial ns root", "/", "/", 0, "/" },
	{ "empty root", "", "/a", 0, "/a" },
	/* a private namespace, as a pod's */
	{ "own cgroup", "/kubepods/podS/cS", "/", 0, "/kubepods/podS/cS" },
	{ "below own", "/kubepods/podS/cS", "/x", 0, "/kubepods/podS/cS/x" },
	{ "another pod", "/kubepods/besteffort/podS/cS",
	  "/../../../burstable/podX/cX", 0, "/kubepods/burstable/podX/cX" },
	{ "the host root", "/kubepods/podS/cS", "/../../..", 0, "/" },
	{ "a host service", "/kubepods/podS/cS", "/../../../system.slice/sshd",
	  0, "/system.slice/sshd" },
	/* the kernel never goes above the root: neither do we */
	{ "above the root", "/a", "/../../../../b", 0, "/b" },
	{ "doubled slashes", "/a", "//b//c/", 0, "/a/b/c" },
	{ "dot", "/a", "/./b", 0, "/a/b" },
	/* names that only look like steps */
	{ "dots in names", "/a", "/..b/...", 0, "/a/..b/..." },
	/* malformed */
	{ "relative", "/a", "b", -EINVAL, NULL },
	{ "empty", "/a", "", -EINVAL, NULL },
};

ParameterizedTestParameters(cgroupns, resolve)
{
	static int rows[ARRAY_SIZE(resolve_cases)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		rows[i] = i;
	return cr_make_param_array(int, rows, ARRAY_SIZE(rows));
}

ParameterizedTest(int *row, cgroupns, resolve)
{
	const struct resolve_case *c = &resolve_cases[*row];
	char out[256];
	int ret = cgroupns_resolve(c->root, c->rel, out, sizeof(out));

	cr_assert_eq(ret, c->ret, "case %s: returned %d, want %d", c->what, ret,
		     c->ret);
	if (c->want)
		cr_assert_str_eq(out, c->want, "case %s: root %s rel %s",
				 c->what, c->root ? c->root : "(null)", c->rel);
}

Test(cgroupns, resolve_bounds)
{
	char out[9];

	cr_assert_eq(cgroupns_resolve("/abc", "/def", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/abc/def");
	cr_assert_eq(cgroupns_resolve("/abc", "/defg", out, sizeof(out)),
		     -ENAMETOOLONG, "10 bytes in 9");
	cr_assert_eq(cgroupns_resolve("/abcdefghi", "/", out, sizeof(out)),
		     -ENAMETOOLONG, "a root longer than the buffer");
	/* going up frees room again */
	cr_assert_eq(cgroupns_resolve("/abcdef", "/../xyz", out, sizeof(out)), 0);
	cr_assert_str_eq(out, "/xyz");
	cr_assert_eq(cgroupns_resolve(NULL, "/..", out, 2), 0);
	cr_assert_str_eq(out, "/");
}

#define BUF(s) s, sizeof(s) - 1

Test(cgroupns, parse)
{
	char v2[64], v1[64];

	/* leaf first, as the kernel walks up */
	cr_assert_eq(cgroupns_parse(BUF("2\0cS\0podS\0kubepods\0\0" "1\0m\0\0"),
				    v2, sizeof(v2), v1, sizeof(v1)), 0);
	cr_assert_str_eq(v2, "/kubepods/podS/cS");
	cr_assert_str_eq(v1, "/m");
	/* the root has no component */
	cr_assert_eq(cgroupns_parse(BUF("2\0\0"), v2, sizeof(v2), v1,
				    sizeof(v1)), 0);
	cr_assert_str_eq(v2, "/");
	cr_assert_str_eq(v1, "", "a hierarchy not written stays unknown");
	/* nothing written: both unknown */
	cr_assert_eq(cgroupns_parse("", 0, v2, sizeof(v2), v1, sizeof(v1)), 0);
	cr_assert_str_eq(v2, "");
}

Test(cgroupns, parse_malformed)
{
	char v2[16], v1[16];

	cr_assert_eq(cgroupns_parse(BUF("3\0a\0\0"), v2, sizeof(v2), v1,
				    sizeof(v1)), -EINVAL, "unknown tag");
	cr_assert_eq(cgroupns_parse(BUF("2\0a\0"), v2, sizeof(v2), v1,
				    sizeof(v1)), -EINVAL, "no end mark");
	cr_assert_eq(cgroupns_parse(BUF("2\0a"), v2, sizeof(v2), v1,
				    sizeof(v1)), -EINVAL, "unterminated name");
	cr_assert_eq(cgroupns_parse(BUF("2"), v2, sizeof(v2), v1, sizeof(v1)),
		     -EINVAL, "unterminated tag");
	cr_assert_eq(cgroupns_parse(BUF("2\0a/b\0\0"), v2, sizeof(v2), v1,
				    sizeof(v1)), -EINVAL, "a slash in a name");
	cr_assert_eq(cgroupns_parse(BUF("2\0abcdefghijklmnop\0\0"), v2,
				    sizeof(v2), v1, sizeof(v1)), -ENAMETOOLONG,
		     "a path longer than the buffer");
}

/* "2\0", n components "a\0", the end mark; returns the length */
static size_t deep_buf(char *buf, int n)
{
	size_t off = 0;
	int i;

	buf[off++] = '2';
	buf[off++] = '\0';
	for (i = 0; i < n; i++) {
		buf[off++] = 'a';
		buf[off++] = '\0';
	}
	buf[off++] = '\0';
	return off;
}

Test(cgroupns, parse_depth)
{
	char buf[2 + 2 * (SW_PATH_DEPTH + 1) + 1], v2[256], v1[16];
	size_t len;

	len = deep_buf(buf, SW_PATH_DEPTH);
	cr_assert_eq(cgroupns_parse(buf, len, v2, sizeof(v2), v1, sizeof(v1)),
		     0, "%d components", SW_PATH_DEPTH);
	cr_assert_eq(strlen(v2), 2 * SW_PATH_DEPTH, "v2 %s", v2);
	len = deep_buf(buf, SW_PATH_DEPTH + 1);
	cr_assert_eq(cgroupns_parse(buf, len, v2, sizeof(v2), v1, sizeof(v1)),
		     -EINVAL, "%d components", SW_PATH_DEPTH + 1);
}

Test(cgroupns, outside)
{
	cr_assert(cgroupns_outside("/.."));
	cr_assert(cgroupns_outside("/../../kubepods/pod1"));
	cr_assert_not(cgroupns_outside("/"));
	cr_assert_not(cgroupns_outside("/kubepods"));
	/* a name may start with dots */
	cr_assert_not(cgroupns_outside("/..x"));
	cr_assert_not(cgroupns_outside("/..."));
}
