/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Kubernetes pod and the container a cgroup path belongs to, from the
 * names kubelet (systemd or cgroupfs driver) and the container runtimes
 * give their cgroups. Pure string work: nothing is read from the system.
 */
#ifndef SHELLWATCH_POD_CGROUP_H
#define SHELLWATCH_POD_CGROUP_H

#include <stddef.h>

/* a container id is 12..128 hex digits */
#define POD_CONTAINER_ID_MIN	12
#define POD_CONTAINER_ID_MAX	128
/* a pod uid is 8-4-4-4-12 hex digits, or 32 (a static pod's md5) */
#define POD_UID_MAX		36

/*
 * what a cgroup path shows; the output's "scope" is derived from the ids
 * instead (user/identity.c): "pod" for any path with a pod uid
 */
enum pod_scope {
	POD_SCOPE_HOST,		/* no pod, no container */
	POD_SCOPE_POD,		/* in a pod, outside any container of it */
	POD_SCOPE_CONTAINER,	/* in a container, of a pod or not */
};

struct pod_cgroup {
	enum pod_scope scope;
	/* "containerd", "cri-o", "docker", "podman", "nerdctl", "" unknown */
	char runtime[16];
	/* as in the path (case kept), "" when none */
	char container_id[POD_CONTAINER_ID_MAX + 1];
	/* 8-4-4-4-12 with dashes, or 32 hex digits; "" outside a pod */
	char pod_uid[40];
};

/*
 * parse a cgroup path (v2, or a v1 controller's) into out; the outermost
 * kubepods root with a pod below it decides, and cgroups below a
 * container's are that container. Anything unknown is POD_SCOPE_HOST.
 * Returns 0, or -EINVAL when path or out is NULL.
 */
int pod_cgroup_parse(const char *path, struct pod_cgroup *out);
/* "host", "pod" or "container"; "unknown" for any other value */
const char *pod_scope_name(enum pod_scope s);
/*
 * check the len bytes at s are a pod uid, with '-' or '_' (systemd) between
 * its groups, or 32 hex digits; copy it with dashes into out, which holds
 * POD_UID_MAX + 1 bytes. Returns 0 or -EINVAL (out is then "").
 */
int pod_uid_parse(const char *s, size_t len, char *out);

#endif /* SHELLWATCH_POD_CGROUP_H */
