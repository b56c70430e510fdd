/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Staged Kubernetes placements for integration tests: cgroup trees below
 * the test's own cgroup, the kubelet's log links, a shell started in one.
 */
#ifndef SW_CGROUP_H
#define SW_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SW_TREE_MAX	96	/* directories one sw_make_tree() call records */

/* a tree of cgroup directories made by sw_make_tree(), deepest last */
struct sw_tree {
	char dirs[SW_TREE_MAX][PATH_MAX];
	int n;
};

/*
 * the test's own cgroup directory: in the v2 hierarchy (v1 false) or the
 * v1 memory controller; skips the test when there is none to write
 */
void sw_own_cgroup(bool v1, char *buf, size_t len);
/* mkdir -p base/rel, recording the directories made into t (appended) */
void sw_make_tree(const char *base, const char *rel, struct sw_tree *t);
/* the deepest directory made */
const char *sw_tree_leaf(const struct sw_tree *t);
/* rmdir every directory of t, deepest first; fails the test if one stays */
void sw_remove_tree(struct sw_tree *t);
/*
 * the kubelet's log link for a container: <dir>/containers/<pod>_<ns>_
 * <ctr>-<cid>.log -> <dir>/pods/<ns>_<pod>_<uid>/<ctr>/0.log
 */
void sw_log_link(const char *dir, const char *pod, const char *ns,
		 const char *uid, const char *ctr, const char *cid);
/* fork a child that joins cgroup_dir, then execs path with argv */
pid_t sw_spawn_in(const char *cgroup_dir, const char *path,
		  char *const argv[]);
/* rm -rf a temporary directory a test made */
void sw_remove_dir(const char *dir);

#endif /* SW_CGROUP_H */
