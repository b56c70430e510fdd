// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* How a shell got there: runtime exec, container main, or spawned. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "entry.h"

struct entry_case {
	const char *what;
	bool in_container;
	unsigned int vpid;
	const char *parent_comm;
	const char *parent_exe;
	const char *want;
};

static struct entry_case cases[] = {
	/* kubectl exec and docker exec arrive through the runtime */
	{ "runc exec", true, 42, "runc", "/usr/bin/runc", "runtime-exec" },
	{ "runc init", true, 42, "runc:[2:INIT]", "", "runtime-exec" },
	{ "shim", true, 17, "containerd-shim", "/usr/bin/containerd-shim-runc-v2", "runtime-exec" },
	{ "crun", true, 9, "crun", "/usr/bin/crun", "runtime-exec" },
	{ "conmon", true, 9, "conmon", "/usr/bin/conmon", "runtime-exec" },
	{ "renamed parent, runtime binary", true, 9, "x", "/usr/bin/runc", "runtime-exec" },
	/* the container's first process */
	{ "main via runc", true, 1, "runc:[2:INIT]", "", "container-main" },
	{ "main, parent unknown", true, 1, "", "", "container-main" },
	/* everything else */
	{ "from a web server", true, 88, "nginx", "/usr/sbin/nginx", "spawned" },
	{ "ssh on the node", false, 5000, "sshd", "/usr/sbin/sshd", "spawned" },
	{ "host init is no container", false, 1, "swapper/0", "", "spawned" },
	{ "runc-like prefix only", true, 5, "run", "/bin/run", "spawned" },
};

ParameterizedTestParameters(entry, kinds)
{
	return cr_make_param_array(struct entry_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct entry_case *c, entry, kinds)
{
	const char *got = entry_kind(c->in_container, c->vpid, c->parent_comm,
				     c->parent_exe);

	cr_assert_str_eq(got, c->want, "%s: entry '%s', want '%s'", c->what,
			 got, c->want);
}
