// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Pins for bpftool and the liveness check: present while the sensor runs,
 * dumped by field name, gone after a clean stop, replaced after SIGKILL,
 * never taken from a live sensor, never made outside a BPF filesystem.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define OUT_LEN		(256 * 1024)

static char pin_dir[64];

static void pins_init(void)
{
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/shellwatch-pins-%d",
		 getpid());
}

static void pins_fini(void)
{
	sw_rmtree(pin_dir);
}

TestSuite(pins, .init = pins_init, .fini = pins_fini, .timeout = 60);

static void start_pinned(struct sw_run *r)
{
	const char *args[] = { "--pin-path", pin_dir, NULL };

	sw_run_start(r, args);
}

/* run shellwatch --check on the pins; its exit status, output in out */
static int check(char *out, size_t len)
{
	char *const argv[] = { getenv("SHELLWATCH"), "--check", "--pin-path",
			       pin_dir, NULL };
	int status;

	sw_capture(argv, out, len, &status);
	cr_assert(WIFEXITED(status), "--check did not exit: status %d", status);
	return WEXITSTATUS(status);
}

/* bpftool -j ... into out; fails the test unless it succeeds */
static void bpftool(char *out, const char *what, const char *obj,
		    const char *sub)
{
	char path[256];
	char *const argv[] = { "bpftool", "-j", (char *)what, (char *)sub,
			       "pinned", path, NULL };
	int status;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, obj);
	sw_capture(argv, out, OUT_LEN, &status);
	cr_assert_eq(status, 0, "bpftool %s %s pinned %s: status %d: %s", what,
		     sub, path, status, out);
}

static bool exists(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", pin_dir, rel);
	return !access(path, F_OK);
}

/* the id of a pinned program, from bpftool */
static long prog_id(const char *name)
{
	char *out = malloc(OUT_LEN), obj[64];
	const char *id;
	long v;

	cr_assert_not_null(out);
	snprintf(obj, sizeof(obj), "progs/%s", name);
	bpftool(out, "prog", obj, "show");
	id = strstr(out, "\"id\":");
	cr_assert_not_null(id, "no id in bpftool prog show: %s", out);
	v = strtol(id + 5, NULL, 10);
	free(out);
	return v;
}

static void assert_has(const char *out, const char *want, const char *what)
{
	cr_assert_not_null(strstr(out, want), "%s: expected %s in: %.2000s",
			   what, want, out);
}

Test(pins, present_dumped_by_name_and_removed)
{
	static const char *const maps[] = {
		"events", "shell_names", "tracked", "stats", "heartbeat",
		"rodata",
	};
	static const char *const progs[] = {
		"handle_exec", "handle_fork", "handle_exit", "handle_switch",
		"sample_tasks",
		"dump_tracked",
	};
	char *const sh[] = { "sh", "-c", "sleep 30; :", NULL };
	char *out = malloc(OUT_LEN), want[64], path[128];
	struct sw_run r;
	size_t i;
	pid_t pid;

	cr_assert_not_null(out);
	start_pinned(&r);
	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		snprintf(path, sizeof(path), "maps/%s", maps[i]);
		cr_assert(exists(path), "no pin %s/%s while running", pin_dir,
			  path);
	}
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		snprintf(path, sizeof(path), "progs/%s", progs[i]);
		cr_assert(exists(path), "no pin %s/%s while running", pin_dir,
			  path);
	}

	/* a shell to find among the counters and the tracked processes */
	pid = sw_spawn("/bin/sh", sh);
	cr_assert_not_null(sw_run_wait_exec(&r, pid, WAIT_MS),
			   "no exec record for sh %d", pid);

	/* every dump names its fields through BTF */
	bpftool(out, "map", "maps/stats", "dump");
	assert_has(out, "\"execs\":", "stats");
	assert_has(out, "\"shells\":", "stats");
	assert_has(out, "\"lost_ringbuf\":", "stats");
	bpftool(out, "map", "maps/shell_names", "dump");
	assert_has(out, "\"key\":\"bash\"", "shell_names");
	assert_has(out, "\"kind\":1", "shell_names");
	assert_has(out, "\"key\":\"busybox\"", "shell_names");
	bpftool(out, "map", "maps/rodata", "dump");
	assert_has(out, "\"cgroup_v1_subsys\":", "rodata");
	bpftool(out, "map", "maps/heartbeat", "dump");
	snprintf(want, sizeof(want), "\"pid\":%d", r.pid);
	assert_has(out, want, "heartbeat");
	assert_has(out, "\"attached\":", "heartbeat");

	/* the tracked processes, through the pinned iterator */
	{
		char *const cat[] = { "cat", path, NULL };
		int status;

		snprintf(path, sizeof(path), "%s/tracked", pin_dir);
		sw_capture(cat, out, OUT_LEN, &status);
		cr_assert_eq(status, 0, "cat %s: %s", path, out);
		assert_has(out, "pid      ppid     comm", "tracked");
		snprintf(want, sizeof(want), "\n%-8d ", pid);
		assert_has(out, want, "tracked");
	}

	cr_assert_eq(check(out, OUT_LEN), 0, "--check on a live sensor: %s",
		     out);
	assert_has(out, "alive", "--check");

	kill(pid, SIGKILL);
	sw_wait(pid);
	cr_assert_eq(sw_run_stop(&r), 0, "clean stop: %s", sw_run_stderr(&r));
	cr_assert(access(pin_dir, F_OK) && errno == ENOENT,
		  "%s is still there after a clean stop", pin_dir);
	cr_assert_eq(check(out, OUT_LEN), 1, "--check after a stop: %s", out);
	assert_has(out, "not running", "--check after a stop");
	sw_run_free(&r);
	free(out);
}

