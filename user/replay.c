// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "replay.h"
#include "rule_fields.h"
#include "rules.h"
#include "shells.h"

_Static_assert(offsetof(struct sw_proc_event, flags) == SW_PROC_V1_SIZE,
	       "an older recording's proc record is this one's first bytes");

/* what output may hold before the replay waits for the reader */
#define REPLAY_PENDING_MAX	(1U << 20)
#define REPLAY_DRAIN_MS		60000

/* a recorded string: NUL-terminated inside its array */
#define TERMINATED(a)	(memchr((a), '\0', sizeof(a)) != NULL)
#define TERMINATE(a)	((a)[sizeof(a) - 1] = '\0')

static int refuse(struct replay *rp, const char *what)
{
	snprintf(rp->err, sizeof(rp->err), "frame %llu: %s",
		 (unsigned long long)rec_frames(rp->rd), what);
	return -EBADMSG;
}

static int check_facts(struct replay *rp, const struct rec_facts *f)
{
	struct shell_set set;
	char msg[128];
	size_t i;

	if (!TERMINATED(f->host_name) || !TERMINATED(f->node_name) ||
	    !TERMINATED(f->cluster_name) || !TERMINATED(f->boot_id) ||
	    !TERMINATED(f->v1_name) || !TERMINATED(f->v2_mount) ||
	    !TERMINATED(f->shells) || !TERMINATED(f->version))
		return refuse(rp, "facts: a name without its terminator");
	if (f->window_ns < NSEC_PER_SEC || f->window_ns > 3600 * NSEC_PER_SEC ||
	    f->window_ns % NSEC_PER_SEC)
		return refuse(rp, "facts: a window that is not 1 to 3600 whole seconds");
	if (!f->ncpu || f->ncpu > 65536 || !f->clk_tck ||
	    f->clk_tck > 1000000 || f->page_size < 512 ||
	    f->page_size > (1U << 30) || (f->page_size & (f->page_size - 1)))
		return refuse(rp, "facts: CPUs, clock ticks or page size out of range");
	/* it goes into a message on stderr: printable ASCII only */
	for (i = 0; f->version[i]; i++)
		if (f->version[i] < 0x21 || f->version[i] > 0x7e)
			return refuse(rp, "facts: a version that is not printable");
	rp->proc_v1 = f->proc_event_size == SW_PROC_V1_SIZE;
	if (f->exec_event_size != sizeof(struct sw_exec_event) ||
	    (f->proc_event_size != sizeof(struct sw_proc_event) &&
	     !rp->proc_v1)) {
		snprintf(rp->err, sizeof(rp->err),
			 "recorded by shellwatch %s with other kernel record layouts; replay it with that version",
			 f->version);
		return -EBADMSG;
	}
	if (shells_parse(&set, f->shells, msg, sizeof(msg)))
		return refuse(rp, "facts: a shell set --shells would refuse");
	return 0;
}

static int start(struct replay *rp)
{
	struct rec_frame f;
	int ret;

	rp->known = rec_known_new();
	rp->ex = malloc(sizeof(*rp->ex));
	if (!rp->known || !rp->ex) {
		snprintf(rp->err, sizeof(rp->err), "out of memory");
		return -ENOMEM;
	}
	ret = rec_read(rp->rd, &f, rp->err, sizeof(rp->err));
	if (ret < 0)
		return ret;
	if (!ret || f.type != REC_FACTS)
		return refuse(rp, "no facts frame first");
	memcpy(&rp->facts, f.data, sizeof(rp->facts));
	return check_facts(rp, &rp->facts);
}

int replay_open(struct replay *rp, const char *path)
{
	int err;

	memset(rp, 0, sizeof(*rp));
	err = rec_reader_open(&rp->rd, path, rp->err, sizeof(rp->err));
	return err ? err : start(rp);
}

int replay_fdopen(struct replay *rp, int fd)
{
	int err;

	memset(rp, 0, sizeof(*rp));
	err = rec_reader_fdopen(&rp->rd, fd, rp->err, sizeof(rp->err));
	return err ? err : start(rp);
}

