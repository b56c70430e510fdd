// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include "array.h"
#include "clock.h"
#include "metrics.h"

/* a response body is built here first, then in a buffer this big */
#define BODY_FIRST	(64 * 1024)

int metrics_parse_addr(const char *addr, struct sockaddr_storage *ss,
		       unsigned int *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char host[64];
	const char *colon, *h = addr;
	unsigned long port;
	size_t hl;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[') {
		colon = strstr(addr, "]:");
		if (!colon)
			return -EINVAL;
		h = addr + 1;
		hl = colon - h;
		colon++;
	} else {
		colon = strrchr(addr, ':');
		if (!colon)
			return -EINVAL;
		hl = colon - h;
	}
	if (!hl || hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (colon[1] < '0' || colon[1] > '9')
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || port > 65535)
		return -EINVAL;
	if (addr[0] != '[' && inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
		return 0;
	}
	if (addr[0] == '[' && inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	return -EINVAL;
}

static void say_bound(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return;
	if (ss.ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		port = ntohs(a->sin_port);
		fprintf(stderr, "shellwatch: metrics on http://%s:%d/metrics\n",
			host, port);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
		port = ntohs(a->sin6_port);
		fprintf(stderr, "shellwatch: metrics on http://[%s]:%d/metrics\n",
			host, port);
	}
}

void metrics_reset(struct metrics *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->listen_fd = -1;
	m->epoll_fd = -1;
	for (i = 0; i < METRICS_CONNS; i++)
		m->conns[i].fd = -1;
}

int metrics_init(struct metrics *m, const char *addr, int epoll_fd,
		 metrics_fill_fn fill, void *ctx, const char *version)
{
	struct epoll_event e = { .events = EPOLLIN };
	struct sockaddr_storage ss;
	unsigned int len;
	int one = 1, err;

	metrics_reset(m);
	if (!addr || !addr[0])
		return 0;
	m->epoll_fd = epoll_fd;
	m->fill = fill;
	m->ctx = ctx;
	m->version = version;
	if (metrics_parse_addr(addr, &ss, &len)) {
		fprintf(stderr, "shellwatch: --metrics takes HOST:PORT with a numeric IPv4 host or [IPv6]:PORT, not '%s'\n",
			addr);
		return -EINVAL;
	}
	m->listen_fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0);
	if (m->listen_fd < 0)
		goto fail;
	setsockopt(m->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(m->listen_fd, (struct sockaddr *)&ss, len) ||
	    listen(m->listen_fd, 16))
		goto fail;
	e.data.fd = m->listen_fd;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, m->listen_fd, &e))
		goto fail;
	say_bound(m->listen_fd);
	return 0;

fail:
	err = -errno;
	fprintf(stderr, "shellwatch: cannot serve metrics on %s: %s\n", addr,
		strerror(-err));
	metrics_destroy(m);
	return err;
}

struct body {
	char *p;
	size_t len, cap;
	bool full;
};

static void put(struct body *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->full = true;
		return;
	}
	b->len += n;
}

static void head(struct body *b, const char *name, const char *type,
		 const char *help)
{
	put(b, "# HELP shellwatch_%s %s\n# TYPE shellwatch_%s %s\n", name, help,
	    name, type);
}

static void one(struct body *b, const char *name, const char *type,
		const char *help, uint64_t v)
{
	head(b, name, type, help);
	put(b, "shellwatch_%s %llu\n", name, (unsigned long long)v);
}

/* one line of a counter family: its label's value and the count */
struct series {
	const char *value;
	uint64_t n;
};

/* a counter family, a line for each value of its one label */
static void family(struct body *b, const char *name, const char *label,
		   const char *help, const struct series *rows, size_t n)
{
	size_t i;

	head(b, name, "counter", help);
	for (i = 0; i < n; i++)
		put(b, "shellwatch_%s{%s=\"%s\"} %llu\n", name, label,
		    rows[i].value, (unsigned long long)rows[i].n);
}