Test(pins, replaced_after_sigkill)
{
	char *out = malloc(OUT_LEN);
	struct sw_run r;
	long old_id, new_id;

	cr_assert_not_null(out);
	start_pinned(&r);
	old_id = prog_id("handle_exec");
	kill(r.pid, SIGKILL);
	waitpid(r.pid, NULL, 0);
	r.stopped = true;
	sw_run_free(&r);

	/* a crash leaves the pins, and the check sees the sensor is gone */
	cr_assert(exists("maps/heartbeat") && exists("progs/handle_exec"),
		  "the pins went away with a SIGKILL'd sensor");
	cr_assert_eq(check(out, OUT_LEN), 1, "--check after SIGKILL: %s", out);
	assert_has(out, "is gone", "--check after SIGKILL");

	/* the next sensor replaces them with its own */
	start_pinned(&r);
	new_id = prog_id("handle_exec");
	cr_assert_neq(new_id, old_id, "handle_exec still the dead sensor's (%ld)",
		      old_id);
	cr_assert_eq(check(out, OUT_LEN), 0, "--check on the new sensor: %s",
		     out);
	cr_assert_eq(sw_run_stop(&r), 0, "clean stop: %s", sw_run_stderr(&r));
	cr_assert(access(pin_dir, F_OK), "%s left after a clean stop", pin_dir);
	sw_run_free(&r);
	free(out);
}

/* two sensors with their own locks but one pin path: the second refuses */
Test(pins, live_sensor_keeps_its_pins)
{
	char *out = malloc(OUT_LEN), lock2[64];
	struct sw_run a;
	long id;

	cr_assert_not_null(out);
	start_pinned(&a);
	id = prog_id("handle_exec");
	snprintf(lock2, sizeof(lock2), "/tmp/shellwatch-pins2-%d.lock",
		 getpid());
	{
		char *const argv[] = { getenv("SHELLWATCH"), "--pin-path", pin_dir,
				       "--lock-file", lock2, "--duration", "5",
				       NULL };
		int status;

		sw_capture(argv, out, OUT_LEN, &status);
		unlink(lock2);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1,
			  "second sensor on the same pins: status %d: %s",
			  status, out);
	}
	assert_has(out, "uses the pins", "second sensor");
	cr_assert_eq(prog_id("handle_exec"), id, "the live sensor's pins were replaced");
	cr_assert_eq(check(out, OUT_LEN), 0, "--check after the refusal: %s", out);
	sw_run_stop(&a);
	sw_run_free(&a);
	free(out);
}

/* a pin path outside a BPF filesystem is refused, and never emptied */
Test(pins, refuses_other_filesystems)
{
	char dir[] = "/tmp/shellwatch-pins-XXXXXX", keep[96], pins[96];
	char *out = malloc(OUT_LEN);
	int status;

	cr_assert_not_null(out);
	cr_assert_not_null(mkdtemp(dir));
	snprintf(keep, sizeof(keep), "%s/keep", dir);
	snprintf(pins, sizeof(pins), "%s/pins", dir);
	cr_assert_eq(mkdir(pins, 0700), 0);
	fclose(fopen(keep, "w"));
	{
		char *const argv[] = { getenv("SHELLWATCH"), "--pin-path", pins,
				       "--lock-file", "/tmp/shellwatch-pins3.lock",
				       "--duration", "5", NULL };

		sw_capture(argv, out, OUT_LEN, &status);
	}
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		  "--pin-path %s: status %d: %s", pins, status, out);
	assert_has(out, "is not a BPF filesystem", "--pin-path on tmpfs");
	cr_assert_eq(access(keep, F_OK), 0, "a file beside the pin path went away");
	sw_rmtree(dir);
	unlink("/tmp/shellwatch-pins3.lock");
	free(out);
}
