// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <unistd.h>
#include <sys/resource.h>
#include "array.h"
#include "clock.h"
#include "health.h"

const char *const health_loss_names[LOSS_COUNT] = {
	[LOSS_RINGBUF_EXEC] = "ringbuf_exec",
	[LOSS_RINGBUF_PROC] = "ringbuf_proc",
	[LOSS_QUEUE] = "output_queue",
	[LOSS_MALFORMED] = "malformed",
	[LOSS_UNTRACKED] = "untracked",
	[LOSS_RINGBUF_COMMAND] = "ringbuf_command",
};

void health_losses(const struct health_in *in, uint64_t out[LOSS_COUNT])
{
	out[LOSS_RINGBUF_EXEC] = in->kstats[SW_STAT_LOST_RINGBUF];
	out[LOSS_RINGBUF_PROC] = in->kstats[SW_STAT_LOST_PROC];
	out[LOSS_QUEUE] = in->queue_dropped;
	out[LOSS_MALFORMED] = in->malformed;
	out[LOSS_UNTRACKED] = in->kstats[SW_STAT_TRACK_FULL];
	out[LOSS_RINGBUF_COMMAND] = in->kstats[SW_STAT_LOST_COMMAND];
}

void health_loss(struct health *h, struct output *out,
		 const struct sw_context *ctx, const struct health_in *in)
{
	uint64_t now[LOSS_COUNT], lost = 0, seq;
	struct jsonw *w;
	int i;

	health_losses(in, now);
	for (i = 0; i < LOSS_COUNT; i++)
		lost += now[i] - h->reported[i];
	if (!lost)
		return;
	w = output_next(out, &seq);
	record_begin(w, ctx, "loss", clock_real_now(), seq);
	record_host(w, ctx, NULL);
	jsonw_uint(w, "lost", lost);
	jsonw_start_object(w, "reasons");
	for (i = 0; i < LOSS_COUNT; i++)
		jsonw_uint(w, health_loss_names[i], now[i] - h->reported[i]);
	jsonw_end_object(w);
	record_end(w, ctx);
	output_commit_urgent(out);
	for (i = 0; i < LOSS_COUNT; i++)
		h->reported[i] = now[i];
}

uint64_t health_self_rss(void)
{
	unsigned long size, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * sysconf(_SC_PAGESIZE);
}

/* records held back for pod names, so that the reader never waits */
static void put_parking(struct jsonw *w, const struct health_in *in)
{
	static const struct park_stats none;
	const struct park_stats *st = in->park ? in->park : &none;
	const struct jsonw_uint_field f[] = {
		{ "waited", st->waited },
		{ "held", st->held },
		{ "ready", st->ready },
		{ "expired", st->expired },
		{ "over_bound", st->over_bound },
		{ "flushed", st->flushed },
		{ "parked", in->parked },
		{ "parked_bytes", in->parked_bytes },
	};

	jsonw_uint_object(w, "parking", f, ARRAY_LEN(f));
}

/* how execs were classified: in the kernel, or judged by the daemon */
static void put_classification(struct jsonw *w, const struct health_in *in)
{
	static const struct judge_stats no_judge;
	static const struct verdicts_stats no_verdicts;
	const struct judge_stats *j = in->judge ? in->judge : &no_judge;
	const struct verdicts_stats *v = in->verdicts ? in->verdicts :
							&no_verdicts;
	const struct jsonw_uint_field f[] = {
		{ "verdict_hits", in->kstats[SW_STAT_VERDICT_HITS] },
		{ "candidates", in->kstats[SW_STAT_CANDIDATES] },
		{ "candidates_over_bound", in->kstats[SW_STAT_CAND_OVER] },
		{ "candidates_lost", in->kstats[SW_STAT_LOST_CANDIDATE] },
		{ "candidates_judged", j->candidates },
		{ "candidates_dropped", j->dropped },
		{ "candidates_untracked", in->candidates_untracked },
		{ "binary_gone", j->gone },
		{ "binary_changed", j->changed },
		{ "binary_relinked", j->relinked },
		{ "binary_remote", j->remote_fs },
		{ "fingerprinted", v->fingerprinted },
		{ "fingerprint_cached", v->cached },
		{ "fingerprint_failed", v->failed },
		{ "fingerprint_bytes", v->bytes_read },
		{ "fingerprint_cut", v->cut },
		{ "fingerprint_over_budget", v->over_budget },
		{ "verdicts", in->verdicts_cached },
		{ "verdict_map_failed", v->map_failed },
	};

	jsonw_uint_object(w, "classification", f, ARRAY_LEN(f));
}