/* a label value: \, " and newline escaped, other control bytes as '?' */
static void put_label(struct body *b, const char *s)
{
	char buf[512];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 3; s++) {
		unsigned char c = *s;

		if (c == '\\' || c == '"') {
			buf[n++] = '\\';
			buf[n++] = c;
		} else if (c == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = c < 0x20 || c == 0x7f ? '?' : c;
		}
	}
	buf[n] = '\0';
	put(b, "%s", buf);
}

/* the verdict cache: execs decided in the kernel, candidates, fingerprints */
/* records parked for a new container's names, and how they went */
static void put_parking(struct body *b, const struct health_in *in)
{
	static const struct park_stats none;
	const struct park_stats *st = in->park ? in->park : &none;
	const struct series rows[] = {
		{ "ready", st->ready },
		{ "expired", st->expired },
		{ "over_bound", st->over_bound },
		{ "flushed", st->flushed },
	};

	family(b, "parked_total", "outcome",
	       "Records parked for a new container's names, by how they went.",
	       rows, ARRAY_LEN(rows));
	one(b, "parked_records", "gauge",
	    "Records parked now (waiting for names, or behind one that is).",
	    in->parked);
}

static void put_verdicts(struct body *b, const struct health_in *in)
{
	static const struct judge_stats no_judge;
	static const struct verdicts_stats no_verdicts;
	const struct judge_stats *j = in->judge ? in->judge : &no_judge;
	const struct verdicts_stats *v = in->verdicts ? in->verdicts :
							&no_verdicts;
	const struct series candidates[] = {
		{ "sent", in->kstats[SW_STAT_CANDIDATES] },
		{ "over_bound", in->kstats[SW_STAT_CAND_OVER] },
		{ "lost", in->kstats[SW_STAT_LOST_CANDIDATE] },
		{ "dropped", j->dropped },
		{ "untracked", in->candidates_untracked },
	};
	const struct series fingerprints[] = {
		{ "read", v->fingerprinted },
		{ "cached", v->cached },
		{ "failed", v->failed },
		{ "over_budget", v->over_budget },
		{ "binary_gone", j->gone },
		{ "binary_changed", j->changed },
		{ "remote_fs", j->remote_fs },
	};

	one(b, "verdict_cache_hits_total", "counter",
	    "Execs the kernel decided by a cached content verdict.",
	    in->kstats[SW_STAT_VERDICT_HITS]);
	one(b, "verdict_cache_entries", "gauge",
	    "Binaries whose content verdict the daemon keeps.",
	    in->verdicts_cached);
	one(b, "verdict_cache_map_failed_total", "counter",
	    "Verdicts the kernel's verdict map refused.", v->map_failed);
	family(b, "candidates_total", "outcome",
	       "Execs of binaries with no verdict, by what became of them.",
	       candidates, ARRAY_LEN(candidates));
	family(b, "fingerprints_total", "result",
	       "Binaries the daemon was asked to judge, by result.",
	       fingerprints, ARRAY_LEN(fingerprints));
	one(b, "fingerprint_bytes_total", "counter",
	    "Bytes of binaries the daemon read to judge them.", v->bytes_read);
}

