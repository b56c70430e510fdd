// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User and group names as the watched process sees them: a shell in a
 * real runc container, run as uid 1234, is named from the container's own
 * /etc/passwd and /etc/group; host shells from the host's. A container
 * whose passwd points elsewhere (a host path by absolute or relative
 * symlink, a /proc file, a FIFO) leaks nothing and stalls nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
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

#define WAIT_MS		5000
#define CTR_UID		1234
/* a line that must never be read: the host's, or the /proc file's */
#define LEAK_LINE	"leaked-user:x:1234:1234::/:/bin/sh\n"

/* the field at dotted is absent */
/* process.owner and equal real ids are in --fields full records only */
static const char *const full_fields[] = { "--fields", "full", NULL };

static void assert_absent(const struct jv *rec, const char *dotted,
			  const char *what)
{
	cr_assert_null(jv_get(rec, dotted), "%s: %s is present", what, dotted);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert_eq(fclose(f), 0, "%s: %s", path, strerror(errno));
}

static void make_link(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(symlink(target, path), 0, "symlink %s: %s", path,
		     strerror(errno));
}

/* what the container's /etc holds */
enum etc_kind { ETC_NAMES, ETC_HOST_ABS, ETC_HOST_REL, ETC_PROC, ETC_FIFO };

struct etc_case {
	const char *what;
	enum etc_kind kind;
	const char *user;	/* process.user.name wanted; NULL: absent */
	const char *group;	/* process.group.name wanted; NULL: absent */
};

static struct etc_case etc_cases[] = {
	{ "the container's names", ETC_NAMES, "podman-user", "podman-group" },
	/* passwd pointing out of the container */
	{ "absolute symlink to a host file", ETC_HOST_ABS, NULL, NULL },
	{ "relative symlink climbing out", ETC_HOST_REL, NULL, NULL },
	{ "symlink to /proc/1/environ", ETC_PROC, NULL, NULL },
	/* passwd that would block a reader */
	{ "a FIFO", ETC_FIFO, NULL, NULL },
};

ParameterizedTestParameters(users, container_passwd)
{
	return cr_make_param_array(struct etc_case, etc_cases,
				   sizeof(etc_cases) / sizeof(etc_cases[0]));
}

ParameterizedTest(struct etc_case *c, users, container_passwd, .timeout = 60,
		  .fini = sw_ctr_cleanup)
{
	static const char *const main_argv[] = { "/bin/sh", "-c", "sleep 3; :",
						  NULL };
	char etc[] = "/tmp/sw-etc-XXXXXX", host[] = "/tmp/sw-host-XXXXXX";
	char target[PATH_MAX], cg[256], path[PATH_MAX];
	struct sw_ctr_opts o = { .uid = CTR_UID };
	const struct jv *rec;
	struct sw_ctr *ctr;
	struct sw_run r;

	sw_require_bpf();
	sw_rt_require(SW_RUNC);
	cr_assert_not_null(mkdtemp(etc), "mkdtemp: %s", strerror(errno));
	cr_assert_not_null(mkdtemp(host), "mkdtemp: %s", strerror(errno));
	chmod(etc, 0755);
	/* a host file the sensor must never read for the container */
	write_file(host, "passwd", LEAK_LINE);
	write_file(etc, "group", "root:x:0:\npodman-group:x:1234:\n");
	switch (c->kind) {
	case ETC_NAMES:
		write_file(etc, "passwd", "root:x:0:0:root:/root:/bin/sh\n"
			   "podman-user:x:1234:1234::/:/bin/sh\n");
		break;
	case ETC_HOST_ABS:
		snprintf(target, sizeof(target), "%s/passwd", host);
		make_link(etc, "passwd", target);
		snprintf(path, sizeof(path), "%s/group", etc);
		unlink(path);
		make_link(etc, "group", target);
		break;
	case ETC_HOST_REL:
		snprintf(target, sizeof(target), "../../../../../../..%s/passwd",
			 host);
		make_link(etc, "passwd", target);
		break;
	case ETC_PROC:
		/* the container's first process carries the line in its
		 * environment: a reader of /proc/1/environ would find it */
		o.env = "SW_LINE=\n" LEAK_LINE;
		make_link(etc, "passwd", "/proc/1/environ");
		break;
	case ETC_FIFO:
		/* made once the container runs: runc itself would block on
		 * it; the sensor, started then, meets it in its scan */
		break;
	}
	o.etc = etc;
	snprintf(cg, sizeof(cg), "sw-users-%d", getpid());

	if (c->kind == ETC_FIFO) {
		ctr = sw_ctr_start_opts(SW_RUNC, cg, NULL, main_argv, &o);
		snprintf(path, sizeof(path), "%s/passwd", etc);
		cr_assert_eq(mkfifo(path, 0644), 0, "mkfifo: %s", strerror(errno));
		sw_run_start(&r, full_fields);
	} else {
		sw_run_start(&r, full_fields);
		ctr = sw_ctr_start_opts(SW_RUNC, cg, NULL, main_argv, &o);
	}
	rec = sw_run_wait_exec(&r, ctr->pid, WAIT_MS);
	cr_assert_not_null(rec, "%s: no exec record for the container's shell "
			   "(pid %d) within %d ms", c->what, ctr->pid, WAIT_MS);
	sw_assert_num(rec, "process.user.id", CTR_UID, c->what);
	if (c->user) {
		sw_assert_str(rec, "process.user.name", c->user, c->what);
		sw_assert_str(rec, "process.real_user.name", c->user, c->what);
		sw_assert_str(rec, "process.owner", c->user, c->what);
	} else {
		assert_absent(rec, "process.user.name", c->what);
		sw_assert_str(rec, "process.owner", "1234", c->what);
	}
	if (c->group)
		sw_assert_str(rec, "process.group.name", c->group, c->what);
	else if (c->kind == ETC_HOST_ABS)
		assert_absent(rec, "process.group.name", c->what);
	/* nothing of the host file anywhere in the output */
	sw_run_stop(&r);
	cr_assert_null(strstr(r.text, "leaked-user"), "%s: a name from outside the "
		       "container reached the output", c->what);
	sw_assert_str(r.recs[r.nrecs - 1], "type", "stop", c->what);
	sw_ctr_remove(ctr);
	sw_run_free(&r);
	snprintf(path, sizeof(path), "%s/passwd", host);
	unlink(path);
	rmdir(host);
	snprintf(path, sizeof(path), "%s/passwd", etc);
	unlink(path);
	snprintf(path, sizeof(path), "%s/group", etc);
	unlink(path);
	rmdir(etc);
}

