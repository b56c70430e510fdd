/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * User and group names as the watched process sees them. A process in the
 * sensor's own mount namespace is looked up through NSS, as before; any
 * other process (a container's, or the host's when the sensor runs in a
 * pod) through its own root: /etc/passwd and /etc/group opened with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) below /proc/<pid>/root,
 * so a symlink in the container resolves inside the container and never
 * reaches a host file. The names are cached per mount namespace.
 *
 * Those files belong to whoever owns the container: every bound below
 * holds against a huge, malformed or hostile file. Only regular files on
 * ordinary filesystems are read (not procfs, sysfs, FUSE and the like,
 * which can stall a reader or hand it the sensor's own secrets), at most
 * USERS_FILE_MAX bytes of each, at most USERS_ENTRIES_MAX names of at
 * most USERS_NAME_MAX bytes, for at most USERS_NS_MAX namespaces, loaded
 * at most USERS_LOADS_PER_S times a second.
 */
#ifndef SHELLWATCH_USERS_H
#define SHELLWATCH_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define USERS_CACHE		128	/* uids and gids remembered from NSS */
#define USERS_TTL_S		60	/* seconds a name (or its absence) is trusted */
#define USERS_NS_MAX		32	/* mount namespaces remembered */
#define USERS_FILE_MAX		(256 * 1024)	/* bytes read of each file */
#define USERS_ENTRIES_MAX	2048	/* names kept of each file */
#define USERS_NAME_MAX		32	/* longer names are not kept (useradd's limit) */
#define USERS_LOADS_PER_S	16	/* namespaces loaded a second at most */

/* where names come from besides the files: a replay answers from its
 * recording, a recording hears every user name looked up */
struct users_source {
	void (*answer)(void *ctx, bool group, uint32_t id, char *name,
		       size_t len);
	void (*heard)(void *ctx, bool group, uint32_t id, const char *name);
	void *ctx;
};

/* use src (NULL: the files and NSS alone) from now on, process-wide */
void users_set_source(const struct users_source *src);

/* one name of a file: its id and where it is in the pool */
struct users_entry {
	uint32_t id;
	uint32_t off;
};

/* the names of one passwd or group file, sorted by id then line */
struct users_table {
	struct users_entry *e;
	char *pool;		/* NUL-terminated names */
	size_t n;
};

/* a name remembered from NSS */
struct users_nss {
	uint32_t id;
	bool used;
	time_t at;		/* CLOCK_MONOTONIC seconds of the lookup */
	char name[64];		/* "" for an id with no name */
};

/* one mount namespace's files */
struct users_ns {
	uint32_t mntns;		/* 0: a free slot */
	time_t at;		/* when it was loaded */
	struct users_table pw, gr;
};

struct users {
	uint32_t self_mntns;	/* the sensor's own mount namespace */
	struct users_nss nss_pw[USERS_CACHE], nss_gr[USERS_CACHE];
	struct users_ns ns[USERS_NS_MAX];
	time_t budget_at;	/* the second the load budget counts */
	unsigned int budget_used;
	char *buf;		/* USERS_FILE_MAX bytes to read a file into */
	uint64_t loads;		/* namespaces loaded */
	uint64_t refused;	/* files not read: not regular, special fs */
	const char *proc;	/* "/proc"; tests point it elsewhere */
};

/* set u up (the sensor's own mount namespace read now); 0 or -errno */
int users_init(struct users *u);
/* free u's tables; accepts a zeroed u */
void users_destroy(struct users *u);
/* the name of uid as process pid of mount namespace mntns sees it, into
 * name ("" when it has none); u NULL asks NSS every time */
void users_name(struct users *u, uint32_t pid, uint32_t mntns, uint32_t uid,
		char *name, size_t len);
/* the same for a group id */
void users_group(struct users *u, uint32_t pid, uint32_t mntns, uint32_t gid,
		 char *name, size_t len);
/* parse n bytes of a passwd or group file (the id is the third field of
 * both) into t; cut: the text was cut, its last line is dropped. 0 or
 * -ENOMEM */
int users_parse(struct users_table *t, const char *text, size_t n, bool cut);
/* the name of id in t, NULL if none (the first line for it wins) */
const char *users_find(const struct users_table *t, uint32_t id);
/* free t's arrays */
void users_table_free(struct users_table *t);

#endif /* SHELLWATCH_USERS_H */
