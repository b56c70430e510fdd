/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Whether an exec runs a shell, by what its binary is: the binary's
 * content verdict (user/verdicts.c), a multi-call binary's applet, a
 * loader's program; else by the names the kernel matched. Used for the
 * kernel's candidate records and for the shells found at start.
 */
#ifndef SHELLWATCH_JUDGE_H
#define SHELLWATCH_JUDGE_H

#include <stdbool.h>
#include "exec.h"
#include "shells.h"
#include "verdicts.h"

struct judge_stats {
	uint64_t candidates;	/* execs judged */
	uint64_t shells;	/* judged a shell */
	uint64_t gone;		/* the binary could not be opened: by name */
	uint64_t changed;	/* the file open was not the exec's inode */
	uint64_t relinked;	/* the exec's inode, its ctime moved since */
	uint64_t remote_fs;	/* on FUSE or a network: not read, by name */
	uint64_t dropped;	/* candidates judged no shell */
};

struct judge {
	const struct shell_set *set;
	struct verdicts *verdicts;
	const char *proc;		/* "/proc", or a fixture */
	uint32_t mntns;			/* the daemon's mount namespace */
	bool verbose;			/* say each fingerprint on stderr */
	struct judge_stats st;
};

/* set up j over set and verdicts, reading processes under proc */
void judge_init(struct judge *j, const struct shell_set *set,
		struct verdicts *verdicts, const char *proc);
/*
 * decide ex: sets ex->family, and for a shell ex->match and ex->shell;
 * a shell the content does not show stays one when ex->match (the names)
 * says so. Returns whether ex is a shell.
 */
bool judge_exec(struct judge *j, struct sw_exec *ex);
/*
 * a kernel exec record: a candidate is judged here, a cached content
 * verdict only named. Returns whether ex is a shell to report.
 */
bool judge_record(struct judge *j, struct sw_exec *ex);

#endif /* SHELLWATCH_JUDGE_H */
