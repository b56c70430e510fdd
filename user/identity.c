// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "identity.h"

static void warn_once(struct identity *id, const char *what, int err)
{
	if (id->warned)
		return;
	id->warned = true;
	fprintf(stderr,
		"shellwatch: %s %s/containers: %s; pods are named from cgroups only (pod uid, container id) until it appears\n",
		what, id->log_dir, strerror(-err));
}

/* the one warning about links the index did not take */
static void warn_links(struct identity *id)
{
	struct pod_index_stats st;

	if (id->warned_links)
		return;
	pod_index_stats(id->ix, &st);
	if (!st.conflicts && !st.over_limit)
		return;
	id->warned_links = true;
	fprintf(stderr,
		"shellwatch: %s/containers: %llu links not indexed (%llu for a container id that already had a link, %llu beyond %d containers); counted in stats.log_links\n",
		id->log_dir,
		(unsigned long long)(st.conflicts + st.over_limit),
		(unsigned long long)st.conflicts,
		(unsigned long long)st.over_limit, POD_INDEX_MAX);
}

/* (re)start watching and indexing; the watch first, so nothing slips by */
static void start_index(struct identity *id)
{
	int fd, err;

	fd = pod_index_watch(id->ix);
	if (fd < 0) {
		warn_once(id, "cannot watch", fd);
		return;
	}
	id->fd = fd;
	err = pod_index_scan(id->ix);
	if (err)
		warn_once(id, "cannot read", err);
	else
		id->indexed = true;
	warn_links(id);
}

int identity_init(struct identity *id, const char *log_dir)
{
	memset(id, 0, sizeof(*id));
	id->fd = -1;
	snprintf(id->log_dir, sizeof(id->log_dir), "%s", log_dir);
	id->ix = pod_index_new(log_dir);
	if (!id->ix)
		return -ENOMEM;
	start_index(id);
	return 0;
}

void identity_destroy(struct identity *id)
{
	pod_index_free(id->ix);
	id->ix = NULL;
	id->fd = -1;
}

int identity_fd(const struct identity *id)
{
	return id->fd;
}

void identity_update(struct identity *id)
{
	if (!id->ix)
		return;
	/* the directory went away: index it again when it is back */
	if (id->indexed && pod_index_handle(id->ix) == -ENOENT)
		id->indexed = false;
	if (!id->indexed)
		start_index(id);
	warn_links(id);
}

bool identity_indexed(const struct identity *id)
{
	return id->indexed;
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

void identity_refresh(struct identity *id, struct pod_ident *out)
{
	const struct pod_entry *e;

	if ((!id->ix && !id->links) || !out->container_id[0] ||
	    out->pod_name[0])
		return;
	e = id->ix ? pod_index_find(id->ix, out->container_id) : NULL;
	if (id->links)
		e = id->links(id->links_ctx, out->container_id, e);
	if (!e) {
		out->names = POD_NAMES_NO_LINK;
		return;
	}
	/* a link names a container of the pod in its target, or nothing */
	if (!e->pod_uid[0]) {
		out->names = POD_NAMES_NO_UID;
		return;
	}
	if (strcasecmp(e->pod_uid, out->pod_uid)) {
		out->names = POD_NAMES_UID_MISMATCH;
		return;
	}
	out->names = POD_NAMES_LOG_LINK;
	copy(out->namespace, sizeof(out->namespace), e->namespace);
	copy(out->pod_name, sizeof(out->pod_name), e->pod_name);
	copy(out->container_name, sizeof(out->container_name),
	     e->container_name);
}

const char *pod_names_name(enum pod_names n)
{
	switch (n) {
	case POD_NAMES_NONE:
		return NULL;
	case POD_NAMES_LOG_LINK:
		return "log_link";
	case POD_NAMES_NO_LINK:
		return "no_link";
	case POD_NAMES_UID_MISMATCH:
		return "pod_uid_mismatch";
	case POD_NAMES_NO_UID:
		return "link_without_pod_uid";
	}
	return NULL;
}

void identity_stats(const struct identity *id, struct pod_index_stats *st,
		    uint64_t *refused)
{
	pod_index_stats(id->ix, st);
	*refused = id->refused;
}

static bool missed_before(const struct identity *id, const char *cid)
{
	unsigned int i;

	for (i = 0; i < IDENTITY_MISSES; i++)
		if (!strcmp(id->missed[i], cid))
			return true;
	return false;
}

bool identity_may_wait(const struct identity *id, const struct pod_ident *pod)
{
	return id->fd >= 0 && pod->names == POD_NAMES_NO_LINK &&
	       !missed_before(id, pod->container_id);
}

void identity_gave_up(struct identity *id, const char *container_id)
{
	if (missed_before(id, container_id))
		return;
	copy(id->missed[id->next_miss], sizeof(id->missed[0]), container_id);
	id->next_miss = (id->next_miss + 1) % IDENTITY_MISSES;
}

/* how much a parsed cgroup path says: pod 2, container 1, host 0 */
static int rank(const struct pod_cgroup *c)
{
	return c->pod_uid[0] ? 2 : c->container_id[0] ? 1 : 0;
}

void identity_peek(struct identity *id, const char *cgroup,
		   const char *cgroup_v1, struct pod_ident *out)
{
	struct pod_cgroup v2 = {}, v1 = {};
	const struct pod_cgroup *pick;

	memset(out, 0, sizeof(*out));
	pod_cgroup_parse(cgroup ? cgroup : "", &v2);
	pod_cgroup_parse(cgroup_v1 ? cgroup_v1 : "", &v1);
	/* hybrid hosts: pods may live in either hierarchy; a pod beats a
	 * plain container, which beats the host */
	pick = rank(&v1) > rank(&v2) ? &v1 : &v2;
	/* the output's scope: "pod" is any process of a Kubernetes pod,
	 * "container" one of a container outside Kubernetes */
	if (pick->pod_uid[0])
		out->scope = POD_SCOPE_POD;
	else if (pick->container_id[0])
		out->scope = POD_SCOPE_CONTAINER;
	else
		out->scope = POD_SCOPE_HOST;
	copy(out->runtime, sizeof(out->runtime), pick->runtime);
	copy(out->container_id, sizeof(out->container_id), pick->container_id);
	copy(out->pod_uid, sizeof(out->pod_uid), pick->pod_uid);
	if (out->scope != POD_SCOPE_POD || !out->container_id[0])
		return;
	identity_update(id);
	identity_refresh(id, out);
}

void identity_resolve(struct identity *id, const char *cgroup,
		      const char *cgroup_v1, struct pod_ident *out)
{
	identity_peek(id, cgroup, cgroup_v1, out);
	if (out->names == POD_NAMES_UID_MISMATCH ||
	    out->names == POD_NAMES_NO_UID)
		id->refused++;
}
