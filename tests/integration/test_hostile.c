// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attacker-controlled bytes through the real sensor: names, argv and paths
 * with newlines, quotes, backslashes, control bytes, escape sequences,
 * invalid UTF-8 and 255-byte names come out as valid JSON lines whose
 * strings decode to the input (invalid UTF-8 replaced by U+FFFD).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "sw_assert.h"
#include "sw_run.h"
#include "sw_runtime.h"

#define WAIT_MS	5000

struct hostile {
	const char *what;
	const char *arg;	/* passed as an argv element */
	const char *want;	/* what it decodes to */
};

static struct hostile args_cases[] = {
	/* quotes and backslashes */
	{ "quote", "a\"b", "a\"b" },
	{ "backslash", "a\\b\\", "a\\b\\" },
	{ "fake field", "\",\"type\":\"stop", "\",\"type\":\"stop" },
	/* line breaks and control bytes */
	{ "newline", "line1\nline2", "line1\nline2" },
	{ "fake record", "x\n{\"type\":\"exec\"}\n", "x\n{\"type\":\"exec\"}\n" },
	{ "carriage return", "a\rb", "a\rb" },
	{ "control bytes", "\x01\x02\x1f\x7f", "\x01\x02\x1f\x7f" },
	{ "escape sequence", "\x1b[31mred\x1b[0m", "\x1b[31mred\x1b[0m" },
	/* invalid UTF-8 */
	{ "lone 0xff", "\xff", "\xef\xbf\xbd" },
	{ "overlong slash", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "cut sequence", "a\xe2\x82", "a\xef\xbf\xbd" },
	{ "surrogate", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	/* valid multi-byte and separators */
	{ "utf-8", "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\x9a", "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x90\x9a" },
	{ "line separator", "a\xe2\x80\xa8" "b", "a\xe2\x80\xa8" "b" },
};

ParameterizedTestParameters(hostile, argv_element)
{
	return cr_make_param_array(struct hostile, args_cases,
				   sizeof(args_cases) / sizeof(args_cases[0]));
}

ParameterizedTest(struct hostile *c, hostile, argv_element)
{
	const char *argv[] = { "bash", "-c", "exit 0", c->arg, NULL };
	const struct jv *rec, *args;
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, NULL);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	sw_wait(pid);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "%s: no exec record", c->what);
	args = jv_get(rec, "process.command_args");
	cr_assert_eq(jv_len(args), 4, "%s: %zu args, want 4", c->what,
		     jv_len(args));
	cr_assert_eq(jv_strlen(jv_at(args, 3)), strlen(c->want),
		     "%s: decoded length %zu, want %zu", c->what,
		     jv_strlen(jv_at(args, 3)), strlen(c->want));
	cr_assert(!memcmp(jv_str(jv_at(args, 3)), c->want, strlen(c->want)),
		  "%s: decoded bytes differ", c->what);
	sw_run_stop(&r);
	/* nothing the argument says adds a record: one exec, one stop */
	cr_assert_eq(sw_run_count_exec(&r, pid), 1, "%s", c->what);
	sw_assert_str(r.recs[r.nrecs - 1], "type", "stop", c->what);
	sw_run_free(&r);
}

Test(hostile, long_argv_is_truncated_and_flagged)
{
	static char big[3][2048];
	const char *argv[] = { "bash", "-c", "exit 0", big[0], big[1], big[2], NULL };
	const struct jv *rec, *trunc;
	struct sw_run r;
	bool flagged = false;
	size_t i;
	pid_t pid;

	for (i = 0; i < 3; i++) {
		memset(big[i], 'a' + i, sizeof(big[i]) - 1);
		big[i][sizeof(big[i]) - 1] = '\0';
	}
	sw_run_start(&r, NULL);
	pid = sw_spawn("/bin/bash", (char *const *)argv);
	sw_wait(pid);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec);
	trunc = jv_get(rec, "truncated");
	for (i = 0; i < jv_len(trunc); i++)
		flagged |= !strcmp(jv_str(jv_at(trunc, i)), "process.command_args");
	cr_assert(flagged, "6 KiB of argv was not flagged as truncated");
	sw_assert_num(rec, "process.args_count", 6, "argc is the real count");
	cr_assert_str_eq(jv_str(jv_at(jv_get(rec, "process.command_args"), 3)),
			 big[0], "the first long argument is whole");
	sw_run_stop(&r);
	sw_run_free(&r);
}

