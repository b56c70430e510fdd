// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the multi-call dispatch (user/multicall.c) and the loader's
 * option parsing (user/loader.c), each row an argv as the kernel captures
 * it and the element the binary would run. Rows are passed by index: a
 * pointer into this binary is not valid in Criterion's test process.
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "loader.h"
#include "multicall.h"
#include "sw_rows.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* a string literal as pointer and length, embedded NULs included */
#define A(s)		(s), sizeof(s) - 1
#define X10	"xxxxxxxxxx"
#define X100	X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define X300	X100 X100 X100

struct mc_case {
	const char *what;
	unsigned int family;
	const char *argv;
	size_t len;
	int err;		/* 0, -ENOENT, -EAGAIN */
	int idx;
	const char *name;
};

static const struct mc_case mc_cases[] = {
	/* busybox applets */
	{ "plain", SW_FAM_BUSYBOX, A("sh\0-c\0true\0"), 0, 0, "sh" },
	{ "path", SW_FAM_BUSYBOX, A("/bin/ash\0"), 0, 0, "ash" },
	{ "login shell", SW_FAM_BUSYBOX, A("-sh\0"), 0, 0, "sh" },
	{ "login shell path", SW_FAM_BUSYBOX, A("-/bin/sh\0"), 0, 0, "sh" },
	{ "two dashes", SW_FAM_BUSYBOX, A("--sh\0"), 0, 0, "-sh" },
	{ "not a shell", SW_FAM_BUSYBOX, A("ls\0-l\0"), 0, 0, "ls" },
	{ "busybox sh", SW_FAM_BUSYBOX, A("busybox\0sh\0"), 0, 1, "sh" },
	{ "renamed", SW_FAM_BUSYBOX, A("busybox-x86_64\0sh\0"), 0, 1, "sh" },
	{ "static", SW_FAM_BUSYBOX, A("/bin/busybox.static\0ash\0"), 0, 1, "ash" },
	{ "busybox busybox sh", SW_FAM_BUSYBOX,
	  A("busybox\0busybox\0sh\0-c\0x\0"), 0, 2, "sh" },
	{ "argv1 path", SW_FAM_BUSYBOX, A("busybox\0/x/y/sh\0"), 0, 1, "sh" },
	{ "argv1 keeps a dash", SW_FAM_BUSYBOX, A("busybox\0-sh\0"), 0, 1, "-sh" },
	{ "argv1 trailing slash", SW_FAM_BUSYBOX, A("busybox\0sh/\0"), 0, 1, "" },
	{ "long argv0", SW_FAM_BUSYBOX, A("/" X300 "/sh\0"), 0, 0, "sh" },
	{ "long argv1", SW_FAM_BUSYBOX, A("busybox\0/" X300 "/sh\0"), 0, 1, "sh" },
	{ "long busybox name", SW_FAM_BUSYBOX,
	  A("/" X300 "/busybox" X300 "\0sh\0"), 0, 1, "sh" },
	{ "alone", SW_FAM_BUSYBOX, A("busybox\0"), -ENOENT, 0, NULL },
	{ "list", SW_FAM_BUSYBOX, A("busybox\0--list\0"), -ENOENT, 0, NULL },
	{ "list-full", SW_FAM_BUSYBOX, A("busybox\0--list-full\0"), -ENOENT, 0, NULL },
	{ "help", SW_FAM_BUSYBOX, A("busybox\0--help\0sh\0"), -ENOENT, 0, NULL },
	{ "install", SW_FAM_BUSYBOX, A("busybox\0--install\0"), -ENOENT, 0, NULL },
	{ "empty argv", SW_FAM_BUSYBOX, "", 0, -ENOENT, 0, NULL },
	{ "argv0 cut", SW_FAM_BUSYBOX, A("/xx/s"), -EAGAIN, 0, NULL },
	{ "argv1 cut", SW_FAM_BUSYBOX, A("busybox\0/xx/s"), -EAGAIN, 0, NULL },
	{ "later cut", SW_FAM_BUSYBOX, A("sh\0-c\0ec"), 0, 0, "sh" },
	/* toybox commands */
	{ "toybox plain", SW_FAM_TOYBOX, A("sh\0"), 0, 0, "sh" },
	{ "toybox path", SW_FAM_TOYBOX, A("/bin/sh\0"), 0, 0, "sh" },
	{ "toybox trailing slash", SW_FAM_TOYBOX, A("/bin/sh//\0"), 0, 0, "sh" },
	{ "toybox no dash strip", SW_FAM_TOYBOX, A("-sh\0"), 0, 0, "-sh" },
	{ "toybox sh", SW_FAM_TOYBOX, A("toybox\0sh\0"), 0, 1, "sh" },
	{ "toybox prefix", SW_FAM_TOYBOX, A("toybox-x86_64\0sh\0"), 0, 1, "sh" },
	{ "toybox once", SW_FAM_TOYBOX, A("toybox\0toybox\0sh\0"), 0, 1, "toybox" },
	{ "toybox alone", SW_FAM_TOYBOX, A("toybox\0"), -ENOENT, 0, NULL },
	{ "toybox long argv1", SW_FAM_TOYBOX, A("toybox\0/" X300 "/sh\0"), 0, 1, "sh" },
};

