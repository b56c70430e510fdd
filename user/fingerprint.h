/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a binary is, by its content: its ELF build-id against the shells
 * installed on the build machine, else strings each shell family carries
 * in its read-only data. The caller owns the file descriptor; the module
 * reads at most a bounded number of bytes and never blocks on anything but
 * those reads.
 */
#ifndef SHELLWATCH_FINGERPRINT_H
#define SHELLWATCH_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shellwatch.h"

/* bytes of a file read at most; a larger file is judged on its start */
#define FP_MAX_BYTES		(16u << 20)
#define FP_BUILD_ID_MAX		64

struct fp_result {
	unsigned int family;		/* enum sw_family */
	bool by_build_id;		/* a known shell's build-id */
	bool cut;			/* the file is longer than was read */
	unsigned int build_id_len;
	unsigned char build_id[FP_BUILD_ID_MAX];
	uint64_t bytes_read;
};

/*
 * judge the regular file open at fd, reading at most max bytes; 0 with
 * r->family set (SW_FAM_NONE for a non-ELF file), -EINVAL for a file that
 * is not regular, -ESTALE when it changed while read, or a read's -errno
 */
int fp_judge_fd(int fd, size_t max, struct fp_result *r);
/* judge a buffer holding a file's first len bytes of size in all */
void fp_judge_buf(const unsigned char *buf, size_t len, uint64_t size,
		  struct fp_result *r);
/* the shell name a family reports as shell.name ("bash", "lksh"), or NULL */
const char *fp_family_name(unsigned int family);
/* whether a family is a shell itself (not a loader or multi-call binary) */
bool fp_family_is_shell(unsigned int family);
/* whether a family is a multi-call binary (busybox, toybox) */
bool fp_family_is_multicall(unsigned int family);
/* whether a family is a dynamic loader (glibc, musl) */
bool fp_family_is_loader(unsigned int family);

#endif /* SHELLWATCH_FINGERPRINT_H */
