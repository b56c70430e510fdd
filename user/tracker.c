// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "clock.h"
#include "tracker.h"

static uint64_t mem_total_bytes(void)
{
	unsigned long long kb = 0;
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

int tracker_init(struct tracker *tr, const struct tracker_sink *sink,
		 const struct sw_context *ctx, uint64_t window_ns,
		 bool all_windows)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int err;

	memset(tr, 0, sizeof(*tr));
	err = proctab_init(&tr->tab);
	if (!err)
		err = sessions_init(&tr->sessions);
	if (err)
		return err;
	tr->sink = sink;
	tr->ctx = ctx;
	tr->window_ns = window_ns;
	tr->all_windows = all_windows;
	tr->ncpu = ncpu > 0 ? ncpu : 1;
	tr->mem_total = mem_total_bytes();
	tr->page_size = sysconf(_SC_PAGESIZE);
	tr->max = TRACKER_MAX_DEFAULT;
	tr->ends_carry_session = true;
	return 0;
}

bool tracker_full(const struct tracker *tr)
{
	return tr->tab.count >= tr->max;
}

bool tracker_tracks(const struct tracker *tr, const struct sw_exec *ex)
{
	return proctab_find(&tr->tab, ex->pid, 0) != NULL;
}

void tracker_destroy(struct tracker *tr)
{
	proctab_destroy(&tr->tab);
	sessions_destroy(&tr->sessions);
}

struct ident *tracker_session(const struct tracker *tr,
			      const struct sw_exec *ex)
{
	const struct sw_trail *t = &ex->trail;

	if (!(ex->flags & SW_F_TRAIL))
		return NULL;
	return sessions_find(&tr->sessions, t->sess_pid, t->sess_start_ns,
			     t->sess_exec_ns);
}

/*
 * a session shell's end: its trail's counters, from its end record ev
 * (none there: the session ran no command), or asked for when there is
 * no such record (NULL) or it cannot carry them
 */
static void session_counts(struct tracker *tr, const struct proc *p,
			   const struct sw_proc_event *ev,
			   struct sw_exit_info *x)
{
	if (!tr->trail || p->forked)
		return;
	if (ev && tr->ends_carry_session) {
		if (ev->flags & SW_P_SESSION)
			x->session = ev->session;
		x->has_session = true;
		return;
	}
	if (!tr->session_fn)
		return;
	if (tr->session_fn(tr->session_ctx, p->pid, p->start_ns, p->exec_ns,
			   &x->session))
		memset(&x->session, 0, sizeof(x->session));
	x->has_session = true;
}

size_t tracker_count(const struct tracker *tr)
{
	return tr->tab.count;
}

/* an allowlisted shell: its windows and exit are written only on demand */
static bool suppressed(const struct tracker *tr, const struct proc *p)
{
	return p->ident && p->ident->suppressed_by && !tr->show_suppressed;
}

/* hand a window to the sink, unless the filters keep it back */
static int write_window(struct tracker *tr, struct proc *p,
			const struct window_measure *m)
{
	int n;

	if (!tr->all_windows && !window_nonzero(m))
		return 0;
	if (suppressed(tr, p))
		return 0;
	n = tr->sink->window(tr->sink->ctx, p, m);
	if (n < 0)
		return n;
	tr->windows += n;
	return 0;
}

/*
 * measure p from its base to (boot_ns, cpu, rss) into m and move the base
 * there; at an edge, boot_ns is the edge's, though the counters were read
 * just after it
 */
static void measure(struct tracker *tr, struct proc *p, uint64_t boot_ns,
		    const struct sw_cpu *cpu, uint64_t rss_pages, bool at_edge,
		    struct window_measure *m)
{
	if (boot_ns < p->base_ns)
		boot_ns = p->base_ns;
	if (rss_pages > p->peak_pages)
		p->peak_pages = rss_pages;
	p->rss_pages = rss_pages;
	window_measure(m, tr->window_ns, record_real(tr->ctx, p->base_ns),
		       record_real(tr->ctx, boot_ns), &p->base, cpu,
		       rss_pages * tr->page_size, tr->ncpu, tr->mem_total,
		       at_edge);
	p->base = *cpu;
	p->base_ns = boot_ns;
}