ParameterizedTestParameters(multicall, applet)
{
	return sw_rows(ARRAY_SIZE(mc_cases));
}

ParameterizedTest(int *ix, multicall, applet)
{
	const struct mc_case *c = &mc_cases[*ix];
	struct argv_list a;
	struct mc_applet out;
	char tail[512];
	int err;

	argv_split(&a, c->argv, c->len, tail, sizeof(tail));
	err = multicall_applet(c->family, &a, &out);
	cr_assert_eq(err, c->err, "%s: want %d, got %d", c->what, c->err, err);
	if (err)
		return;
	cr_assert_eq(out.idx, c->idx, "%s: element %d, got %d", c->what,
		     c->idx, out.idx);
	cr_assert_str_eq(out.name, c->name, "%s", c->what);
}

struct ld_case {
	const char *what;
	unsigned int family;
	const char *argv;
	size_t len;
	int err;
	int prog;
	const char *argv0;
};

#define LD	"/lib64/ld-linux-x86-64.so.2\0"
#define MUSL	"/lib/ld-musl-x86_64.so.1\0"

static const struct ld_case ld_cases[] = {
	/* glibc */
	{ "program", SW_FAM_LD_GLIBC, A(LD "/bin/bash\0-i\0"), 0, 1, NULL },
	{ "argv0", SW_FAM_LD_GLIBC, A(LD "--argv0\0innocent\0/bin/bash\0"), 0, 3,
	  "innocent" },
	{ "every valued option", SW_FAM_LD_GLIBC,
	  A(LD "--library-path\0/l\0--inhibit-rpath\0x\0--audit\0a.so\0"
	    "--preload\0p.so\0--glibc-hwcaps-prepend\0x\0"
	    "--glibc-hwcaps-mask\0y\0--inhibit-cache\0/bin/sh\0"), 0, 14, NULL },
	{ "end of options", SW_FAM_LD_GLIBC, A(LD "--\0--argv0\0"), 0, 2, NULL },
	{ "program like an option", SW_FAM_LD_GLIBC, A(LD "-x\0"), 0, 1, NULL },
	{ "relative program", SW_FAM_LD_GLIBC, A(LD "bash\0"), 0, 1, NULL },
	{ "script line", SW_FAM_LD_GLIBC, A(LD "/bin/sh\0/tmp/s\0"), 0, 1, NULL },
	{ "list", SW_FAM_LD_GLIBC, A(LD "--list\0/bin/bash\0"), -ENOENT, 0, NULL },
	{ "verify", SW_FAM_LD_GLIBC, A(LD "--verify\0/bin/bash\0"), -ENOENT, 0, NULL },
	{ "help", SW_FAM_LD_GLIBC, A(LD "--help\0/bin/bash\0"), -ENOENT, 0, NULL },
	{ "version", SW_FAM_LD_GLIBC, A(LD "--version\0/bin/bash\0"), -ENOENT, 0, NULL },
	{ "unknown option", SW_FAM_LD_GLIBC, A(LD "--bogus\0/bin/bash\0"), -ENOENT, 0, NULL },
	{ "argv0 takes the program", SW_FAM_LD_GLIBC, A(LD "--argv0\0/bin/bash\0"),
	  -ENOENT, 0, NULL },
	{ "valued option last", SW_FAM_LD_GLIBC, A(LD "--preload\0"), -ENOENT, 0, NULL },
	{ "no program", SW_FAM_LD_GLIBC, A(LD), -ENOENT, 0, NULL },
	{ "program cut", SW_FAM_LD_GLIBC, A(LD "/bin/ba"), -EAGAIN, 0, NULL },
	{ "option cut", SW_FAM_LD_GLIBC, A(LD "--arg"), -EAGAIN, 0, NULL },
	/* musl */
	{ "musl program", SW_FAM_LD_MUSL, A(MUSL "/bin/sh\0"), 0, 1, NULL },
	{ "musl argv0", SW_FAM_LD_MUSL, A(MUSL "--argv0\0x\0/bin/sh\0"), 0, 3, "x" },
	{ "musl argv0=", SW_FAM_LD_MUSL, A(MUSL "--argv0=x\0/bin/sh\0"), 0, 2, "x" },
	{ "musl library-path=", SW_FAM_LD_MUSL,
	  A(MUSL "--library-path=/l\0--preload\0p\0/bin/sh\0"), 0, 4, NULL },
	{ "musl end", SW_FAM_LD_MUSL, A(MUSL "--\0--list\0"), 0, 2, NULL },
	{ "musl single dash", SW_FAM_LD_MUSL, A(MUSL "-x\0"), 0, 1, NULL },
	{ "musl list", SW_FAM_LD_MUSL, A(MUSL "--list\0/bin/sh\0"), -ENOENT, 0, NULL },
	{ "musl ldd", SW_FAM_LD_MUSL, A("/usr/bin/ldd\0/bin/sh\0"), -ENOENT, 0, NULL },
	{ "musl unknown", SW_FAM_LD_MUSL, A(MUSL "--x\0/bin/sh\0"), -ENOENT, 0, NULL },
	{ "musl suffix", SW_FAM_LD_MUSL, A(MUSL "--argv0x\0/bin/sh\0"), -ENOENT, 0, NULL },
	{ "musl no program", SW_FAM_LD_MUSL, A(MUSL "--argv0\0x\0"), -ENOENT, 0, NULL },
};

