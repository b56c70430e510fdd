/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Cgroup paths across cgroup namespaces. /proc/<pid>/cgroup is relative to
 * the reader's namespace ("/../../kubepods/..." for a cgroup outside it);
 * the kernel side's paths are absolute. The namespace root's absolute paths
 * come from the kernel (the cgroupns_root iterator); these join the two.
 */
#ifndef SHELLWATCH_CGROUPNS_H
#define SHELLWATCH_CGROUPNS_H

#include <stdbool.h>
#include <stddef.h>
#include "shellwatch.h"

/* the most bytes the cgroupns_root iterator writes: two tagged paths */
#define CGROUPNS_BUF_MAX	(2 * (SW_PATH_DEPTH * SW_CGNS_NAME_MAX + 3))

/*
 * parse the iterator's output (see bpf/cgroupns.bpf.h) into the absolute v2
 * and v1 paths of the namespace root ("" for a hierarchy it did not write);
 * 0, -EINVAL for a malformed buffer, -ENAMETOOLONG when a path does not fit
 */
int cgroupns_parse(const char *buf, size_t len, char *v2, size_t v2_len,
		   char *v1, size_t v1_len);
/*
 * the absolute path of rel, a path as /proc/<pid>/cgroup gives it relative
 * to a namespace whose root is root (absolute; NULL or "" for the initial
 * namespace); 0, -EINVAL when rel is not absolute, -ENAMETOOLONG
 */
int cgroupns_resolve(const char *root, const char *rel, char *out,
		     size_t len);

/* whether rel, as /proc gives it, lies outside the reader's namespace
 * (the kernel then starts it with ".." steps; a name may start with "..") */
bool cgroupns_outside(const char *rel);

#endif /* SHELLWATCH_CGROUPNS_H */
