/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Row numbers as Criterion parameters: a ParameterizedTest over a table
 * gets the index of its row, and reads the row from the table (static data,
 * valid in the process Criterion runs the case in).
 */
#ifndef SHELLWATCH_SW_ROWS_H
#define SHELLWATCH_SW_ROWS_H

#include <stddef.h>
#include <criterion/parameterized.h>

/* parameters 0..n-1, in memory Criterion shares with the test */
struct criterion_test_params sw_rows(size_t n);

#endif /* SHELLWATCH_SW_ROWS_H */