/* measure p's window up to boot_ns and write it */
static int close_window(struct tracker *tr, struct proc *p, uint64_t boot_ns,
			const struct sw_cpu *cpu, uint64_t rss_pages,
			bool at_edge)
{
	struct window_measure m;

	/* tracking began after the edge: this window is the next one */
	if (at_edge && boot_ns <= p->base_ns)
		return 0;
	measure(tr, p, boot_ns, cpu, rss_pages, at_edge, &m);
	p->windowed = true;
	return write_window(tr, p, &m);
}

static uint64_t between(uint64_t a, uint64_t b, double frac)
{
	return b > a ? a + (uint64_t)((b - a) * frac) : a;
}

/* the counters at frac of the way from a to b */
static void cpu_between(const struct sw_cpu *a, const struct sw_cpu *b,
			double frac, struct sw_cpu *mid)
{
	mid->runtime_ns = between(a->runtime_ns, b->runtime_ns, frac);
	mid->utime_ns = between(a->utime_ns, b->utime_ns, frac);
	mid->stime_ns = between(a->stime_ns, b->stime_ns, frac);
}

/*
 * an end just after an edge that was not sampled yet: the window that
 * closed at the edge gets the share of the counters its time had
 */
static int split_at_edge(struct tracker *tr, struct proc *p, uint64_t boot_ns,
			 const struct sw_cpu *cpu, uint64_t rss_pages)
{
	uint64_t from = record_real(tr->ctx, p->base_ns);
	uint64_t to = record_real(tr->ctx, boot_ns);
	uint64_t edge = window_next_edge(from, tr->window_ns);
	struct sw_cpu mid;
	double frac;

	/* a base on the edge itself, seen through a resynced clock offset */
	if (to <= edge || to <= from || edge - from < NSEC_PER_SEC / 1000)
		return 0;
	frac = (double)(edge - from) / (to - from);
	cpu_between(&p->base, cpu, frac, &mid);
	return close_window(tr, p, p->base_ns + (edge - from), &mid, rss_pages,
			    true);
}

/*
 * the window that ends at edge_ns, from counters read at boot_ns: a read
 * within EDGE_LATE_NS counts as at the edge; a later one (the daemon was
 * held up) gives the window the share of the counters its time had, and
 * the rest to the next, so that no window has more CPU than its time
 */
#define EDGE_LATE_NS	(10 * NSEC_PER_SEC / 1000)

static int close_at_edge(struct tracker *tr, struct proc *p, uint64_t boot_ns,
			 uint64_t edge_ns, const struct sw_cpu *cpu,
			 uint64_t rss_pages)
{
	struct sw_cpu mid;

	if (boot_ns <= edge_ns + EDGE_LATE_NS || edge_ns <= p->base_ns)
		return close_window(tr, p, edge_ns, cpu, rss_pages, true);
	cpu_between(&p->base, cpu,
		    (double)(edge_ns - p->base_ns) / (boot_ns - p->base_ns),
		    &mid);
	return close_window(tr, p, edge_ns, &mid, rss_pages, true);
}

/* a status no wait status can be: the end of the process was not seen */
#define EXIT_LOST	0xffffffffU
/* edge passes a tracked process may be missing from before it is ended */
#define MISSED_MAX	2

/*
 * whether p's life fits in the window it ends in, which its exit record
 * then carries: compact JSON records only (HEC metrics keep every window
 * for the original search)
 */
static bool folds(const struct tracker *tr, const struct proc *p,
		  uint64_t boot_ns)
{
	return tr->ctx->fields == SW_FIELDS_COMPACT &&
	       tr->ctx->format != SW_FORMAT_HEC && p->have_base &&
	       !p->windowed && boot_ns > p->base_ns;
}

