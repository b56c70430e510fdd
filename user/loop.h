/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event loop: a table of {fd, handler} on one epoll fd. A wait takes
 * the ready fds, a dispatch calls their handlers in the order epoll gave
 * them; a handler's nonzero return ends the dispatch (LOOP_STOP to stop,
 * -errno for an error). Work between waits (the ring buffer's batch) is
 * the caller's.
 */
#ifndef SHELLWATCH_LOOP_H
#define SHELLWATCH_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>

#define LOOP_HANDLERS	8	/* fds in the table */
#define LOOP_EVENTS	4	/* ready fds taken by one wait */
#define LOOP_STOP	1	/* a handler's return that ends the loop cleanly */

/* handles events on fd; 0 to go on, LOOP_STOP to stop, or -errno */
typedef int (*loop_fn)(void *ctx, int fd, uint32_t events);

struct loop_handler {
	int fd;
	loop_fn fn;
	void *ctx;
};

struct loop {
	int epoll_fd;		/* -1 when closed */
	size_t n;
	struct loop_handler h[LOOP_HANDLERS];
	/* fds that a module puts on epoll_fd itself (metrics' connections) */
	struct loop_handler other;
	struct epoll_event ready[LOOP_EVENTS];
	int n_ready;
};

/* mark l closed, owning no fd (before init, so destroy is safe) */
void loop_reset(struct loop *l);
/* open the epoll fd; 0 or -errno */
int loop_init(struct loop *l);
/* call fn for events on fd from now on; 0, -ENOSPC when full, or -errno */
int loop_add(struct loop *l, int fd, loop_fn fn, void *ctx);
/* call fn for the ready fds that are not in the table */
void loop_other(struct loop *l, loop_fn fn, void *ctx);
/* wait up to timeout ms (-1: until one is ready); how many, or -errno */
int loop_wait(struct loop *l, int timeout);
/* call the handlers of what the last wait found; 0 or the first nonzero */
int loop_dispatch(struct loop *l);
/* close the epoll fd; accepts a reset l */
void loop_destroy(struct loop *l);

#endif /* SHELLWATCH_LOOP_H */
