// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A process in a pod tries to pass for another pod: cgroups below its own
 * container named like the other pod's, and log links naming its
 * container as the other pod's. The real sensor must attribute each shell
 * to its real pod, and the other pod's allowlist rules must not apply.
 * An unprivileged user in mount namespaces of its own makes paths read
 * like the host's: their records say whose view they are, and host-path
 * rules hold only in the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_cgroup.h"
#include "sw_run.h"

#define WAIT_MS		5000
/* pod A: the attacker's, shop/web-5d8f, container app */
#define CID_A	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID_A	"4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9"
#define UID_A_	"4f6e2a1b_9c8d_4e7f_a6b5_c4d3e2f1a0b9"
/* pod B: the allowed one, ci/runner-7, container job */
#define CID_B	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define UID_B	"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
#define UID_B_	"9f8e7d6c_5b4a_4392_8170_6f5e4d3c2b1a"

/* a second container of pod A */
#define CID_C	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

#define KPB		"kubepods.slice/kubepods-burstable.slice"
#define POD_A		KPB "/kubepods-burstable-pod" UID_A_ ".slice/cri-containerd-" CID_A ".scope"
#define POD_B		KPB "/kubepods-burstable-pod" UID_B_ ".slice/cri-containerd-" CID_B ".scope"
#define POD_B_FS	"kubepods/burstable/pod" UID_B "/" CID_B

static const char rules[] =
	"rules:\n"
	"  - name: allow-ci-job\n"
	"    match:\n"
	"      k8s.namespace.name: ci\n"
	"      k8s.container.name: job\n"
	"  - name: allow-ci-pod\n"
	"    match:\n"
	"      k8s.pod.uid: \"" UID_B "\"\n"
	"  - name: allow-ci-container\n"
	"    match:\n"
	"      container.id: \"" CID_B "\"\n";

struct fx {
	char base[PATH_MAX];
	char root[64];
	char logs[64];
	char rules[96];
	struct sw_tree tree;
};

static void fx_start(struct fx *f, bool v1)
{
	FILE *fp;

	sw_require_bpf();
	memset(f, 0, sizeof(*f));
	sw_own_cgroup(v1, f->base, sizeof(f->base));
	snprintf(f->root, sizeof(f->root), "sw-forge-%d", getpid());
	snprintf(f->logs, sizeof(f->logs), "/tmp/shellwatch-forge-XXXXXX");
	cr_assert_not_null(mkdtemp(f->logs), "mkdtemp: %s", strerror(errno));
	snprintf(f->rules, sizeof(f->rules), "%s/rules.yaml", f->logs);
	fp = fopen(f->rules, "w");
	cr_assert_not_null(fp);
	fputs(rules, fp);
	fclose(fp);
}

static void fx_end(struct fx *f)
{
	sw_remove_tree(&f->tree);
	sw_remove_dir(f->logs);
}

/* make root/rel; its directory to dir, which holds PATH_MAX bytes */
static void fx_cgroup(struct fx *f, const char *rel, char *dir)
{
	char path[PATH_MAX];

	cr_assert_lt((size_t)snprintf(path, sizeof(path), "%s/%s", f->root,
				      rel), sizeof(path));
	sw_make_tree(f->base, path, &f->tree);
	cr_assert_lt((size_t)snprintf(dir, PATH_MAX, "%s/%s", f->base, path),
		     PATH_MAX, "path too long: %s", path);
}

/* run sh -c 'exit 0' in cgroup dir, reaped; its pid */
static pid_t shell_in(const char *dir, const char *what)
{
	static char *const argv[] = { "sh", "-c", "exit 0", NULL };
	pid_t pid = sw_spawn_in(dir, "/bin/sh", argv);
	int status = sw_wait(pid);

	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "%s: the shell did not run in %s (status %d)", what, dir,
		  status);
	return pid;
}

static void assert_null(const struct jv *rec, const char *field,
			const char *ctx)
{
	sw_assert_none(rec, field, ctx);
}

/*
 * the parent's view and mount namespace: compact records say them only
 * when they are not the process's own
 */
static bool parent_host_view(const struct jv *rec)
{
	if (jv_get(rec, "process.parent.host_view"))
		return sw_field_bool(rec, "process.parent.host_view");
	cr_assert_null(jv_get(rec, "process.parent.namespace"),
		       "process.parent.namespace without parent.host_view");
	return sw_field_bool(rec, "process.host_view");
}

