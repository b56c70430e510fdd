/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pod names from the kubelet's log files: /var/log/containers holds one
 * symlink per container, <pod>_<namespace>_<container>-<container id>.log,
 * to /var/log/pods/<namespace>_<pod>_<pod uid>/<container>/<n>.log. An
 * index of them by container id, kept current with inotify, names the pod
 * of a container id found in a cgroup path (pod_cgroup.h).
 */
#ifndef SHELLWATCH_POD_LOGS_H
#define SHELLWATCH_POD_LOGS_H

#include <stddef.h>
#include <stdint.h>
#include "pod_cgroup.h"

#define POD_NAME_MAX		253	/* a DNS subdomain: pod name */
#define POD_LABEL_MAX		63	/* a DNS label: namespace, container */
#define POD_LOG_ID_LEN		64	/* hex digits of a container id */
/* containers indexed at most (a node runs a few hundred); ~150 bytes each */
#define POD_INDEX_MAX		65536

/* the parts of a /var/log/containers entry's name */
struct pod_log_name {
	char pod_name[POD_NAME_MAX + 1];
	char namespace[POD_LABEL_MAX + 1];
	char container_name[POD_LABEL_MAX + 1];
	char container_id[POD_LOG_ID_LEN + 1];
};

/* the parts of a /var/log/pods directory's name */
struct pod_dir_name {
	char namespace[POD_LABEL_MAX + 1];
	char pod_name[POD_NAME_MAX + 1];
	char pod_uid[POD_UID_MAX + 1];	/* with dashes, or 32 hex digits */
};

struct pod_entry {
	char container_id[POD_LOG_ID_LEN + 1];
	char pod_name[POD_NAME_MAX + 1];
	char namespace[POD_LABEL_MAX + 1];
	char container_name[POD_LABEL_MAX + 1];
	char pod_uid[POD_UID_MAX + 1];	/* "" when the link does not tell */
};

/* what the index did with the links it met */
struct pod_index_stats {
	size_t indexed;		/* containers in the index now */
	uint64_t conflicts;	/* links refused: their id had another link */
	uint64_t over_limit;	/* links refused: the index was full */
};

struct pod_index;

/*
 * split "<pod>_<namespace>_<container>-<64 hex id>.log"; the container
 * name ends at the last '-'. Returns 0, or -EINVAL (out is then zeroed).
 */
int pod_logs_parse_name(const char *name, struct pod_log_name *out);
/* split "<namespace>_<pod>_<pod uid>"; 0, or -EINVAL (out zeroed) */
int pod_logs_parse_pod_dir(const char *name, struct pod_dir_name *out);

/* an empty index of log_dir ("/var/log"); NULL with errno set on failure */
struct pod_index *pod_index_new(const char *log_dir);
/*
 * rebuild the index from log_dir/containers; on failure the index is kept
 * as it was. Returns 0, -ENOENT when the directory is missing, or -errno.
 * Call pod_index_watch() first so that no change in between is missed.
 */
int pod_index_scan(struct pod_index *ix);
/*
 * watch log_dir/containers (again, after pod_index_handle() said it went
 * away); returns the non-blocking inotify fd to poll for POLLIN, the same
 * one every time, or -ENOENT when the directory is missing, or -errno
 */
int pod_index_watch(struct pod_index *ix);
/*
 * apply the pending inotify events (a bounded number per call: poll
 * again); rescans when the kernel's queue overflowed. Returns 0, -ENOENT
 * when log_dir/containers went away (the index is emptied: watch and scan
 * again later), or -errno. Never blocks.
 */
int pod_index_handle(struct pod_index *ix);
/*
 * the entry of a container id, or NULL; valid until the next call or a
 * change of the index. The first link of a container id wins: a second
 * one with other names never renames it (pod_index_stats() counts it).
 */
const struct pod_entry *pod_index_find(const struct pod_index *ix,
				       const char *container_id);
/* index at most max containers (POD_INDEX_MAX unless set) */
void pod_index_limit(struct pod_index *ix, size_t max);
/* the index's counters; zeros for NULL */
void pod_index_stats(const struct pod_index *ix, struct pod_index_stats *st);
/* the number of containers indexed */
size_t pod_index_size(const struct pod_index *ix);
/* free the index and close its inotify fd; accepts NULL */
void pod_index_free(struct pod_index *ix);

#endif /* SHELLWATCH_POD_LOGS_H */
