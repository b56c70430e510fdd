// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include "clock.h"
#include "output.h"

int output_init(struct output *o, int fd, size_t queue_bytes)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->fd_flags = -1;
	o->cap = queue_bytes + OUTPUT_RESERVE;
	o->q = malloc(o->cap);
	o->w = jsonw_new();
	if (!o->q || !o->w) {
		output_destroy(o);
		return -ENOMEM;
	}
	jsonw_set_limit(o->w, OUTPUT_LINE_MAX);
	/* a stalled reader must not stop the daemon */
	o->fd_flags = fcntl(fd, F_GETFL);
	if (o->fd_flags >= 0 && !(o->fd_flags & O_NONBLOCK))
		fcntl(fd, F_SETFL, o->fd_flags | O_NONBLOCK);
	return 0;
}

void output_destroy(struct output *o)
{
	if (o->fd_flags >= 0 && !(o->fd_flags & O_NONBLOCK))
		fcntl(o->fd, F_SETFL, o->fd_flags);
	o->fd_flags = -1;
	jsonw_destroy(o->w);
	free(o->q);
	o->w = NULL;
	o->q = NULL;
}

void output_set_view(struct output *o, struct pretty *view)
{
	o->view = view;
}

struct jsonw *output_next(struct output *o, uint64_t *seq)
{
	jsonw_reset(o->w);
	*seq = o->seq + 1;
	return o->w;
}

size_t output_pending(const struct output *o)
{
	return o->len;
}

static void enqueue(struct output *o, size_t limit)
{
	const char *line = jsonw_data(o->w);
	size_t n = jsonw_len(o->w), tail, first;

	/* a record that failed to build is dropped whole, never cut */
	if (jsonw_error(o->w) || !n) {
		o->failed++;
		return;
	}
	/* its number is used either way: a dropped record leaves a gap */
	o->seq++;
	/* the person's view of the same record; nothing to show is written */
	if (o->view) {
		n = pretty_format(o->view, line, n, &line);
		if (!n) {
			o->written++;
			return;
		}
	}
	if (o->len + n > limit) {
		o->dropped++;
		return;
	}
	tail = (o->head + o->len) % o->cap;
	first = n < o->cap - tail ? n : o->cap - tail;
	memcpy(o->q + tail, line, first);
	memcpy(o->q, line + first, n - first);
	o->len += n;
	o->written++;
}

void output_commit(struct output *o)
{
	enqueue(o, o->cap - OUTPUT_RESERVE);
	o->urgent = true;
}

void output_commit_urgent(struct output *o)
{
	enqueue(o, o->cap);
	o->urgent = true;
}

void output_commit_lazy(struct output *o, uint64_t now_ms)
{
	enqueue(o, o->cap - OUTPUT_RESERVE);
	if (o->len && !o->lazy_ms)
		o->lazy_ms = now_ms ? now_ms : 1;
}

int output_flush_due(struct output *o, uint64_t now_ms)
{
	if (o->err || !o->len)
		return o->err;
	if (o->urgent || o->len >= OUTPUT_LAZY_BYTES ||
	    now_ms >= o->lazy_ms + OUTPUT_LAZY_MS)
		return output_flush(o);
	return 0;
}

int output_wait_ms(const struct output *o, uint64_t now_ms)
{
	uint64_t due;

	if (!o->len)
		return -1;
	if (o->urgent)
		return OUTPUT_RETRY_MS;
	due = o->lazy_ms + OUTPUT_LAZY_MS;
	return due > now_ms ? (int)(due - now_ms) : 0;
}

int output_flush(struct output *o)
{
	struct iovec iov[2];
	size_t first;
	ssize_t n;

	if (o->err)
		return o->err;
	while (o->len) {
		first = o->len < o->cap - o->head ? o->len : o->cap - o->head;
		iov[0] = (struct iovec){ o->q + o->head, first };
		iov[1] = (struct iovec){ o->q, o->len - first };
		n = writev(o->fd, iov, iov[1].iov_len ? 2 : 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				/* stalled: tried again at the retry pace */
				o->urgent = true;
				return 0;
			}
			o->err = -errno;
			return o->err;
		}
		o->head = (o->head + n) % o->cap;
		o->len -= n;
	}
	o->head = 0;
	o->urgent = false;
	o->lazy_ms = 0;
	return 0;
}

int output_drain(struct output *o, int timeout_ms)
{
	long deadline = (long)clock_mono_ms() + timeout_ms;
	struct pollfd pfd = { .fd = o->fd, .events = POLLOUT };
	int err;

	for (;;) {
		err = output_flush(o);
		if (err || !o->len)
			return err;
		if ((long)clock_mono_ms() >= deadline)
			return -ETIMEDOUT;
		poll(&pfd, 1, deadline - (long)clock_mono_ms());
	}
}
