// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <spawn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_proc.h"
#include "sw_run.h"

#define START_TIMEOUT_MS	15000

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sw_require_bpf(void)
{
	const char *ci = getenv("CI");
	const char *why = NULL;

	if (geteuid() != 0)
		why = "integration tests need root to load BPF programs";
	else if (access("/sys/kernel/btf/vmlinux", R_OK))
		why = "integration tests need kernel BTF at /sys/kernel/btf/vmlinux";
	else if (!getenv("SHELLWATCH"))
		why = "SHELLWATCH is not set to the sensor binary (run: make integration)";
	if (!why)
		return;
	if (ci && !strcmp(ci, "true"))
		cr_assert_fail("CI=true, so integration tests must run, but %s", why);
	cr_skip_test("%s", why);
}

void sw_run_start(struct sw_run *r, const char *const *args)
{
	sw_run_start_in(r, args, NULL);
}

void sw_run_start_in(struct sw_run *r, const char *const *args,
		     const char *cgroup_procs)
{
	const char *bin = getenv("SHELLWATCH");
	const char *argv[40];
	bool own_lock = false, own_pins = false;
	int n = 0;
	long deadline;

	sw_require_bpf();
	memset(r, 0, sizeof(*r));
	r->out_fd = memfd_create("sensor-stdout", MFD_CLOEXEC);
	r->err_fd = memfd_create("sensor-stderr", MFD_CLOEXEC);
	cr_assert(r->out_fd >= 0 && r->err_fd >= 0, "memfd_create: %s",
		  strerror(errno));

	argv[n++] = bin;
	while (args && args[n - 1] && n < 29) {
		if (!strcmp(args[n - 1], "--lock-file"))
			own_lock = true;
		if (!strcmp(args[n - 1], "--pin-path"))
			own_pins = true;
		if (!strcmp(args[n - 1], "--format") && args[n] &&
		    !strcmp(args[n], "pretty"))
			r->raw = true;
		argv[n] = args[n - 1];
		n++;
	}
	/* tests may run beside a sensor of the machine: a lock of their own */
	if (!own_lock) {
		snprintf(r->lock, sizeof(r->lock), "/tmp/shellwatch-test-%d.lock",
			 getpid());
		argv[n++] = "--lock-file";
		argv[n++] = r->lock;
	}
	/* and pins of their own, removed whatever becomes of the sensor */
	if (!own_pins) {
		snprintf(r->pins, sizeof(r->pins), "/sys/fs/bpf/shellwatch-test-%d",
			 getpid());
		argv[n++] = "--pin-path";
		argv[n++] = r->pins;
	}
	argv[n] = NULL;

	r->pid = fork();
	cr_assert(r->pid >= 0, "fork: %s", strerror(errno));
	if (!r->pid) {
		/* a test that fails midway must not leave its sensor running */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(r->out_fd, 1);
		dup2(r->err_fd, 2);
		/* joined before the exec: the cgroup counts all of the sensor */
		if (cgroup_procs) {
			int fd = open(cgroup_procs, O_WRONLY | O_CLOEXEC);

			if (fd < 0 || write(fd, "0", 1) != 1)
				_exit(126);
			close(fd);
		}
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	deadline = now_ms() + START_TIMEOUT_MS;
	while (r->raw ? !(r->text && strstr(r->text, " started on node ")) :
			!sw_run_find_type(r, "start")) {
		int status;

		if (waitpid(r->pid, &status, WNOHANG) == r->pid) {
			r->stopped = true;
			r->status = status;
			cr_assert_fail("the sensor exited before its start record (status %d): %s",
				       status, sw_run_stderr(r));
		}
		cr_assert(now_ms() < deadline,
			  "no start record within %d ms; stderr: %s",
			  START_TIMEOUT_MS, sw_run_stderr(r));
		usleep(10000);
		sw_run_read(r);
	}
}

void sw_run_read(struct sw_run *r)
{
	char buf[65536];
	ssize_t n;
	size_t start;

	for (;;) {
		n = pread(r->out_fd, buf, sizeof(buf), r->len);
		cr_assert(n >= 0, "reading the sensor's stdout: %s", strerror(errno));
		if (!n)
			break;
		/* grown by doubling: a flood's megabytes are not copied
		 * again at every read (a sanitizer's realloc always copies) */
		if (r->len + n + 1 > r->text_cap) {
			r->text_cap = r->text_cap ? r->text_cap : 65536;
			while (r->len + n + 1 > r->text_cap)
				r->text_cap *= 2;
			r->text = realloc(r->text, r->text_cap);
			cr_assert_not_null(r->text);
		}
		memcpy(r->text + r->len, buf, n);
		r->len += n;
		r->text[r->len] = '\0';
	}
	/* parse whole lines not parsed yet */
	if (r->raw)
		return;
	start = r->parsed;
	while (start < r->len) {
		char *nl = memchr(r->text + start, '\n', r->len - start);

		if (!nl)
			break;
		if (r->nrecs == r->recs_cap) {
			r->recs_cap = r->recs_cap ? r->recs_cap * 2 : 256;
			r->recs = realloc(r->recs, r->recs_cap * sizeof(*r->recs));
			cr_assert_not_null(r->recs);
		}
		r->recs[r->nrecs++] = sw_parse_line(r->text + start,
						    nl - (r->text + start));
		start = nl - r->text + 1;
	}
	r->parsed = start;
}

int sw_run_stop(struct sw_run *r)
{
	if (!r->stopped) {
		kill(r->pid, SIGTERM);
		cr_assert_eq(waitpid(r->pid, &r->status, 0), r->pid,
			     "waitpid on the sensor: %s", strerror(errno));
		r->stopped = true;
	}
	sw_run_read(r);
	return r->status;
}

void sw_run_free(struct sw_run *r)
{
	size_t i;

	if (r->pid > 0 && !r->stopped) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
	}
	for (i = 0; i < r->nrecs; i++)
		jv_free(r->recs[i]);
	free(r->recs);
	free(r->text);
	if (r->out_fd > 0)
		close(r->out_fd);
	if (r->err_fd > 0)
		close(r->err_fd);
	if (r->lock[0])
		unlink(r->lock);
	if (r->pins[0])
		sw_rmtree(r->pins);
	memset(r, 0, sizeof(*r));
}

