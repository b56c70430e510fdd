// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --metrics on loopback: the counters a scrape reads follow the records,
 * and scrapers that stall, flood or send garbage never stall the sensor.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_assert.h"
#include "sw_proc.h"
#include "sw_run.h"

#define WAIT_MS		5000
#define RESP_MAX	(256 * 1024)

TestSuite(metrics_http, .timeout = 60);

/* start a sensor serving metrics on 127.0.0.1, any port; returns it */
static int start_serving(struct sw_run *r)
{
	static const char *const args[] = { "--metrics", "127.0.0.1:0", NULL };
	const char *err, *at;

	sw_run_start(r, args);
	err = sw_run_stderr(r);
	at = strstr(err, "metrics on http://127.0.0.1:");
	cr_assert_not_null(at, "no 'metrics on' line on stderr: %s", err);
	return atoi(at + strlen("metrics on http://127.0.0.1:"));
}

static int connect_to(int port)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert(fd >= 0, "socket: %s", strerror(errno));
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0,
		     "connect to 127.0.0.1:%d: %s", port, strerror(errno));
	return fd;
}

/* read until the server closes or timeout_ms passes; the bytes read */
static size_t read_all(int fd, char *buf, size_t len, int timeout_ms)
{
	long deadline = sw_now_ms() + timeout_ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len - 1 && sw_now_ms() < deadline) {
		if (poll(&p, 1, deadline - sw_now_ms()) <= 0)
			break;
		n = read(fd, buf + got, len - 1 - got);
		if (n <= 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	return got;
}

/* one request; the whole response in buf */
static void request(int port, const char *req, char *buf)
{
	int fd = connect_to(port);

	cr_assert_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	read_all(fd, buf, RESP_MAX, WAIT_MS);
	close(fd);
}

/* a sample's value in a scrape; -1 when absent */
static long sample(const char *text, const char *name)
{
	char want[256];
	const char *at;

	snprintf(want, sizeof(want), "\n%s ", name);
	at = strstr(text, want);
	return at ? strtol(at + strlen(want), NULL, 10) : -1;
}

Test(metrics_http, counters_follow_records)
{
	char *const sh[] = { "sh", "-c", ":", NULL };
	char *buf = malloc(RESP_MAX);
	struct sw_run r;
	long before, after, deadline;
	int port;
	pid_t pid;

	cr_assert_not_null(buf);
	port = start_serving(&r);
	request(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", buf);
	cr_assert_eq(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17), 0,
		     "response: %.200s", buf);
	cr_assert_not_null(strstr(buf, "Content-Type: text/plain; version=0.0.4"),
			   "no Prometheus content type: %.300s", buf);
	cr_assert_neq(sample(buf, "shellwatch_execs_total"), -1, "%s", buf);
	cr_assert_neq(sample(buf, "shellwatch_lost_total{cause=\"ringbuf_exec\"}"),
		      -1, "%s", buf);
	cr_assert_neq(sample(buf, "shellwatch_tracked_processes"), -1, "%s", buf);
	cr_assert_neq(sample(buf, "shellwatch_queue_bytes"), -1, "%s", buf);
	before = sample(buf, "shellwatch_records_total{type=\"exec\"}");
	cr_assert_geq(before, 0, "no exec record count: %s", buf);

	pid = sw_spawn("/bin/sh", sh);
	sw_wait(pid);
	cr_assert_not_null(sw_run_wait_exec(&r, pid, WAIT_MS),
			   "no exec record for sh %d", pid);
	/* the record was written, so the counter is already past it */
	request(port, "GET /metrics HTTP/1.0\r\n\r\n", buf);
	after = sample(buf, "shellwatch_records_total{type=\"exec\"}");
	cr_assert_gt(after, before, "exec records %ld, then %ld after sh %d",
		     before, after, pid);

	/* HEAD: the head only; other paths and methods refused */
	request(port, "HEAD /metrics HTTP/1.1\r\n\r\n", buf);
	cr_assert_eq(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17), 0, "HEAD: %.200s", buf);
	cr_assert_null(strstr(buf, "shellwatch_execs_total"), "HEAD has a body");
	request(port, "GET /etc/passwd HTTP/1.1\r\n\r\n", buf);
	cr_assert_eq(strncmp(buf, "HTTP/1.1 404 ", 13), 0, "other path: %.200s", buf);
	request(port, "POST /metrics HTTP/1.1\r\n\r\n", buf);
	cr_assert_eq(strncmp(buf, "HTTP/1.1 405 ", 13), 0, "POST: %.200s", buf);

	deadline = sw_now_ms();
	cr_assert_eq(sw_run_stop(&r), 0, "stop: %s", sw_run_stderr(&r));
	cr_assert_lt(sw_now_ms() - deadline, 3000, "stop took %ld ms",
		     sw_now_ms() - deadline);
	sw_run_free(&r);
	free(buf);
}

