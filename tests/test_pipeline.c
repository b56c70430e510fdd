// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The pipeline from ring records to its sinks: decode, identity, verdict,
 * track, with fake sinks that list what they were handed and format
 * nothing. Records leave in the order they came, a record behind a parked
 * one waits its turn, and an allowlist verdict is decided once, at the
 * shell's exec, for its commands, windows and exit too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "clock.h"
#include "events.h"
#include "identity.h"
#include "rule_fields.h"
#include "shells.h"
#include "sw_cgroup.h"
#include "sw_ring.h"

#define CID	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID	"4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9"
#define MAX_HANDED	32

static const char pod_v1[] = CID "\0pod" UID "\0burstable\0kubepods";
static const char cat_argv[] = "cat\0/etc/shadow";

/* one thing a sink was handed: 'e' exec, 'c' command, 'w' window, 'x' exit */
struct handed {
	char kind;
	uint32_t pid;
	char suppressed_by[32];
	char pod[32];		/* k8s.pod.name of an exec, cut; "" when none */
};

static struct {
	char logs[64];
	struct shell_set shells;
	struct sw_context ctx;
	struct output out;	/* events_init() wants one: nothing goes there */
	struct identity id;
	struct tracker tr;
	struct events ev;
	struct exec_sink exec_sink;
	struct tracker_sink track_sink;
	struct handed got[MAX_HANDED];
	size_t n;
} st;

static struct handed *hand(char kind, uint32_t pid, const char *by)
{
	struct handed *h;

	cr_assert_lt(st.n, MAX_HANDED, "the sinks were handed too much");
	h = &st.got[st.n++];
	memset(h, 0, sizeof(*h));
	h->kind = kind;
	h->pid = pid;
	snprintf(h->suppressed_by, sizeof(h->suppressed_by), "%s",
		 by ? by : "");
	return h;
}

static int got_exec(void *ctx, struct exec_view *v)
{
	const struct pod_ident *pod = &v->pod;
	struct handed *h = hand('e', v->ex->pid, v->verdict.suppressed_by);

	(void)ctx;
	snprintf(h->pod, sizeof(h->pod), "%.31s", pod->pod_name);
	return 1;
}

static int got_command(void *ctx, struct exec_view *v, const char *by)
{
	(void)ctx;
	hand('c', v->ex->pid, by);
	return 1;
}

static const char *proc_by(const struct proc *p)
{
	return p->ident ? p->ident->suppressed_by : NULL;
}

static int got_window(void *ctx, struct proc *p, const struct window_measure *m)
{
	(void)ctx;
	(void)m;
	hand('w', p->pid, proc_by(p));
	return 1;
}

static int got_exit(void *ctx, struct proc *p, const struct sw_exit_info *x)
{
	(void)ctx;
	(void)x;
	hand('x', p->pid, proc_by(p));
	return 1;
}

static void setup(void)
{
	struct sw_tree t = { .n = 0 };
	char err[128];
	int fd;

	memset(&st, 0, sizeof(st));
	snprintf(st.logs, sizeof(st.logs), "/tmp/sw-pipeline-XXXXXX");
	cr_assert_not_null(mkdtemp(st.logs));
	sw_make_tree(st.logs, "containers", &t);
	cr_assert_eq(shells_parse(&st.shells, "sh", err, sizeof(err)), 0, "%s",
		     err);
	st.ctx = (struct sw_context){
		.host_name = "node", .node_name = "node",
		.cluster_name = "test", .boot_id = "0badcafe",
		.shells = &st.shells,
	};
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(output_init(&st.out, fd, 1 << 16), 0);
	cr_assert_eq(identity_init(&st.id, st.logs), 0);
	st.track_sink = (struct tracker_sink){ got_window, got_exit, NULL };
	cr_assert_eq(tracker_init(&st.tr, &st.track_sink, &st.ctx,
				  10 * NSEC_PER_SEC, false), 0);
	st.tr.trail = true;
	cr_assert_eq(events_init(&st.ev, &st.out, &st.ctx, NULL), 0);
	st.exec_sink = (struct exec_sink){ got_exec, got_command, NULL };
	st.ev.sink = &st.exec_sink;
	st.ev.identity = &st.id;
	st.ev.tracker = &st.tr;
}

