/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The pipeline's sink that writes: exec and command records, to the output. */
#ifndef SHELLWATCH_EXEC_RECORDS_H
#define SHELLWATCH_EXEC_RECORDS_H

#include "exec_sink.h"
#include "output.h"

struct exec_records {
	struct exec_sink sink;	/* hand &sink to the pipeline */
	struct output *out;
};

/* set er up to write to out */
void exec_records_init(struct exec_records *er, struct output *out);

#endif /* SHELLWATCH_EXEC_RECORDS_H */