static double parent_mntns(const struct jv *rec)
{
	if (jv_get(rec, "process.parent.namespace.mnt"))
		return sw_field_num(rec, "process.parent.namespace.mnt");
	return sw_field_num(rec, "process.namespace.mnt");
}

/* the record is pod A's shell, reported, not suppressed */
static void assert_pod_a(const struct jv *rec, bool named, const char *ctx)
{
	cr_assert_not_null(rec, "%s: no exec record", ctx);
	sw_assert_str(rec, "scope", "pod", ctx);
	sw_assert_str(rec, "k8s.pod.uid", UID_A, ctx);
	sw_assert_str(rec, "container.id", CID_A, ctx);
	if (named) {
		sw_assert_str(rec, "k8s.namespace.name", "shop", ctx);
		sw_assert_str(rec, "k8s.pod.name", "web-5d8f", ctx);
		sw_assert_str(rec, "k8s.container.name", "app", ctx);
		sw_assert_str(rec, "k8s.names_status", "log_link", ctx);
	} else {
		assert_null(rec, "k8s.namespace.name", ctx);
		assert_null(rec, "k8s.pod.name", ctx);
		assert_null(rec, "k8s.container.name", ctx);
	}
	cr_assert_null(jv_get(rec, "suppressed_by"),
		       "%s: suppressed by %s", ctx,
		       jv_get(rec, "suppressed_by") ?
		       sw_field_str(rec, "suppressed_by") : "");
	cr_assert_eq(jv_type(jv_get(rec, "detection")), JV_OBJECT,
		     "%s: no detection", ctx);
}

/*
 * pod A's container makes cgroups below its own, shaped as pod B's (both
 * drivers), and runs shells there; pod B's real cgroup is the control
 */
Test(forgery, nested_cgroups_keep_the_real_pod, .timeout = 60)
{
	const char *args[7];
	char real_b[PATH_MAX], nested[3][PATH_MAX];
	static const char *const what[] = {
		"pod B's systemd path below pod A's container",
		"pod B's cgroupfs path below pod A's container",
		"pod B's container scope right below pod A's",
	};
	const struct jv *rec;
	struct sw_run r;
	struct fx f;
	pid_t pid;
	int i;

	fx_start(&f, false);
	sw_log_link(f.logs, "web-5d8f", "shop", UID_A, "app", CID_A);
	sw_log_link(f.logs, "runner-7", "ci", UID_B, "job", CID_B);
	fx_cgroup(&f, POD_B, real_b);
	fx_cgroup(&f, POD_A "/" POD_B, nested[0]);
	fx_cgroup(&f, POD_A "/sub/" POD_B_FS, nested[1]);
	fx_cgroup(&f, POD_A "/cri-containerd-" CID_B ".scope", nested[2]);
	args[0] = "--no-scan";
	args[1] = "--log-dir";
	args[2] = f.logs;
	args[3] = "--rules";
	args[4] = f.rules;
	args[5] = "--show-suppressed";
	args[6] = NULL;
	sw_run_start(&r, args);

	/* the control: pod B's own shell is allowed by its rule */
	pid = shell_in(real_b, "pod B");
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "pod B: no exec record");
	sw_assert_str(rec, "k8s.pod.uid", UID_B, "pod B");
	sw_assert_str(rec, "suppressed_by", "allow-ci-job", "pod B");

	for (i = 0; i < 3; i++) {
		pid = shell_in(nested[i], what[i]);
		assert_pod_a(sw_run_wait_exec(&r, pid, WAIT_MS), true, what[i]);
	}
	sw_run_stop(&r);
	sw_run_free(&r);
	fx_end(&f);
}

/* the same below a v1 controller's cgroup, on a hybrid host */
Test(forgery, nested_cgroups_v1, .timeout = 60)
{
	const char *args[] = { "--no-scan", NULL, NULL, NULL, NULL, NULL };
	char dir[PATH_MAX];
	struct sw_run r;
	struct fx f;
	pid_t pid;

	fx_start(&f, true);
	args[1] = "--log-dir";
	args[2] = f.logs;
	args[3] = "--rules";
	args[4] = f.rules;
	sw_log_link(f.logs, "web-5d8f", "shop", UID_A, "app", CID_A);
	sw_log_link(f.logs, "runner-7", "ci", UID_B, "job", CID_B);
	fx_cgroup(&f, "kubepods/burstable/pod" UID_A "/" CID_A "/" POD_B_FS, dir);
	sw_run_start(&r, args);
	pid = shell_in(dir, "v1");
	assert_pod_a(sw_run_wait_exec(&r, pid, WAIT_MS), true,
		     "pod B's path below pod A's container, v1 memory");
	sw_run_stop(&r);
	sw_run_free(&r);
	fx_end(&f);
}

