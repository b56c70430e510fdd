// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "clock.h"
#include "record.h"
#include "track_records.h"

/* queue the record built; 1 when it was queued, 0 when dropped */
static int commit(struct output *out)
{
	uint64_t lost = out->dropped + out->failed;

	/* a window or exit may wait for the next exec's write */
	output_commit_lazy(out, clock_mono_ms());
	return out->dropped + out->failed == lost;
}

/* a record's writer, once its container's late names are in: the names
 * appeared after its shell's exec record */
static struct jsonw *next(struct track_records *tw, struct proc *p,
			  uint64_t *seq)
{
	if (tw->identity && p->ident)
		identity_refresh(tw->identity, &p->ident->pod);
	return output_next(tw->out, seq);
}

static int write_window(void *ctx, struct proc *p,
			const struct window_measure *m)
{
	struct track_records *tw = ctx;
	uint64_t seq;
	struct jsonw *w = next(tw, p, &seq);

	record_window(w, tw->ctx, p, m, seq);
	return commit(tw->out);
}

static int write_exit(void *ctx, struct proc *p, const struct sw_exit_info *x)
{
	struct track_records *tw = ctx;
	uint64_t seq;
	struct jsonw *w = next(tw, p, &seq);

	record_exit(w, tw->ctx, p, x, seq);
	return commit(tw->out);
}

void track_records_init(struct track_records *tw, struct output *out,
			const struct sw_context *ctx)
{
	*tw = (struct track_records){
		.sink = { .window = write_window, .exit = write_exit, .ctx = tw },
		.out = out,
		.ctx = ctx,
	};
}