/* the final partial window, then the exit record; ev: the end record */
static int finish(struct tracker *tr, struct proc *p,
		  const struct sw_proc_event *ev, uint64_t boot_ns,
		  const struct sw_cpu *cpu, uint64_t rss_pages,
		  uint64_t peak_pages, uint32_t status, const char *exec_name)
{
	struct sw_exit_info x = {
		.time_ns = boot_ns,
		.status = status,
		.exec_name = exec_name,
		.lost = status == EXIT_LOST,
	};
	struct window_measure m;
	bool at_edge;
	int err = 0, n;

	/* gone memory: the last reading stands for the final window */
	if (!rss_pages)
		rss_pages = p->rss_pages;
	if (p->have_base)
		err = split_at_edge(tr, p, boot_ns, cpu, rss_pages);
	/* a window only if time passed since the last one closed; an end
	 * exactly on an edge closes the bucket that ends there */
	at_edge = record_real(tr->ctx, boot_ns) % tr->window_ns == 0;
	if (!err && folds(tr, p, boot_ns)) {
		measure(tr, p, boot_ns, cpu, rss_pages, at_edge, &m);
		/* the nonzero filter of windows holds for the folded one */
		if (tr->all_windows || window_nonzero(&m))
			x.window = &m;
	} else if (p->have_base && !err && boot_ns > p->base_ns) {
		err = close_window(tr, p, boot_ns, cpu, rss_pages, at_edge);
	}
	if (peak_pages < p->peak_pages)
		peak_pages = p->peak_pages;
	session_counts(tr, p, ev, &x);
	x.cpu_ns = cpu->runtime_ns > p->first.runtime_ns ?
		   cpu->runtime_ns - p->first.runtime_ns : 0;
	x.peak_bytes = peak_pages * tr->page_size;
	if (!err && !suppressed(tr, p)) {
		n = tr->sink->exit(tr->sink->ctx, p, &x);
		if (n < 0)
			err = n;
		else
			tr->exits += n;
	}
	proctab_remove(&tr->tab, p);
	return err;
}

int tracker_exec(struct tracker *tr, const struct exec_view *v)
{
	const struct sw_exec *ex = v->ex;
	struct proc *p;
	int err = 0;

	/* a shell that exec'd another shell: the first one ends here */
	p = proctab_find(&tr->tab, ex->pid, 0);
	if (p) {
		if (p->start_ns / SW_TICK_NS == ex->start_ns / SW_TICK_NS)
			err = finish(tr, p, NULL, ex->exec_ns, &ex->cpu,
				     ex->rss_pages, 0, 0, ex->comm);
		else
			proctab_remove(&tr->tab, p);
		if (err)
			return err;
	}
	/* the kernel does not track it, or the exec record said so */
	if (ex->flags & (SW_F_TRACK_OVER | SW_F_TRACK_NOMEM))
		return 0;
	p = proctab_add(&tr->tab, ex->pid);
	if (!p)
		return 0;
	p->ident = ident_new(v->invoked, ex->exe, v->command_line, ex->cgroup,
			     ex->cgroup_v1, ex->euid);
	if (p->ident) {
		p->ident->pod = v->pod;
		p->ident->entry = v->entry;
		if (v->verdict.suppressed_by)
			p->ident->suppressed_by =
				strdup(v->verdict.suppressed_by);
	}
	p->ppid = ex->ppid;
	p->start_ns = ex->start_ns;
	p->exec_ns = ex->exec_ns;
	p->coarse = ex->found_at_start;
	/* an exec_id too long for its buffer is none, as in the exec record */
	snprintf(p->exec_id, sizeof(p->exec_id), "%s", v->id_err ? "" : v->id);
	/* its commands may outlive it: they find their session here */
	if (tr->trail)
		sessions_put(&tr->sessions, ex->pid, ex->start_ns, ex->exec_ns,
			     p->ident);
	if (ex->found_at_start) {
		/* the first sampling pass sets the base */
		p->track_ns = v->found_ns ? v->found_ns : clock_boot_now();
	} else {
		p->track_ns = ex->exec_ns;
		p->first = p->base = ex->cpu;
		p->base_ns = ex->exec_ns;
		p->have_base = true;
		p->rss_pages = p->peak_pages = ex->rss_pages;
	}
	return 0;
}