void replay_close(struct replay *rp)
{
	if (rp->users.ctx)
		users_set_source(NULL);
	rec_reader_close(rp->rd);
	rec_known_free(rp->known);
	free(rp->ex);
	memset(rp, 0, sizeof(*rp));
}

static void answer_user(void *ctx, bool group, uint32_t id, char *name,
			size_t len)
{
	const struct replay *rp = ctx;
	const char *n = rec_known_user(rp->known, group, id);

	snprintf(name, len, "%s", n ? n : "");
}

static const struct pod_entry *answer_link(void *ctx, const char *cid,
					   const struct pod_entry *found)
{
	const struct replay *rp = ctx;
	const struct rec_link *l = rec_known_link(rp->known, cid);

	(void)found;
	return l && l->found ? &l->e : NULL;
}

static int answer_session(void *ctx, uint32_t pid, uint64_t start_ns,
			  uint64_t exec_ns, struct sw_session *out)
{
	const struct replay *rp = ctx;
	const struct rec_session *s;

	s = rec_known_session(rp->known, pid, start_ns, exec_ns);
	if (!s)
		return -ENOENT;
	if (!s->err)
		*out = s->s;
	return s->err;
}

/* the recorded judge's verdict, in place of this machine's files */
static bool answer_verdict(void *ctx, struct sw_exec *ex, bool shell)
{
	struct replay *rp = ctx;
	const struct rec_verdict *v = &rp->verdict;

	if (!rp->have_verdict)
		return shell;
	rp->have_verdict = false;
	ex->family = v->family;
	ex->match = v->match;
	ex->flags = v->flags;
	snprintf(ex->shell, sizeof(ex->shell), "%s", v->name);
	snprintf(ex->loaded, sizeof(ex->loaded), "%s", v->loaded);
	return v->shell != 0;
}

void replay_attach(struct replay *rp, struct identity *id)
{
	const struct rec_facts *f = &rp->facts;

	id->links = answer_link;
	id->links_ctx = rp;
	rp->tr->session_fn = answer_session;
	rp->tr->session_ctx = rp;
	/* an older recording's end records: the session frames answer */
	rp->tr->ends_carry_session = !rp->proc_v1;
	rp->tr->ncpu = f->ncpu;
	rp->tr->mem_total = f->mem_total;
	rp->tr->page_size = f->page_size;
	rp->ev->tick_ns = NSEC_PER_SEC / f->clk_tck;
	rp->ev->judge = NULL;
	rp->ev->verdict_fn = answer_verdict;
	rp->ev->verdict_ctx = rp;
	rp->ctx->boot_offset = f->boot_offset;
	rp->users = (struct users_source){ .answer = answer_user, .ctx = rp };
	users_set_source(&rp->users);
}

static void on_time(struct replay *rp, const struct rec_time *t)
{
	clock_replay(t->boot_ns, t->real_ns);
	rp->ctx->boot_offset = t->boot_offset;
}

static int on_sample_end(struct replay *rp, const struct rec_sample_end *e)
{
	if (e->pass > TRACKER_FINAL)
		return refuse(rp, "sample_end: an unknown pass");
	clock_replay(e->boot_ns, e->real_ns);
	return tracker_sample_end(rp->tr, e->boot_ns, e->edge_ns, e->pass);
}

static void on_link(struct replay *rp, const struct rec_link *in)
{
	struct rec_link l = *in;

	TERMINATE(l.container_id);
	TERMINATE(l.e.container_id);
	TERMINATE(l.e.pod_name);
	TERMINATE(l.e.namespace);
	TERMINATE(l.e.container_name);
	TERMINATE(l.e.pod_uid);
	rec_known_put_link(rp->known, &l);
}

static int on_user(struct replay *rp, const struct rec_user *in)
{
	struct rec_user u = *in;

	if (u.kind > 1)
		return refuse(rp, "user: an unknown kind of name");
	TERMINATE(u.name);
	rec_known_put_user(rp->known, &u);
	return 0;
}

