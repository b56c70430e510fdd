// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The two Splunk searches of detections/, evaluated over every recorded
 * dataset in tests/data/<scenario>/: the exec-record search over the HEC
 * events, and the original detection's mstats search over the HEC metric
 * events. Each step of the SPL is done here as Splunk does it (filters,
 * span=10s buckets, avg of avg, fillnull, rename), and the rows must hold
 * what the scenario's expected.txt says it started.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "json_parse.h"
#include "sw_spl.h"

#define DATA_DIR	"tests/data"
#define DETECTION	"detections/kubernetes_shell_running_on_worker_node.yml"
#define MAX_LINES	4096
#define MAX_ROWS	512

/* the searches whose logic this file implements, as the YAML has them */
static const char exec_search[] =
	"index=shellwatch sourcetype=\"shellwatch:exec\" detection.name=*";

struct dataset {
	char name[128];
	struct jv *lines[MAX_LINES];
	size_t n;
};

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, n, f), (size_t)n, "short read of %s", path);
	buf[n] = '\0';
	fclose(f);
	*len = n;
	return buf;
}

static void load(struct dataset *ds, const char *name)
{
	char path[1024], err[256], *text, *p, *nl;
	size_t len;

	memset(ds, 0, sizeof(*ds));
	snprintf(ds->name, sizeof(ds->name), "%s", name);
	snprintf(path, sizeof(path), DATA_DIR "/%s/hec.jsonl", name);
	text = read_file(path, &len);
	cr_assert_not_null(text, "%s: %s", path, strerror(errno));
	for (p = text; p < text + len; p = nl + 1) {
		nl = memchr(p, '\n', text + len - p);
		cr_assert_not_null(nl, "%s: last line has no newline", path);
		cr_assert_lt(ds->n, MAX_LINES, "%s: too many lines", path);
		ds->lines[ds->n] = jv_parse(p, nl - p, err, sizeof(err));
		cr_assert_not_null(ds->lines[ds->n], "%s line %zu: %s", path,
				   ds->n + 1, err);
		ds->n++;
	}
	free(text);
	cr_assert_gt(ds->n, 0, "%s is empty", path);
}

static void unload(struct dataset *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		jv_free(ds->lines[i]);
}

/*
 * index=shellwatch sourcetype="shellwatch:exec" detection.name=*
 * | fillnull value="-" k8s.namespace.name k8s.pod.name k8s.container.name
 * | stats ... by k8s.cluster.name k8s.node.name k8s.namespace.name
 *   k8s.pod.name k8s.container.name process.pid process.executable.name exec_id
 * | rename k8s.node.name as host
 * exec_id names one exec, so each row is one exec record.
 */
static size_t run_exec_search(const struct dataset *ds, struct spl_row *rows)
{
	static const char *const by[] = {
		"k8s.cluster.name", "k8s.node.name", "k8s.namespace.name",
		"k8s.pod.name", "k8s.container.name", "process.pid",
		"process.executable.name", "exec_id",
	};
	size_t i, n = 0, k;

	for (i = 0; i < ds->n; i++) {
		const struct jv *l = ds->lines[i], *ev = jv_get(l, "event");
		const char *st = jv_str(jv_get(l, "sourcetype"));
		char buf[SPL_FIELD_LEN];
		struct spl_row *r;
		size_t j;

		/* detection.name=*: present and not null */
		if (!st || strcmp(st, "shellwatch:exec") ||
		    jv_type(jv_get(ev, "detection.name")) != JV_STRING)
			continue;
		/* an exec_id seen before joins its row */
		for (j = 0; j < n; j++)
			if (!strcmp(spl_row_get(&rows[j], "exec_id"),
				    jv_str(jv_get(ev, "exec_id"))))
				break;
		if (j < n)
			continue;
		cr_assert_lt(n, MAX_ROWS);
		r = &rows[n++];
		memset(r, 0, sizeof(*r));
		r->rec = ev;
		for (k = 0; k < sizeof(by) / sizeof(by[0]); k++) {
			const struct jv *v = jv_get(ev, by[k]);

			/*
			 * fillnull, of null and absent fields alike (compact
			 * records leave a host process's pod names out); a by
			 * field still absent drops the event
			 */
			if ((!v || jv_type(v) == JV_NULL) && k >= 2 && k <= 4)
				snprintf(buf, sizeof(buf), "-");
			else
				cr_assert(spl_text(v, buf, sizeof(buf)),
					  "%s: exec record without %s", ds->name, by[k]);
			spl_row_set(r, k == 1 ? "host" : by[k], buf);
		}
	}
	return n;
}