void health_stats(struct health *h, struct output *out,
		  const struct sw_context *ctx, const struct health_in *in)
{
	const struct jsonw_uint_field trail[] = {
		{ "commands", in->commands },
		{ "sent", in->kstats[SW_STAT_COMMANDS] },
		{ "over_rate", in->kstats[SW_STAT_TRAIL_RATE] },
		{ "over_count", in->kstats[SW_STAT_TRAIL_COUNT] },
		{ "suppressed", in->commands_suppressed },
		{ "dropped", in->commands_dropped +
			     in->kstats[SW_STAT_LOST_COMMAND] },
	};
	const struct jsonw_uint_field rules[] = {
		{ "count", rules_count(in->rules) },
		{ "reloads_refused", in->reloads_refused },
	};
	const struct jsonw_uint_field tracking[] = {
		{ "kernel", in->tracked_kernel },
		{ "kernel_max", in->track_max },
		{ "over_limit", in->kstats[SW_STAT_TRACK_OVER] },
		{ "table_max", in->table_max },
		{ "table_over_limit", in->table_over_limit },
	};
	const struct jsonw_uint_field log_links[] = {
		{ "indexed", in->log_links },
		{ "conflicts", in->log_link_conflicts },
		{ "over_limit", in->log_link_over_limit },
		{ "names_refused", in->names_refused },
	};
	uint64_t losses[LOSS_COUNT], seq;
	struct rusage ru;
	struct jsonw *w;
	int i;

	(void)h;
	health_losses(in, losses);
	getrusage(RUSAGE_SELF, &ru);
	w = output_next(out, &seq);
	record_begin(w, ctx, "stats", clock_real_now(), seq);
	record_host(w, ctx, NULL);
	jsonw_start_object(w, "stats");
	jsonw_uint(w, "execs", in->kstats[SW_STAT_EXECS]);
	jsonw_uint(w, "shells", in->kstats[SW_STAT_SHELLS]);
	jsonw_uint(w, "reported", in->reported);
	jsonw_uint(w, "suppressed", in->suppressed);
	jsonw_uint(w, "windows", in->windows);
	jsonw_uint(w, "exits", in->exits);
	jsonw_uint(w, "tracked", in->tracked);
	jsonw_start_object(w, "lost");
	for (i = 0; i < LOSS_COUNT; i++)
		jsonw_uint(w, health_loss_names[i], losses[i]);
	jsonw_uint(w, "exec_records", in->kstats[SW_STAT_LOST_RINGBUF] +
					      in->exec_dropped);
	jsonw_end_object(w);
	jsonw_uint_object(w, "trail", trail, ARRAY_LEN(trail));
	jsonw_start_object(w, "rule_hits");
	for (i = 0; in->rules && (size_t)i < rules_count(in->rules); i++)
		jsonw_uint(w, rules_name(in->rules, i), rules_hits(in->rules, i));
	jsonw_end_object(w);
	jsonw_uint_object(w, "rules", rules, ARRAY_LEN(rules));
	jsonw_uint_object(w, "tracking", tracking, ARRAY_LEN(tracking));
	jsonw_uint_object(w, "log_links", log_links, ARRAY_LEN(log_links));
	put_classification(w, in);
	put_parking(w, in);
	jsonw_uint(w, "ringbuf_bytes", in->ringbuf_bytes);
	jsonw_uint(w, "ringbuf_high_water_bytes", in->kstats[SW_STAT_RB_HIGH]);
	jsonw_uint(w, "queue_bytes", in->queue_bytes);
	jsonw_double(w, "cpu_seconds",
		     ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		     (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6, 6);
	jsonw_uint(w, "rss_bytes", health_self_rss());
	jsonw_uint(w, "max_rss_bytes", (uint64_t)ru.ru_maxrss * 1024);
	jsonw_end_object(w);
	record_end(w, ctx);
	output_commit_urgent(out);
}

void health_say_bounds(struct health *h, const struct health_in *in)
{
	uint64_t over = in->kstats[SW_STAT_TRACK_OVER];

	if (h->said_track_over || (!over && !in->table_over_limit))
		return;
	h->said_track_over = true;
	fprintf(stderr,
		"shellwatch: tracking is full (%llu processes, --track-max; the daemon's table holds %llu): %llu processes not tracked, %llu of them by the daemon's table; their shells are reported with \"untracked\": \"over_limit\", without windows or exit; counted in stats.tracking\n",
		(unsigned long long)in->track_max,
		(unsigned long long)in->table_max,
		(unsigned long long)(over + in->table_over_limit),
		(unsigned long long)in->table_over_limit);
}