/* the log_links counters of the last stats record */
static double links_stat(struct sw_run *r, const char *key)
{
	const struct jv *st = NULL;
	char field[64];
	size_t i;

	for (i = 0; i < r->nrecs; i++)
		if (!strcmp(sw_field_str(r->recs[i], "type"), "stats"))
			st = r->recs[i];
	cr_assert_not_null(st, "no stats record");
	snprintf(field, sizeof(field), "stats.log_links.%s", key);
	return sw_field_num(st, field);
}

/*
 * forged links for pod A's container: a second link naming it pod B's
 * (with B's pod directory, then with A's uid in B's name), and a link for
 * a container id that has no link yet, pointing into pod B's directory
 */
Test(forgery, log_links_do_not_rename, .timeout = 60)
{
	const char *args[] = { "--no-scan", "--log-dir", NULL, "--rules", NULL,
			       NULL };
	char dir_a[PATH_MAX], dir_c[PATH_MAX];
	const struct jv *rec;
	struct sw_run r;
	struct fx f;
	pid_t pid;

	fx_start(&f, false);
	args[2] = f.logs;
	args[4] = f.rules;
	sw_log_link(f.logs, "web-5d8f", "shop", UID_A, "app", CID_A);
	fx_cgroup(&f, POD_A, dir_a);
	/* another container of pod A, whose only link is forged */
	fx_cgroup(&f, KPB "/kubepods-burstable-pod" UID_A_
		  ".slice/cri-containerd-" CID_C ".scope", dir_c);
	sw_run_start(&r, args);

	/* forged while the sensor runs: seen through inotify */
	sw_log_link(f.logs, "runner-7", "ci", UID_B, "job", CID_A);
	sw_log_link(f.logs, "runner-8", "ci", UID_A, "job", CID_A);
	/* pod A's second container linked as pod B's */
	sw_log_link(f.logs, "runner-7", "ci", UID_B, "job", CID_C);

	pid = shell_in(dir_a, "forged second links");
	assert_pod_a(sw_run_wait_exec(&r, pid, WAIT_MS), true,
		     "forged second links");

	pid = shell_in(dir_c, "link with another pod's uid");
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "link with another pod's uid: no record");
	sw_assert_str(rec, "k8s.pod.uid", UID_A, "uid mismatch");
	sw_assert_str(rec, "container.id", CID_C, "uid mismatch");
	sw_assert_str(rec, "k8s.names_status", "pod_uid_mismatch",
		      "uid mismatch");
	assert_null(rec, "k8s.namespace.name", "uid mismatch");
	assert_null(rec, "k8s.container.name", "uid mismatch");
	cr_assert_null(jv_get(rec, "suppressed_by"), "uid mismatch: suppressed");

	sw_run_stop(&r);
	cr_assert_eq(links_stat(&r, "conflicts"), 2,
		     "conflicts %g, want 2 (the two second links of CID_A)",
		     links_stat(&r, "conflicts"));
	cr_assert_eq(links_stat(&r, "names_refused"), 1,
		     "names_refused %g, want 1", links_stat(&r, "names_refused"));
	cr_assert_eq(links_stat(&r, "indexed"), 2, "indexed %g, want 2",
		     links_stat(&r, "indexed"));
	cr_assert_not_null(strstr(sw_run_stderr(&r), "links not indexed"),
			   "no warning about refused links: %s",
			   sw_run_stderr(&r));
	sw_run_free(&r);
	fx_end(&f);
}

