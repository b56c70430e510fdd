// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_runtime.h"

#define IMAGE		"localhost/shellwatch-test-busybox:1"
#define OUT_MAX		4096
#define START_MS	15000
#define MAX_ARGS	48

extern char **environ;

/* the private containerd of this test process, started on first use */
static struct {
	char dir[64];
	char sock[128];
	pid_t pid;
	int users;
} ctd;

static int ctr_seq;

/*
 * the containers of this test process, static so that the test's .fini
 * still finds them after a failed assertion unwound the test's stack
 */
#define LIVE_MAX	8
static struct sw_ctr live[LIVE_MAX];

static void ctr_remove(struct sw_ctr *c, bool check);

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *sw_rt_name(enum sw_rt rt)
{
	switch (rt) {
	case SW_RUNC: return "runc";
	case SW_PODMAN: return "podman";
	case SW_CONTAINERD: return "containerd";
	}
	return "?";
}

/* a runtime that cannot run: skip, or fail with CI=true */
static void unavailable(const char *fmt, ...)
{
	const char *ci = getenv("CI");
	char msg[OUT_MAX + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ci && !strcmp(ci, "true"))
		cr_assert_fail("CI=true, so runtime tests must run, but %s", msg);
	cr_skip_test("%s", msg);
}

/* run argv with its output in out; returns the wait status */
static int run(const char *const argv[], char *out, size_t outlen)
{
	posix_spawn_file_actions_t fa;
	int fd, err, status = -1;
	ssize_t n;
	pid_t pid;

	fd = memfd_create("runtime-output", MFD_CLOEXEC);
	cr_assert(fd >= 0, "memfd_create: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			   environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		snprintf(out, outlen, "cannot run %s: %s", argv[0], strerror(err));
		close(fd);
		return -1;
	}
	waitpid(pid, &status, 0);
	n = pread(fd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	/* no trailing newline: outputs are ids and pids */
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	close(fd);
	return status;
}

static bool ok(int status)
{
	return status != -1 && WIFEXITED(status) && !WEXITSTATUS(status);
}

/* argv of a runtime command: prefix, then more, then the command's argv */
static void build_argv(const char **out, const char *const *prefix,
		       const char *const *more, const char *const *cmd)
{
	int n = 0;

	for (; prefix && *prefix; prefix++)
		out[n++] = *prefix;
	for (; more && *more; more++)
		out[n++] = *more;
	for (; cmd && *cmd && n < MAX_ARGS - 1; cmd++)
		out[n++] = *cmd;
	cr_assert(!cmd || !*cmd, "too many arguments for a runtime command");
	out[n] = NULL;
}

static bool on_path(const char *bin)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	char *dup, *dir, *save;
	bool found = false;

	if (!path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	dup = strdup(path);
	for (dir = strtok_r(dup, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof(buf), "%s/%s", dir, bin);
		found = !access(buf, X_OK);
	}
	free(dup);
	return found;
}

/* the busybox tree, built once under build/ (or $SW_ROOTFS_DIR) */
static const char *rootfs_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("SW_ROOTFS_DIR");
	char probe[PATH_MAX + 32], out[OUT_MAX];
	const char *argv[] = { "scripts/busybox-rootfs.sh", NULL, NULL };

	if (dir[0])
		return dir;
	snprintf(probe, sizeof(probe), "%s", env ? env : "build/rootfs");
	argv[1] = probe;
	if (!ok(run(argv, out, sizeof(out))))
		unavailable("no busybox root file system: %s", out);
	cr_assert_not_null(realpath(probe, dir), "realpath %s: %s", probe,
			   strerror(errno));
	return dir;
}

void sw_rt_require(enum sw_rt rt)
{
	if (geteuid())
		unavailable("%s tests need root", sw_rt_name(rt));
	switch (rt) {
	case SW_RUNC:
		if (!on_path("runc"))
			unavailable("runc is not installed (scripts/deps.sh test)");
		break;
	case SW_PODMAN:
		if (!on_path("podman") || !on_path("runc") || !on_path("conmon"))
			unavailable("podman, runc or conmon is not installed (scripts/deps.sh test)");
		break;
	case SW_CONTAINERD:
		if (!on_path("containerd") || !on_path("ctr") ||
		    !on_path("containerd-shim-runc-v2"))
			unavailable("containerd or ctr is not installed (scripts/deps.sh test)");
		break;
	}
	rootfs_dir();
}

