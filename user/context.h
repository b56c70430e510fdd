/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where records come from and how they are written: every stage reads it. */
#ifndef SHELLWATCH_CONTEXT_H
#define SHELLWATCH_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include "format.h"

struct shell_set;
struct users;

/* what every record says of where it comes from */
struct sw_context {
	enum sw_format format;
	enum sw_fields fields;	/* --fields */
	const char *host_name;
	const char *node_name;
	const char *cluster_name;
	const char *boot_id;	/* 8 hex digits, for exec_id */
	int64_t boot_offset;	/* CLOCK_REALTIME - CLOCK_BOOTTIME, ns */
	const struct shell_set *shells;
	struct users *users;	/* name lookups; NULL: the sensor's NSS */
};

/*
 * records leave out what is null, false, empty or said elsewhere
 * (--fields compact); pretty output is drawn from whole ones
 */
static inline bool sw_compact(const struct sw_context *ctx)
{
	return ctx->fields == SW_FIELDS_COMPACT &&
	       ctx->format != SW_FORMAT_PRETTY;
}

#endif /* SHELLWATCH_CONTEXT_H */
