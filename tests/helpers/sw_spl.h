/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The original detection's search, step for step as Splunk runs it, over
 * HEC lines: the unit tests run it over recorded datasets, the integration
 * tests over what the live sensor writes.
 */
#ifndef SHELLWATCH_SW_SPL_H
#define SHELLWATCH_SW_SPL_H

#include <stdbool.h>
#include <stddef.h>
#include "json_parse.h"

/* the mstats search of detections/ (the seed detection's, unchanged) */
extern const char spl_mstats_search[];

/* a search's output row: the fields it names, as text */
#define SPL_ROW_FIELDS	16
#define SPL_FIELD_LEN	512
struct spl_row {
	const char *keys[SPL_ROW_FIELDS];
	char vals[SPL_ROW_FIELDS][SPL_FIELD_LEN];
	int n;
	const struct jv *rec;	/* exec search: the record behind the row */
	double cpu_sum, mem_sum;
	int buckets;
};

/* a HEC fields object has flat dotted keys: look one up by its whole name */
const struct jv *spl_flat(const struct jv *obj, const char *key);
/* a value as Splunk shows it; false when absent */
bool spl_text(const struct jv *v, char *buf, size_t len);
void spl_row_set(struct spl_row *r, const char *key, const char *val);
/* the value of key in the row, or NULL */
const char *spl_row_get(const struct spl_row *r, const char *key);

/*
 * | mstats avg(cpu) avg(mem) where `kubernetes_metrics` AND
 *   process.executable.name IN ("sh","bash","csh","tcsh") by host.name
 *   k8s.cluster.name k8s.node.name process.pid process.executable.name span=10s
 * | search process.cpu.utilization>0 OR process.memory.utilization>0
 * | stats avg(cpu) avg(mem) by host.name ... process.executable.name
 * | rename host.name as host
 * over n HEC lines; fills at most max rows and returns their count
 */
size_t spl_mstats(const struct jv *const *lines, size_t n,
		  struct spl_row *rows, size_t max);

#endif /* SHELLWATCH_SW_SPL_H */
