// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for user/pod_cgroup.c: the input, cut at its first NUL,
 * is a cgroup path. pod_cgroup_parse() must give a container id of 12..128
 * hex digits found in the path (or ""), a pod uid of 32 hex digits or
 * 8-4-4-4-12 with dashes (or ""), a known runtime, and a scope that agrees
 * with them; the same answer for the path with extra '/' around and
 * between components. pod_uid_parse() is run on the raw bytes too.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Iuser \
 *   tests/fuzz/fuzz_pod_cgroup.c user/pod_cgroup.c -o /tmp/fuzz_pod_cgroup
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "pod_cgroup.h"

static const char *const runtimes[] = {
	"", "containerd", "cri-o", "docker", "podman", "nerdctl", NULL,
};

static bool all_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

/* 32 hex digits, or 8-4-4-4-12 with dashes */
static bool uid_ok(const char *u)
{
	size_t n = strlen(u), i;

	if (n == 32)
		return all_hex(u, 32);
	if (n != POD_UID_MAX)
		return false;
	for (i = 0; i < n; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? u[i] != '-' : !all_hex(u + i, 1))
			return false;
	}
	return true;
}

static void check_out(const char *path, const struct pod_cgroup *o)
{
	size_t idlen, i;
	bool known = false;

	check(o->scope == POD_SCOPE_HOST || o->scope == POD_SCOPE_POD ||
	      o->scope == POD_SCOPE_CONTAINER);
	check(strcmp(pod_scope_name(o->scope), "unknown") != 0);
	check(strnlen(o->runtime, sizeof(o->runtime)) < sizeof(o->runtime));
	for (i = 0; runtimes[i]; i++)
		known |= !strcmp(o->runtime, runtimes[i]);
	check(known);

	idlen = strnlen(o->container_id, sizeof(o->container_id));
	check(idlen < sizeof(o->container_id));
	check(idlen == 0 || (idlen >= POD_CONTAINER_ID_MIN &&
			     idlen <= POD_CONTAINER_ID_MAX));
	check(all_hex(o->container_id, idlen));
	check(!idlen || strstr(path, o->container_id));

	check(strnlen(o->pod_uid, sizeof(o->pod_uid)) < sizeof(o->pod_uid));
	check(!o->pod_uid[0] || uid_ok(o->pod_uid));

	switch (o->scope) {
	case POD_SCOPE_HOST:
		check(!idlen && !o->pod_uid[0] && !o->runtime[0]);
		break;
	case POD_SCOPE_POD:
		check(!idlen && o->pod_uid[0] && !o->runtime[0]);
		break;
	case POD_SCOPE_CONTAINER:
		check(idlen);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pod_cgroup a, b;
	char *path, *slashy, uid[POD_UID_MAX + 1];
	size_t n, i, o = 0;

	path = malloc(size + 1);
	check(path);
	memcpy(path, data, size);
	path[size] = '\0';
	n = strlen(path);

	check(pod_cgroup_parse(path, &a) == 0);
	check_out(path, &a);
	check(pod_cgroup_parse(path, &b) == 0);
	check(!memcmp(&a, &b, sizeof(a)));

	/* components are what count: "//x//y//" is "/x/y" */
	slashy = malloc(2 * n + 3);
	check(slashy);
	slashy[o++] = '/';
	for (i = 0; i < n; i++) {
		if (path[i] == '/')
			slashy[o++] = '/';
		slashy[o++] = path[i];
	}
	slashy[o++] = '/';
	slashy[o] = '\0';
	check(pod_cgroup_parse(slashy, &b) == 0);
	if (memcmp(&a, &b, sizeof(a))) {
		fprintf(stderr, "'%s' and '%s' differ\n", path, slashy);
		abort();
	}

	/* the raw bytes (NULs kept) as a pod uid; a copy of its exact size */
	memset(uid, 'x', sizeof(uid));
	{
		char *raw = malloc(size ? size : 1);

		check(raw);
		memcpy(raw, data, size);
		if (!pod_uid_parse(raw, size, uid)) {
			check(size == 32 || size == POD_UID_MAX);
			check(uid_ok(uid) && strlen(uid) == size);
			for (i = 0; i < size; i++)
				check(uid[i] == raw[i] ||
				      (uid[i] == '-' && raw[i] == '_'));
		} else {
			check(uid[0] == '\0');
		}
		free(raw);
	}

	/* below a pod's container, nothing a process names changes who it is */
	if (a.scope == POD_SCOPE_CONTAINER && a.pod_uid[0]) {
		static const char forged[] =
			"/kubepods/pod9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a/"
			"0123456789abcdef0123456789abcdef";
		char *deeper = malloc(n + sizeof(forged));

		check(deeper);
		memcpy(deeper, path, n);
		memcpy(deeper + n, forged, sizeof(forged));
		check(pod_cgroup_parse(deeper, &b) == 0);
		if (memcmp(&a, &b, sizeof(a))) {
			fprintf(stderr, "a pod below '%s' renamed it\n", path);
			abort();
		}
		free(deeper);
	}

	check(pod_cgroup_parse(NULL, &b) != 0 && b.scope == POD_SCOPE_HOST);
	free(slashy);
	free(path);
	return 0;
}