int tracker_fork(struct tracker *tr, const struct sw_proc_event *ev)
{
	struct proc *parent, *p;

	parent = proctab_find(&tr->tab, ev->ppid, ev->parent_start_ns);
	if (!parent) {
		tr->untracked++;
		return 0;
	}
	p = proctab_find(&tr->tab, ev->pid, 0);
	if (p)
		proctab_remove(&tr->tab, p);
	if (tracker_full(tr)) {
		tr->over_limit++;
		return 0;
	}
	p = proctab_add(&tr->tab, ev->pid);
	if (!p)
		return 0;
	p->ident = ident_get(parent->ident);
	p->ppid = ev->ppid;
	p->start_ns = ev->start_ns;
	p->forked = true;
	p->track_ns = ev->time_ns;
	/* a child's counters start at zero */
	p->base_ns = ev->time_ns;
	p->have_base = true;
	p->rss_pages = p->peak_pages = parent->rss_pages;
	exec_id_format(p->exec_id, sizeof(p->exec_id), tr->ctx->boot_id,
		       ev->pid, ev->start_ns, ev->start_ns);
	snprintf(p->parent_exec_id, sizeof(p->parent_exec_id), "%s",
		 parent->exec_id);
	return 0;
}

int tracker_end(struct tracker *tr, const struct sw_proc_event *ev)
{
	char comm[SW_COMM_LEN + 1];
	struct proc *p;

	p = proctab_find(&tr->tab, ev->pid, ev->start_ns);
	if (!p) {
		tr->untracked++;
		return 0;
	}
	if (ev->type == SW_EVENT_EXEC_AWAY) {
		memcpy(comm, ev->comm, SW_COMM_LEN);
		comm[SW_COMM_LEN] = '\0';
		return finish(tr, p, ev, ev->time_ns, &ev->cpu, ev->rss_pages,
			      ev->maxrss_pages, 0, comm);
	}
	return finish(tr, p, ev, ev->time_ns, &ev->cpu, ev->rss_pages,
		      ev->maxrss_pages, ev->exit_code, NULL);
}

void tracker_sample_begin(struct tracker *tr)
{
	tr->sample_seq++;
}

int tracker_sample(const struct sw_sample *s, void *ctx)
{
	struct tracker *tr = ctx;
	struct proc *p = proctab_find(&tr->tab, s->pid, s->start_ns);

	if (!p)
		return 0;
	if (p->sample_seq != tr->sample_seq) {
		p->sample_seq = tr->sample_seq;
		memset(&p->sample, 0, sizeof(p->sample));
		p->sample_rss = 0;
	}
	/* a process's time is the sum of its threads' */
	p->sample.runtime_ns += s->cpu.runtime_ns;
	p->sample.utime_ns += s->cpu.utime_ns;
	p->sample.stime_ns += s->cpu.stime_ns;
	if (s->leader)
		p->sample_rss = s->rss_pages;
	return 0;
}

struct sample_end {
	struct tracker *tr;
	uint64_t boot_ns;	/* when the counters were read */
	uint64_t edge_ns;	/* the edge they close, CLOCK_BOOTTIME */
	enum tracker_pass pass;
	int err;
};

static void end_one(struct proc *p, void *ctx)
{
	struct sample_end *se = ctx;
	struct tracker *tr = se->tr;

	if (se->err)
		return;
	/*
	 * not seen in this pass: ended meanwhile, and its exit record
	 * follows; missing pass after pass, that record was lost
	 */
	if (p->sample_seq != tr->sample_seq) {
		if (se->pass == TRACKER_EDGE && ++p->missed >= MISSED_MAX)
			se->err = finish(tr, p, NULL,
					 p->have_base ? p->base_ns : p->track_ns,
					 &p->base, p->rss_pages, p->peak_pages,
					 EXIT_LOST, NULL);
		return;
	}
	p->missed = 0;
	if (!p->have_base) {
		p->first = p->base = p->sample;
		p->base_ns = se->boot_ns;
		p->have_base = true;
		p->rss_pages = p->peak_pages = p->sample_rss;
		return;
	}
	if (se->pass == TRACKER_EDGE)
		se->err = close_at_edge(tr, p, se->boot_ns, se->edge_ns,
					&p->sample, p->sample_rss);
	else if (se->pass == TRACKER_FINAL)
		se->err = close_window(tr, p, se->boot_ns, &p->sample,
				       p->sample_rss, false);
}

int tracker_sample_end(struct tracker *tr, uint64_t boot_ns, uint64_t edge_ns,
		       enum tracker_pass pass)
{
	struct sample_end se = {
		.tr = tr, .boot_ns = boot_ns, .edge_ns = edge_ns, .pass = pass,
	};

	proctab_each(&tr->tab, end_one, &se);
	return se.err;
}
