/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The length of a static array. */
#ifndef SHELLWATCH_ARRAY_H
#define SHELLWATCH_ARRAY_H

/* the number of elements of array a (not of a pointer) */
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* SHELLWATCH_ARRAY_H */
