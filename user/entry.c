// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "classify.h"
#include "entry.h"

/* runtimes and their shims, by name prefix (comm is cut at 15 bytes) */
static const char *const runtimes[] = {
	"runc", "crun", "youki", "runsc", "containerd-shim", "conmon",
	"docker-runc", "docker-containe", "cri-o", NULL,
};

bool entry_is_runtime(const char *name)
{
	int i;

	if (!name || !name[0])
		return false;
	for (i = 0; runtimes[i]; i++)
		if (!strncmp(name, runtimes[i], strlen(runtimes[i])))
			return true;
	return false;
}

const char *entry_kind(bool in_container, uint32_t vpid, bool pidns_child,
		       const char *parent_comm, const char *parent_exe)
{
	bool main = in_container && vpid == 1 && pidns_child;

	if (entry_is_runtime(parent_comm) ||
	    (parent_exe && entry_is_runtime(classify_basename(parent_exe))))
		return main ? "container-main" : "runtime-exec";
	return main ? "container-main" : "spawned";
}
