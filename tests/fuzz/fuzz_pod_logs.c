// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for the name parsers of user/pod_logs.c: the input, cut
 * at its first NUL, goes to pod_logs_parse_name() (a /var/log/containers
 * entry) and pod_logs_parse_pod_dir() (a /var/log/pods directory). On
 * success every field is a Kubernetes name of its length and alphabet,
 * NUL-terminated in its array, the id 64 hex digits, and the fields joined
 * back give the input; on failure the output is all zeros.
 *
 * clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *   -fno-sanitize-recover=undefined -D_GNU_SOURCE -Iinclude -Iuser \
 *   tests/fuzz/fuzz_pod_logs.c user/pod_logs.c user/pod_cgroup.c \
 *   -o /tmp/fuzz_pod_logs
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "pod_logs.h"

/* a NUL-terminated name in an array of size bytes: [a-z0-9-] (and '.') */
static void name_ok(const char *s, size_t size, size_t max, bool dots)
{
	size_t n = strnlen(s, size), i;

	check(n < size);
	check(n >= 1 && n <= max);
	for (i = 0; i < n; i++)
		check((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      (dots && s[i] == '.'));
}

static void hex_ok(const char *s, size_t size, size_t len)
{
	size_t i;

	check(strnlen(s, size) == len);
	for (i = 0; i < len; i++)
		check(strchr("0123456789abcdefABCDEF", s[i]) && s[i]);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static void check_name(const char *in, const struct pod_log_name *o)
{
	char *back;
	size_t n = strlen(in);

	name_ok(o->pod_name, sizeof(o->pod_name), POD_NAME_MAX, true);
	name_ok(o->namespace, sizeof(o->namespace), POD_LABEL_MAX, false);
	name_ok(o->container_name, sizeof(o->container_name), POD_LABEL_MAX,
		false);
	check(!strchr(o->namespace, '_'));
	hex_ok(o->container_id, sizeof(o->container_id), POD_LOG_ID_LEN);

	back = malloc(n + 1);
	check(back);
	check((size_t)snprintf(back, n + 1, "%s_%s_%s-%s.log", o->pod_name,
			       o->namespace, o->container_name,
			       o->container_id) == n);
	check(!strcmp(back, in));
	free(back);
}

static void check_dir(const char *in, const struct pod_dir_name *o)
{
	char *back;
	size_t n = strlen(in), u, i;

	name_ok(o->namespace, sizeof(o->namespace), POD_LABEL_MAX, false);
	name_ok(o->pod_name, sizeof(o->pod_name), POD_NAME_MAX, true);
	check(!strchr(o->namespace, '_'));
	u = strnlen(o->pod_uid, sizeof(o->pod_uid));
	check(u < sizeof(o->pod_uid));
	if (u == 32) {
		hex_ok(o->pod_uid, sizeof(o->pod_uid), 32);
	} else {
		check(u == POD_UID_MAX);
		for (i = 0; i < u; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23)
				check(o->pod_uid[i] == '-');
			else
				check(strchr("0123456789abcdefABCDEF",
					     o->pod_uid[i]));
		}
	}

	back = malloc(n + 1);
	check(back);
	check((size_t)snprintf(back, n + 1, "%s_%s_%s", o->namespace,
			       o->pod_name, o->pod_uid) == n);
	check(!strcmp(back, in));
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pod_log_name ln;
	static struct pod_dir_name dn;
	char *name;

	/* an exact-size copy, so ASan sees a read past the terminator */
	name = malloc(size + 1);
	check(name);
	memcpy(name, data, size);
	name[size] = '\0';

	memset(&ln, 0xa5, sizeof(ln));
	if (pod_logs_parse_name(name, &ln) == 0)
		check_name(name, &ln);
	else
		check(all_zero(&ln, sizeof(ln)));

	memset(&dn, 0xa5, sizeof(dn));
	if (pod_logs_parse_pod_dir(name, &dn) == 0)
		check_dir(name, &dn);
	else
		check(all_zero(&dn, sizeof(dn)));

	free(name);
	return 0;
}