/* a forged link that came first holds the id, and still renames nothing */
Test(forgery, forged_link_first, .timeout = 60)
{
	const char *args[] = { "--no-scan", "--log-dir", NULL, "--rules", NULL,
			       NULL };
	char dir_a[PATH_MAX];
	const struct jv *rec;
	struct sw_run r;
	struct fx f;
	pid_t pid;

	fx_start(&f, false);
	args[2] = f.logs;
	args[4] = f.rules;
	sw_log_link(f.logs, "runner-7", "ci", UID_B, "job", CID_A);
	fx_cgroup(&f, POD_A, dir_a);
	sw_run_start(&r, args);
	/* the kubelet's real link comes after: a conflict */
	sw_log_link(f.logs, "web-5d8f", "shop", UID_A, "app", CID_A);
	pid = shell_in(dir_a, "forged first");
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	assert_pod_a(rec, false, "forged first");
	sw_assert_str(rec, "k8s.names_status", "pod_uid_mismatch",
		      "forged first");
	sw_run_stop(&r);
	sw_run_free(&r);
	fx_end(&f);
}

/* the exec records of container id cid read so far, up to max */
static size_t execs_of(struct sw_run *r, const char *cid,
		       const struct jv **out, size_t max)
{
	const struct jv *v;
	size_t i, n = 0;

	for (i = 0; i < r->nrecs && n < max; i++) {
		if (strcmp(sw_field_str(r->recs[i], "type"), "exec"))
			continue;
		v = jv_get(r->recs[i], "container.id");
		if (v && jv_type(v) == JV_STRING && !strcmp(jv_str(v), cid))
			out[n++] = r->recs[i];
	}
	return n;
}

/*
 * a container's first process is pid 1 of a namespace made by its
 * runtime: container-main. Inside it, unshare -fp makes a shell pid 1 of
 * a namespace of its own: that one is spawned.
 */
Test(forgery, unshare_pid_namespace_is_not_container_main, .timeout = 60)
{
	const char *args[] = { "--no-scan", NULL };
	const struct jv *recs[4];
	char dir[PATH_MAX], procs[PATH_MAX + 16];
	struct sw_run r;
	struct fx f;
	int status, i, fd;
	size_t n = 0;
	pid_t pid;

	fx_start(&f, false);
	fx_cgroup(&f, POD_A, dir);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	sw_run_start(&r, args);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		static char *const argv[] = {
			"sh", "-c", "/usr/bin/unshare -fp /bin/sh -c 'exit 0'",
			NULL,
		};
		pid_t main_pid;

		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1 ||
		    unshare(CLONE_NEWPID))
			_exit(126);
		/* the runtime's part: its child is pid 1 of the new namespace */
		main_pid = fork();
		if (!main_pid) {
			execv("/bin/sh", argv);
			_exit(127);
		}
		_exit(waitpid(main_pid, &status, 0) == main_pid &&
		      WIFEXITED(status) ? WEXITSTATUS(status) : 125);
	}
	status = sw_wait(pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "the container did not run (status %d)", status);
	for (i = 0; i < 500 && n < 2; i++) {
		sw_run_read(&r);
		n = execs_of(&r, CID_A, recs, 4);
		if (n < 2)
			usleep(10000);
	}
	cr_assert_eq(n, 2, "%zu exec records in the container, want 2", n);
	for (i = 0; i < 2; i++) {
		const char *parent =
			sw_field_str(recs[i], "process.parent.executable.name");
		bool nested = !strcmp(parent, "unshare");

		sw_assert_num(recs[i], "process.vpid", 1, parent);
		sw_assert_str(recs[i], "entry",
			      nested ? "spawned" : "container-main",
			      nested ? "pid 1 of unshare -fp" : "container main");
	}
	cr_assert_str_neq(sw_field_str(recs[0], "process.parent.executable.name"),
			  sw_field_str(recs[1], "process.parent.executable.name"),
			  "both shells have the same parent");
	sw_run_stop(&r);
	sw_run_free(&r);
	fx_end(&f);
}

/*
 * pod A's container nests cgroups below its own, deeper than the kernel
 * walks (32 levels) or longer (1024 bytes): the path keeps its top, the
 * pod and the container, and is cut below them, so the shell stays pod A's
 */