/* a found shell as the scan filled it, every string ended in its array */
static int on_found(struct replay *rp, const void *data, size_t len)
{
	const struct rec_found *h = data;
	struct sw_exec *ex = rp->ex;

	if (rec_exec_read((const char *)data + sizeof(*h), len - sizeof(*h),
			  ex))
		return refuse(rp, "found: an exec of no known layout");
	ex->type = SW_EVENT_EXEC;
	ex->found_at_start = true;
	clock_replay(h->boot_ns, h->real_ns);
	return events_found(rp->ev, ex, h->boot_ns);
}

/* rules in force from here, unless the command line gave its own */
static void on_rules(struct replay *rp, const char *text, size_t len)
{
	struct ruleset *rs;
	char err[512];

	if (rp->own_rules)
		return;
	rs = rule_fields_parse("recorded rules", text, len, err, sizeof(err));
	if (!rs) {
		fprintf(stderr, "shellwatch: %s; kept the rules in force\n", err);
		return;
	}
	rules_free(rp->ev->rules);
	rp->ev->rules = rs;
}

/*
 * a ring record as this version's kernel sends it: an older recording's
 * fork, exit or exec-away record widened (no flags, no session), the rest
 * as they are
 */
static const void *ring_record(struct replay *rp, const struct rec_frame *f,
			       size_t *len)
{
	uint32_t type;

	*len = f->len;
	if (!rp->proc_v1 || f->len != SW_PROC_V1_SIZE)
		return f->data;
	memcpy(&type, f->data, sizeof(type));
	if (type != SW_EVENT_FORK && type != SW_EVENT_EXIT &&
	    type != SW_EVENT_EXEC_AWAY)
		return f->data;
	memset(&rp->proc, 0, sizeof(rp->proc));
	memcpy(&rp->proc, f->data, SW_PROC_V1_SIZE);
	*len = sizeof(rp->proc);
	return &rp->proc;
}

static int dispatch(struct replay *rp, const struct rec_frame *f)
{
	const void *ring;
	size_t len;
	int ret;

	switch (f->type) {
	case REC_TIME:
		on_time(rp, f->data);
		return 0;
	case REC_RING:
		ring = ring_record(rp, f, &len);
		ret = events_on_record(rp->ev, (void *)ring, len);
		/* a verdict answers the record after it, no other */
		rp->have_verdict = false;
		return ret;
	case REC_SAMPLE_BEGIN:
		tracker_sample_begin(rp->tr);
		return 0;
	case REC_SAMPLE:
		return tracker_sample(f->data, rp->tr);
	case REC_SAMPLE_END:
		return on_sample_end(rp, f->data);
	case REC_SESSION:
		rec_known_put_session(rp->known, f->data);
		return 0;
	case REC_LINK:
		on_link(rp, f->data);
		return 0;
	case REC_USER:
		return on_user(rp, f->data);
	case REC_FOUND:
		return on_found(rp, f->data, f->len);
	case REC_SCAN_END:
		events_scan_end(rp->ev);
		return 0;
	case REC_RULES:
		on_rules(rp, f->data, f->len);
		return 0;
	case REC_VERDICT:
		memcpy(&rp->verdict, f->data, sizeof(rp->verdict));
		TERMINATE(rp->verdict.name);
		TERMINATE(rp->verdict.loaded);
		rp->have_verdict = true;
		return 0;
	case REC_FACTS:
		return refuse(rp, "a second facts frame");
	}
	return refuse(rp, "an unknown frame type");
}

int replay_run(struct replay *rp)
{
	struct rec_frame f;
	int ret;

	for (;;) {
		ret = rec_read(rp->rd, &f, rp->err, sizeof(rp->err));
		if (ret <= 0)
			return ret;
		ret = dispatch(rp, &f);
		if (ret)
			return ret;
		/* a slow reader makes the replay wait, never drop */
		if (output_pending(rp->out) > REPLAY_PENDING_MAX) {
			ret = output_drain(rp->out, REPLAY_DRAIN_MS);
			if (ret)
				return ret;
		}
	}
}
