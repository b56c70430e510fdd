// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the event loop's table of {fd, handler} on one epoll fd */
#include <errno.h>
#include <unistd.h>
#include "loop.h"

void loop_reset(struct loop *l)
{
	*l = (struct loop){ .epoll_fd = -1 };
}

int loop_init(struct loop *l)
{
	loop_reset(l);
	l->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	return l->epoll_fd < 0 ? -errno : 0;
}

int loop_add(struct loop *l, int fd, loop_fn fn, void *ctx)
{
	struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };

	if (l->n == LOOP_HANDLERS)
		return -ENOSPC;
	if (epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &e))
		return -errno;
	l->h[l->n++] = (struct loop_handler){ .fd = fd, .fn = fn, .ctx = ctx };
	return 0;
}

void loop_other(struct loop *l, loop_fn fn, void *ctx)
{
	l->other = (struct loop_handler){ .fd = -1, .fn = fn, .ctx = ctx };
}

int loop_wait(struct loop *l, int timeout)
{
	int n;

	l->n_ready = 0;
	n = epoll_wait(l->epoll_fd, l->ready, LOOP_EVENTS, timeout);
	if (n < 0)
		return -errno;
	l->n_ready = n;
	return n;
}

/* the table's handler of fd, else the one for the others' fds */
static const struct loop_handler *handler_of(const struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->h[i].fd == fd)
			return &l->h[i];
	return l->other.fn ? &l->other : NULL;
}

int loop_dispatch(struct loop *l)
{
	const struct loop_handler *h;
	int i, fd, err;

	for (i = 0; i < l->n_ready; i++) {
		fd = l->ready[i].data.fd;
		h = handler_of(l, fd);
		if (!h)
			continue;
		err = h->fn(h->ctx, fd, l->ready[i].events);
		if (err)
			return err;
	}
	return 0;
}

void loop_destroy(struct loop *l)
{
	if (l->epoll_fd >= 0)
		close(l->epoll_fd);
	l->epoll_fd = -1;
}
