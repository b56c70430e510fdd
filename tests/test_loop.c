// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The event loop's table: handlers of ready fds in order, stops, errors */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <criterion/criterion.h>
#include "loop.h"

#define FDS	(LOOP_HANDLERS)
#define CALLS	64

/* the fds, and which handler ran on which fd, in order */
struct calls {
	int fd[FDS];
	int ret[FDS];		/* what the handler of fd[i] returns */
	int called[CALLS];	/* the index of the fd of each call */
	int n;
	int others;		/* calls of the handler for others' fds */
};

static int index_of(const struct calls *c, int fd)
{
	int i;

	for (i = 0; i < FDS; i++)
		if (c->fd[i] == fd)
			return i;
	return -1;
}

static int on_fd(void *ctx, int fd, uint32_t events)
{
	struct calls *c = ctx;
	int i = index_of(c, fd);

	cr_assert_geq(i, 0, "handler called on fd %d, not one of ours", fd);
	cr_assert(events & EPOLLIN, "fd %d called without EPOLLIN", fd);
	cr_assert_lt(c->n, CALLS, "too many calls");
	c->called[c->n++] = i;
	return c->ret[i];
}

static int on_other(void *ctx, int fd, uint32_t events)
{
	struct calls *c = ctx;

	(void)fd;
	(void)events;
	c->others++;
	return 0;
}

static void ready(int fd)
{
	uint64_t one = 1;

	cr_assert_eq(write(fd, &one, sizeof(one)), sizeof(one), "eventfd %d", fd);
}

/* n eventfds in the table, none ready */
static void setup_n(struct loop *l, struct calls *c, int n)
{
	int i;

	*c = (struct calls){ .n = 0 };
	cr_assert_eq(loop_init(l), 0, "loop_init");
	for (i = 0; i < FDS; i++)
		c->fd[i] = -1;
	for (i = 0; i < n; i++) {
		c->fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		cr_assert_geq(c->fd[i], 0, "eventfd");
		cr_assert_eq(loop_add(l, c->fd[i], on_fd, c), 0, "add fd %d", i);
	}
}