int metrics_format(const struct health_in *in, const char *version,
		   char *buf, size_t len)
{
	struct body b = { .p = buf, .cap = len };
	const struct series records[] = {
		{ "exec", in->reported },
		{ "window", in->windows },
		{ "exit", in->exits },
	};
	uint64_t losses[LOSS_COUNT];
	size_t i, n;

	health_losses(in, losses);
	head(&b, "info", "gauge", "The sensor's version.");
	put(&b, "shellwatch_info{version=\"");
	put_label(&b, version ? version : "");
	put(&b, "\"} 1\n");
	one(&b, "execs_total", "counter", "Execs the kernel side saw.",
	    in->kstats[SW_STAT_EXECS]);
	one(&b, "shells_total", "counter",
	    "Execs the kernel side classified as a shell.",
	    in->kstats[SW_STAT_SHELLS]);
	family(&b, "records_total", "type", "Records written, by type.", records,
	       ARRAY_LEN(records));
	one(&b, "suppressed_total", "counter",
	    "Shells the allowlist rules suppressed.", in->suppressed);
	head(&b, "lost_total", "counter", "Records lost, by cause.");
	for (i = 0; i < LOSS_COUNT; i++)
		put(&b, "shellwatch_lost_total{cause=\"%s\"} %llu\n",
		    health_loss_names[i], (unsigned long long)losses[i]);
	one(&b, "lost_exec_records_total", "counter",
	    "Of the records lost, exec records (shells never reported).",
	    in->kstats[SW_STAT_LOST_RINGBUF] + in->exec_dropped);
	one(&b, "tracked_processes", "gauge",
	    "Processes tracked for windows and exits.", in->tracked);
	one(&b, "tracked_kernel_processes", "gauge",
	    "Entries of the kernel's tracked map (at most --track-max).",
	    in->tracked_kernel);
	one(&b, "untracked_over_limit_total", "counter",
	    "Processes not tracked: the kernel's map or the daemon's table was full.",
	    in->kstats[SW_STAT_TRACK_OVER] + in->table_over_limit);
	one(&b, "queue_bytes", "gauge",
	    "Bytes waiting in the output queue for stdout.", in->queue_bytes);
	one(&b, "ringbuf_bytes", "gauge", "Size of the kernel ring buffer.",
	    in->ringbuf_bytes);
	one(&b, "ringbuf_high_water_bytes", "gauge",
	    "Most bytes seen waiting in the kernel ring buffer.",
	    in->kstats[SW_STAT_RB_HIGH]);
	put_parking(&b, in);
	n = in->rules ? rules_count(in->rules) : 0;
	head(&b, "rule_hits_total", "counter", "Execs each allowlist rule matched.");
	for (i = 0; i < n; i++) {
		put(&b, "shellwatch_rule_hits_total{rule=\"");
		put_label(&b, rules_name(in->rules, i));
		put(&b, "\"} %llu\n", (unsigned long long)rules_hits(in->rules, i));
	}
	put_verdicts(&b, in);
	one(&b, "resident_memory_bytes", "gauge",
	    "The daemon's resident memory.", health_self_rss());
	return b.full ? -ENOSPC : (int)b.len;
}