/* JSON string of s into f */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* runc's bundle: a config with the host's network, a read-only rootfs */
static void write_config(const struct sw_ctr *c, const char *const argv[])
{
	static const char caps[] =
		"[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]";
	char path[PATH_MAX], cg[PATH_MAX + 64];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/config.json", c->dir);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	fprintf(f, "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"terminal\":false,"
		"\"user\":{\"uid\":%u,\"gid\":%u},\"args\":[", c->uid, c->uid);
	for (i = 0; argv[i]; i++) {
		if (i)
			fputc(',', f);
		json_str(f, argv[i]);
	}
	fprintf(f, "],\"env\":[");
	if (c->env[0]) {
		json_str(f, c->env);
		fputc(',', f);
	}
	fprintf(f, "\"PATH=/bin\",\"HOME=/root\",\"TERM=dumb\"],"
		"\"cwd\":\"/\",\"capabilities\":{\"bounding\":%s,\"effective\":%s,"
		"\"permitted\":%s},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\","
		"\"hard\":1024,\"soft\":1024}],\"noNewPrivileges\":true},",
		caps, caps, caps);
	fprintf(f, "\"root\":{\"path\":");
	snprintf(path, sizeof(path), "%s/rootfs", rootfs_dir());
	json_str(f, path);
	fprintf(f, ",\"readonly\":true},\"hostname\":\"sw-test\",\"mounts\":["
		"{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
		"{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
		"\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
		"{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
		"\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\"]},"
		"{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\","
		"\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"
		"{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
		"\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
		"{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
		"\"options\":[\"nosuid\",\"nodev\",\"mode=1777\"]}");
	if (c->etc[0]) {
		fprintf(f, ",{\"destination\":\"/etc\",\"type\":\"bind\",\"source\":");
		json_str(f, c->etc);
		fprintf(f, ",\"options\":[\"rbind\",\"ro\"]}");
	}
	fprintf(f, "],");
	snprintf(cg, sizeof(cg), "%s/%s", c->top, c->cgroup);
	fprintf(f, "\"linux\":{\"cgroupsPath\":");
	json_str(f, cg);
	fprintf(f, ",\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},"
		"{\"type\":\"uts\"},{\"type\":\"mount\"}],"
		"\"maskedPaths\":[\"/proc/kcore\",\"/proc/keys\",\"/sys/firmware\"],"
		"\"readonlyPaths\":[\"/proc/sys\",\"/proc/sysrq-trigger\"]}}\n");
	cr_assert_eq(fclose(f), 0, "writing config.json: %s", strerror(errno));
}

static const char *const podman_base[] = {
	"podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs",
	"--events-backend", "file", NULL,
};

static void ctr_base(const char **out)
{
	out[0] = "ctr";
	out[1] = "--address";
	out[2] = ctd.sock;
	out[3] = NULL;
}

