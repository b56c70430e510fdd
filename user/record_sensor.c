// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* start and stop records: the sensor's own lifecycle in the stream */
#include <unistd.h>
#include "array.h"
#include "clock.h"
#include "record.h"

void record_start(struct jsonw *w, const struct sw_context *ctx,
		  const struct sw_sensor_info *info, uint64_t seq)
{
	int i;

	record_begin(w, ctx, "start", clock_real_now(), seq);
	record_host(w, ctx, NULL);
	jsonw_start_object(w, "sensor");
	jsonw_string(w, "version", info->version);
	jsonw_uint(w, "pid", getpid());
	jsonw_string(w, "format", info->format);
	jsonw_start_array(w, "shells");
	for (i = 0; i < ctx->shells->n; i++)
		jsonw_string(w, NULL, ctx->shells->names[i]);
	jsonw_end_array(w);
	jsonw_string(w, "cgroup_v1_controller", info->cgroup_v1_controller);
	jsonw_uint(w, "ringbuf_bytes", info->ringbuf_bytes);
	jsonw_end_object(w);
	record_end(w, ctx);
}

void record_stop(struct jsonw *w, const struct sw_context *ctx,
		 const struct sw_stop_info *info, uint64_t seq)
{
	const struct jsonw_uint_field stats[] = {
		{ "execs", info->execs },
		{ "shells", info->shells },
		{ "reported", info->reported },
		{ "lost", info->lost },
		{ "malformed", info->malformed },
	};

	record_begin(w, ctx, "stop", clock_real_now(), seq);
	record_host(w, ctx, NULL);
	jsonw_string(w, "reason", info->reason);
	jsonw_uint_object(w, "stats", stats, ARRAY_LEN(stats));
	record_end(w, ctx);
}