Test(forgery, deep_cgroups_keep_the_pod, .timeout = 60)
{
	const char *args[] = { "--no-scan", NULL, NULL, NULL, NULL, NULL };
	static const char *const what[] = {
		"40 levels below pod A's container",
		"6 levels of 200-byte names below pod A's container",
	};
	char rel[2][PATH_MAX], dir[PATH_MAX], name[201];
	const struct jv *rec, *trunc;
	const char *path;
	struct sw_run r;
	struct fx f;
	size_t i, j, len;
	bool listed;
	pid_t pid;
	int k;

	fx_start(&f, false);
	args[1] = "--log-dir";
	args[2] = f.logs;
	args[3] = "--rules";
	args[4] = f.rules;
	sw_log_link(f.logs, "web-5d8f", "shop", UID_A, "app", CID_A);
	sw_log_link(f.logs, "runner-7", "ci", UID_B, "job", CID_B);
	/* below the container: pod B's shape, then the depth or the bytes */
	snprintf(rel[0], sizeof(rel[0]), "%s/%s", POD_A, POD_B);
	for (k = 0; k < 40; k++)
		strcat(rel[0], "/d");
	memset(name, 'x', 200);
	name[200] = '\0';
	snprintf(rel[1], sizeof(rel[1]), "%s/%s", POD_A, POD_B);
	for (k = 0; k < 6; k++) {
		name[0] = 'a' + k;
		strcat(rel[1], "/");
		strcat(rel[1], name);
	}
	sw_run_start(&r, args);
	for (i = 0; i < 2; i++) {
		fx_cgroup(&f, rel[i], dir);
		pid = shell_in(dir, what[i]);
		rec = sw_run_wait_exec(&r, pid, WAIT_MS);
		assert_pod_a(rec, true, what[i]);
		path = sw_field_str(rec, "cgroup.path");
		len = strlen(path);
		cr_assert(len > 4 && !strcmp(path + len - 4, "/..."),
			  "%s: cgroup.path does not end in /... (cut below): %s",
			  what[i], path);
		cr_assert_not_null(strstr(path, "cri-containerd-" CID_A ".scope"),
				   "%s: cgroup.path lost pod A's container: %s",
				   what[i], path);
		cr_assert_leq(len, 1024 + 8, "%s: cgroup.path of %zu bytes", what[i],
			      len);
		trunc = jv_get(rec, "truncated");
		listed = false;
		for (j = 0; j < jv_len(trunc); j++)
			listed |= !strcmp(jv_str(jv_at(trunc, j)), "cgroup.path");
		cr_assert(listed, "%s: truncated does not list cgroup.path", what[i]);
	}
	sw_run_stop(&r);
	sw_run_free(&r);
	fx_end(&f);
}

/* a host directory that an unprivileged user in its own namespaces hides */
struct view_fx {
	char dir[64];		/* the host directory, readable by all */
	char bin[96];		/* dir/bin: where the launcher lives */
	char launcher[128];	/* bin/launcher: the rule's host path */
	char rules[128];
};

/* a copy of timeout(1): it forks, and its child execs the command */
static void view_start(struct view_fx *v)
{
	char cmd[512];
	FILE *fp;

	sw_require_bpf();
	snprintf(v->dir, sizeof(v->dir), "/tmp/shellwatch-view-XXXXXX");
	cr_assert_not_null(mkdtemp(v->dir), "mkdtemp: %s", strerror(errno));
	snprintf(v->bin, sizeof(v->bin), "%s/bin", v->dir);
	snprintf(v->launcher, sizeof(v->launcher), "%s/launcher", v->bin);
	snprintf(v->rules, sizeof(v->rules), "%s/rules.yaml", v->dir);
	snprintf(cmd, sizeof(cmd),
		 "chmod 755 %s && mkdir -m 755 %s && cp /usr/bin/timeout %s",
		 v->dir, v->bin, v->launcher);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	fp = fopen(v->rules, "w");
	cr_assert_not_null(fp);
	/* host-scoped as written: the parent's path alone */
	fprintf(fp, "rules:\n"
		    "  - name: allow-launcher\n"
		    "    match:\n"
		    "      process.parent.executable.path: \"%s\"\n",
		v->launcher);
	fclose(fp);
}

/* run argv as nobody (setpriv), reaped; fails the test with failed unless
 * it exits 0 */
static void run_as_nobody(char *const argv[], const char *failed)
{
	char *args[16] = {
		"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
	};
	int i, status;

	for (i = 0; argv[i] && i < 11; i++)
		args[4 + i] = argv[i];
	args[4 + i] = NULL;
	status = sw_wait(sw_spawn("/usr/bin/setpriv", args));
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "%s (status %d)", failed, status);
}

/* sh -c script as nobody in user and mount namespaces of its own */
static void unshare_as_nobody(char *script)
{
	char *const argv[] = { "/usr/bin/unshare", "-Urm", "/bin/sh", "-c",
			       script, NULL };

	run_as_nobody(argv, "unshare -Urm as nobody failed");
}

