// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --format pretty through the real sensor: a shell whose name and argv
 * carry terminal escapes, line overwrites, bidi overrides and invalid
 * UTF-8 is shown with each escaped, and nothing a terminal acts on reaches
 * stdout; colour only on a terminal and never with NO_COLOR.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <criterion/criterion.h>
#include "sw_proc.h"
#include "sw_run.h"

#define WAIT_MS	5000
#define HOSTILE_NAME	"x\x1b]0;title\x07sh"

/* the line of text holding needle, waiting up to timeout_ms; NULL if none */
static const char *wait_text(struct sw_run *r, const char *needle,
			     int timeout_ms)
{
	long deadline = sw_now_ms() + timeout_ms;
	const char *s;

	for (;;) {
		sw_run_read(r);
		s = r->text ? strstr(r->text, needle) : NULL;
		if (s || sw_now_ms() >= deadline)
			return s;
		usleep(20000);
	}
}

Test(pretty_run, hostile_shell_escaped, .timeout = 60)
{
	static const char *const args[] = { "--format", "pretty", "--no-scan",
					     "--window", "1", NULL };
	static const char want[] = "/x\\e]0;title\\x07sh -c \"exit 0\" "
		"evil\\rgood \\u202efdp.exe \\ufffd\\ufffd \"\" AAAA";
	char dir[] = "/tmp/sw-pretty-XXXXXX", link[128], needle[64];
	static char long_arg[5000];
	char *argv[10];
	struct sw_run r;
	const char *line, *end;
	size_t i;
	pid_t pid;

	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	snprintf(link, sizeof(link), "%s/" HOSTILE_NAME, dir);
	cr_assert_eq(symlink("/bin/bash", link), 0, "symlink: %s", strerror(errno));
	memset(long_arg, 'A', sizeof(long_arg) - 1);

	sw_run_start(&r, args);
	argv[0] = link;
	argv[1] = "-c";
	argv[2] = "exit 0";
	argv[3] = "evil\rgood";
	argv[4] = "\xe2\x80\xae" "fdp.exe";
	argv[5] = "\xff\xfe";
	argv[6] = "";
	argv[7] = long_arg;
	argv[8] = NULL;
	pid = sw_spawn(link, argv);
	cr_assert_eq(sw_wait(pid), 0, "the hostile shell failed");
	snprintf(needle, sizeof(needle), " %d ", pid);
	line = wait_text(&r, needle, WAIT_MS);
	cr_assert_not_null(line, "no line for pid %d within %d ms: %s", pid,
			   WAIT_MS, r.text);
	sw_run_stop(&r);

	line = strstr(r.text, needle);
	while (line > r.text && line[-1] != '\n')
		line--;
	end = strchr(line, '\n');
	cr_assert_not_null(end, "exec line does not end");
	cr_assert_not_null(memmem(line, end - line, "bash ", 5),
			   "no shell column: %.*s", (int)(end - line), line);
	cr_assert_not_null(memmem(line, end - line, want, strlen(want)),
			   "argv not escaped as expected: %.*s\nwant: %s",
			   (int)(end - line), line, want);
	cr_assert_not_null(memmem(line, end - line, "truncated)", 10),
			   "the cut argv is not marked: %.*s", (int)(end - line), line);
	cr_assert_lt(end - line, 4096, "a %zd-byte line: the command was not cut",
		     end - line);
	/* nothing a terminal acts on, anywhere in the output */
	for (i = 0; i < r.len; i++) {
		unsigned char b = r.text[i];

		cr_assert(b >= 0x20 || b == '\n', "control byte 0x%02x at %zu: %.80s",
			  b, i, r.text + (i > 40 ? i - 40 : 0));
		cr_assert(b != 0x7f && b != 0xff && b != 0xfe, "byte 0x%02x at %zu",
			  b, i);
	}
	cr_assert_null(memmem(r.text, r.len, "\xe2\x80\xae", 3),
		       "U+202E reached the terminal");
	cr_assert_null(memmem(r.text, r.len, "{\"type\"", 7), "JSON in pretty output");
	sw_run_free(&r);
	unlink(link);
	rmdir(dir);
}

/* run the sensor briefly with stdout on a terminal; what it wrote */
static void run_on_tty(bool no_color, char *out, size_t len)
{
	const char *bin = getenv("SHELLWATCH");
	char lock[64], pins[64];
	int m, s, status;
	size_t got = 0;
	pid_t pid;

	sw_require_bpf();
	snprintf(lock, sizeof(lock), "/tmp/shellwatch-test-%d.lock", getpid());
	snprintf(pins, sizeof(pins), "/sys/fs/bpf/shellwatch-test-%d", getpid());
	m = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert_geq(m, 0, "posix_openpt: %s", strerror(errno));
	cr_assert(!grantpt(m) && !unlockpt(m), "grantpt: %s", strerror(errno));
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	cr_assert_geq(s, 0, "open %s: %s", ptsname(m), strerror(errno));
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		dup2(s, 1);
		setenv("TERM", "xterm", 1);
		if (no_color)
			setenv("NO_COLOR", "1", 1);
		else
			unsetenv("NO_COLOR");
		execl(bin, bin, "--format", "pretty", "--no-scan", "--duration",
		      "1", "--lock-file", lock, "--pin-path", pins, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	unlink(lock);
	sw_rmtree(pins);
	cr_assert(WIFEXITED(status) && !WEXITSTATUS(status),
		  "the sensor on a terminal exited with status %d", status);
	/* the slave stays open: what the sensor wrote is there to read */
	for (;;) {
		struct pollfd pfd = { .fd = m, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 200) <= 0 || got + 1 >= len)
			break;
		n = read(m, out + got, len - 1 - got);
		if (n <= 0)
			break;
		got += n;
	}
	out[got] = '\0';
	close(s);
	close(m);
}

Test(pretty_run, colour_on_a_terminal_only_without_no_color, .timeout = 60)
{
	static char out[65536];

	run_on_tty(false, out, sizeof(out));
	cr_assert_not_null(strstr(out, " started on node "), "no start line: %s", out);
	cr_assert_not_null(strstr(out, "\033[1m"), "no colour on a terminal: %s", out);
	run_on_tty(true, out, sizeof(out));
	cr_assert_not_null(strstr(out, " started on node "), "no start line: %s", out);
	cr_assert_null(strchr(out, 0x1b), "colour with NO_COLOR=1: %s", out);
}
