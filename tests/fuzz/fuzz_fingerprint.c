// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for user/fingerprint.c, user/argv.c, user/multicall.c
 * and user/loader.c, the modules that read what an attacker wrote: the
 * input is a file's first bytes and, the same bytes, a captured argv.
 * fp_judge_buf() must name a family in range and a build-id within its
 * bound, and agree with fp_judge_fd() on a memfd of the same bytes; the
 * applet and loader rules must point inside argv, at a NUL-ended name.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "argv.h"
#include "fingerprint.h"
#include "fuzz_common.h"
#include "loader.h"
#include "multicall.h"

static void check_result(const struct fp_result *r)
{
	check(r->family > SW_FAM_UNKNOWN && r->family < SW_FAM_COUNT);
	check(r->build_id_len <= FP_BUILD_ID_MAX);
	check(!r->by_build_id || r->build_id_len);
	check(!fp_family_is_shell(r->family) || fp_family_name(r->family));
}

static void fingerprint(const uint8_t *data, size_t size)
{
	struct fp_result a, b;
	int fd;

	fp_judge_buf(data, size, size, &a);
	check_result(&a);
	check(a.bytes_read == size && !a.cut);

	/* the same bytes as a file: the chunked reader agrees */
	fd = memfd_create("fuzz", MFD_CLOEXEC);
	check(fd >= 0);
	check(write(fd, data, size) == (ssize_t)size);
	check(fp_judge_fd(fd, FP_MAX_BYTES, &b) == 0);
	close(fd);
	check_result(&b);
	check(a.family == b.family);
	check(a.build_id_len == b.build_id_len &&
	      !memcmp(a.build_id, b.build_id, a.build_id_len));

	/* a prefix of a longer file is cut, and the same verdict */
	fp_judge_buf(data, size, size + 1, &b);
	check(b.cut && b.family == a.family);
}

static bool inside(const char *p,
		   const uint8_t *data, size_t size, const char *tail,
		   size_t tail_len)
{
	return (p >= (const char *)data && p < (const char *)data + size) ||
	       (p >= tail && p < tail + tail_len);
}

static void rules(const uint8_t *data, size_t size)
{
	static const unsigned int mc[] = { SW_FAM_BUSYBOX, SW_FAM_TOYBOX };
	static const unsigned int ld[] = { SW_FAM_LD_GLIBC, SW_FAM_LD_MUSL };
	struct argv_list a;
	struct mc_applet app;
	struct loader_run run;
	char tail[SW_NAME_LEN * 4];
	size_t i;
	int err;

	argv_split(&a, (const char *)data, size, tail, sizeof(tail));
	check(a.argc >= 0 && a.argc <= ARGV_SPLIT_MAX);
	for (i = 0; i < (size_t)a.argc; i++)
		check(inside(a.v[i], data, size, tail, sizeof(tail)));
	for (i = 0; i < 2; i++) {
		err = multicall_applet(mc[i], &a, &app);
		check(!err || err == -ENOENT || err == -EAGAIN);
		if (err)
			continue;
		check(app.idx >= 0 && app.idx < a.argc && app.name);
		check(inside(app.name, data, size, tail, sizeof(tail)) ||
		      (app.name >= app.buf &&
		       app.name < app.buf + sizeof(app.buf)) ||
		      !strcmp(app.name, "/") || !app.name[0]);
	}
	for (i = 0; i < 2; i++) {
		err = loader_program(ld[i], &a, &run);
		check(!err || err == -ENOENT || err == -EAGAIN);
		if (err)
			continue;
		check(run.prog >= 1 && run.prog < a.argc);
		check(!run.argv0 ||
		      inside(run.argv0, data, size, tail, sizeof(tail)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fingerprint(data, size);
	rules(data, size);
	return 0;
}
