// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "hex.h"
#include "pod_cgroup.h"

/* a part of a path: len bytes at s, never copied before it is checked */
struct comp {
	const char *s;
	size_t len;
};

/* how kubelet names its cgroups */
enum pod_driver {
	DRIVER_NONE,
	DRIVER_CGROUPFS,	/* kubepods/burstable/pod<uid>/<id> */
	DRIVER_SYSTEMD,		/* kubepods.slice/kubepods-pod<uid_>.slice */
};

/* a container cgroup's name: prefix, id, suffix */
struct leaf {
	const char *prefix;
	const char *suffix;
	const char *runtime;
};

/* the containers of a pod: systemd scopes, then cgroupfs names */
static const struct leaf pod_leaves[] = {
	{ "cri-containerd-", ".scope", "containerd" },
	{ "crio-conmon-", ".scope", "cri-o" },
	{ "crio-", ".scope", "cri-o" },
	{ "docker-", ".scope", "docker" },
	{ "crio-conmon-", "", "cri-o" },
	{ "crio-", "", "cri-o" },
	{ "", "", "" },
	{ NULL, NULL, NULL },
};

/* containers outside Kubernetes; "/docker/<id>" is matched apart */
static const struct leaf host_leaves[] = {
	{ "docker-", ".scope", "docker" },
	{ "libpod-conmon-", ".scope", "podman" },
	{ "libpod-payload-", ".scope", "podman" },
	{ "libpod-payload-", "", "podman" },
	{ "libpod-", ".scope", "podman" },
	{ "libpod-", "", "podman" },
	{ "nerdctl-", ".scope", "nerdctl" },
	{ NULL, NULL, NULL },
};

static const char *const qos_names[] = { "burstable", "besteffort", NULL };

/* the component after *p, moving *p past it; false at the end */
static bool next_comp(const char **p, struct comp *c)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	if (!*s)
		return false;
	c->s = s;
	c->len = strcspn(s, "/");
	*p = s + c->len;
	return true;
}

static bool comp_is(const struct comp *c, const char *str)
{
	size_t n = strlen(str);

	return c->len == n && !memcmp(c->s, str, n);
}

/* drop the n bytes at prefix from the front of c, when c starts with them */
static bool cut_prefix(struct comp *c, const char *prefix, size_t n)
{
	if (c->len < n || memcmp(c->s, prefix, n))
		return false;
	c->s += n;
	c->len -= n;
	return true;
}

/* drop suffix from the end of c, when c ends with it */
static bool cut_suffix(struct comp *c, const char *suffix)
{
	size_t n = strlen(suffix);

	if (c->len < n || memcmp(c->s + c->len - n, suffix, n))
		return false;
	c->len -= n;
	return true;
}

static bool all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_hex(s[i]))
			return false;
	return true;
}

int pod_uid_parse(const char *s, size_t len, char *out)
{
	size_t i;
	char sep;

	out[0] = '\0';
	if (len == 32) {
		if (!all_hex(s, len))
			return -EINVAL;
		memcpy(out, s, len);
		out[len] = '\0';
		return 0;
	}
	if (len != POD_UID_MAX)
		return -EINVAL;
	/* the same separator after groups of 8, 4, 4 and 4 */
	sep = s[8];
	if (sep != '-' && sep != '_')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		bool at_sep = i == 8 || i == 13 || i == 18 || i == 23;

		if (at_sep ? s[i] != sep : !is_hex(s[i]))
			return -EINVAL;
	}
	for (i = 0; i < len; i++)
		out[i] = s[i] == sep ? '-' : s[i];
	out[len] = '\0';
	return 0;
}

/* c is a whole container id: it and runtime go to out */
static bool take_id(const struct comp *c, const char *runtime,
		    struct pod_cgroup *out)
{
	if (c->len < POD_CONTAINER_ID_MIN || c->len > POD_CONTAINER_ID_MAX ||
	    !all_hex(c->s, c->len))
		return false;
	memcpy(out->container_id, c->s, c->len);
	out->container_id[c->len] = '\0';
	snprintf(out->runtime, sizeof(out->runtime), "%s", runtime);
	out->scope = POD_SCOPE_CONTAINER;
	return true;
}

/* c is a container's cgroup as named in leaves: take its id */
static bool take_leaf(const struct comp *c, const struct leaf *leaves,
		      struct pod_cgroup *out)
{
	const struct leaf *l;
	struct comp id;

	for (l = leaves; l->prefix; l++) {
		id = *c;
		if (cut_prefix(&id, l->prefix, strlen(l->prefix)) &&
		    cut_suffix(&id, l->suffix) && take_id(&id, l->runtime, out))
			return true;
	}
	return false;
}