/* exec bash through a symlink named name, from a directory named dir */
static void run_named(const char *dirname, const char *name,
		      const char *want_name)
{
	static char *const argv[] = { "x", "-c", "exit 0", NULL };
	static char *const envp[] = { "PATH=/bin", NULL };
	char base[64], dir[1024], link[PATH_MAX];
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	snprintf(base, sizeof(base), "/tmp/shellwatch-hostile-XXXXXX");
	cr_assert_not_null(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/%s", base, dirname);
	cr_assert_eq(mkdir(dir, 0755), 0, "mkdir: %s", strerror(errno));
	snprintf(link, sizeof(link), "%s/%s", dir, name);
	cr_assert_eq(symlink("/bin/bash", link), 0, "symlink: %s", strerror(errno));

	sw_run_start(&r, NULL);
	pid = fork();
	if (!pid) {
		if (chdir(dir))
			_exit(126);
		execve(link, argv, envp);
		_exit(127);
	}
	cr_assert_eq(WEXITSTATUS(sw_wait(pid)), 0);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for a bash named %s", want_name);
	sw_assert_str(rec, "process.executable.name", want_name, "hostile name");
	sw_assert_str(rec, "process.invoked.path", link, "hostile path");
	sw_assert_str(rec, "process.working_directory", dir, "hostile cwd");
	sw_assert_str(rec, "shell.name", "bash", "hostile name");
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink(link);
	rmdir(dir);
	rmdir(base);
}

Test(hostile, names_and_paths)
{
	run_named("dir \"with\"\nnewline\\", "evil\"name\n\x1b[2J",
		  "evil\"name\n\x1b[2J");
}

Test(hostile, name_of_255_bytes)
{
	char name[256];

	memset(name, 'n', 255);
	name[255] = '\0';
	run_named("d", name, name);
}

/*
 * Inside a pod's container (runc): a busybox copy named sh in a hostile
 * directory, run through a link with a hostile name, is reported with the
 * container's own paths (busybox then refuses the unknown applet name)
 */
Test(hostile, renamed_copy_in_a_container, .timeout = 60,
     .fini = sw_ctr_cleanup)
{
	static const char dirname[] = "dir \"with\"\nnewline\\";
	static const char name[] = "kworker\"0\n\x1b[2J";
	static const char *const main_argv[] = {
		"/bin/sh", "-c", "sleep 600; exit 0", NULL,
	};
	const char *const argv[] = {
		"/bin/sh", "-c",
		"mkdir -p \"/tmp/$1\" && cp /bin/busybox \"/tmp/$1/sh\" && "
		"cd \"/tmp/$1\" && ln -s sh \"$2\" && "
		"\"./$2\" -c ': hostile-in-pod'; exit 0",
		"x", dirname, name, NULL,
	};
	char cg[256], cid[65], want[256], path[256], cwd[256];
	const struct jv *rec;
	struct sw_ctr *ctr;
	struct sw_run r;
	int status;

	sw_require_bpf();
	sw_rt_require(SW_RUNC);
	sw_random_id(cid);
	snprintf(cg, sizeof(cg),
		 "kubepods/besteffort/pod4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9/%s",
		 cid);
	sw_run_start(&r, NULL);
	ctr = sw_ctr_start(SW_RUNC, cg, cid, main_argv);
	status = sw_ctr_exec(ctr, argv);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "runc exec failed (status %d)", status);
	snprintf(want, sizeof(want), "./%s -c : hostile-in-pod", name);
	rec = sw_run_wait_where(&r, "exec", "process.command_line", want, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for the renamed copy");
	snprintf(cwd, sizeof(cwd), "/tmp/%s", dirname);
	snprintf(path, sizeof(path), "/tmp/%s/sh", dirname);
	sw_assert_str(rec, "process.executable.name", name, "renamed copy");
	sw_assert_str(rec, "process.executable.path", path, "renamed copy");
	sw_assert_str(rec, "process.working_directory", cwd, "renamed copy");
	sw_assert_str(rec, "shell.name", "sh", "renamed copy");
	sw_assert_str(rec, "shell.matched_by", "binary", "renamed copy");
	sw_assert_str(rec, "scope", "pod", "renamed copy");
	sw_assert_str(rec, "container.id", cid, "renamed copy");
	sw_assert_str(rec, "entry", "spawned", "renamed copy");
	sw_ctr_remove(ctr);
	sw_run_stop(&r);
	/* nothing the names say adds a record: valid lines, one stop last */
	sw_assert_str(r.recs[r.nrecs - 1], "type", "stop", "renamed copy");
	sw_run_free(&r);
}
