// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the user-space shell classification (user/classify.c), which
 * must follow the kernel side's rules: the binary's name, then a
 * multi-call binary's applet (argv[0], or argv[1] for "busybox sh"), then
 * the invoked name, then argv[0] of a fileless binary.
 *
 * Criterion copies each parameter into the process that runs the test,
 * where a pointer into this binary is not valid (a PIE is loaded at
 * another address), so the tests get the index of their row.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "classify.h"
#include "shells.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
/* a string literal as pointer and length, embedded NULs included */
#define A(s)		(s), sizeof(s) - 1

#define X10	"xxxxxxxxxx"
#define X100	X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
/* argv[0] elements of 125..128 bytes (NUL excluded) ending in "/sh" */
#define LONG125	"/" X100 X10 X10 "x" "/sh"
#define LONG126	"/" X100 X10 X10 "xx" "/sh"
#define LONG127	"/" X100 X10 X10 "xxx" "/sh"
#define LONG128	"/" X100 X10 X10 "xxxx" "/sh"

/* a shell list with a name of 15 bytes, the longest the kernel keys hold */
#define SHELLS_LONG	"sh,bash,abcdefghijklmno"

struct classify_case {
	const char *what;
	const char *shells;	/* NULL: SHELLS_DEFAULT */
	const char *binary;
	const char *invoked;
	const char *argv;	/* NULL: no argv at all */
	size_t argv_len;
	bool fileless;
	unsigned int match;	/* expected */
	const char *shell;	/* expected out.shell, "" for none */
	bool multicall;		/* expected out.multicall */
};