/*
 * c is the root of kubelet's cgroups: "kubepods" (cgroupfs), or
 * "kubepods.slice" or "<parent>-kubepods.slice" (systemd, whose unit name
 * without ".slice" goes to unit: every slice below starts with it)
 */
static enum pod_driver kubepods_root(const struct comp *c, struct comp *unit)
{
	static const char slice[] = "kubepods.slice";
	size_t n = sizeof(slice) - 1;

	if (comp_is(c, "kubepods"))
		return DRIVER_CGROUPFS;
	if (c->len < n || memcmp(c->s + c->len - n, slice, n))
		return DRIVER_NONE;
	if (c->len > n && c->s[c->len - n - 1] != '-')
		return DRIVER_NONE;
	unit->s = c->s;
	unit->len = c->len - strlen(".slice");
	return DRIVER_SYSTEMD;
}

/* c is "burstable" (cgroupfs) or "<unit>-burstable.slice": which QoS class */
static const char *qos_class(const struct comp *c, enum pod_driver drv,
			     const struct comp *unit)
{
	struct comp q = *c;
	int i;

	if (drv == DRIVER_SYSTEMD &&
	    !(cut_prefix(&q, unit->s, unit->len) && cut_prefix(&q, "-", 1) &&
	      cut_suffix(&q, ".slice")))
		return NULL;
	for (i = 0; qos_names[i]; i++)
		if (comp_is(&q, qos_names[i]))
			return qos_names[i];
	return NULL;
}

/* c is "pod<uid>" or "<unit>[-<qos>]-pod<uid_>.slice": the uid to out */
static bool pod_comp(const struct comp *c, enum pod_driver drv,
		     const struct comp *unit, const char *qos,
		     struct pod_cgroup *out)
{
	struct comp p = *c;

	if (drv == DRIVER_SYSTEMD) {
		if (!cut_prefix(&p, unit->s, unit->len) ||
		    !cut_prefix(&p, "-", 1) || !cut_suffix(&p, ".slice"))
			return false;
		if (qos && !(cut_prefix(&p, qos, strlen(qos)) &&
			     cut_prefix(&p, "-", 1)))
			return false;
	}
	if (!cut_prefix(&p, "pod", 3))
		return false;
	return !pod_uid_parse(p.s, p.len, out->pod_uid);
}

/*
 * the part of a path below the kubepods root: pod, then container. Returns
 * whether a pod was found.
 */
static bool parse_kubepods(const char *p, enum pod_driver drv,
			   const struct comp *unit, struct pod_cgroup *out)
{
	const char *qos;
	struct comp c;

	if (!next_comp(&p, &c))
		return false;
	qos = qos_class(&c, drv, unit);
	if (qos && !next_comp(&p, &c))
		return false;
	if (!pod_comp(&c, drv, unit, qos, out))
		return false;
	out->scope = POD_SCOPE_POD;
	/* deeper cgroups (a container's own children) are that container */
	if (next_comp(&p, &c))
		take_leaf(&c, pod_leaves, out);
	return true;
}

/* the innermost container of a runtime outside Kubernetes */
static void parse_host(const char *p, struct pod_cgroup *out)
{
	struct comp c, prev = { "", 0 };

	while (next_comp(&p, &c)) {
		if (!take_leaf(&c, host_leaves, out) &&
		    comp_is(&prev, "docker"))
			take_id(&c, "docker", out);
		prev = c;
	}
}

int pod_cgroup_parse(const char *path, struct pod_cgroup *out)
{
	struct comp c, unit = { "", 0 };
	enum pod_driver drv;
	const char *p;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->scope = POD_SCOPE_HOST;
	if (!path)
		return -EINVAL;
	/*
	 * the outermost kubepods root with a pod below it decides: whatever a
	 * container's processes make below its cgroup is still that
	 * container. A root with no pod below it (kind's node, a container
	 * outside Kubernetes) lets the next one decide.
	 */
	for (p = path; next_comp(&p, &c);) {
		drv = kubepods_root(&c, &unit);
		if (drv == DRIVER_NONE)
			continue;
		if (parse_kubepods(p, drv, &unit, out))
			return 0;
		memset(out, 0, sizeof(*out));
		out->scope = POD_SCOPE_HOST;
	}
	parse_host(path, out);
	return 0;
}

const char *pod_scope_name(enum pod_scope s)
{
	switch (s) {
	case POD_SCOPE_HOST:
		return "host";
	case POD_SCOPE_POD:
		return "pod";
	case POD_SCOPE_CONTAINER:
		return "container";
	}
	return "unknown";
}
