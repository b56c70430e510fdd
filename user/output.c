// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "output.h"

/* keep the first write error: later ones follow from it */
static int write_failed(struct output *o)
{
	int err = errno ? -errno : -EIO;

	if (!o->err)
		o->err = err;
	return o->err;
}

int output_init(struct output *o, FILE *f)
{
	memset(o, 0, sizeof(*o));
	o->w = jsonw_new();
	if (!o->w)
		return -ENOMEM;
	o->f = f;
	return 0;
}

void output_destroy(struct output *o)
{
	jsonw_destroy(o->w);
	o->w = NULL;
}

struct jsonw *output_next(struct output *o, uint64_t *seq)
{
	jsonw_reset(o->w);
	*seq = o->seq + 1;
	return o->w;
}

int output_commit(struct output *o)
{
	size_t len = jsonw_len(o->w);

	/* a record that failed to build is dropped whole, and counted */
	if (jsonw_error(o->w) || !len) {
		o->dropped++;
		return 0;
	}
	o->seq++;
	errno = 0;
	if (fwrite(jsonw_data(o->w), 1, len, o->f) != len)
		return write_failed(o);
	o->written++;
	return 0;
}

int output_flush(struct output *o)
{
	errno = 0;
	if (fflush(o->f))
		return write_failed(o);
	return 0;
}
