// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* How a shell got there: runtime exec, container main, or spawned. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "entry.h"

struct entry_case {
	const char *what;
	bool in_container;
	unsigned int vpid;
	bool pidns_child;	/* a child of the node's pid namespace */
	const char *parent_comm;
	const char *parent_exe;
	const char *want;
};

static struct entry_case cases[] = {
	/* kubectl exec and docker exec arrive through the runtime */
	{ "runc exec", true, 42, true, "runc", "/usr/bin/runc", "runtime-exec" },
	{ "runc init", true, 42, true, "runc:[2:INIT]", "", "runtime-exec" },
	{ "shim", true, 17, true, "containerd-shim", "/usr/bin/containerd-shim-runc-v2", "runtime-exec" },
	{ "crun", true, 9, true, "crun", "/usr/bin/crun", "runtime-exec" },
	{ "conmon", true, 9, true, "conmon", "/usr/bin/conmon", "runtime-exec" },
	{ "renamed parent, runtime binary", true, 9, true, "x", "/usr/bin/runc", "runtime-exec" },
	/* the container's first process */
	{ "main via runc", true, 1, true, "runc:[2:INIT]", "", "container-main" },
	{ "main, parent unknown", true, 1, true, "", "", "container-main" },
	/* everything else */
	{ "from a web server", true, 88, true, "nginx", "/usr/sbin/nginx", "spawned" },
	{ "ssh on the node", false, 5000, false, "sshd", "/usr/sbin/sshd", "spawned" },
	{ "host init is no container", false, 1, false, "swapper/0", "", "spawned" },
	{ "runc-like prefix only", true, 5, true, "run", "/bin/run", "spawned" },
	/* pid 1 of a namespace made inside the container (unshare -fp) */
	{ "unshare -fp in a pod", true, 1, false, "unshare", "/usr/bin/unshare", "spawned" },
	{ "unshare -fp under runc exec", true, 1, false, "runc", "/usr/bin/runc", "runtime-exec" },
	{ "nested namespace, parent unknown", true, 1, false, "", "", "spawned" },
};

ParameterizedTestParameters(entry, kinds)
{
	return cr_make_param_array(struct entry_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct entry_case *c, entry, kinds)
{
	const char *got = entry_kind(c->in_container, c->vpid, c->pidns_child,
				     c->parent_comm,
				     c->parent_exe);

	cr_assert_str_eq(got, c->want, "%s: entry '%s', want '%s'", c->what,
			 got, c->want);
}