const char *sw_run_stderr(struct sw_run *r)
{
	static char buf[8192];
	ssize_t n = pread(r->err_fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static bool is_record_of(const struct jv *rec, const char *want, pid_t pid)
{
	const struct jv *type = jv_get(rec, "type");
	const struct jv *p = jv_get(rec, "process.pid");

	return type && jv_str(type) && !strcmp(jv_str(type), want) && p &&
	       jv_type(p) == JV_NUMBER && jv_num(p) == pid;
}

static bool is_exec_of(const struct jv *rec, pid_t pid)
{
	return is_record_of(rec, "exec", pid);
}

size_t sw_run_records(struct sw_run *r, const char *type, pid_t pid,
		      const struct jv **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrecs; i++) {
		if (!is_record_of(r->recs[i], type, pid))
			continue;
		if (n < max)
			out[n] = r->recs[i];
		n++;
	}
	return n;
}

const struct jv *sw_run_wait_record(struct sw_run *r, const char *type,
				    pid_t pid, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	const struct jv *rec;

	for (;;) {
		sw_run_read(r);
		if (sw_run_records(r, type, pid, &rec, 1))
			return rec;
		if (now_ms() >= deadline)
			return NULL;
		usleep(5000);
	}
}

size_t sw_run_count_exec(struct sw_run *r, pid_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < r->nrecs; i++)
		n += is_exec_of(r->recs[i], pid);
	return n;
}

const struct jv *sw_run_wait_exec(struct sw_run *r, pid_t pid, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t i;

	for (;;) {
		sw_run_read(r);
		for (i = 0; i < r->nrecs; i++)
			if (is_exec_of(r->recs[i], pid))
				return r->recs[i];
		if (now_ms() >= deadline)
			return NULL;
		usleep(5000);
	}
}

static bool has_str(const struct jv *rec, const char *dotted, const char *want)
{
	const struct jv *v = jv_get(rec, dotted);

	return v && jv_type(v) == JV_STRING && jv_strlen(v) == strlen(want) &&
	       !memcmp(jv_str(v), want, strlen(want));
}

const struct jv *sw_run_wait_where(struct sw_run *r, const char *type,
				   const char *dotted, const char *want,
				   int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;
	size_t i;

	for (;;) {
		sw_run_read(r);
		for (i = 0; i < r->nrecs; i++)
			if (has_str(r->recs[i], "type", type) &&
			    has_str(r->recs[i], dotted, want))
				return r->recs[i];
		if (now_ms() >= deadline)
			return NULL;
		usleep(5000);
	}
}

const struct jv *sw_run_find_type(struct sw_run *r, const char *type)
{
	size_t i;

	sw_run_read(r);
	for (i = 0; i < r->nrecs; i++) {
		const struct jv *t = jv_get(r->recs[i], "type");

		/* in HEC format the record is the envelope's event */
		if (!t)
			t = jv_get(r->recs[i], "event.type");

		if (t && jv_str(t) && !strcmp(jv_str(t), type))
			return r->recs[i];
	}
	return NULL;
}

void sw_rmtree(const char *path)
{
	char *const argv[] = { "rm", "-rf", "--one-file-system", (char *)path,
			       NULL };

	sw_wait(sw_spawn("/bin/rm", argv));
}

int sw_capture(char *const argv[], char *out, size_t len, int *status)
{
	posix_spawn_file_actions_t fa;
	int fd = memfd_create("capture", MFD_CLOEXEC), err;
	ssize_t n;
	pid_t pid;

	cr_assert(fd >= 0, "memfd_create: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(err, 0, "posix_spawn %s: %s", argv[0], strerror(err));
	*status = sw_wait(pid);
	n = pread(fd, out, len - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	return n > 0 ? (int)n : 0;
}

pid_t sw_spawn(const char *path, char *const argv[])
{
	static char *const envp[] = {
		"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/tmp", "TERM=dumb",
		NULL,
	};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	/* posix_spawn, not fork: a test holding many records forks slowly */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	err = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	cr_assert_eq(err, 0, "posix_spawn %s: %s", path, strerror(err));
	return pid;
}

int sw_wait(pid_t pid)
{
	int status = -1;

	waitpid(pid, &status, 0);
	return status;
}

const struct jv *sw_run_wait_stats(struct sw_run *r, size_t from,
				   const char *dotted, double min, double max,
				   long ms)
{
	long deadline = sw_now_ms() + ms;
	const struct jv *rec;
	double v;

	for (;;) {
		sw_run_read(r);
		for (; from < r->nrecs; from++) {
			rec = r->recs[from];
			if (strcmp(jv_str(jv_get(rec, "type")) ?: "", "stats") ||
			    !jv_get(rec, dotted))
				continue;
			v = sw_field_num(rec, dotted);
			if (v >= min && v <= max)
				return rec;
		}
		if (sw_now_ms() > deadline)
			return NULL;
		usleep(20000);
	}
}