ParameterizedTestParameters(loader, program)
{
	return sw_rows(ARRAY_SIZE(ld_cases));
}

ParameterizedTest(int *ix, loader, program)
{
	const struct ld_case *c = &ld_cases[*ix];
	struct argv_list a;
	struct loader_run out;
	char tail[512];
	int err;

	argv_split(&a, c->argv, c->len, tail, sizeof(tail));
	err = loader_program(c->family, &a, &out);
	cr_assert_eq(err, c->err, "%s: want %d, got %d", c->what, c->err, err);
	if (err)
		return;
	cr_assert_eq(out.prog, c->prog, "%s: element %d, got %d", c->what,
		     c->prog, out.prog);
	if (c->argv0)
		cr_assert_str_eq(out.argv0 ? out.argv0 : "(null)", c->argv0,
				 "%s", c->what);
	else
		cr_assert_null(out.argv0, "%s: argv0 %s", c->what, out.argv0);
}

Test(argv, split_bounds)
{
	static const char buf[] = "a\0bc\0de";
	struct argv_list a;
	char tail[2];

	argv_split(&a, buf, sizeof(buf) - 1, tail, sizeof(tail));
	cr_assert_eq(a.argc, 3, "three elements, got %d", a.argc);
	cr_assert(a.last_cut, "the last has no NUL");
	cr_assert_str_eq(a.v[2], "d", "cut to the tail buffer");
	argv_split(&a, buf, 0, tail, sizeof(tail));
	cr_assert_eq(a.argc, 0, "empty, got %d", a.argc);
}
