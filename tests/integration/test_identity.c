// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Pod identity with the real sensor. Real runtimes (runc, podman, a
 * private containerd) run busybox containers in cgroups shaped as each
 * kubelet driver makes them, below the test's own cgroup; `runc exec` and
 * friends stand for `kubectl exec`; the kubelet's log links are written
 * in a temporary --log-dir. Shapes no runtime here makes (a process in a
 * v1 cgroup only) are staged: a tree made by hand and a process moved in.
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

/* shapes no runtime here makes: a process in a v1 cgroup only */
static struct id_case cases[] = {
	/* cgroupfs driver, cgroup v1 */
	{ "cgroupfs burstable v1", V1,
	  "kubepods/burstable/pod" UID "/" CID, true, "pod", NULL, CID, UID },
	{ "cgroupfs guaranteed crio v1", V1,
	  "kubepods/pod" UID "/crio-" CID, true, "pod", "cri-o", CID, UID },
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
	if (want)
		sw_assert_str(rec, field, want, ctx);
	else
		sw_assert_none(rec, field, ctx);
}

struct rt_case {
	const char *what;
	enum sw_rt rt;
	const char *cgroup;	/* below the test's own (podman: the parent) */
	bool logs;		/* write the kubelet's log link */
	const char *scope;
	const char *runtime;	/* NULL: null in the record */
	bool pod;		/* the cgroup names pod UID */
	const char *first_parent;	/* the runtime process above runc */
};

static struct rt_case rt_cases[] = {
	/* runc, cgroups as the kubelet's cgroupfs driver makes them */
	{ "runc cgroupfs burstable", SW_RUNC,
	  "kubepods/burstable/pod" UID "/" CID, true, "pod", NULL, true, NULL },
	/* runc, cgroups named as the kubelet's systemd driver names them */
	{ "runc systemd burstable containerd", SW_RUNC,
	  "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/cri-containerd-" CID ".scope",
	  true, "pod", "containerd", true, NULL },
	{ "runc systemd besteffort cri-o", SW_RUNC,
	  "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" CID ".scope",
	  true, "pod", "cri-o", true, NULL },
	{ "runc systemd guaranteed cri-dockerd", SW_RUNC,
	  "kubepods.slice/kubepods-pod" UID_ ".slice/docker-" CID ".scope",
	  false, "pod", "docker", true, NULL },
	{ "runc kind nested", SW_RUNC,
	  "kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod" UID_ ".slice/cri-containerd-" CID ".scope",
	  true, "pod", "containerd", true, NULL },
	/* containerd and its shim, as under the kubelet */
	{ "containerd cgroupfs guaranteed", SW_CONTAINERD,
	  "kubepods/pod" UID "/" CID, true, "pod", NULL, true,
	  "containerd-shim" },
	{ "containerd systemd besteffort", SW_CONTAINERD,
	  "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/cri-containerd-" CID ".scope",
	  true, "pod", "containerd", true, "containerd-shim" },
	/* podman outside Kubernetes: conmon, then runc */
	{ "podman cgroupfs", SW_PODMAN, "libpod_parent", false,
	  "container", "podman", false, "conmon" },
};

/* tmpl with every CID replaced by cid */
static void with_id(const char *tmpl, const char *cid, char *out, size_t len)
{
	const char *p;
	size_t n = 0;

	while ((p = strstr(tmpl, CID))) {
		n += snprintf(out + n, len - n, "%.*s%s", (int)(p - tmpl), tmpl, cid);
		tmpl = p + strlen(CID);
		cr_assert_lt(n, len);
	}
	snprintf(out + n, len - n, "%s", tmpl);
}

ParameterizedTestParameters(identity, runtimes)
{
	return cr_make_param_array(struct rt_case, rt_cases,
				   sizeof(rt_cases) / sizeof(rt_cases[0]));
}

/* the names in the record: the log link's, or null */
static void assert_names(const struct jv *rec, bool named, const char *ctx)
{
	assert_str_or_null(rec, "k8s.pod.name", named ? "web-5d8f" : NULL, ctx);
	assert_str_or_null(rec, "k8s.namespace.name", named ? "shop" : NULL, ctx);
	assert_str_or_null(rec, "k8s.container.name", named ? "app" : NULL, ctx);
}

