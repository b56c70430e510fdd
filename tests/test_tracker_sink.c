// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The tracker hands windows and exits to a sink, in order, and formats
 * nothing: a fake sink lists what it was handed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "exec_view.h"
#include "tracker.h"

#define SEC		1000000000ULL
#define BOOT_ID		"deadbeef"

/* what the fake sink was handed, in order */
struct handed {
	char kind;		/* 'w' window, 'x' exit */
	uint32_t pid;
	char exec_id[EXEC_ID_LEN];
	char suppressed_by[32];
};

struct fake_sink {
	struct tracker_sink sink;
	struct handed got[16];
	size_t n;
	int answer;		/* what the callbacks return */
};

static void hand(struct fake_sink *fs, char kind, const struct proc *p)
{
	struct handed *h;

	cr_assert_lt(fs->n, sizeof(fs->got) / sizeof(fs->got[0]));
	h = &fs->got[fs->n++];
	h->kind = kind;
	h->pid = p->pid;
	snprintf(h->exec_id, sizeof(h->exec_id), "%s", p->exec_id);
	snprintf(h->suppressed_by, sizeof(h->suppressed_by), "%s",
		 p->ident && p->ident->suppressed_by ? p->ident->suppressed_by :
						       "");
}

static int got_window(void *ctx, struct proc *p, const struct window_measure *m)
{
	(void)m;
	hand(ctx, 'w', p);
	return ((struct fake_sink *)ctx)->answer;
}

static int got_exit(void *ctx, struct proc *p, const struct sw_exit_info *x)
{
	(void)x;
	hand(ctx, 'x', p);
	return ((struct fake_sink *)ctx)->answer;
}

static struct fake_sink fs;
static struct tracker tr;
static struct sw_context ctx = {
	.format = SW_FORMAT_JSON,
	.fields = SW_FIELDS_FULL,
	.host_name = "node-a",
	.boot_id = BOOT_ID,
};

static void setup(void)
{
	memset(&fs, 0, sizeof(fs));
	fs.sink = (struct tracker_sink){ got_window, got_exit, &fs };
	fs.answer = 1;
	cr_assert_eq(tracker_init(&tr, &fs.sink, &ctx, 10 * SEC, false), 0);
	tr.page_size = 4096;
	tr.mem_total = 1ULL << 32;
	tr.ncpu = 2;
}

static void teardown(void)
{
	tracker_destroy(&tr);
}

/* a shell exec at 1 s, its verdict already given */
static void exec_shell(uint32_t pid, const char *suppressed_by)
{
	struct sw_exec *ex = calloc(1, sizeof(*ex));
	struct exec_view *v = malloc(sizeof(*v));

	cr_assert(ex && v);
	ex->pid = pid;
	ex->start_ns = SEC;
	ex->exec_ns = SEC;
	snprintf(ex->comm, sizeof(ex->comm), "sh");
	snprintf(ex->shell, sizeof(ex->shell), "sh");
	exec_view_init(v, ex, NULL, &ctx);
	v->verdict.suppressed_by = suppressed_by;
	cr_assert_eq(tracker_exec(&tr, v), 0);
	free(v);
	free(ex);
}

static void fork_child(uint32_t ppid, uint32_t pid, uint64_t at)
{
	struct sw_proc_event pe = {
		.type = SW_EVENT_FORK, .pid = pid, .ppid = ppid, .time_ns = at,
		.start_ns = at, .parent_start_ns = SEC,
	};

	cr_assert_eq(tracker_fork(&tr, &pe), 0);
}

/* pid ends at `at`, having run half of the time since 1 s */
static void end(uint32_t pid, uint64_t start_ns, uint64_t at)
{
	struct sw_proc_event pe = {
		.type = SW_EVENT_EXIT, .pid = pid, .time_ns = at,
		.start_ns = start_ns, .cpu = { (at - SEC) / 2, 0, 0 },
		.rss_pages = 10,
	};

	cr_assert_eq(tracker_end(&tr, &pe), 0);
}

TestSuite(tracker_sink, .init = setup, .fini = teardown);

Test(tracker_sink, window_then_exit_in_order)
{
	exec_shell(100, NULL);
	fork_child(100, 101, 2 * SEC);
	end(101, 2 * SEC, 3 * SEC);
	end(100, SEC, 4 * SEC);
	cr_assert_eq(fs.n, 4, "%zu handed, want 4", fs.n);
	cr_assert(fs.got[0].kind == 'w' && fs.got[0].pid == 101);
	cr_assert(fs.got[1].kind == 'x' && fs.got[1].pid == 101);
	cr_assert(fs.got[2].kind == 'w' && fs.got[2].pid == 100);
	cr_assert(fs.got[3].kind == 'x' && fs.got[3].pid == 100);
	cr_assert_str_eq(fs.got[3].exec_id, BOOT_ID "-100-1000000000-1000000000",
			 "exec_id %s", fs.got[3].exec_id);
	cr_assert_eq(tr.windows, 2);
	cr_assert_eq(tr.exits, 2);
}

/* the verdict given at the exec holds for the shell's forks and windows */
Test(tracker_sink, suppression_is_decided_at_the_exec)
{
	exec_shell(100, "allowed");
	fork_child(100, 101, 2 * SEC);
	end(101, 2 * SEC, 3 * SEC);
	end(100, SEC, 4 * SEC);
	cr_assert_eq(fs.n, 0, "%zu handed of a suppressed shell", fs.n);
	cr_assert_eq(tr.windows + tr.exits, 0);
}

Test(tracker_sink, shown_suppressed_shells_carry_their_rule)
{
	size_t i;

	tr.show_suppressed = true;
	exec_shell(100, "allowed");
	fork_child(100, 101, 2 * SEC);
	end(101, 2 * SEC, 3 * SEC);
	end(100, SEC, 4 * SEC);
	cr_assert_eq(fs.n, 4, "%zu handed, want 4", fs.n);
	for (i = 0; i < fs.n; i++)
		cr_assert_str_eq(fs.got[i].suppressed_by, "allowed",
				 "handed %zu", i);
}

/* what the sink dropped is not counted as written */
Test(tracker_sink, dropped_records_are_not_counted)
{
	fs.answer = 0;
	exec_shell(100, NULL);
	end(100, SEC, 4 * SEC);
	cr_assert_eq(fs.n, 2);
	cr_assert_eq(tr.windows, 0);
	cr_assert_eq(tr.exits, 0);
}
