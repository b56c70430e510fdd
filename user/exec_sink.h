/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where the pipeline hands an exec once it is decoded, named, judged and
 * tracked: its exec record, and the command records of sessions. The sink
 * formats and writes (exec_records.c), or a test looks.
 */
#ifndef SHELLWATCH_EXEC_SINK_H
#define SHELLWATCH_EXEC_SINK_H

#include "exec_view.h"

struct exec_sink {
	/* v's exec record; 1 when written, 0 when dropped, or -errno */
	int (*exec)(void *ctx, struct exec_view *v);
	/*
	 * v's command record in its session, suppressed_by the rule named
	 * (NULL when none); 1 when written, 0 when dropped, or -errno
	 */
	int (*command)(void *ctx, struct exec_view *v,
		       const char *suppressed_by);
	void *ctx;
};

#endif /* SHELLWATCH_EXEC_SINK_H */