static void teardown(void)
{
	int fd = st.out.fd;

	events_destroy(&st.ev);
	tracker_destroy(&st.tr);
	identity_destroy(&st.id);
	cr_assert_eq(st.out.seq, 0, "the pipeline wrote %llu records itself",
		     (unsigned long long)st.out.seq);
	output_destroy(&st.out);
	close(fd);
	sw_remove_dir(st.logs);
	rules_free(st.ev.rules);
}

TestSuite(pipeline, .init = setup, .fini = teardown);

/* a ring record into the pipeline */
static void ring(const struct sw_ring_exec *e)
{
	size_t size;
	void *rec = sw_ring_exec(e, &size);

	cr_assert_eq(events_on_ring(&st.ev, rec, size), 0,
		     "the pipeline refused pid %u's record", e->pid);
	free(rec);
}

static void shell(uint32_t pid, bool in_pod)
{
	ring(&(struct sw_ring_exec){
		.pid = pid,
		.v1 = in_pod ? pod_v1 : NULL,
		.v1_len = in_pod ? sizeof(pod_v1) : 0,
	});
}

/* cat, exec'd in the session of the shell sess */
static void command(uint32_t pid, uint32_t sess)
{
	ring(&(struct sw_ring_exec){
		.type = SW_EVENT_COMMAND,
		.pid = pid,
		.flags = SW_F_TRAIL,
		.comm = "cat",
		.argv = cat_argv,
		.argv_len = sizeof(cat_argv),
		.trail = {
			.sess_pid = sess,
			.sess_start_ns = SW_RING_START(sess),
			.sess_exec_ns = SW_RING_START(sess),
		},
	});
}

static void exits(uint32_t pid)
{
	struct sw_proc_event pe = {
		.type = SW_EVENT_EXIT, .pid = pid,
		.time_ns = SW_RING_START(pid) + NSEC_PER_SEC,
		.start_ns = SW_RING_START(pid),
		.cpu = { 1000, 0, 1000 },
		.rss_pages = 10,
	};

	cr_assert_eq(events_on_ring(&st.ev, &pe, sizeof(pe)), 0);
}

/* the sinks were handed exactly want ("e101 c103 x101"), in order */
static void expect_handed(const char *want, const char *what)
{
	char got[512] = "";
	size_t i, len = 0;

	for (i = 0; i < st.n && len < sizeof(got) - 16; i++)
		len += snprintf(got + len, sizeof(got) - len, "%s%c%u",
				i ? " " : "", st.got[i].kind, st.got[i].pid);
	cr_assert_str_eq(got, want, "%s: the sinks were handed \"%s\", want \"%s\"",
			 what, got, want);
}

Test(pipeline, records_leave_in_ring_order_around_a_parked_one)
{
	shell(100, false);
	/* a shell in a container the kubelet has not linked yet */
	shell(101, true);
	/* behind it: a host shell, a command of the first, the pod's end
	 * (its last window and its exit) */
	shell(102, false);
	command(103, 100);
	exits(101);
	expect_handed("e100", "while the pod's shell waits for its names");
	cr_assert_eq(park_count(&st.ev.park), 4,
		     "%zu records parked, want the pod's exec and 3 behind it",
		     park_count(&st.ev.park));
	cr_assert_eq(events_release(&st.ev, 16), 0, "released before its names");

	sw_log_link(st.logs, "web-5d8f", "shop", UID, "app", CID);
	identity_update(&st.id);
	cr_assert_eq(events_release(&st.ev, 16), 4);
	expect_handed("e100 e101 e102 c103 w101 x101", "after the link appeared");
	cr_assert_str_eq(st.got[1].pod, "web-5d8f",
			 "the parked shell went without its pod's name");
	cr_assert_eq(st.ev.park.st.waited, 1);
	cr_assert_eq(st.ev.park.st.held, 3);
	cr_assert_eq(st.ev.reported, 3, "%llu exec records, want 3",
		     (unsigned long long)st.ev.reported);
}

