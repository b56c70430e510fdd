// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Pod identity with the real sensor: cgroup trees shaped like each
 * driver's, made below the test's own cgroup in the v2 hierarchy and in a
 * v1 controller, kubelet log fixtures in a temporary --log-dir, and a
 * process moved into each cgroup before it execs a shell.
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

#define WAIT_MS		5000
#define CID		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID		"4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9"
#define UID_		"4f6e2a1b_9c8d_4e7f_a6b5_c4d3e2f1a0b9"

enum hier { V2, V1 };

struct id_case {
	const char *what;
	enum hier hier;
	const char *path;	/* below the test's own cgroup */
	bool logs;		/* write the kubelet's log fixture */
	const char *scope;
	const char *runtime;	/* NULL: null in the record */
	const char *cid;
	const char *uid;
};

static struct id_case cases[] = {
	/* systemd driver, cgroup v2 */
	{ "systemd burstable", V2,
	  "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" CID ".scope",
	  true, "pod", "containerd", CID, UID },
	{ "systemd besteffort cri-o", V2,
	  "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" CID ".scope",
	  true, "pod", "cri-o", CID, UID },
	{ "systemd guaranteed cri-dockerd", V2,
	  "kubepods.slice/kubepods-pod" UID_ ".slice/docker-" CID ".scope",
	  false, "pod", "docker", CID, UID },
	{ "kind nested", V2,
	  "kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod" UID_ ".slice/cri-containerd-" CID ".scope",
	  true, "pod", "containerd", CID, UID },
	/* cgroupfs driver, cgroup v1 */
	{ "cgroupfs burstable v1", V1,
	  "kubepods/burstable/pod" UID "/" CID, true, "pod", NULL, CID, UID },
	{ "cgroupfs guaranteed crio v1", V1,
	  "kubepods/pod" UID "/crio-" CID, true, "pod", "cri-o", CID, UID },
	/* containers outside Kubernetes */
	{ "docker", V2, "system.slice/docker-" CID ".scope", false, "container",
	  "docker", CID, NULL },
	{ "podman", V2, "machine.slice/libpod-" CID ".scope/container", false,
	  "container", "podman", CID, NULL },
};

/* the test's own cgroup directory in a hierarchy */
static void own_cgroup(enum hier h, char *buf, size_t len)
{
	char line[1024], *p;
	FILE *f = fopen("/proc/self/cgroup", "r");
	const char *want = h == V2 ? "0::" : ":memory:";
	const char *mnt = h == V2 ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup/memory";

	cr_assert_not_null(f);
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		p = strstr(line, want);
		if (p && (h == V1 || p == line)) {
			snprintf(buf, len, "%s%s", mnt, p + strlen(want));
			break;
		}
	}
	fclose(f);
	if (!buf[0] || access(buf, W_OK))
		cr_skip_test("no writable %s cgroup here (%s)",
			     h == V2 ? "v2" : "v1 memory", buf);
}

/* mkdir -p of a relative path below base; the created dirs in order */
static int make_tree(const char *base, const char *rel, char dirs[][PATH_MAX],
		     int max)
{
	char path[PATH_MAX], *p;
	int n = 0;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (p = path + strlen(base) + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = '\0';
			if (mkdir(path, 0755) == 0) {
				if (n < max)
					snprintf(dirs[n++], PATH_MAX, "%s", path);
			} else {
				cr_assert_eq(errno, EEXIST, "mkdir %s: %s", path,
					     strerror(errno));
			}
			*p = c;
			if (!c)
				break;
		}
	}
	return n;
}

static void remove_tree(char dirs[][PATH_MAX], int n)
{
	while (n-- > 0)
		cr_assert_eq(rmdir(dirs[n]), 0, "rmdir %s: %s", dirs[n],
			     strerror(errno));
}

/* the kubelet's files for pod web-5d8f in namespace shop, container app */
static void write_logs(const char *dir)
{
	char pods[1024], target[PATH_MAX], link[PATH_MAX];
	int fd;

	snprintf(pods, sizeof(pods), "%s/pods/shop_web-5d8f_" UID "/app", dir);
	make_tree(dir, "pods/shop_web-5d8f_" UID "/app", NULL, 0);
	make_tree(dir, "containers", NULL, 0);
	snprintf(target, sizeof(target), "%s/0.log", pods);
	fd = open(target, O_CREAT | O_WRONLY, 0644);
	cr_assert(fd >= 0);
	close(fd);
	snprintf(link, sizeof(link), "%s/containers/web-5d8f_shop_app-" CID ".log", dir);
	cr_assert_eq(symlink(target, link), 0, "symlink: %s", strerror(errno));
}

/* fork a child that joins the cgroup, then execs a shell */
static pid_t spawn_in(const char *cgroup_dir)
{
	static char *const argv[] = { "sh", "-c", "exit 0", NULL };
	char procs[PATH_MAX];
	pid_t pid;
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgroup_dir);
	pid = fork();
	cr_assert(pid >= 0);
	if (!pid) {
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(126);
		close(fd);
		execv("/bin/sh", argv);
		_exit(127);
	}
	return pid;
}