/*
 * what every record of a shell in container ctr says about where it runs;
 * compact exit and window records (the default) leave out cgroup.path
 */
static void assert_where(const struct jv *rec, const struct rt_case *c,
			 const struct sw_ctr *ctr, const char *ctx)
{
	const char *type = sw_field_str(rec, "type");
	char cgroup[PATH_MAX];

	sw_assert_str(rec, "scope", c->scope, ctx);
	assert_names(rec, c->logs, ctx);
	if (type && (!strcmp(type, "exit") || !strcmp(type, "window"))) {
		/* the names say where; the exec record (exec_id) says the rest */
		cr_assert_null(jv_get(rec, "cgroup"),
			       "%s: a compact %s record with cgroup", ctx, type);
		cr_assert_null(jv_get(rec, "container"),
			       "%s: a compact %s record with container", ctx, type);
		cr_assert_null(jv_get(rec, "k8s.pod.uid"),
			       "%s: a compact %s record with k8s.pod.uid", ctx, type);
		return;
	}
	assert_str_or_null(rec, "container.runtime", c->runtime, ctx);
	assert_str_or_null(rec, "container.id", ctr->id, ctx);
	assert_str_or_null(rec, "k8s.pod.uid", c->pod ? UID : NULL, ctx);
	sw_ctr_cgroup_path(ctr, cgroup, sizeof(cgroup));
	sw_assert_str(rec, "cgroup.path", cgroup, ctx);
}

/* a busybox shell as the container sees it: its own paths and pid 1.. */
static void assert_busybox_sh(const struct jv *rec, const char *cwd,
			      const char *ctx)
{
	sw_assert_str(rec, "process.executable.path", "/bin/busybox", ctx);
	sw_assert_str(rec, "process.invoked.path", "/bin/sh", ctx);
	sw_assert_str(rec, "process.executable.name", "sh", ctx);
	sw_assert_str(rec, "shell.name", "sh", ctx);
	sw_assert_str(rec, "shell.matched_by", "applet", ctx);
	sw_assert_bool(rec, "shell.multicall", true, ctx);
	sw_assert_str(rec, "process.working_directory", cwd, ctx);
	/* the container's own mount namespace: not the host's view */
	sw_assert_flag(rec, "process.host_view", false, ctx);
}

/*
 * runc, then the runtime's process: conmon (podman), the shim (containerd).
 * runc exec -d, as conmon and the shim run it, may be gone before the
 * shell's exec: the shell's parent is then that process, its subreaper.
 */
static void assert_exec_parents(const struct jv *rec, const struct rt_case *c,
				const char *ctx)
{
	const struct jv *anc = jv_get(rec, "process.ancestors");
	const char *parent = sw_field_str(rec, "process.parent.executable.name");
	size_t at = 1;

	if (c->first_parent &&
	    !strncmp(parent, c->first_parent, strlen(c->first_parent)))
		at = 0;
	else
		cr_assert_str_eq(parent, "runc", "%s: the shell's parent is %s",
				 ctx, parent);
	cr_assert_str_eq(jv_str(jv_at(anc, 0)), parent,
			 "%s: ancestors do not start with the parent", ctx);
	/* the runtime runs on the host: its path is the host's (when it
	 * still has one: a runc on its way out has no binary to read) */
	if (sw_field_str(rec, "process.parent.executable.path")[0])
		sw_assert_bool(rec, "process.parent.host_view", true, ctx);
	if (!c->first_parent)
		return;
	cr_assert_gt(jv_len(anc), at, "%s: %zu ancestors", ctx, jv_len(anc));
	cr_assert(!strncmp(jv_str(jv_at(anc, at)), c->first_parent,
			   strlen(c->first_parent)),
		  "%s: ancestor %zu is %s, want %s", ctx, at,
		  jv_str(jv_at(anc, at)), c->first_parent);
}