/* the link never comes: the record goes at its deadline, and no later */
Test(pipeline, a_parked_record_goes_at_its_deadline)
{
	uint64_t deadline;

	shell(201, true);
	shell(202, false);
	deadline = events_next_deadline(&st.ev);
	cr_assert_gt(deadline, clock_boot_now(), "no deadline ahead");
	cr_assert_leq(deadline, clock_boot_now() +
		      IDENTITY_WAIT_MS * (NSEC_PER_SEC / 1000),
		      "the deadline is further than %d ms", IDENTITY_WAIT_MS);
	/* the deadline is the event waited on */
	while (clock_boot_now() < deadline)
		usleep(1000);
	cr_assert_eq(events_release(&st.ev, 16), 2);
	expect_handed("e201 e202", "at the deadline");
	cr_assert_str_eq(st.got[0].pod, "", "names from nowhere");
	cr_assert_eq(st.ev.park.st.expired, 1);
	/* its container does not make the next records wait again */
	shell(203, true);
	expect_handed("e201 e202 e203", "the same container once given up on");
}

static void rules(const char *yaml)
{
	char err[256];

	rules_free(st.ev.rules);
	st.ev.rules = rule_fields_parse("t.yaml", yaml, strlen(yaml), err,
					sizeof(err));
	cr_assert_not_null(st.ev.rules, "%s", err);
}

static const char quiet_rules[] =
	"rules:\n"
	"  - name: quiet-probe\n"
	"    match:\n"
	"      process.command_line: \"sh -c :\"\n";

/*
 * The rule matches the shell, not its command: the command is suppressed
 * with its session, without being judged itself. After a reload that
 * drops the rule, the shell's later commands and its exit keep the
 * verdict of its exec; a shell after the reload is judged by the new rules.
 */
Test(pipeline, suppression_is_decided_once_at_the_exec)
{
	rules(quiet_rules);
	shell(300, false);
	command(301, 300);
	expect_handed("", "a suppressed session");
	cr_assert_eq(st.ev.suppressed, 1);
	cr_assert_eq(st.ev.commands_suppressed, 1);
	cr_assert_eq(rules_hits(st.ev.rules, 0), 1,
		     "the rule was judged %llu times, want once (the exec)",
		     (unsigned long long)rules_hits(st.ev.rules, 0));

	/* the reload: no rules */
	rules_free(st.ev.rules);
	st.ev.rules = NULL;
	command(302, 300);
	exits(300);
	shell(303, false);
	expect_handed("e303", "after the reload");
	cr_assert_eq(st.ev.commands_suppressed, 2,
		     "the session's command after the reload was judged again");
	cr_assert_str_eq(st.got[0].suppressed_by, "");
}

/* --show-suppressed: the same decisions, handed on with the rule's name */
Test(pipeline, shown_suppression_carries_the_rule_everywhere)
{
	size_t i;

	st.ev.show_suppressed = true;
	st.tr.show_suppressed = true;
	rules(quiet_rules);
	shell(400, false);
	command(401, 400);
	exits(400);
	expect_handed("e400 c401 w400 x400", "a shown suppressed session");
	for (i = 0; i < st.n; i++)
		cr_assert_str_eq(st.got[i].suppressed_by, "quiet-probe",
				 "%c%u was handed without its session's rule",
				 st.got[i].kind, st.got[i].pid);
	cr_assert_eq(rules_hits(st.ev.rules, 0), 1,
		     "the rule was judged %llu times, want once",
		     (unsigned long long)rules_hits(st.ev.rules, 0));
	cr_assert_eq(st.ev.reported, 0, "a suppressed shell counted as reported");
}