/*
 * An unprivileged user with its own user and mount namespace (unshare
 * -Urm) mounts a tmpfs over a host directory and puts its own binary
 * there, at the path a host-scoped rule allows: the shell it starts is
 * reported, its parent's path is not the host's view, and the real host
 * binary at that path starting a shell is suppressed by the same rule.
 */
Test(forgery, private_mount_parent_is_not_the_host_path, .timeout = 60)
{
	const char *args[] = { "--no-scan", "--rules", NULL,
			       "--show-suppressed", NULL };
	const struct jv *real, *forged;
	struct view_fx v;
	struct sw_run r;
	char script[512];

	view_start(&v);
	args[2] = v.rules;
	sw_run_start(&r, args);

	/* the control: the host's own binary at the rule's path */
	{
		char *const argv[] = { v.launcher, "10", "/bin/sh", "-c",
				       ": real", NULL };

		run_as_nobody(argv, "the host launcher did not run");
	}
	real = sw_run_wait_where(&r, "exec", "process.command_line",
				 "/bin/sh -c : real", WAIT_MS);
	cr_assert_not_null(real, "no record of the host launcher's shell");
	sw_assert_str(real, "process.parent.executable.path", v.launcher,
		      "host launcher");
	sw_assert_str(real, "suppressed_by", "allow-launcher",
		      "the host launcher's shell");

	/* the forgery: a tmpfs over the host directory, in namespaces of its own */
	snprintf(script, sizeof(script),
		 "mount -t tmpfs forged %s && cp /usr/bin/timeout %s && "
		 "exec %s 10 /bin/sh -c ': forged'",
		 v.bin, v.launcher, v.launcher);
	unshare_as_nobody(script);
	forged = sw_run_wait_where(&r, "exec", "process.command_line",
				   "/bin/sh -c : forged", WAIT_MS);
	cr_assert_not_null(forged, "the forged launcher's shell was not reported");
	/* the path reads as the host's, its view says otherwise */
	sw_assert_str(forged, "process.parent.executable.path", v.launcher,
		      "forged launcher");
	cr_assert_null(jv_get(forged, "suppressed_by"),
		       "the forged launcher's shell was suppressed by %s",
		       jv_get(forged, "suppressed_by") ?
		       sw_field_str(forged, "suppressed_by") : "");
	cr_assert_eq(jv_type(jv_get(forged, "detection")), JV_OBJECT,
		     "the forged launcher's shell is no detection");
	/* whose views: the host's for the real one, another's for the forged */
	cr_assert(parent_host_view(real), "the host launcher is not in the host's view");
	cr_assert(!parent_host_view(forged), "the forged launcher is in the host's view");
	sw_assert_flag(forged, "process.host_view", false, "forged shell");
	cr_assert_neq(parent_mntns(forged), parent_mntns(real),
		      "the forged parent is in the host's mount namespace");
	cr_assert_neq(sw_field_num(forged, "process.namespace.mnt"),
		      sw_field_num(real, "process.namespace.mnt"),
		      "the forged shell is in the host's mount namespace");
	sw_run_stop(&r);
	sw_run_free(&r);
	sw_remove_dir(v.dir);
}

/*
 * A shell bind-mounted over a binary of another name, in a private mount
 * namespace: the walked path names the other binary, shell.name stays the
 * shell the kernel matched.
 */
Test(forgery, bind_mounted_shell_keeps_its_name, .timeout = 60)
{
	const char *args[] = { "--no-scan", NULL };
	const struct jv *rec;
	struct view_fx v;
	struct sw_run r;
	char script[512];

	view_start(&v);
	snprintf(script, sizeof(script),
		 "mount --bind /usr/bin/dash %s && exec %s -c ': bound'",
		 v.launcher, v.launcher);
	sw_run_start(&r, args);
	unshare_as_nobody(script);
	snprintf(script, sizeof(script), "%s -c : bound", v.launcher);
	rec = sw_run_wait_where(&r, "exec", "process.command_line", script,
				WAIT_MS);
	cr_assert_not_null(rec, "the bind-mounted shell was not reported");
	sw_assert_str(rec, "process.executable.path", v.launcher,
		      "bind-mounted shell");
	sw_assert_str(rec, "shell.name", "dash", "bind-mounted shell");
	sw_assert_flag(rec, "process.host_view", false, "bind-mounted shell");
	sw_run_stop(&r);
	sw_run_free(&r);
	sw_remove_dir(v.dir);
}