/* start the private containerd: own config, state and sockets */
static void containerd_up(void)
{
	const char *ver[] = { "ctr", "--address", ctd.sock, "version", NULL };
	const char *imp[] = { "ctr", "--address", ctd.sock, "image", "import",
			      NULL, NULL };
	char path[PATH_MAX], image[PATH_MAX], out[OUT_MAX];
	long deadline;
	FILE *f;
	int fd;

	if (ctd.users++)
		return;
	snprintf(ctd.dir, sizeof(ctd.dir), "/tmp/sw-containerd-XXXXXX");
	cr_assert_not_null(mkdtemp(ctd.dir), "mkdtemp: %s", strerror(errno));
	snprintf(ctd.sock, sizeof(ctd.sock), "%s/containerd.sock", ctd.dir);
	snprintf(path, sizeof(path), "%s/config.toml", ctd.dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "version = 2\nroot = \"%s/root\"\nstate = \"%s/state\"\n"
		"disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
		"[grpc]\n  address = \"%s\"\n[ttrpc]\n  address = \"%s.ttrpc\"\n"
		"[debug]\n  address = \"%s/debug.sock\"\n",
		ctd.dir, ctd.dir, ctd.sock, ctd.sock, ctd.dir);
	cr_assert_eq(fclose(f), 0);

	ctd.pid = fork();
	cr_assert(ctd.pid >= 0, "fork: %s", strerror(errno));
	if (!ctd.pid) {
		char log[PATH_MAX];

		/* the daemon dies with the test that started it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(log, sizeof(log), "%s/containerd.log", ctd.dir);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("containerd", "containerd", "--config", path, (char *)NULL);
		_exit(127);
	}
	deadline = now_ms() + START_MS;
	while (!ok(run(ver, out, sizeof(out)))) {
		if (waitpid(ctd.pid, NULL, WNOHANG) == ctd.pid) {
			ctd.pid = 0;
			ctd.users = 0;
			unavailable("containerd exited at start (log in %s)", ctd.dir);
		}
		if (now_ms() > deadline)
			unavailable("containerd did not answer within %d ms: %s",
				    START_MS, out);
		usleep(20000);
	}
	snprintf(image, sizeof(image), "%s/image.tar", rootfs_dir());
	imp[5] = image;
	if (!ok(run(imp, out, sizeof(out))))
		unavailable("ctr image import %s: %s", image, out);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else if (flag != FTW_D)
		unlink(path);
	return 0;
}

static void remove_dir(const char *dir)
{
	if (dir[0])
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* mounts a failed test left in the daemon's state (a task's rootfs) */
static void unmount_below(const char *dir)
{
	char line[4096], point[PATH_MAX];
	size_t n = strlen(dir);
	FILE *f;
	bool again = true;

	while (again && (f = fopen("/proc/self/mountinfo", "r"))) {
		again = false;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%*s %*s %*s %*s %4095s", point) == 1 &&
			    !strncmp(point, dir, n) && point[n] == '/')
				again |= !umount2(point, MNT_DETACH);
		fclose(f);
	}
}

static void containerd_down(void)
{
	if (!ctd.users || --ctd.users)
		return;
	if (ctd.pid > 0) {
		kill(ctd.pid, SIGTERM);
		waitpid(ctd.pid, NULL, 0);
	}
	ctd.pid = 0;
	unmount_below(ctd.dir);
	remove_dir(ctd.dir);
	ctd.dir[0] = '\0';
}

/* the mount point of the hierarchy a /proc/self/cgroup line names */
static bool hierarchy_mount(const char *ctrls, char *mnt, size_t len)
{
	char line[2048];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char root[PATH_MAX], point[PATH_MAX], type[32], opts[1024];
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    sscanf(dash + 3, "%31s %*s %1023s", type, opts) != 2 ||
		    strcmp(root, "/"))
			continue;
		if (!*ctrls) {
			found = !strcmp(type, "cgroup2");
		} else if (!strcmp(type, "cgroup")) {
			char want[256], *tok, *save;
			char wrapped[1100];

			/* every controller of the line is among the options */
			snprintf(want, sizeof(want), "%s", ctrls);
			snprintf(wrapped, sizeof(wrapped), ",%s,", opts);
			found = true;
			for (tok = strtok_r(want, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				char t[300];

				snprintf(t, sizeof(t), ",%s,", tok);
				found &= strstr(wrapped, t) != NULL;
			}
		}
		if (found)
			snprintf(mnt, len, "%s", point);
	}
	fclose(f);
	return found;
}