static void teardown_n(struct loop *l, struct calls *c)
{
	int i;

	loop_destroy(l);
	for (i = 0; i < FDS; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}

Test(loop, nothing_ready_calls_nothing)
{
	struct loop l;
	struct calls c;

	setup_n(&l, &c, 3);
	cr_assert_eq(loop_wait(&l, 0), 0, "nothing is ready");
	cr_assert_eq(loop_dispatch(&l), 0);
	cr_assert_eq(c.n, 0, "%d handlers called", c.n);
	teardown_n(&l, &c);
}

Test(loop, ready_fds_are_served_in_the_order_they_became_ready)
{
	int order[] = { 2, 0, 1 };
	struct loop l;
	struct calls c;
	int i;

	setup_n(&l, &c, 3);
	for (i = 0; i < 3; i++)
		ready(c.fd[order[i]]);
	cr_assert_eq(loop_wait(&l, 0), 3, "three ready");
	cr_assert_eq(loop_dispatch(&l), 0);
	cr_assert_eq(c.n, 3, "%d calls", c.n);
	for (i = 0; i < 3; i++)
		cr_assert_eq(c.called[i], order[i], "call %d went to fd %d, not %d",
			     i, c.called[i], order[i]);
	teardown_n(&l, &c);
}

Test(loop, only_the_ready_fds_handler_runs)
{
	struct loop l;
	struct calls c;

	setup_n(&l, &c, 3);
	ready(c.fd[1]);
	cr_assert_eq(loop_wait(&l, -1), 1);
	cr_assert_eq(loop_dispatch(&l), 0);
	cr_assert_eq(c.n, 1, "%d calls", c.n);
	cr_assert_eq(c.called[0], 1, "fd %d called", c.called[0]);
	teardown_n(&l, &c);
}

Test(loop, an_error_ends_the_dispatch)
{
	struct loop l;
	struct calls c;
	int i;

	setup_n(&l, &c, 3);
	c.ret[1] = -EIO;
	for (i = 0; i < 3; i++)
		ready(c.fd[i]);
	cr_assert_eq(loop_wait(&l, 0), 3);
	cr_assert_eq(loop_dispatch(&l), -EIO, "the handler's error comes back");
	cr_assert_eq(c.n, 2, "fd 2 was served after the error (%d calls)", c.n);
	teardown_n(&l, &c);
}

Test(loop, a_stop_ends_the_dispatch)
{
	struct loop l;
	struct calls c;

	setup_n(&l, &c, 2);
	c.ret[0] = LOOP_STOP;
	ready(c.fd[0]);
	ready(c.fd[1]);
	cr_assert_eq(loop_wait(&l, 0), 2);
	cr_assert_eq(loop_dispatch(&l), LOOP_STOP);
	cr_assert_eq(c.n, 1, "%d calls after the stop", c.n);
	teardown_n(&l, &c);
}

/* fds that stay ready (a flood) never keep another one waiting */
Test(loop, more_ready_fds_than_one_wait_takes_are_all_served)
{
	int served[FDS] = {}, i, round;
	struct loop l;
	struct calls c;

	setup_n(&l, &c, FDS);
	for (i = 0; i < FDS; i++)
		ready(c.fd[i]);
	/* each wait takes LOOP_EVENTS of them: all within a few rounds */
	for (round = 0; round < (FDS + LOOP_EVENTS - 1) / LOOP_EVENTS; round++) {
		cr_assert_eq(loop_wait(&l, 0), LOOP_EVENTS, "round %d", round);
		cr_assert_eq(loop_dispatch(&l), 0);
	}
	for (i = 0; i < c.n; i++)
		served[c.called[i]]++;
	for (i = 0; i < FDS; i++)
		cr_assert_eq(served[i], 1, "fd %d served %d times", i, served[i]);
	teardown_n(&l, &c);
}

Test(loop, fds_others_put_on_epoll_go_to_their_handler)
{
	struct epoll_event e = { .events = EPOLLIN };
	struct loop l;
	struct calls c;
	int fd;

	setup_n(&l, &c, 1);
	loop_other(&l, on_other, &c);
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	cr_assert_geq(fd, 0);
	e.data.fd = fd;
	cr_assert_eq(epoll_ctl(l.epoll_fd, EPOLL_CTL_ADD, fd, &e), 0);
	ready(fd);
	ready(c.fd[0]);
	cr_assert_eq(loop_wait(&l, 0), 2);
	cr_assert_eq(loop_dispatch(&l), 0);
	cr_assert_eq(c.others, 1, "other handler called %d times", c.others);
	cr_assert_eq(c.n, 1, "table handler called %d times", c.n);
	close(fd);
	teardown_n(&l, &c);
}

Test(loop, a_full_table_refuses_another_fd)
{
	struct loop l;
	struct calls c;
	int fd;

	setup_n(&l, &c, FDS);
	fd = eventfd(0, EFD_CLOEXEC);
	cr_assert_eq(loop_add(&l, fd, on_fd, &c), -ENOSPC);
	close(fd);
	teardown_n(&l, &c);
}

Test(loop, a_bad_fd_is_refused_with_its_errno)
{
	struct loop l;
	struct calls c;

	setup_n(&l, &c, 0);
	cr_assert_eq(loop_add(&l, -1, on_fd, &c), -EBADF);
	cr_assert_eq(l.n, 0, "the table holds %zu", l.n);
	teardown_n(&l, &c);
}

Test(loop, destroy_accepts_a_reset_loop)
{
	struct loop l;

	loop_reset(&l);
	loop_destroy(&l);
	loop_destroy(&l);
	cr_assert_eq(l.epoll_fd, -1);
}