/*
 * Every slot held by scrapers that send nothing, more knocking, one
 * sending a head longer than any request: shells are still reported at
 * once, the silent ones are cut off at their deadline, and a scrape after
 * that is served.
 */
Test(metrics_http, hostile_scrapers)
{
	char *const sh[] = { "sh", "-c", ":", NULL };
	char *buf = malloc(RESP_MAX), junk[8192];
	int idle[8], big, i, port;
	struct sw_run r;
	long t0;
	pid_t pid;

	cr_assert_not_null(buf);
	port = start_serving(&r);
	for (i = 0; i < 8; i++)
		idle[i] = connect_to(port);
	memset(junk, 'A', sizeof(junk));
	big = connect_to(port);
	/* the server may cut it off midway: that is the point */
	(void)!write(big, junk, sizeof(junk));

	/* the loop runs on: a shell's record comes at once */
	pid = sw_spawn("/bin/sh", sh);
	sw_wait(pid);
	t0 = sw_now_ms();
	cr_assert_not_null(sw_run_wait_exec(&r, pid, WAIT_MS),
			   "no exec record for sh %d with the slots held", pid);
	cr_assert_lt(sw_now_ms() - t0, 1000, "the exec record took %ld ms",
		     sw_now_ms() - t0);

	/* the silent ones are closed by the server within its deadline */
	for (i = 0; i < 8; i++) {
		t0 = sw_now_ms();
		read_all(idle[i], buf, RESP_MAX, 4000);
		cr_assert_lt(sw_now_ms() - t0, 3900,
			     "idle connection %d still open after 4 s", i);
		close(idle[i]);
	}
	close(big);

	/* and a scraper after them is served */
	request(port, "GET /metrics HTTP/1.1\r\n\r\n", buf);
	cr_assert_eq(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17),
		     0, "scrape after the hostile ones: %.200s", buf);
	cr_assert_eq(sw_run_stop(&r), 0, "stop: %s", sw_run_stderr(&r));
	sw_run_free(&r);
	free(buf);
}

/* --metrics on a port in use: a clear error, exit 1 */
Test(metrics_http, port_in_use)
{
	struct sockaddr_in a = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), status;
	char addr[64], out[4096];

	sw_require_bpf();
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(fd, 1), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", ntohs(a.sin_port));
	{
		char *const argv[] = { getenv("SHELLWATCH"), "--metrics", addr,
				       "--pin-path", "", "--lock-file",
				       "/tmp/shellwatch-metrics-test.lock",
				       "--duration", "5", NULL };

		sw_capture(argv, out, sizeof(out), &status);
	}
	unlink("/tmp/shellwatch-metrics-test.lock");
	close(fd);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1,
		  "status %d: %s", status, out);
	cr_assert_not_null(strstr(out, "cannot serve metrics on"), "%s", out);
	cr_assert_not_null(strstr(out, "Address already in use"), "%s", out);
}
