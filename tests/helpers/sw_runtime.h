/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Real container runtimes in integration tests: runc, podman and a private
 * containerd driven with ctr, running a busybox root file system, with
 * cgroups joined RELATIVE to the test's own (below it in every hierarchy),
 * shaped as the kubelet's drivers make them. The kubelet's log links are
 * written by the test, as the kubelet names them.
 */
#ifndef SW_RUNTIME_H
#define SW_RUNTIME_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

enum sw_rt { SW_RUNC, SW_PODMAN, SW_CONTAINERD };

struct sw_ctr {
	enum sw_rt rt;
	char id[80];		/* the runtime's container id */
	char top[64];		/* first cgroup component, the test's own */
	char cgroup[PATH_MAX];	/* container cgroup below the test's (podman: parent) */
	char dir[64];		/* temporary directory: bundle, pid file */
	pid_t pid;		/* host pid of the container's first process */
	bool created;
	char etc[PATH_MAX];	/* runc: bound read-only onto /etc; "" none */
	unsigned int uid;	/* runc: uid and gid of the first process */
	char env[512];		/* runc: one more environment variable */
};

/* what sw_ctr_start_opts() sets besides sw_ctr_start()'s (runc only) */
struct sw_ctr_opts {
	const char *etc;	/* a host directory bound onto /etc */
	unsigned int uid;	/* the first process's uid and gid */
	const char *env;	/* "NAME=value" given to the first process */
};

/* the runtime's name, for messages */
const char *sw_rt_name(enum sw_rt rt);
/* skip the test (fail it with CI=true) unless rt can run containers here */
void sw_rt_require(enum sw_rt rt);
/*
 * start a container of rt whose first process runs argv (NULL-terminated),
 * in cgroup (relative: made below "sw-rt-<pid>-<n>/" below the test's own
 * cgroup; for podman, the parent of its libpod-<id> cgroup); id: 64 hex
 * digits, or NULL for a random one (podman always names its own). The
 * container lives in static storage until sw_ctr_remove or sw_ctr_cleanup.
 */
struct sw_ctr *sw_ctr_start(enum sw_rt rt, const char *cgroup, const char *id,
			    const char *const argv[]);
/* sw_ctr_start, runc, with o's /etc, uid and environment */
struct sw_ctr *sw_ctr_start_opts(enum sw_rt rt, const char *cgroup,
				 const char *id, const char *const argv[],
				 const struct sw_ctr_opts *o);
/* run argv in the container as kubectl exec does; returns its wait status */
int sw_ctr_exec(struct sw_ctr *c, const char *const argv[]);
/* kill and delete the container and the cgroups made for it */
void sw_ctr_remove(struct sw_ctr *c);
/*
 * the .fini of every test that starts containers: removes those a failed or
 * skipped test left (and the private containerd), without assertions
 */
void sw_ctr_cleanup(void);
/* a random container id: 64 hex digits and a NUL into id */
void sw_random_id(char *id);
/* the container's cgroup path as the sensor reports it ("/..." below root) */
void sw_ctr_cgroup_path(const struct sw_ctr *c, char *buf, size_t len);

/*
 * the kubelet's log files for a container: <dir>/pods/<ns>_<pod>_<uid>/
 * <name>/0.log and the link <dir>/containers/<pod>_<ns>_<name>-<cid>.log
 */
void sw_kubelet_log_link(const char *dir, const char *ns, const char *pod,
			 const char *uid, const char *name, const char *cid);
/* a new temporary log directory with containers/ in it (buf: 64 bytes) */
void sw_log_dir_make(char *buf, size_t len);
/* remove a directory made by sw_log_dir_make */
void sw_log_dir_remove(const char *dir);

#endif /* SW_RUNTIME_H */
