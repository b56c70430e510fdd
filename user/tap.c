// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "tap.h"

static void heard_user(void *ctx, bool group, uint32_t id, const char *name)
{
	struct tap *t = ctx;
	struct rec_user u = { .uid = id, .kind = group };

	snprintf(u.name, sizeof(u.name), "%s", name);
	rec_write(t->w, REC_USER, &u, sizeof(u));
}

int tap_open(struct tap *t, const char *path, const struct rec_facts *f)
{
	int err;

	t->known = rec_known_new();
	t->found = malloc(sizeof(struct rec_found) + sizeof(struct sw_exec));
	if (!t->known || !t->found) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = rec_writer_open(&t->w, path);
	if (err)
		goto cleanup;
	err = rec_write(t->w, REC_FACTS, f, sizeof(*f));
	if (err)
		goto cleanup;
	t->users = (struct users_source){ .heard = heard_user, .ctx = t };
	users_set_source(&t->users);
	return 0;

cleanup:
	rec_writer_close(t->w);
	t->w = NULL;
	rec_known_free(t->known);
	t->known = NULL;
	free(t->found);
	t->found = NULL;
	return err;
}

int tap_close(struct tap *t)
{
	int err;

	if (t->w)
		users_set_source(NULL);
	err = rec_writer_close(t->w);
	t->w = NULL;
	rec_known_free(t->known);
	t->known = NULL;
	free(t->found);
	t->found = NULL;
	return err;
}

void tap_ring(void *ctx, const void *data, size_t size)
{
	struct tap *t = ctx;

	/* after the pipeline took it: the facts it asked for come before it */
	if (size <= REC_FRAME_MAX)
		rec_write(t->w, REC_RING, data, size);
}

void tap_sample_begin(struct tap *t)
{
	tracker_sample_begin(t->tr);
	rec_write(t->w, REC_SAMPLE_BEGIN, NULL, 0);
}

int tap_on_sample(const struct sw_sample *s, void *ctx)
{
	struct tap *t = ctx;

	rec_write(t->w, REC_SAMPLE, s, sizeof(*s));
	return tracker_sample(s, t->tr);
}

int tap_sample_end(struct tap *t, uint64_t boot_ns, uint64_t edge_ns,
		   enum tracker_pass pass)
{
	struct rec_sample_end e = {
		.boot_ns = boot_ns,
		.edge_ns = edge_ns,
		.real_ns = clock_real_now(),
		.pass = pass,
	};
	int ret = tracker_sample_end(t->tr, boot_ns, edge_ns, pass);

	rec_write(t->w, REC_SAMPLE_END, &e, sizeof(e));
	return ret;
}

int tap_session(void *ctx, uint32_t pid, uint64_t start_ns, uint64_t exec_ns,
		struct sw_session *out)
{
	struct tap *t = ctx;
	struct rec_session r = {
		.start_ns = start_ns,
		.exec_ns = exec_ns,
		.pid = pid,
	};

	r.err = sensor_session(t->sensor, pid, start_ns, exec_ns, out);
	if (!r.err)
		r.s = *out;
	rec_write(t->w, REC_SESSION, &r, sizeof(r));
	return r.err;
}

int tap_on_found(const struct sw_exec *ex, void *ctx)
{
	struct tap *t = ctx;
	struct rec_found h = {
		.boot_ns = clock_boot_now(),
		.real_ns = clock_real_now(),
	};
	int ret = events_found(t->ev, ex, h.boot_ns);

	if (t->w) {
		memcpy(t->found, &h, sizeof(h));
		/* struct sw_exec as it is (user/rec_exec.h reads it back) */
		memcpy((char *)t->found + sizeof(h), ex, sizeof(*ex));
		rec_write(t->w, REC_FOUND, t->found, sizeof(h) + sizeof(*ex));
	}
	return ret;
}

void tap_scan_end(struct tap *t)
{
	events_scan_end(t->ev);
	rec_write(t->w, REC_SCAN_END, NULL, 0);
}

void tap_time(struct tap *t, int64_t boot_offset)
{
	struct rec_time r;

	if (!t->w)
		return;
	r.boot_ns = clock_boot_now();
	r.real_ns = clock_real_now();
	r.boot_offset = boot_offset;
	rec_write(t->w, REC_TIME, &r, sizeof(r));
}

void tap_rules(struct tap *t, const char *path)
{
	char *buf;
	size_t n;
	FILE *f;

	if (!t->w)
		return;
	buf = malloc(REC_FRAME_MAX + 1);
	f = fopen(path, "re");
	if (!buf || !f) {
		fprintf(stderr, "shellwatch: cannot record the rules of %s: %s; replay it with --rules\n",
			path, strerror(errno));
		goto cleanup;
	}
	n = fread(buf, 1, REC_FRAME_MAX + 1, f);
	if (n > REC_FRAME_MAX)
		fprintf(stderr, "shellwatch: %s is larger than the %u bytes a recording keeps of rules; replay it with --rules\n",
			path, REC_FRAME_MAX);
	else
		rec_write(t->w, REC_RULES, buf, n);

cleanup:
	if (f)
		fclose(f);
	free(buf);
}

const struct pod_entry *tap_link(void *ctx, const char *cid,
				 const struct pod_entry *e)
{
	struct tap *t = ctx;
	struct rec_link l;

	rec_link_fill(&l, cid, e);
	if (!rec_known_has_link(t->known, &l)) {
		rec_known_put_link(t->known, &l);
		rec_write(t->w, REC_LINK, &l, sizeof(l));
	}
	return e;
}

bool tap_verdict(void *ctx, struct sw_exec *ex, bool shell)
{
	struct tap *t = ctx;
	struct rec_verdict v = {
		.shell = shell,
		.family = ex->family,
		.match = ex->match,
		.flags = ex->flags,
	};

	snprintf(v.name, sizeof(v.name), "%s", ex->shell);
	snprintf(v.loaded, sizeof(v.loaded), "%s", ex->loaded);
	rec_write(t->w, REC_VERDICT, &v, sizeof(v));
	return shell;
}

void tap_flush(struct tap *t)
{
	rec_writer_flush(t->w);
}
