// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Allowlist rules with the real sensor: a matching shell is absent and
 * counted, a non-matching one is present, SIGHUP switches rule sets, a bad
 * file at reload keeps the old rules, a bad file at start exits 2.
 */
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
#include "sw_run.h"

#define WAIT_MS	5000

static const char rules_a[] =
	"rules:\n"
	"  - name: quiet-marker-a\n"
	"    reason: test\n"
	"    match:\n"
	"      process.executable.name: [sh, dash]\n"
	"      process.command_line: \"*marker-a*\"\n"
	"  - name: raise-marker-r\n"
	"    risk_score: 80\n"
	"    match:\n"
	"      process.command_line: \"*marker-r*\"\n";

static const char rules_b[] =
	"rules:\n"
	"  - name: quiet-marker-b\n"
	"    match:\n"
	"      process.command_line: \"*marker-b*\"\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* run sh -c ': <marker>' and return its pid, reaped */
static pid_t run_marked(const char *marker)
{
	char cmd[64];
	const char *argv[] = { "sh", "-c", cmd, NULL };
	pid_t pid;

	snprintf(cmd, sizeof(cmd), ": %s", marker);
	pid = sw_spawn("/bin/sh", (char *const *)argv);
	sw_wait(pid);
	return pid;
}

/* wait until the sensor's stderr says text */
static void wait_stderr(struct sw_run *r, const char *text)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (strstr(sw_run_stderr(r), text))
			return;
		usleep(10000);
	}
	cr_assert_fail("stderr never said '%s': %s", text, sw_run_stderr(r));
}

/* a shell known to be reported: everything before it was handled */
static void barrier(struct sw_run *r)
{
	pid_t pid = run_marked("barrier");

	cr_assert_not_null(sw_run_wait_exec(r, pid, WAIT_MS), "barrier shell not reported");
}

static const struct jv *last_stats(struct sw_run *r)
{
	const struct jv *found = NULL;
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		const char *t = jv_str(jv_get(r->recs[i], "type"));

		if (t && !strcmp(t, "stats"))
			found = r->recs[i];
	}
	cr_assert_not_null(found, "no stats record");
	return found;
}

Test(rules, suppress_count_reload, .timeout = 60)
{
	char path[] = "/tmp/shellwatch-rules-XXXXXX";
	const char *args[] = { "--no-scan", "--rules", path, NULL };
	const struct jv *rec, *stats;
	pid_t a1, r1, b1, a2, b2, a3, b3;
	struct sw_run r;
	int fd;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	write_file(path, rules_a);
	sw_run_start(&r, args);

	a1 = run_marked("marker-a");
	r1 = run_marked("marker-r");
	b1 = run_marked("marker-b");
	rec = sw_run_wait_exec(&r, r1, WAIT_MS);
	cr_assert_not_null(rec, "a shell under a risk_score rule was not reported");
	sw_assert_num(rec, "detection.risk_score", 80, "risk rule");
	sw_assert_str(rec, "detection.risk_rule", "raise-marker-r", "risk rule");
	cr_assert_not_null(sw_run_wait_exec(&r, b1, WAIT_MS),
			   "a shell no rule matches was not reported");

	/* SIGHUP: rule set b replaces a */
	write_file(path, rules_b);
	kill(r.pid, SIGHUP);
	wait_stderr(&r, "loaded 1 rules");
	a2 = run_marked("marker-a");
	b2 = run_marked("marker-b");
	cr_assert_not_null(sw_run_wait_exec(&r, a2, WAIT_MS),
			   "after the reload, marker-a is no longer allowed but was not reported");

	/* a bad file at reload keeps rule set b */
	write_file(path, "rules:\n  - name: broken\n    match: [\n");
	kill(r.pid, SIGHUP);
	wait_stderr(&r, "kept the 1 rules in force");
	cr_assert_not_null(strstr(sw_run_stderr(&r), path),
			   "the reload error does not name the file: %s",
			   sw_run_stderr(&r));
	a3 = run_marked("marker-a");
	b3 = run_marked("marker-b");
	cr_assert_not_null(sw_run_wait_exec(&r, a3, WAIT_MS));
	barrier(&r);

	cr_assert_eq(sw_run_stop(&r), 0);
	cr_assert_eq(sw_run_count_exec(&r, a1), 0, "suppressed shell was reported");
	cr_assert_eq(sw_run_count_exec(&r, b2), 0, "suppressed shell (rules b) was reported");
	cr_assert_eq(sw_run_count_exec(&r, b3), 0, "old rules were not kept after a bad reload");
	stats = last_stats(&r);
	sw_assert_num(stats, "stats.suppressed", 3, "suppressed count");
	cr_assert_eq(jv_num(jv_val_at(jv_get(stats, "stats.rule_hits"), 0)), 2,
		     "rule quiet-marker-b hit %g times, want 2",
		     jv_num(jv_val_at(jv_get(stats, "stats.rule_hits"), 0)));
	sw_run_free(&r);
	unlink(path);
}

Test(rules, show_suppressed_marks_the_record, .timeout = 30)
{
	char path[] = "/tmp/shellwatch-rules-XXXXXX";
	const char *args[] = { "--no-scan", "--rules", path, "--show-suppressed", NULL };
	const struct jv *rec;
	struct sw_run r;
	pid_t pid;
	int fd;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	write_file(path, rules_a);
	sw_run_start(&r, args);
	pid = run_marked("marker-a");
	rec = sw_run_wait_exec(&r, pid, WAIT_MS);
	cr_assert_not_null(rec, "--show-suppressed did not write the suppressed shell");
	sw_assert_str(rec, "suppressed_by", "quiet-marker-a", "show suppressed");
	sw_assert_none(rec, "detection", "a suppressed shell");
	sw_run_stop(&r);
	sw_run_free(&r);
	unlink(path);
}

Test(rules, bad_file_at_start_exits_2)
{
	char path[] = "/tmp/shellwatch-rules-XXXXXX";
	char err[512] = "", want[128];
	int fd, efd, status;
	pid_t pid;

	sw_require_bpf();
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	write_file(path, "rules:\n  - name: x\n    match:\n      no.such.field: 1\n");
	efd = memfd_create("err", 0);
	pid = fork();
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(efd, 2);
		execl(getenv("SHELLWATCH"), "shellwatch", "--rules", path, NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		  "a bad rules file gave status %d, want exit 2", status);
	cr_assert(pread(efd, err, sizeof(err) - 1, 0) > 0);
	snprintf(want, sizeof(want), "%s:4:7:", path);
	cr_assert_not_null(strstr(err, want), "stderr '%s' lacks '%s'", err, want);
	close(efd);
	unlink(path);
}