static const struct classify_case cases[] = {
	/* plain shells */
	{ "bash", NULL, "bash", "bash", A("bash\0-i\0"), false,
	  SW_MATCH_BINARY, "bash", false },
	{ "zsh login", NULL, "zsh", "zsh", A("-zsh\0"), false,
	  SW_MATCH_BINARY, "zsh", false },
	{ "every default: posh", NULL, "posh", "posh", A("posh\0"), false,
	  SW_MATCH_BINARY, "posh", false },
	{ "every default: yash", NULL, "yash", "yash", A("yash\0"), false,
	  SW_MATCH_BINARY, "yash", false },
	{ "every default: fish", NULL, "fish", "fish", A("fish\0"), false,
	  SW_MATCH_BINARY, "fish", false },
	{ "every default: rbash", NULL, "rbash", "rbash", A("rbash\0"), false,
	  SW_MATCH_BINARY, "rbash", false },
	{ "every default: mksh", NULL, "mksh", "mksh", A("mksh\0"), false,
	  SW_MATCH_BINARY, "mksh", false },
	{ "every default: pdksh", NULL, "pdksh", "pdksh", A("pdksh\0"), false,
	  SW_MATCH_BINARY, "pdksh", false },
	{ "every default: tcsh", NULL, "tcsh", "tcsh", A("tcsh\0"), false,
	  SW_MATCH_BINARY, "tcsh", false },
	{ "not a shell", NULL, "python3.11", "python3", A("python3\0-c\0x\0"),
	  false, SW_MATCH_NONE, "", false },
	{ "prefix of a shell name", NULL, "bas", "bas", A("bas\0"), false,
	  SW_MATCH_NONE, "", false },
	{ "shell name with suffix", NULL, "bash5", "bash5", A("bash5\0"), false,
	  SW_MATCH_NONE, "", false },
	{ "case differs", NULL, "Bash", "Bash", A("Bash\0"), false,
	  SW_MATCH_NONE, "", false },

	/* symlinked shells */
	{ "bash linked as innocent", NULL, "bash", "innocent",
	  A("innocent\0"), false, SW_MATCH_BINARY, "bash", false },
	{ "/bin/sh -> dash", NULL, "dash", "sh", A("/bin/sh\0-c\0id\0"), false,
	  SW_MATCH_BINARY, "dash", false },
	{ "/bin/sh -> bash", NULL, "bash", "sh", A("sh\0"), false,
	  SW_MATCH_BINARY, "bash", false },
	{ "/bin/csh -> bsd-csh", NULL, "bsd-csh", "csh", A("csh\0"), false,
	  SW_MATCH_BINARY, "bsd-csh", false },
	{ "ksh -> ksh93", NULL, "ksh93", "ksh", A("ksh\0"), false,
	  SW_MATCH_BINARY, "ksh93", false },
	{ "fd exec of bash", NULL, "bash", "3", A("bash\0"), false,
	  SW_MATCH_BINARY, "bash", false },

	/* renamed argv[0] */
	{ "exec -a innocent bash", NULL, "bash", "bash", A("innocent\0"), false,
	  SW_MATCH_BINARY, "bash", false },
	{ "exec -a python3 dash", NULL, "dash", "dash", A("python3\0-c\0x\0"),
	  false, SW_MATCH_BINARY, "dash", false },
	{ "renamed argv[0] of a non-shell", NULL, "cat", "cat", A("bash\0"),
	  false, SW_MATCH_NONE, "", false },

	/* invoked name */
	{ "copied shell run through a link named bash", NULL, "x", "bash",
	  A("bash\0"), false, SW_MATCH_INVOKED, "bash", false },
	{ "unknown binary, invoked sh", NULL, NULL, "sh", A("sh\0"), false,
	  SW_MATCH_INVOKED, "sh", false },
	{ "binary too long, invoked sh", NULL, "abcdefghijklmnopq", "sh",
	  A("sh\0"), false, SW_MATCH_INVOKED, "sh", false },

	/* busybox applets */
	{ "busybox as sh", NULL, "busybox", "sh", A("sh\0"), false,
	  SW_MATCH_APPLET, "sh", true },
	{ "busybox as /bin/ash", NULL, "busybox", "ash",
	  A("/bin/ash\0-c\0id\0"), false, SW_MATCH_APPLET, "ash", true },
	{ "busybox as /bin/sh with args", NULL, "busybox", "sh",
	  A("/bin/sh\0-c\0echo hi\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox sh -c", NULL, "busybox", "busybox",
	  A("busybox\0sh\0-c\0id\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "/bin/busybox ash", NULL, "busybox", "busybox",
	  A("/bin/busybox\0ash\0"), false, SW_MATCH_APPLET, "ash", true },
	{ "busybox /bin/sh", NULL, "busybox", "busybox",
	  A("busybox\0/bin/sh\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox toybox sh (one level of nesting)", NULL, "busybox",
	  "busybox", A("toybox\0sh\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox linked as innocent, argv[0] sh", NULL, "busybox",
	  "innocent", A("sh\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox, argv[1] last without NUL", NULL, "busybox", "busybox",
	  A("busybox\0sh"), false, SW_MATCH_NONE, "", true },

	/* toybox applets */
	{ "toybox as sh", NULL, "toybox", "sh", A("sh\0"), false,
	  SW_MATCH_APPLET, "sh", true },
	{ "toybox sh", NULL, "toybox", "toybox", A("toybox\0sh\0-c\0x\0"),
	  false, SW_MATCH_APPLET, "sh", true },

	/* busybox non-shell applets */
	{ "busybox ls", NULL, "busybox", "ls", A("ls\0-l\0"), false,
	  SW_MATCH_NONE, "", true },
	{ "busybox as ls invoked sh", NULL, "busybox", "sh", A("ls\0"), false,
	  SW_MATCH_NONE, "", true },
	{ "busybox busybox ls", NULL, "busybox", "busybox",
	  A("busybox\0ls\0"), false, SW_MATCH_NONE, "", true },
	{ "busybox alone", NULL, "busybox", "busybox", A("busybox\0"), false,
	  SW_MATCH_NONE, "", true },
	{ "busybox busybox sh (two levels)", NULL, "busybox", "busybox",
	  A("busybox\0busybox\0sh\0"), false, SW_MATCH_NONE, "", true },
	{ "busybox ls sh (argv[1] only after a multi-call argv[0])", NULL,
	  "busybox", "ls", A("ls\0sh\0"), false, SW_MATCH_NONE, "", true },
	{ "busybox with empty argv[0]", NULL, "busybox", "busybox", A("\0sh\0"),
	  false, SW_MATCH_NONE, "", true },
	{ "busybox with argv[0] '/'", NULL, "busybox", "busybox", A("/\0"),
	  false, SW_MATCH_NONE, "", true },
	{ "busybox with argv[0] 'sh/'", NULL, "busybox", "busybox", A("sh/\0"),
	  false, SW_MATCH_NONE, "", true },
	{ "busybox fileless, argv[0] ls", NULL, "busybox", "ls", A("ls\0"),
	  true, SW_MATCH_NONE, "", true },

	/* fileless binaries */
	{ "memfd bash", NULL, "memfd:x", "3", A("bash\0-i\0"), true,
	  SW_MATCH_ARGV0, "bash", false },
	{ "memfd /bin/sh", NULL, "memfd:", "3", A("/bin/sh\0"), true,
	  SW_MATCH_ARGV0, "sh", false },
	{ "deleted binary run as zsh", NULL, "payload", "payload", A("zsh\0"),
	  true, SW_MATCH_ARGV0, "zsh", false },
	{ "memfd bash, not fileless", NULL, "memfd:x", "3", A("bash\0-i\0"),
	  false, SW_MATCH_NONE, "", false },
	{ "memfd innocent", NULL, "memfd:x", "3", A("innocent\0"), true,
	  SW_MATCH_NONE, "", false },
	{ "memfd, argv[0] without NUL", NULL, "memfd:x", "3", A("bash"), true,
	  SW_MATCH_NONE, "", false },
	{ "memfd, argv[1] is bash", NULL, "memfd:x", "3", A("x\0bash\0"), true,
	  SW_MATCH_NONE, "", false },
	{ "memfd, empty argv", NULL, "memfd:x", "3", NULL, 0, true,
	  SW_MATCH_NONE, "", false },
	{ "memfd invoked sh: the invoked name wins", NULL, "memfd:x", "sh",
	  A("bash\0"), true, SW_MATCH_INVOKED, "sh", false },
	{ "deleted bash keeps its binary name", NULL, "bash", "bash",
	  A("innocent\0"), true, SW_MATCH_BINARY, "bash", false },

	/* long names */
	{ "15-byte binary in the set", SHELLS_LONG, "abcdefghijklmno",
	  "abcdefghijklmno", A("x\0"), false, SW_MATCH_BINARY,
	  "abcdefghijklmno", false },
	{ "16-byte binary, 15-byte prefix in the set", SHELLS_LONG,
	  "abcdefghijklmnop", "abcdefghijklmno", A("x\0"), false,
	  SW_MATCH_INVOKED, "abcdefghijklmno", false },
	{ "16-byte binary and invoked name", SHELLS_LONG, "abcdefghijklmnop",
	  "abcdefghijklmnop", A("x\0"), false, SW_MATCH_NONE, "", false },
	{ "16-byte binary bashbashbashbash", NULL, "bashbashbashbash",
	  "bashbashbashbas", A("bashbashbashbash\0"), false, SW_MATCH_NONE, "",
	  false },
	{ "busybox, 15-byte applet", SHELLS_LONG, "busybox", "abcdefghijklmno",
	  A("/bin/abcdefghijklmno\0"), false, SW_MATCH_APPLET,
	  "abcdefghijklmno", true },
	{ "busybox, 16-byte applet", SHELLS_LONG, "busybox", "abcdefghijklmno",
	  A("/bin/abcdefghijklmnop\0"), false, SW_MATCH_NONE, "", true },
	{ "memfd, 15-byte argv[0]", SHELLS_LONG, "memfd:x", "3",
	  A("abcdefghijklmno\0"), true, SW_MATCH_ARGV0, "abcdefghijklmno",
	  false },
	{ "memfd, 16-byte argv[0]", SHELLS_LONG, "memfd:x", "3",
	  A("abcdefghijklmnop\0"), true, SW_MATCH_NONE, "", false },

	/* argv[0] at the kernel's read limit (SW_ARGV0_MAX with its NUL) */
	{ "busybox, argv[0] of 125 bytes", NULL, "busybox", "sh",
	  A(LONG125 "\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox, argv[0] of 126 bytes (127 with NUL)", NULL, "busybox",
	  "sh", A(LONG126 "\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox, argv[0] of 127 bytes (128 with NUL)", NULL, "busybox",
	  "sh", A(LONG127 "\0"), false, SW_MATCH_NONE, "", true },
	{ "busybox, argv[0] of 128 bytes", NULL, "busybox", "sh",
	  A(LONG128 "\0"), false, SW_MATCH_NONE, "", true },
	{ "busybox, argv[1] of 126 bytes", NULL, "busybox", "busybox",
	  A("busybox\0" LONG126 "\0"), false, SW_MATCH_APPLET, "sh", true },
	{ "busybox, argv[1] of 127 bytes", NULL, "busybox", "busybox",
	  A("busybox\0" LONG127 "\0"), false, SW_MATCH_NONE, "", true },
	{ "memfd, argv[0] of 126 bytes", NULL, "memfd:x", "3",
	  A(LONG126 "\0"), true, SW_MATCH_ARGV0, "sh", false },
	{ "memfd, argv[0] of 127 bytes", NULL, "memfd:x", "3",
	  A(LONG127 "\0"), true, SW_MATCH_NONE, "", false },
	{ "memfd, argv[0] of 128 bytes", NULL, "memfd:x", "3",
	  A(LONG128 "\0"), true, SW_MATCH_NONE, "", false },

	/* odd names */
	{ "binary with a trailing space", NULL, "bash ", "bash ", A("bash \0"),
	  false, SW_MATCH_NONE, "", false },
	{ "binary with a newline", NULL, "ba\nsh", "ba\nsh", A("ba\nsh\0"),
	  false, SW_MATCH_NONE, "", false },
	{ "binary 'sh\\n'", NULL, "sh\n", "sh\n", A("sh\n\0"), false,
	  SW_MATCH_NONE, "", false },
	{ "empty binary and invoked names", NULL, "", "", A("\0"), false,
	  SW_MATCH_NONE, "", false },
	{ "busybox, applet with a space", NULL, "busybox", "busybox",
	  A("sh \0"), false, SW_MATCH_NONE, "", true },
	{ "busybox, applet with a newline", NULL, "busybox", "busybox",
	  A("/bin/s\nh\0"), false, SW_MATCH_NONE, "", true },
	{ "memfd, argv[0] 'bash -i'", NULL, "memfd:x", "3", A("bash -i\0"),
	  true, SW_MATCH_NONE, "", false },
	{ "memfd, argv[0] with a newline", NULL, "memfd:x", "3", A("sh\n\0"),
	  true, SW_MATCH_NONE, "", false },

	/* empty argv and argv without a terminating NUL */
	{ "busybox, no argv", NULL, "busybox", "busybox", NULL, 0, false,
	  SW_MATCH_NONE, "", true },
	{ "busybox, zero-length argv", NULL, "busybox", "busybox", A(""),
	  false, SW_MATCH_NONE, "", true },
	{ "busybox, argv 'sh' without NUL", NULL, "busybox", "sh", A("sh"),
	  false, SW_MATCH_NONE, "", true },
	{ "busybox, argv '/bin/ash' without NUL", NULL, "busybox", "ash",
	  A("/bin/ash"), false, SW_MATCH_NONE, "", true },
	{ "busybox, argv 'busybox' without NUL", NULL, "busybox", "busybox",
	  A("busybox"), false, SW_MATCH_NONE, "", true },
	{ "busybox, argv 'sh\\0-c' (last without NUL)", NULL, "busybox", "sh",
	  A("sh\0-c"), false, SW_MATCH_APPLET, "sh", true },
	{ "bash, no argv", NULL, "bash", "bash", NULL, 0, false,
	  SW_MATCH_BINARY, "bash", false },
};

ParameterizedTestParameters(classify, exec)
{
	return sw_rows(ARRAY_SIZE(cases));
}

ParameterizedTest(int *row, classify, exec)
{
	const struct classify_case *c = &cases[*row];
	const char *list = c->shells ? c->shells : SHELLS_DEFAULT;
	struct classify_out out;
	struct classify_in in;
	struct shell_set set;
	char err[256], *argv = NULL;
	unsigned int got;

	cr_assert_eq(shells_parse(&set, list, err, sizeof(err)), 0,
		     "case %s: shell list '%s': %s", c->what, list, err);
	/* argv in a buffer of its exact size: ASan catches any overread */
	if (c->argv) {
		argv = malloc(c->argv_len ? c->argv_len : 1);
		cr_assert_not_null(argv);
		memcpy(argv, c->argv, c->argv_len);
	}
	in = (struct classify_in){
		.binary = c->binary,
		.invoked = c->invoked,
		.argv = argv,
		.argv_len = c->argv_len,
		.fileless = c->fileless,
	};
	/* out starts dirty: classify_exec must set all of it */
	memset(&out, 0xa5, sizeof(out));
	got = classify_exec(&set, &in, &out);

	cr_assert_eq(got, c->match, "case %s: match %s, want %s", c->what,
		     classify_match_name(got), classify_match_name(c->match));
	cr_assert_eq(out.match, got, "case %s: out.match %u, returned %u",
		     c->what, out.match, got);
	cr_assert(memchr(out.shell, '\0', sizeof(out.shell)),
		  "case %s: out.shell is not NUL-terminated", c->what);
	cr_assert_str_eq(out.shell, c->shell, "case %s: shell '%s', want '%s'",
			 c->what, out.shell, c->shell);
	cr_assert_eq(out.multicall, c->multicall,
		     "case %s: multicall %d, want %d", c->what, out.multicall,
		     c->multicall);
	free(argv);
}

/* a shell name the set does not hold is no match, whatever else is right */
Test(classify, custom_set_without_sh)
{
	struct classify_in in = {
		.binary = "busybox", .invoked = "sh", .argv = "sh\0",
		.argv_len = 3,
	};
	struct classify_out out;
	struct shell_set set;
	char err[128];

	cr_assert_eq(shells_parse(&set, "bash,zsh", err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(classify_exec(&set, &in, &out), SW_MATCH_NONE,
		     "busybox sh with the set bash,zsh: match %s",
		     classify_match_name(out.match));
	in.binary = "dash";
	cr_assert_eq(classify_exec(&set, &in, &out), SW_MATCH_NONE,
		     "dash invoked sh with the set bash,zsh: match %s",
		     classify_match_name(out.match));
	in.binary = "zsh";
	cr_assert_eq(classify_exec(&set, &in, &out), SW_MATCH_BINARY,
		     "zsh with the set bash,zsh: match %s",
		     classify_match_name(out.match));
	cr_assert_str_eq(out.shell, "zsh", "zsh with the set bash,zsh: shell %s",
			 out.shell);
}

/* an empty set: shells_parse refuses it, a zeroed set matches nothing */
Test(classify, empty_set)
{
	struct classify_in in = {
		.binary = "bash", .invoked = "sh", .argv = "sh\0",
		.argv_len = 3, .fileless = true,
	};
	struct shell_set set = { .n = 0 };
	struct classify_out out;

	cr_assert_eq(classify_exec(&set, &in, &out), SW_MATCH_NONE,
		     "empty set: match %s", classify_match_name(out.match));
}

struct basename_case {
	const char *path;
	const char *want;
};

static const struct basename_case basename_cases[] = {
	/* absolute and relative paths */
	{ "/bin/bash", "bash" },
	{ "/usr/local/bin/zsh", "zsh" },
	{ "./sh", "sh" },
	{ "../x/../sh", "sh" },
	{ "a/b", "b" },
	/* no slash */
	{ "bash", "bash" },
	{ "", "" },
	{ "memfd:x (deleted)", "memfd:x (deleted)" },
	/* slashes at the ends */
	{ "/", "" },
	{ "//", "" },
	{ "/bin/", "" },
	{ "//bin//sh", "sh" },
	/* odd bytes */
	{ "/tmp/a\nb/c d", "c d" },
	{ "/tmp/\xff\xfe", "\xff\xfe" },
};

ParameterizedTestParameters(classify, basename)
{
	return sw_rows(ARRAY_SIZE(basename_cases));
}

ParameterizedTest(int *row, classify, basename)
{
	const struct basename_case *c = &basename_cases[*row];
	const char *got = classify_basename(c->path);

	cr_assert_str_eq(got, c->want, "basename of '%s' is '%s', want '%s'",
			 c->path, got, c->want);
	/* the basename points into the path */
	cr_assert(got >= c->path && got <= c->path + strlen(c->path),
		  "basename of '%s' does not point into it", c->path);
}

struct match_name_case {
	unsigned int match;
	const char *want;
};

static const struct match_name_case match_name_cases[] = {
	/* every kind */
	{ SW_MATCH_NONE, "none" },
	{ SW_MATCH_BINARY, "binary" },
	{ SW_MATCH_INVOKED, "invoked_name" },
	{ SW_MATCH_APPLET, "applet" },
	{ SW_MATCH_ARGV0, "argv0" },
	{ SW_MATCH_CONTENT, "content" },
	{ SW_MATCH_LOADER, "loader" },
	/* undecided is no match */
	{ SW_MATCH_CANDIDATE, "none" },
	/* out of range */
	{ SW_MATCH_CANDIDATE + 1, "none" },
	{ 255, "none" },
	{ 0xffffffffU, "none" },
};

ParameterizedTestParameters(classify, match_name)
{
	return sw_rows(ARRAY_SIZE(match_name_cases));
}

ParameterizedTest(int *row, classify, match_name)
{
	const struct match_name_case *c = &match_name_cases[*row];
	const char *got = classify_match_name(c->match);

	cr_assert_not_null(got, "match %u: NULL name", c->match);
	cr_assert_str_eq(got, c->want, "match %u: name '%s', want '%s'",
			 c->match, got, c->want);
}
