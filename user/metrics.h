/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics ADDR: the stats counters in the Prometheus text format over
 * HTTP. Everything is non-blocking and bounded, so a slow or hostile
 * scraper never stalls the event loop: a few connections at once, a small
 * request read within a deadline, one response, then close.
 */
#ifndef SHELLWATCH_METRICS_H
#define SHELLWATCH_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "health.h"

#define METRICS_CONNS		4	/* connections served at once */
#define METRICS_REQUEST_MAX	2048	/* bytes of a request head */
#define METRICS_TIMEOUT_MS	2000	/* from accept to the last byte sent */
#define METRICS_BODY_MAX	(1 << 20)	/* the longest response */

/* fills in with what the daemon knows of itself now */
typedef void (*metrics_fill_fn)(void *ctx, struct health_in *in);

struct metrics_conn {
	int fd;			/* -1 when the slot is free */
	uint64_t deadline_ms;	/* CLOCK_MONOTONIC */
	char req[METRICS_REQUEST_MAX];
	size_t req_len;
	char *resp;		/* the response, once the request is read */
	size_t resp_len, resp_off;
};

struct metrics {
	int listen_fd;		/* -1 when off */
	int epoll_fd;
	metrics_fill_fn fill;
	void *ctx;
	const char *version;
	uint64_t served;	/* responses sent whole */
	uint64_t refused;	/* connections closed unserved: full, slow, bad */
	struct metrics_conn conns[METRICS_CONNS];
};

/* mark m off, owning no fd (before init, so destroy is safe) */
void metrics_reset(struct metrics *m);
/* parse "HOST:PORT" ("[v6]:PORT"); 0 or -EINVAL */
int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss,
		       unsigned int *len);
/* listen on addr ("" for off) and watch it on epoll_fd; says the bound
 * address on stderr; 0 or -errno, said on stderr */
int metrics_init(struct metrics *m, const char *addr, int epoll_fd,
		 metrics_fill_fn fill, void *ctx, const char *version);
/* handle an epoll event on fd if it is one of ours; true if it was */
bool metrics_handle(struct metrics *m, int fd, uint32_t events);
/* close connections past their deadline; from the loop's tick */
void metrics_expire(struct metrics *m);
/* the response body for in into buf; its length, or -ENOSPC */
int metrics_format(const struct health_in *in, const char *version,
		   char *buf, size_t len);
/* close everything; accepts a zeroed-and-off m */
void metrics_destroy(struct metrics *m);
/* is the endpoint on? */
static inline bool metrics_on(const struct metrics *m)
{
	return m->listen_fd >= 0;
}

#endif /* SHELLWATCH_METRICS_H */