ParameterizedTest(struct rt_case *c, identity, runtimes, .timeout = 60,
		  .fini = sw_ctr_cleanup)
{
	static const char *const main_argv[] = {
		"/bin/sh", "-c", "sleep 600; exit 0", NULL,
	};
	static const char *const exec_argv[] = {
		"/bin/sh", "-c", "exit 0 # kubectl-exec", NULL,
	};
	static const char *const inner_argv[] = {
		"/bin/sh", "-c", "cd /tmp; /bin/sh -c ': spawned'; exit 0", NULL,
	};
	char logs[64], ctx[160], cid[65], cgroup[PATH_MAX];
	const char *args[] = { "--no-scan", "--log-dir", logs, NULL };
	const struct jv *rec;
	struct sw_ctr *ctr;
	struct sw_run r;
	int status;

	sw_require_bpf();
	sw_rt_require(c->rt);
	/* an id of its own: a container a failed run left cannot clash */
	sw_random_id(cid);
	with_id(c->cgroup, cid, cgroup, sizeof(cgroup));
	sw_log_dir_make(logs, sizeof(logs));
	/* the kubelet links the log after CreateContainer, before the start */
	if (c->logs)
		sw_kubelet_log_link(logs, "shop", "web-5d8f", UID, "app", cid);
	sw_run_start(&r, args);
	ctr = sw_ctr_start(c->rt, cgroup, cid, main_argv);

	/* the container's first process: pid 1 of its namespace */
	snprintf(ctx, sizeof(ctx), "%s, first process", c->what);
	rec = sw_run_wait_exec(&r, ctr->pid, WAIT_MS);
	cr_assert_not_null(rec, "%s: no exec record for pid %d", ctx, ctr->pid);
	assert_where(rec, c, ctr, ctx);
	sw_assert_str(rec, "entry", "container-main", ctx);
	sw_assert_num(rec, "process.vpid", 1, ctx);
	assert_busybox_sh(rec, "/", ctx);

	/* kubectl exec: the runtime's exec */
	snprintf(ctx, sizeof(ctx), "%s, exec", c->what);
	status = sw_ctr_exec(ctr, exec_argv);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "%s: %s exec failed (status %d)", ctx, sw_rt_name(c->rt), status);
	rec = sw_run_wait_where(&r, "exec", "process.command_line",
				"/bin/sh -c exit 0 # kubectl-exec", WAIT_MS);
	cr_assert_not_null(rec, "%s: no exec record", ctx);
	assert_where(rec, c, ctr, ctx);
	sw_assert_str(rec, "entry", "runtime-exec", ctx);
	cr_assert_gt(sw_field_num(rec, "process.vpid"), 1, "%s: vpid %g", ctx,
		     sw_field_num(rec, "process.vpid"));
	cr_assert_neq(sw_field_num(rec, "process.vpid"),
		      sw_field_num(rec, "process.pid"),
		      "%s: vpid is the host pid", ctx);
	assert_exec_parents(rec, c, ctx);

	/* a shell the exec'd one starts, in a directory of the container */
	snprintf(ctx, sizeof(ctx), "%s, spawned", c->what);
	status = sw_ctr_exec(ctr, inner_argv);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "%s: exec failed (status %d)", ctx, status);
	rec = sw_run_wait_where(&r, "exec", "process.command_line",
				"/bin/sh -c : spawned", WAIT_MS);
	cr_assert_not_null(rec, "%s: no exec record", ctx);
	assert_where(rec, c, ctr, ctx);
	sw_assert_str(rec, "entry", "spawned", ctx);
	sw_assert_str(rec, "process.parent.executable.name", "sh", ctx);
	assert_busybox_sh(rec, "/tmp", ctx);

	/* the container goes: its first shell's exit keeps the identity */
	sw_ctr_remove(ctr);
	snprintf(ctx, sizeof(ctx), "%s, exit", c->what);
	rec = sw_run_wait_record(&r, "exit", ctr->pid, WAIT_MS);
	cr_assert_not_null(rec, "%s: no exit record", ctx);
	assert_where(rec, c, ctr, ctx);
	sw_run_stop(&r);
	sw_run_free(&r);
	sw_log_dir_remove(logs);
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