static void conn_close(struct metrics *m, struct metrics_conn *c)
{
	if (c->fd < 0)
		return;
	epoll_ctl(m->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->resp);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static struct metrics_conn *conn_of(struct metrics *m, int fd)
{
	int i;

	for (i = 0; i < METRICS_CONNS; i++)
		if (m->conns[i].fd == fd)
			return &m->conns[i];
	return NULL;
}

static void accept_all(struct metrics *m)
{
	struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP };
	struct metrics_conn *c;
	int fd, i;

	/* a bounded number per wake-up: a flood must not hold the loop */
	for (i = 0; i < 2 * METRICS_CONNS; i++) {
		fd = accept4(m->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		c = conn_of(m, -1);
		e.data.fd = fd;
		if (!c || epoll_ctl(m->epoll_fd, EPOLL_CTL_ADD, fd, &e)) {
			/* every slot busy: the scraper tries again later */
			close(fd);
			m->refused++;
			continue;
		}
		c->fd = fd;
		c->deadline_ms = clock_mono_ms() + METRICS_TIMEOUT_MS;
		c->req_len = 0;
	}
}

/* the response to a whole request head in c->req */
static void respond(struct metrics *m, struct metrics_conn *c)
{
	static const char ok[] =
		"HTTP/1.1 200 OK\r\n"
		"Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		"Content-Length: %d\r\nConnection: close\r\n\r\n";
	static const char *const errors[] = {
		[0] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		[1] = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		[2] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
	};
	size_t cap = BODY_FIRST;
	struct health_in in;
	bool get = !strncmp(c->req, "GET ", 4), head_only;
	const char *path, *err = NULL;
	char *body = NULL, *nb;
	size_t plen;
	int n = -ENOSPC, h;

	head_only = !strncmp(c->req, "HEAD ", 5);
	path = c->req + (get ? 4 : 5);
	plen = strcspn(path, " ?\r\n");
	if (!get && !head_only)
		err = errors[1];
	else if (!(plen == 8 && !strncmp(path, "/metrics", 8)) &&
		 !(plen == 1 && path[0] == '/'))
		err = errors[0];
	if (!err) {
		m->fill(m->ctx, &in);
		while (n == -ENOSPC && cap <= METRICS_BODY_MAX) {
			nb = realloc(body, cap + 256);
			if (!nb)
				break;
			body = nb;
			/* the head goes first: leave it room */
			n = metrics_format(&in, m->version, body + 256, cap);
			cap *= 2;
		}
		if (n < 0)
			err = errors[2];
	}
	if (err) {
		free(body);
		c->resp = strdup(err);
		c->resp_len = c->resp ? strlen(c->resp) : 0;
		return;
	}
	h = snprintf(body, 256, ok, n);
	memmove(body + h, body + 256, n);
	c->resp = body;
	c->resp_len = h + (head_only ? 0 : n);
}

/* send what the socket takes; true when done or failed */
static bool send_some(struct metrics_conn *c)
{
	ssize_t n;

	while (c->resp_off < c->resp_len) {
		n = send(c->fd, c->resp + c->resp_off,
			 c->resp_len - c->resp_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0)
			return errno != EAGAIN && errno != EINTR;
		c->resp_off += n;
	}
	return true;
}

static void conn_event(struct metrics *m, struct metrics_conn *c,
		       uint32_t events)
{
	struct epoll_event e = { .events = EPOLLOUT, .data.fd = c->fd };
	ssize_t n;

	if (c->resp) {
		if (send_some(c)) {
			m->served += c->resp_off == c->resp_len;
			conn_close(m, c);
		}
		return;
	}
	if (events & (EPOLLERR | EPOLLHUP)) {
		conn_close(m, c);
		return;
	}
	n = read(c->fd, c->req + c->req_len, sizeof(c->req) - 1 - c->req_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(m, c);
		return;
	}
	c->req_len += n;
	c->req[c->req_len] = '\0';
	if (!strstr(c->req, "\r\n\r\n") && !strstr(c->req, "\n\n")) {
		/* a head longer than the buffer is not a scraper's */
		if (c->req_len >= sizeof(c->req) - 1) {
			m->refused++;
			conn_close(m, c);
		}
		return;
	}
	respond(m, c);
	if (!c->resp) {
		conn_close(m, c);
		return;
	}
	if (send_some(c)) {
		m->served += c->resp_off == c->resp_len;
		conn_close(m, c);
		return;
	}
	/* the rest when the scraper reads: until its deadline */
	epoll_ctl(m->epoll_fd, EPOLL_CTL_MOD, c->fd, &e);
}

bool metrics_handle(struct metrics *m, int fd, uint32_t events)
{
	struct metrics_conn *c;

	if (m->listen_fd < 0 || fd < 0)
		return false;
	if (fd == m->listen_fd) {
		accept_all(m);
		return true;
	}
	c = conn_of(m, fd);
	if (!c)
		return false;
	conn_event(m, c, events);
	return true;
}

void metrics_expire(struct metrics *m)
{
	uint64_t now = clock_mono_ms();
	int i;

	for (i = 0; i < METRICS_CONNS; i++) {
		if (m->conns[i].fd >= 0 && now >= m->conns[i].deadline_ms) {
			m->refused++;
			conn_close(m, &m->conns[i]);
		}
	}
}

void metrics_destroy(struct metrics *m)
{
	int i;

	for (i = 0; i < METRICS_CONNS; i++)
		conn_close(m, &m->conns[i]);
	if (m->listen_fd >= 0) {
		epoll_ctl(m->epoll_fd, EPOLL_CTL_DEL, m->listen_fd, NULL);
		close(m->listen_fd);
	}
	m->listen_fd = -1;
}
