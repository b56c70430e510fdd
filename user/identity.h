/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who a shell is in Kubernetes terms: scope, runtime, container and pod
 * from the cgroup paths captured at exec, and the names from the kubelet's
 * log files (an index kept current with inotify, never scanned per event).
 */
#ifndef SHELLWATCH_IDENTITY_H
#define SHELLWATCH_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>
#include "pod_cgroup.h"
#include "pod_logs.h"

/* how long an exec waits for a new container's names to appear */
#define IDENTITY_WAIT_MS	100
/* containers remembered as having made an exec wait in vain */
#define IDENTITY_MISSES		64

struct pod_ident {
	enum pod_scope scope;
	char runtime[16];
	char container_id[POD_CONTAINER_ID_MAX + 1];
	char pod_uid[40];	/* as struct pod_cgroup holds it */
	char namespace[POD_LABEL_MAX + 1];
	char pod_name[POD_NAME_MAX + 1];
	char container_name[POD_LABEL_MAX + 1];
};

struct identity {
	struct pod_index *ix;
	int fd;			/* inotify fd, -1 when not watching */
	bool indexed;		/* log_dir is watched and indexed */
	char log_dir[256];
	bool warned;		/* the one warning about log_dir was said */
	char missed[IDENTITY_MISSES][POD_CONTAINER_ID_MAX + 1];
	unsigned int next_miss;
	uint64_t waits;		/* execs that waited for names */
};

/* build the index of log_dir; a missing directory warns once and is
 * watched for later; 0 or -ENOMEM */
int identity_init(struct identity *id, const char *log_dir);
/* free the index; accepts a zeroed id */
void identity_destroy(struct identity *id);
/* the fd to poll for index changes, or -1 */
int identity_fd(const struct identity *id);
/* whether log_dir is watched and indexed now; if not, the caller retries
 * identity_update() now and then */
bool identity_indexed(const struct identity *id);
/* apply pending index changes, or index log_dir again; never blocks */
void identity_update(struct identity *id);
/* fill out from the v2 and v1 cgroup paths, waiting briefly (bounded)
 * for the names of a container seen for the first time */
void identity_resolve(struct identity *id, const char *cgroup,
		      const char *cgroup_v1, struct pod_ident *out);
/* fill names in out from the index if they have appeared since; never waits */
void identity_refresh(struct identity *id, struct pod_ident *out);

#endif /* SHELLWATCH_IDENTITY_H */