static void assert_str_or_null(const struct jv *rec, const char *field,
			       const char *want, const char *ctx)
{
	const struct jv *v = jv_get(rec, field);

	cr_assert_not_null(v, "%s: no field %s", ctx, field);
	if (want)
		sw_assert_str(rec, field, want, ctx);
	else
		cr_assert_eq(jv_type(v), JV_NULL, "%s: %s is not null", ctx,
			     field);
}

ParameterizedTestParameters(identity, cgroup_layouts)
{
	return cr_make_param_array(struct id_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct id_case *c, identity, cgroup_layouts, .timeout = 30)
{
	char base[PATH_MAX], root[64], leaf[PATH_MAX], logs[64];
	char dirs[16][PATH_MAX];
	const char *args[] = { "--no-scan", "--log-dir", logs, NULL };
	const struct jv *rec;
	struct sw_run r;
	int n, status;
	pid_t pid;

	sw_require_bpf();
	own_cgroup(c->hier, base, sizeof(base));
	snprintf(root, sizeof(root), "sw-test-%d", getpid());
	snprintf(leaf, sizeof(leaf), "%s/%s", root, c->path);
	n = make_tree(base, leaf, dirs, 16);
	snprintf(logs, sizeof(logs), "/tmp/shellwatch-logs-XXXXXX");
	cr_assert_not_null(mkdtemp(logs));
	if (c->logs)
		write_logs(logs);

	sw_run_start(&r, args);
	pid = spawn_in(dirs[n - 1]);
	status = sw_wait(pid);
	/* the container is gone a moment after its shell: still attributed */
	remove_tree(dirs, n);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "%s: the shell did not run in the cgroup (status %d)", c->what,
		  status);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "%s: no exec record", c->what);
	sw_assert_str(rec, "scope", c->scope, c->what);
	assert_str_or_null(rec, "container.runtime", c->runtime, c->what);
	assert_str_or_null(rec, "container.id", c->cid, c->what);
	assert_str_or_null(rec, "k8s.pod.uid", c->uid, c->what);
	assert_str_or_null(rec, "k8s.pod.name", c->logs ? "web-5d8f" : NULL, c->what);
	assert_str_or_null(rec, "k8s.namespace.name", c->logs ? "shop" : NULL, c->what);
	assert_str_or_null(rec, "k8s.container.name", c->logs ? "app" : NULL, c->what);
	sw_assert_str(rec, "entry", "spawned", c->what);
	sw_run_stop(&r);
	sw_run_free(&r);
	if (c->logs) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", logs);
		cr_assert_eq(system(cmd), 0);
	} else {
		rmdir(logs);
	}
}

Test(identity, unmoved_shell_is_host)
{
	static const char *const argv[] = { "sh", "-c", "exit 0", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;

	sw_run_start(&r, NULL);
	pid = sw_spawn("/bin/sh", (char *const *)argv);
	sw_wait(pid);
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec);
	sw_assert_str(rec, "scope", "host", "unmoved shell");
	assert_str_or_null(rec, "container.id", NULL, "unmoved shell");
	assert_str_or_null(rec, "k8s.pod.name", NULL, "unmoved shell");
	cr_assert_geq(jv_len(jv_get(rec, "process.ancestors")), 1,
		      "no ancestors");
	sw_run_stop(&r);
	sw_run_free(&r);
}

Test(identity, names_appear_after_the_exec, .timeout = 30)
{
	char base[PATH_MAX], leaf[PATH_MAX], logs[64], cmd[128];
	char dirs[16][PATH_MAX];
	const char *args[] = { "--no-scan", "--log-dir", logs, "--window", "1", NULL };
	const struct jv *win = NULL, *exits[4];
	struct sw_run r;
	int n;
	pid_t pid;
	static char *const argv[] = { "sh", "-c", "sleep 2", NULL };

	/* the log link comes 300 ms after the shell: windows get the names */
	sw_require_bpf();
	own_cgroup(V2, base, sizeof(base));
	snprintf(leaf, sizeof(leaf), "sw-test-late-%d/%s", getpid(), cases[0].path);
	n = make_tree(base, leaf, dirs, 16);
	snprintf(logs, sizeof(logs), "/tmp/shellwatch-logs-XXXXXX");
	cr_assert_not_null(mkdtemp(logs));
	make_tree(logs, "containers", NULL, 0);
	sw_run_start(&r, args);
	pid = fork();
	if (!pid) {
		char procs[PATH_MAX + 16];
		int fd;

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", dirs[n - 1]);
		fd = open(procs, O_WRONLY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(126);
		execv("/bin/sh", argv);
		_exit(127);
	}
	usleep(300000);
	write_logs(logs);
	sw_wait(pid);
	cr_assert_not_null(sw_run_wait_record(&r, "exit", pid, WAIT_MS));
	sw_run_stop(&r);
	cr_assert_eq(sw_run_records(&r, "exit", pid, exits, 4), 1);
	sw_assert_str(exits[0], "k8s.pod.name", "web-5d8f", "late names, exit");
	sw_run_records(&r, "window", pid, &win, 1);
	cr_assert_not_null(win, "no window");
	remove_tree(dirs, n);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", logs);
	cr_assert_eq(system(cmd), 0);
	sw_run_free(&r);
}