/* write text to path, whole; 0 or -1 */
static int put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * as nobody, in a user and mount namespace of its own: a tmpfs over /etc
 * whose passwd names nobody's uid "root", then a shell, with no shell
 * before the mount (the names of a namespace are read once); stdin is in
 * (-1: the test's), so that a shell that reads it lives until the test
 * has its record: names in its view are read through it
 */
static pid_t shell_named_root(const char *what, int in)
{
	pid_t pid = fork();

	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid)
		return pid;
	if (in >= 0 && dup2(in, STDIN_FILENO) < 0)
		_exit(126);
	/* dumpable again after setuid: its /proc/self files become its own */
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534) ||
	    prctl(PR_SET_DUMPABLE, 1) ||
	    unshare(CLONE_NEWUSER | CLONE_NEWNS) ||
	    put_file("/proc/self/setgroups", "deny") ||
	    put_file("/proc/self/uid_map", "0 65534 1\n") ||
	    put_file("/proc/self/gid_map", "0 65534 1\n") ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("forged", "/etc", "tmpfs", 0, NULL) ||
	    put_file("/etc/passwd", "root:x:65534:65534::/:/bin/sh\n") ||
	    put_file("/etc/group", "root:x:65534:\n"))
		_exit(126);
	execl("/bin/sh", "sh", "-c", what, (char *)NULL);
	_exit(127);
}

/*
 * The same for names: an unprivileged user in its own user and mount
 * namespaces writes its own /etc/passwd, and its shell reads as root on
 * the host. A rule on user names holds only in the host's view, like one
 * on paths: the host's real root is suppressed, the forged one is not.
 */
Test(forgery, private_mount_user_name_is_not_the_hosts, .timeout = 60)
{
	const char *args[] = { "--no-scan", "--rules", NULL,
			       "--show-suppressed", NULL };
	const struct jv *real, *forged;
	struct view_fx v;
	struct sw_run r;
	pid_t pid;
	int status, fds[2];
	FILE *fp;

	view_start(&v);
	fp = fopen(v.rules, "w");
	cr_assert_not_null(fp);
	fprintf(fp, "rules:\n"
		    "  - name: allow-root\n"
		    "    match:\n"
		    "      scope: host\n"
		    "      process.user.name: root\n"
		    "      process.owner: root\n"
		    "      process.real_user.name: root\n"
		    "      process.command_line: \"sh -c : named-*\"\n");
	fclose(fp);
	args[2] = v.rules;
	sw_run_start(&r, args);

	/* the control: the host's root */
	{
		char *const argv[] = { "sh", "-c", ": named-real", NULL };

		status = sw_wait(sw_spawn("/bin/sh", argv));
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			  "the host's shell failed (status %d)", status);
	}
	real = sw_run_wait_where(&r, "exec", "process.command_line",
				 "sh -c : named-real", WAIT_MS);
	cr_assert_not_null(real, "no record of the host root's shell");
	sw_assert_str(real, "suppressed_by", "allow-root", "host root");

	/* it waits on a pipe until its record is in */
	cr_assert_eq(pipe(fds), 0);
	pid = shell_named_root(": named-forged; read x", fds[0]);
	close(fds[0]);
	forged = sw_run_wait_where(&r, "exec", "process.command_line",
				   "sh -c : named-forged; read x", WAIT_MS);
	cr_assert_eq(write(fds[1], "\n", 1), 1);
	close(fds[1]);
	status = sw_wait(pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "nobody's namespaces failed (status %d)", status);
	cr_assert_not_null(forged, "the forged root's shell was not reported");
	/* the name reads as root, the view says whose name it is */
	sw_assert_str(forged, "process.user.name", "root", "forged root");
	cr_assert_eq(sw_field_num(forged, "process.user.id"), 65534,
		     "forged root's uid");
	sw_assert_flag(forged, "process.host_view", false, "forged root");
	cr_assert_null(jv_get(forged, "suppressed_by"),
		       "the forged root's shell was suppressed by %s",
		       jv_get(forged, "suppressed_by") ?
		       sw_field_str(forged, "suppressed_by") : "");
	sw_run_stop(&r);
	sw_run_free(&r);
	sw_remove_dir(v.dir);
}