/* remove <own cgroup>/<top> and everything below it, in every hierarchy */
static void remove_cgroups(const char *top, bool check)
{
	char line[2048];
	FILE *f = fopen("/proc/self/cgroup", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *ctrls = strchr(line, ':'), *own, mnt[PATH_MAX];
		char dir[PATH_MAX * 2];
		long deadline = now_ms() + 5000;

		if (!ctrls || !(own = strchr(ctrls + 1, ':')))
			continue;
		*own++ = '\0';
		ctrls++;
		own[strcspn(own, "\n")] = '\0';
		if (!hierarchy_mount(ctrls, mnt, sizeof(mnt)))
			continue;
		snprintf(dir, sizeof(dir), "%s%s/%s", mnt,
			 strcmp(own, "/") ? own : "", top);
		/* the runtime's last process may still be leaving */
		for (;;) {
			nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
			if (access(dir, F_OK) || (!check && now_ms() > deadline))
				break;
			cr_assert(now_ms() < deadline, "cannot remove cgroup %s: %s",
				  dir, strerror(errno));
			usleep(10000);
		}
	}
	fclose(f);
}

void sw_random_id(char *id)
{
	unsigned char b[32];
	int fd = open("/dev/urandom", O_RDONLY), i;

	cr_assert(fd >= 0 && read(fd, b, sizeof(b)) == (ssize_t)sizeof(b));
	close(fd);
	for (i = 0; i < 32; i++)
		sprintf(id + 2 * i, "%02x", b[i]);
}

static void start_runc(struct sw_ctr *c, const char *const argv[])
{
	char state[PATH_MAX], pidfile[PATH_MAX], out[OUT_MAX];
	const char *cmd[] = { "runc", "--root", state, "run", "-d",
			      "--pid-file", pidfile, "--bundle", c->dir, c->id,
			      NULL };
	FILE *f;

	snprintf(state, sizeof(state), "%s/state", c->dir);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", c->dir);
	write_config(c, argv);
	if (!ok(run(cmd, out, sizeof(out))))
		unavailable("runc run: %s", out);
	c->created = true;
	f = fopen(pidfile, "r");
	cr_assert_not_null(f, "runc wrote no pid file");
	cr_assert_eq(fscanf(f, "%d", &c->pid), 1, "bad runc pid file");
	fclose(f);
}

static void start_podman(struct sw_ctr *c, const char *const argv[])
{
	char parent[PATH_MAX + 64], image[PATH_MAX], out[OUT_MAX];
	const char *exists[] = { "podman", "image", "exists", IMAGE, NULL };
	const char *import[] = { "podman", "import", image, IMAGE, NULL };
	const char *more[] = {
		"run", "-d", "--network", "host", "--ulimit", "nofile=1024:1024",
		"--ulimit", "nproc=1024:1024", "--cgroups=no-conmon",
		"--cgroup-parent", parent, IMAGE, NULL,
	};
	const char *cmd[MAX_ARGS];
	const char *inspect[MAX_ARGS];
	const char *fmt[] = { "inspect", "--format", "{{.State.Pid}}", c->id,
			      NULL };

	snprintf(image, sizeof(image), "%s/rootfs.tar", rootfs_dir());
	if (!ok(run(exists, out, sizeof(out))) &&
	    !ok(run(import, out, sizeof(out))))
		unavailable("podman import: %s", out);
	snprintf(parent, sizeof(parent), "%s/%s", c->top, c->cgroup);
	build_argv(cmd, podman_base, more, argv);
	if (!ok(run(cmd, out, sizeof(out))))
		unavailable("podman run: %s", out);
	c->created = true;
	/* podman names the container: the last line is its id */
	cr_assert(strlen(out) >= 64, "podman run said: %s", out);
	snprintf(c->id, sizeof(c->id), "%s", out + strlen(out) - 64);
	build_argv(inspect, podman_base, fmt, NULL);
	cr_assert(ok(run(inspect, out, sizeof(out))), "podman inspect: %s", out);
	c->pid = atoi(out);
	cr_assert_gt(c->pid, 0, "podman inspect gave pid %s", out);
}

