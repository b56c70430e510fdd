// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "exec_records.h"
#include "record.h"

/* queue the record built; 1 when it was queued, 0 when dropped */
static int commit(struct output *out)
{
	uint64_t lost = out->dropped + out->failed;

	output_commit(out);
	return out->dropped + out->failed == lost;
}

static int write_exec(void *ctx, struct exec_view *v)
{
	struct exec_records *er = ctx;
	uint64_t seq;
	struct jsonw *w = output_next(er->out, &seq);

	record_exec_view(w, v, seq);
	return commit(er->out);
}

static int write_command(void *ctx, struct exec_view *v,
			 const char *suppressed_by)
{
	struct exec_records *er = ctx;
	uint64_t seq;
	struct jsonw *w = output_next(er->out, &seq);

	record_command_view(w, v, suppressed_by, seq);
	return commit(er->out);
}

void exec_records_init(struct exec_records *er, struct output *out)
{
	*er = (struct exec_records){
		.sink = {
			.exec = write_exec,
			.command = write_command,
			.ctx = er,
		},
		.out = out,
	};
}
