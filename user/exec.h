/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A shell exec as the daemon knows it, decoded from the kernel or /proc:
 * what decode and the scan fill, nothing later stages add (the pod
 * identity and the verdict are in its view, user/exec_view.h).
 */
#ifndef SHELLWATCH_EXEC_H
#define SHELLWATCH_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shellwatch.h"

/* room for a path assembled from components: a "..." mark, one "/" per
 * component and a terminator */
#define SW_PATH_TEXT(max)	((max) + 8)

struct sw_exec {
	uint32_t type;		/* SW_EVENT_EXEC, or SW_EVENT_COMMAND */
	uint64_t exec_ns;	/* CLOCK_BOOTTIME, 0 when unknown (found at start) */
	uint64_t start_ns;	/* CLOCK_BOOTTIME */
	uint64_t cgroup_id;
	uint32_t pid, vpid, ppid, sid;
	uint32_t uid, gid, euid, egid;
	uint32_t loginuid, audit_session;
	uint32_t pidns, mntns;
	uint32_t nlink, argc;
	uint32_t flags;		/* SW_F_* */
	uint32_t match;		/* enum sw_match */
	uint32_t family;	/* enum sw_family of the binary, if judged */
	uint32_t fs_magic;	/* the binary's file system; 0 when unknown */
	bool has_key;		/* key is the kernel's */
	struct sw_inode_key key; /* the binary's inode identity */
	char shell[SW_NAME_LEN]; /* shell.name: the shell the match found */
	struct sw_cpu cpu;	/* CPU counters at exec */
	uint64_t rss_pages;	/* resident pages at exec */
	bool found_at_start;
	char comm[SW_COMM_LEN];
	char parent_comm[SW_COMM_LEN];
	char ancestors[SW_ANCESTORS][SW_COMM_LEN]; /* parent first */
	struct sw_trail trail;	/* with SW_F_TRAIL: its place in a session */
	char filename[SW_FILENAME_MAX + 1];
	char interp[SW_INTERP_MAX + 1];
	char loaded[SW_FILENAME_MAX + 1]; /* a loader's program, as named */
	char exe[SW_PATH_TEXT(SW_EXE_MAX)];
	char cwd[SW_PATH_TEXT(SW_CWD_MAX)];
	char parent_exe[SW_PATH_TEXT(SW_PARENT_EXE_MAX)];
	char tty[SW_TTY_MAX + 1];
	/* cut at the top ("...") and below ("/...") */
	char cgroup[SW_PATH_TEXT(SW_CGROUP_MAX) + 4];
	char cgroup_v1[SW_PATH_TEXT(SW_CGROUP_MAX) + 4];
	char argv[SW_ARGV_MAX];	/* NUL-separated, argv_len bytes */
	size_t argv_len;
	uint32_t parent_mntns;	/* with SW_F_VIEW: the parent's mount namespace */
	uint32_t pad;
};

#endif /* SHELLWATCH_EXEC_H */