static void start_containerd(struct sw_ctr *c, const char *const argv[])
{
	char cgroup[PATH_MAX + 64], out[OUT_MAX], *line, *save;
	const char *base[4];
	char runc_root[PATH_MAX];
	const char *more[] = { "run", "-d", "--net-host", "--runc-root",
			       runc_root, "--cgroup", cgroup, IMAGE, c->id, NULL };
	const char *ls[] = { "task", "ls", NULL };
	const char *cmd[MAX_ARGS];

	containerd_up();
	ctr_base(base);
	/* the shim's runc state with the daemon's, not in /run/containerd */
	snprintf(runc_root, sizeof(runc_root), "%s/runc", ctd.dir);
	snprintf(cgroup, sizeof(cgroup), "%s/%s", c->top, c->cgroup);
	build_argv(cmd, base, more, argv);
	if (!ok(run(cmd, out, sizeof(out))))
		unavailable("ctr run: %s", out);
	c->created = true;
	build_argv(cmd, base, ls, NULL);
	cr_assert(ok(run(cmd, out, sizeof(out))), "ctr task ls: %s", out);
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, c->id, strlen(c->id)))
			c->pid = atoi(line + strlen(c->id));
	cr_assert_gt(c->pid, 0, "ctr task ls has no pid for %s", c->id);
}

struct sw_ctr *sw_ctr_start(enum sw_rt rt, const char *cgroup, const char *id,
			    const char *const argv[])
{
	return sw_ctr_start_opts(rt, cgroup, id, argv, NULL);
}

struct sw_ctr *sw_ctr_start_opts(enum sw_rt rt, const char *cgroup,
				 const char *id, const char *const argv[],
				 const struct sw_ctr_opts *o)
{
	struct sw_ctr *c = NULL;
	int i;

	sw_rt_require(rt);
	for (i = 0; i < LIVE_MAX && !c; i++)
		if (!live[i].dir[0])
			c = &live[i];
	cr_assert_not_null(c, "more than %d containers at once", LIVE_MAX);
	memset(c, 0, sizeof(*c));
	c->rt = rt;
	snprintf(c->top, sizeof(c->top), "sw-rt-%d-%d", getpid(), ctr_seq++);
	snprintf(c->cgroup, sizeof(c->cgroup), "%s", cgroup);
	if (id)
		snprintf(c->id, sizeof(c->id), "%s", id);
	else
		sw_random_id(c->id);
	snprintf(c->dir, sizeof(c->dir), "/tmp/sw-rt-XXXXXX");
	cr_assert_not_null(mkdtemp(c->dir), "mkdtemp: %s", strerror(errno));
	if (o) {
		cr_assert_eq(rt, SW_RUNC, "container options are runc's only");
		snprintf(c->etc, sizeof(c->etc), "%s", o->etc ? o->etc : "");
		snprintf(c->env, sizeof(c->env), "%s", o->env ? o->env : "");
		c->uid = o->uid;
	}
	switch (rt) {
	case SW_RUNC:
		start_runc(c, argv);
		break;
	case SW_PODMAN:
		start_podman(c, argv);
		break;
	case SW_CONTAINERD:
		start_containerd(c, argv);
		break;
	}
	return c;
}

int sw_ctr_exec(struct sw_ctr *c, const char *const argv[])
{
	char state[PATH_MAX], exec_id[32], out[OUT_MAX];
	const char *runc[] = { "runc", "--root", state, "exec", c->id, NULL };
	const char *podman[] = { "exec", c->id, NULL };
	const char *ctr[] = { "task", "exec", "--exec-id", exec_id, c->id, NULL };
	const char *base[4];
	const char *cmd[MAX_ARGS];
	static int exec_seq;

	switch (c->rt) {
	case SW_RUNC:
		snprintf(state, sizeof(state), "%s/state", c->dir);
		build_argv(cmd, runc, NULL, argv);
		break;
	case SW_PODMAN:
		build_argv(cmd, podman_base, podman, argv);
		break;
	case SW_CONTAINERD:
		snprintf(exec_id, sizeof(exec_id), "exec-%d", exec_seq++);
		ctr_base(base);
		build_argv(cmd, base, ctr, argv);
		break;
	}
	return run(cmd, out, sizeof(out));
}

void sw_ctr_cleanup(void)
{
	int i;

	for (i = 0; i < LIVE_MAX; i++)
		if (live[i].dir[0])
			ctr_remove(&live[i], false);
	if (ctd.users) {
		ctd.users = 1;
		containerd_down();
	}
}

void sw_ctr_remove(struct sw_ctr *c)
{
	ctr_remove(c, true);
}

