/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* How a shell got where it runs: through the runtime, as a container's
 * first process, or spawned by another process. */
#ifndef SHELLWATCH_ENTRY_H
#define SHELLWATCH_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

/* whether a process name or binary basename is a container runtime's */
bool entry_is_runtime(const char *name);
/*
 * "runtime-exec" when the parent is the container runtime (kubectl exec,
 * docker exec), "container-main" when the shell is the first process of
 * a container's own pid namespace (pidns_child: a child of the node's; not
 * one made inside the container), else "spawned"
 */
const char *entry_kind(bool in_container, uint32_t vpid, bool pidns_child,
		       const char *parent_comm, const char *parent_exe);

#endif /* SHELLWATCH_ENTRY_H */
