/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exec of a recording's found frame (a shell the start-up scan found):
 * this version writes struct sw_exec as it is (user/exec.h, no pointer in
 * it); the layouts older versions wrote are frozen here and converted to
 * struct sw_exec field by field. A frame's size tells its layout.
 */
#ifndef SHELLWATCH_REC_EXEC_H
#define SHELLWATCH_REC_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sw_exec;

/*
 * struct sw_exec as shellwatch wrote it from schema 3.3 until the pod
 * identity and the verdict (written empty, in the middle) moved to the
 * exec's view (user/exec_view.h), within schema 3.4.
 * Frozen: array sizes are the constants of then, the size is checked.
 */
struct rec_exec_v2 {
	uint32_t type;
	uint64_t exec_ns;
	uint64_t start_ns;
	uint64_t cgroup_id;
	uint32_t pid, vpid, ppid, sid;
	uint32_t uid, gid, euid, egid;
	uint32_t loginuid, audit_session;
	uint32_t pidns, mntns;
	uint32_t nlink, argc;
	uint32_t flags;
	uint32_t match;
	uint32_t family;
	uint32_t fs_magic;
	uint8_t has_key;
	struct {
		uint64_t ino;
		uint64_t ctime_sec;
		uint32_t ctime_nsec;
		uint32_t dev;
		uint32_t generation;
		uint32_t pad;
	} key;
	char shell[16];
	struct {
		uint64_t runtime_ns;
		uint64_t utime_ns;
		uint64_t stime_ns;
	} cpu;
	uint64_t rss_pages;
	uint8_t found_at_start;
	char comm[16];
	char parent_comm[16];
	char ancestors[4][16];
	struct {
		uint64_t sess_start_ns;
		uint64_t sess_exec_ns;
		uint64_t fork_start_ns;
		uint64_t fork_id_ns;
		uint64_t cmd_start_ns;
		uint64_t cmd_exec_ns;
		uint32_t cmd_pid;
		uint32_t sess_pid;
		uint32_t sess_uid;
		uint32_t sess_gid;
		uint32_t sess_euid;
		uint32_t sess_egid;
		uint32_t depth;
		uint32_t pad;
	} trail;
	/* struct pod_ident, never filled in a found frame: not read */
	struct {
		uint32_t scope;
		uint32_t names;
		char runtime[16];
		char container_id[129];
		char pod_uid[40];
		char namespace[64];
		char pod_name[254];
		char container_name[64];
	} pod;
	uint64_t suppressed_by;	/* pointers, written NULL: not read */
	uint64_t risk_rule;
	int32_t risk_score;
	char filename[1025];
	char interp[1025];
	char loaded[1025];
	char exe[2056];
	char cwd[2056];
	char parent_exe[1032];
	char tty[65];
	char cgroup[1036];
	char cgroup_v1[1036];
	char argv[4096];
	uint64_t argv_len;
	/* from here on, what recordings before schema 3.3 lack (no view) */
	uint32_t parent_mntns;
	uint32_t pad;
};

#define REC_EXEC_V2_SIZE	sizeof(struct rec_exec_v2)
/* the exec as recordings before schema 3.3 hold it: no view */
#define SW_EXEC_V1_SIZE		offsetof(struct rec_exec_v2, parent_mntns)

/* whether a found frame's exec of n bytes has a layout this version reads */
bool rec_exec_size_ok(size_t n);
/*
 * ex from a found frame's exec of n bytes (rec_exec_size_ok()): every
 * string ended in its array, argv_len within argv, no view for a layout
 * without one; 0, or -EINVAL for a size of no layout
 */
int rec_exec_read(const void *p, size_t n, struct sw_exec *ex);

#endif /* SHELLWATCH_REC_EXEC_H */