static void ctr_remove(struct sw_ctr *c, bool check)
{
	char state[PATH_MAX], out[OUT_MAX];
	const char *runc[] = { "runc", "--root", state, "delete", "-f", c->id,
			       NULL };
	const char *podman[] = { "rm", "-f", "-t", "0", c->id, NULL };
	const char *kill_task[] = { "task", "delete", "-f", c->id, NULL };
	const char *del[] = { "container", "delete", c->id, NULL };
	const char *base[4];
	const char *cmd[MAX_ARGS];

	if (!c->dir[0])
		return;
	if (c->created) {
		switch (c->rt) {
		case SW_RUNC:
			snprintf(state, sizeof(state), "%s/state", c->dir);
			cr_assert(ok(run(runc, out, sizeof(out))) || !check,
				  "runc delete: %s", out);
			break;
		case SW_PODMAN:
			build_argv(cmd, podman_base, podman, NULL);
			cr_assert(ok(run(cmd, out, sizeof(out))) || !check,
				  "podman rm: %s", out);
			break;
		case SW_CONTAINERD:
			ctr_base(base);
			build_argv(cmd, base, kill_task, NULL);
			cr_assert(ok(run(cmd, out, sizeof(out))) || !check,
				  "ctr task delete: %s", out);
			build_argv(cmd, base, del, NULL);
			cr_assert(ok(run(cmd, out, sizeof(out))) || !check,
				  "ctr container delete: %s", out);
			break;
		}
	}
	if (c->rt == SW_CONTAINERD)
		containerd_down();
	remove_cgroups(c->top, check);
	remove_dir(c->dir);
	c->dir[0] = '\0';
	c->created = false;
}

void sw_ctr_cgroup_path(const struct sw_ctr *c, char *buf, size_t len)
{
	char line[2048], *p = NULL;
	FILE *f = fopen("/proc/self/cgroup", "r");

	/* the v2 path the runtime joined: below the test's own */
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			p = line + 3;
			p[strcspn(p, "\n")] = '\0';
			break;
		}
	fclose(f);
	cr_assert_not_null(p, "no cgroup v2 line in /proc/self/cgroup");
	snprintf(buf, len, "%s/%s/%s%s%s", strcmp(p, "/") ? p : "", c->top,
		 c->cgroup, c->rt == SW_PODMAN ? "/libpod-" : "",
		 c->rt == SW_PODMAN ? c->id : "");
}

static void mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0755);
		*p = '/';
	}
	cr_assert(!mkdir(buf, 0755) || errno == EEXIST, "mkdir %s: %s", buf,
		  strerror(errno));
}

void sw_kubelet_log_link(const char *dir, const char *ns, const char *pod,
			 const char *uid, const char *name, const char *cid)
{
	char pods[PATH_MAX], target[PATH_MAX + 16], link[PATH_MAX];
	int fd;

	snprintf(pods, sizeof(pods), "%s/pods/%s_%s_%s/%s", dir, ns, pod, uid,
		 name);
	mkdirs(pods);
	snprintf(link, sizeof(link), "%s/containers", dir);
	mkdirs(link);
	snprintf(target, sizeof(target), "%s/0.log", pods);
	fd = open(target, O_CREAT | O_WRONLY, 0644);
	cr_assert(fd >= 0, "%s: %s", target, strerror(errno));
	close(fd);
	snprintf(link, sizeof(link), "%s/containers/%s_%s_%s-%s.log", dir, pod,
		 ns, name, cid);
	cr_assert_eq(symlink(target, link), 0, "symlink %s: %s", link,
		     strerror(errno));
}

void sw_log_dir_make(char *buf, size_t len)
{
	char sub[PATH_MAX];

	snprintf(buf, len, "/tmp/shellwatch-logs-XXXXXX");
	cr_assert_not_null(mkdtemp(buf), "mkdtemp: %s", strerror(errno));
	snprintf(sub, sizeof(sub), "%s/containers", buf);
	mkdirs(sub);
}

void sw_log_dir_remove(const char *dir)
{
	remove_dir(dir);
}