/* a host shell as uid; its exec record */
static const struct jv *host_shell(struct sw_run *r, uid_t uid)
{
	const struct jv *rec;
	pid_t pid = fork();
	int status;

	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (!pid) {
		if (setgid(uid) || setuid(uid))
			_exit(126);
		execl("/bin/sh", "sh", "-c", "exit 0", (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "host shell as uid %u: status %d", (unsigned int)uid, status);
	rec = sw_run_wait_exec(r, pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for the host shell as uid %u",
			   (unsigned int)uid);
	return rec;
}

/* host shells keep the host's names, whatever a container said of the
 * same uid just before */
Test(users, host_names_stay_the_hosts, .timeout = 60, .fini = sw_ctr_cleanup)
{
	static const char *const main_argv[] = { "/bin/sh", "-c", "sleep 3; :",
						  NULL };
	char etc[] = "/tmp/sw-etc-XXXXXX", cg[64], path[PATH_MAX];
	struct sw_ctr_opts o = { .uid = CTR_UID };
	const struct jv *rec;
	struct sw_ctr *ctr;
	struct sw_run r;

	sw_require_bpf();
	sw_rt_require(SW_RUNC);
	cr_assert(!getpwuid(CTR_UID), "the host names uid %d: pick another",
		  CTR_UID);
	cr_assert_not_null(mkdtemp(etc));
	chmod(etc, 0755);
	write_file(etc, "passwd", "root:x:0:0:root:/root:/bin/sh\n"
		   "podman-user:x:1234:1234::/:/bin/sh\n");
	write_file(etc, "group", "root:x:0:\n");
	o.etc = etc;
	snprintf(cg, sizeof(cg), "sw-users-host-%d", getpid());
	sw_run_start(&r, full_fields);
	ctr = sw_ctr_start_opts(SW_RUNC, cg, NULL, main_argv, &o);
	rec = sw_run_wait_exec(&r, ctr->pid, WAIT_MS);
	cr_assert_not_null(rec, "no exec record for the container's shell");
	sw_assert_str(rec, "process.user.name", "podman-user", "container");
	rec = host_shell(&r, CTR_UID);
	assert_absent(rec, "process.user.name", "host uid 1234");
	sw_assert_str(rec, "process.owner", "1234", "host uid 1234");
	rec = host_shell(&r, 0);
	sw_assert_str(rec, "process.user.name", "root", "host root");
	sw_assert_str(rec, "process.group.name", "root", "host root");
	sw_ctr_remove(ctr);
	sw_run_stop(&r);
	sw_run_free(&r);
	snprintf(path, sizeof(path), "%s/passwd", etc);
	unlink(path);
	snprintf(path, sizeof(path), "%s/group", etc);
	unlink(path);
	rmdir(etc);
}
