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

/* how long a record may be parked for a new container's names to appear */
#define IDENTITY_WAIT_MS	100
/* containers remembered as having made a record wait in vain */
#define IDENTITY_MISSES		64

/* where the names of a pod's container came from, or why they did not */
enum pod_names {
	POD_NAMES_NONE,		/* not looked up: no pod container id */
	POD_NAMES_LOG_LINK,	/* from the kubelet's log link */
	POD_NAMES_NO_LINK,	/* no link indexed for the container id */
	POD_NAMES_UID_MISMATCH,	/* the link's pod uid is not the cgroup's */
	POD_NAMES_NO_UID,	/* the link's target names no pod uid */
};

struct pod_ident {
	enum pod_scope scope;
	enum pod_names names;
	char runtime[16];
	char container_id[POD_CONTAINER_ID_MAX + 1];
	char pod_uid[40];	/* as struct pod_cgroup holds it */
	char namespace[POD_LABEL_MAX + 1];
	char pod_name[POD_NAME_MAX + 1];
	char container_name[POD_LABEL_MAX + 1];
};

/*
 * a log-link look-up's answer besides the index's: found is the index's
 * (NULL for none, or no index), the return value the one used; a recording
 * hears found, a replay gives the recorded answer
 */
typedef const struct pod_entry *(*identity_links_fn)(void *ctx,
						      const char *container_id,
						      const struct pod_entry *found);

struct identity {
	struct pod_index *ix;
	int fd;			/* inotify fd, -1 when not watching */
	bool indexed;		/* log_dir is watched and indexed */
	char log_dir[256];
	bool warned;		/* the one warning about log_dir was said */
	char missed[IDENTITY_MISSES][POD_CONTAINER_ID_MAX + 1];
	unsigned int next_miss;
	uint64_t refused;	/* execs whose link was not used (pod uid) */
	bool warned_links;	/* the one warning about refused links */
	identity_links_fn links;	/* NULL for the index alone */
	void *links_ctx;
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
/* fill out from the v2 and v1 cgroup paths and the index; never waits */
void identity_resolve(struct identity *id, const char *cgroup,
		      const char *cgroup_v1, struct pod_ident *out);
/* what identity_resolve() says now, not counted in its refusals */
void identity_peek(struct identity *id, const char *cgroup,
		   const char *cgroup_v1, struct pod_ident *out);
/*
 * whether pod's names may still come: a pod's container with no link yet,
 * in a watched log directory, not given up on before. The kubelet links a
 * container's log just after starting it, so its first process may exec
 * before the names exist: its record may be parked for them, bounded
 */
bool identity_may_wait(const struct identity *id, const struct pod_ident *pod);
/* a record waited in vain for container_id's names: later ones do not */
void identity_gave_up(struct identity *id, const char *container_id);
/* fill names in out from the index if they have appeared since; never waits */
void identity_refresh(struct identity *id, struct pod_ident *out);
/* "log_link", "no_link", "pod_uid_mismatch", "link_without_pod_uid";
 * NULL for POD_NAMES_NONE */
const char *pod_names_name(enum pod_names n);
/* the log index's counters, and execs whose link was refused */
void identity_stats(const struct identity *id, struct pod_index_stats *st,
		    uint64_t *refused);

#endif /* SHELLWATCH_IDENTITY_H */
