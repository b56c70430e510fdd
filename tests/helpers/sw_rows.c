// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include "sw_rows.h"

static void free_rows(struct criterion_test_params *crp)
{
	cr_free(crp->params);
}

struct criterion_test_params sw_rows(size_t n)
{
	int *ix = cr_malloc(n * sizeof(*ix));
	size_t i;

	if (!ix)
		return cr_make_param_array(int, NULL, 0, NULL);
	for (i = 0; i < n; i++)
		ix[i] = (int)i;
	return cr_make_param_array(int, ix, n, free_rows);
}