/* a condition key=value against a row (exec rows: also their record) */
static bool holds(const struct spl_row *r, const char *cond)
{
	char key[256], want[SPL_FIELD_LEN], got[SPL_FIELD_LEN];
	const char *eq = strchr(cond, '='), *v;

	cr_assert_not_null(eq, "condition without '=': %s", cond);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - cond), cond);
	snprintf(want, sizeof(want), "%s", eq + 1);
	v = spl_row_get(r, key);
	if (v)
		return !strcmp(v, want);
	return r->rec && spl_text(jv_get(r->rec, key), got, sizeof(got)) &&
	       !strcmp(got, want);
}

/* split an expected.txt line into words; 'quoted words' keep spaces */
static int words(char *line, char **out, int max)
{
	int n = 0;
	char *p = line, *w;

	while (*p && n < max) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		out[n++] = w;
		while (*p && *p != ' ') {
			if (*p == '\'') {
				memmove(p, p + 1, strlen(p));
				while (*p && *p != '\'')
					p++;
				if (*p)
					memmove(p, p + 1, strlen(p));
				continue;
			}
			p++;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static void check_expected(const char *name, const struct spl_row *exec_rows,
			   size_t nexec, const struct spl_row *m_rows, size_t nm)
{
	char path[1024], line[2048], orig[2048], *w[16];
	FILE *f;
	int nw, i, checked = 0;

	snprintf(path, sizeof(path), DATA_DIR "/%s/expected.txt", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		const struct spl_row *rows;
		size_t n, j, found = 0;
		bool absent;

		line[strcspn(line, "\n")] = '\0';
		snprintf(orig, sizeof(orig), "%s", line);
		nw = words(line, w, 16);
		if (!nw)
			continue;
		absent = strstr(w[0], "-absent") != NULL;
		if (!strncmp(w[0], "exec", 4)) {
			rows = exec_rows;
			n = nexec;
		} else {
			cr_assert(!strncmp(w[0], "mstats", 6), "%s: unknown search %s",
				  path, w[0]);
			rows = m_rows;
			n = nm;
		}
		for (j = 0; j < n; j++) {
			for (i = 1; i < nw && holds(&rows[j], w[i]); i++)
				;
			found += i == nw;
		}
		if (absent)
			cr_expect_eq(found, 0, "%s: %zu rows match what must be absent: %s",
				     name, found, orig);
		else
			cr_expect_gt(found, 0, "%s: no row (of %zu) for: %s", name, n,
				     orig);
		checked++;
	}
	fclose(f);
	cr_assert_gt(checked, 0, "%s: nothing expected", path);
}

/* the descriptor has attack_data's keys */
static void check_descriptor(const char *name)
{
	static const char *const keys[] = {
		"author: ", "id: ", "date: ", "description: ", "environment: ",
		"mitre_technique:", "datasets:", "  path: ", "  source: ",
		"  sourcetype: ", "- name: ",
	};
	char path[1024], *text;
	size_t len, k;

	snprintf(path, sizeof(path), DATA_DIR "/%s/%s.yml", name, name);
	text = read_file(path, &len);
	cr_assert_not_null(text, "%s: %s", path, strerror(errno));
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		cr_expect_not_null(strstr(text, keys[k]), "%s has no '%s'", path,
				   keys[k]);
	cr_expect_not_null(strstr(text, "- T1204"), "%s: not T1204", path);
	free(text);
}

Test(searches, detection_yaml_has_the_searches)
{
	size_t len;
	char *y = read_file(DETECTION, &len);

	cr_assert_not_null(y, DETECTION ": %s", strerror(errno));
	cr_expect_not_null(strstr(y, exec_search), "the exec search changed");
	cr_expect_not_null(strstr(y, spl_mstats_search), "the mstats search changed");
	cr_expect_not_null(strstr(y, "T1204"));
	cr_expect_not_null(strstr(y, "score: 25"));
	cr_expect_not_null(strstr(y, "Kubernetes shell running on worker node on host $host$"));
	free(y);
}

Test(searches, every_dataset)
{
	static struct spl_row exec_rows[MAX_ROWS], m_rows[MAX_ROWS];
	static struct dataset ds;
	DIR *d = opendir(DATA_DIR);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d, DATA_DIR ": %s", strerror(errno));
	while ((e = readdir(d))) {
		size_t nexec, nm;

		if (e->d_name[0] == '.')
			continue;
		load(&ds, e->d_name);
		nexec = run_exec_search(&ds, exec_rows);
		nm = spl_mstats((const struct jv *const *)ds.lines, ds.n, m_rows, MAX_ROWS);
		check_expected(e->d_name, exec_rows, nexec, m_rows, nm);
		check_descriptor(e->d_name);
		unload(&ds);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 1, "no dataset in " DATA_DIR);
}
