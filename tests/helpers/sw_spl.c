// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The original detection's mstats search over HEC lines (see sw_spl.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "sw_spl.h"

const char spl_mstats_search[] =
	"| mstats avg(process.cpu.utilization) as process.cpu.utilization "
	"avg(process.memory.utilization) as process.memory.utilization where "
	"`kubernetes_metrics` AND process.executable.name IN (\"sh\",\"bash\",\"csh\", \"tcsh\") "
	"by host.name k8s.cluster.name k8s.node.name process.pid process.executable.name span=10s";

const struct jv *spl_flat(const struct jv *obj, const char *key)
{
	size_t i;

	for (i = 0; i < jv_len(obj); i++)
		if (!strcmp(jv_key_at(obj, i), key))
			return jv_val_at(obj, i);
	return NULL;
}

bool spl_text(const struct jv *v, char *buf, size_t len)
{
	switch (jv_type(v)) {
	case JV_STRING:
		snprintf(buf, len, "%s", jv_str(v));
		return true;
	case JV_NUMBER:
		snprintf(buf, len, "%s", jv_numtext(v));
		return true;
	case JV_BOOL:
		snprintf(buf, len, "%s", jv_bool(v) ? "true" : "false");
		return true;
	case JV_NULL:
		snprintf(buf, len, "null");
		return true;
	default:
		return false;
	}
}

void spl_row_set(struct spl_row *r, const char *key, const char *val)
{
	cr_assert_lt(r->n, SPL_ROW_FIELDS, "a row of more than %d fields", SPL_ROW_FIELDS);
	r->keys[r->n] = key;
	snprintf(r->vals[r->n++], SPL_FIELD_LEN, "%s", val);
}

const char *spl_row_get(const struct spl_row *r, const char *key)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->keys[i], key))
			return r->vals[i];
	return NULL;
}

/* the steps of sw_spl.h's comment, in order */
size_t spl_mstats(const struct jv *const *lines, size_t nlines,
		  struct spl_row *rows, size_t max)
{
	static const char *const by[] = {
		"host.name", "k8s.cluster.name", "k8s.node.name", "process.pid",
		"process.executable.name",
	};
	static const char *const shells[] = { "sh", "bash", "csh", "tcsh" };
	struct bucket {
		char key[SPL_ROW_FIELDS][SPL_FIELD_LEN];
		long span;
		double cpu, mem;
		int count;
	} *b = calloc(nlines ? nlines : 1, sizeof(*b));
	size_t i, nb = 0, n = 0, k, j;

	cr_assert_not_null(b);
	for (i = 0; i < nlines; i++) {
		const struct jv *l = lines[i], *f = jv_get(l, "fields");
		const char *exe = jv_str(spl_flat(f, "process.executable.name"));
		char key[SPL_ROW_FIELDS][SPL_FIELD_LEN];
		long span;
		bool shell = false;

		if (!jv_str(jv_get(l, "event")) ||
		    strcmp(jv_str(jv_get(l, "event")), "metric") || !exe)
			continue;
		for (k = 0; k < 4; k++)
			shell |= !strcmp(exe, shells[k]);
		if (!shell)
			continue;
		/* a series without one of the by dimensions is not grouped */
		for (k = 0; k < 5; k++)
			if (!spl_text(spl_flat(f, by[k]), key[k], SPL_FIELD_LEN))
				break;
		if (k < 5)
			continue;
		span = (long)floor(jv_num(jv_get(l, "time")) / 10) * 10;
		for (j = 0; j < nb; j++) {
			for (k = 0; k < 5 && !strcmp(b[j].key[k], key[k]); k++)
				;
			if (k == 5 && b[j].span == span)
				break;
		}
		if (j == nb) {
						memcpy(b[nb].key, key, sizeof(key));
			b[nb++].span = span;
		}
		b[j].cpu += jv_num(spl_flat(f, "metric_name:process.cpu.utilization"));
		b[j].mem += jv_num(spl_flat(f, "metric_name:process.memory.utilization"));
		b[j].count++;
	}
	for (j = 0; j < nb; j++) {
		double cpu = b[j].cpu / b[j].count, mem = b[j].mem / b[j].count;
		struct spl_row *r;

		/* | search cpu>0 OR mem>0 */
		if (!(cpu > 0 || mem > 0))
			continue;
		for (i = 0; i < n; i++) {
			for (k = 0; k < 5 && !strcmp(rows[i].vals[k], b[j].key[k]); k++)
				;
			if (k == 5)
				break;
		}
		r = &rows[i];
		if (i == n) {
			cr_assert_lt(n, max, "more than %zu rows", max);
			memset(r, 0, sizeof(*r));
			for (k = 0; k < 5; k++)
				spl_row_set(r, k ? by[k] : "host", b[j].key[k]);
			n++;
		}
		r->cpu_sum += cpu;
		r->mem_sum += mem;
		r->buckets++;
	}
	for (i = 0; i < n; i++) {
		char v[64];

		snprintf(v, sizeof(v), "%.9g", rows[i].cpu_sum / rows[i].buckets);
		spl_row_set(&rows[i], "process.cpu.utilization", v);
		snprintf(v, sizeof(v), "%.9g", rows[i].mem_sum / rows[i].buckets);
		spl_row_set(&rows[i], "process.memory.utilization", v);
	}
	free(b);
	return n;
}
