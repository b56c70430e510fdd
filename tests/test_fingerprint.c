// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of content fingerprints (user/fingerprint.c) on the shells this
 * machine has installed (scripts/deps.sh test), on every other ELF file
 * of /usr/bin and /usr/sbin, and on hostile files: not ELF, truncated,
 * lying headers, too big, not regular.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "fingerprint.h"
#include "sw_rows.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct installed {
	const char *path;
	unsigned int family;
	bool optional;		/* present only with other packages */
};

/* the shells scripts/deps.sh installs for tests, by family */
static const struct installed installed[] = {
	{ "/usr/bin/bash", SW_FAM_BASH, false },
	{ "/usr/bin/dash", SW_FAM_DASH, false },
	{ "/usr/bin/zsh", SW_FAM_ZSH, false },
	{ "/usr/bin/zsh-static", SW_FAM_ZSH, false },
	{ "/usr/bin/ksh93", SW_FAM_KSH93, false },
	{ "/usr/bin/mksh", SW_FAM_MKSH, false },
	/* mksh built against klibc, when klibc is installed */
	{ "/usr/lib/klibc/bin/mksh", SW_FAM_MKSH, true },
	{ "/usr/bin/lksh", SW_FAM_LKSH, false },
	{ "/usr/bin/posh", SW_FAM_POSH, false },
	{ "/usr/bin/yash", SW_FAM_YASH, false },
	{ "/usr/bin/tcsh", SW_FAM_TCSH, false },
	{ "/usr/bin/bsd-csh", SW_FAM_CSH, false },
	{ "/usr/bin/fish", SW_FAM_FISH, false },
	{ "/usr/bin/sash", SW_FAM_SASH, false },
	{ "/usr/bin/rc.byron", SW_FAM_RC, false },
	{ "/usr/bin/busybox", SW_FAM_BUSYBOX, false },
	{ "/usr/bin/toybox", SW_FAM_TOYBOX, false },
	{ "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", SW_FAM_LD_GLIBC, false },
};

/* the whole file in memory */
static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	cr_assert_eq(fstat(fd, &st), 0, "stat %s", path);
	buf = malloc(st.st_size + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(pread(fd, buf, st.st_size, 0), st.st_size, "read %s", path);
	close(fd);
	*len = st.st_size;
	return buf;
}

ParameterizedTestParameters(fingerprint, installed_shells)
{
	return sw_rows(ARRAY_SIZE(installed));
}

/* by file, and by markers alone once the build-id is wiped */
ParameterizedTest(int *ix, fingerprint, installed_shells)
{
	const struct installed *c = &installed[*ix];
	struct fp_result r;
	unsigned char *buf, *id;
	size_t len;
	int fd, err;

	fd = open(c->path, O_RDONLY);
	if (fd < 0 && c->optional)
		return;
	cr_assert_geq(fd, 0, "%s must be installed (scripts/deps.sh test)",
		      c->path);
	err = fp_judge_fd(fd, FP_MAX_BYTES, &r);
	close(fd);
	cr_assert_eq(err, 0, "%s: %d", c->path, err);
	cr_assert_eq(r.family, c->family, "%s: family %u, got %u", c->path,
		     c->family, r.family);
	/* toybox is built without one */
	if (!r.build_id_len)
		return;
	buf = slurp(c->path, &len);
	id = memmem(buf, len, r.build_id, r.build_id_len);
	cr_assert_not_null(id, "%s: the build-id is in the file", c->path);
	memset(id, 0xa5, r.build_id_len);
	fp_judge_buf(buf, len, len, &r);
	cr_assert_not(r.by_build_id, "%s: the build-id was wiped", c->path);
	cr_assert_eq(r.family, c->family, "%s by markers: family %u, got %u",
		     c->path, c->family, r.family);
	free(buf);
}

static bool is_installed_shell(const char *path)
{
	char real[4096];
	size_t i;

	if (!realpath(path, real))
		return false;
	for (i = 0; i < ARRAY_SIZE(installed); i++)
		if (!strcmp(real, installed[i].path))
			return true;
	return false;
}

/* every other ELF file of the system directories is no shell */
Test(fingerprint, no_false_positives, .timeout = 120)
{
	static const char *const dirs[] = { "/usr/bin", "/usr/sbin" };
	char path[4096], magic[4];
	struct fp_result r;
	struct dirent *d;
	size_t i, elf = 0;
	DIR *dir;
	int fd;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		dir = opendir(dirs[i]);
		cr_assert_not_null(dir, "%s", dirs[i]);
		while ((d = readdir(dir))) {
			snprintf(path, sizeof(path), "%s/%s", dirs[i], d->d_name);
			if (is_installed_shell(path))
				continue;
			fd = open(path, O_RDONLY | O_NONBLOCK);
			if (fd < 0)
				continue;
			if (pread(fd, magic, 4, 0) != 4 || memcmp(magic, ELFMAG, 4) ||
			    fp_judge_fd(fd, FP_MAX_BYTES, &r)) {
				close(fd);
				continue;
			}
			close(fd);
			elf++;
			cr_expect_eq(r.family, SW_FAM_NONE, "%s: judged %s", path,
				     fp_family_name(r.family));
		}
		closedir(dir);
	}
	cr_assert_gt(elf, 100, "ELF files looked at: %zu", elf);
}

/* a temporary file holding buf */
static int temp_file(const void *buf, size_t len)
{
	char name[] = "/tmp/sw-fp-XXXXXX";
	int fd = mkstemp(name);

	cr_assert_geq(fd, 0, "mkstemp");
	unlink(name);
	cr_assert_eq(write(fd, buf, len), (ssize_t)len, "write");
	return fd;
}

Test(fingerprint, not_elf)
{
	static const char script[] = "#!/bin/sh\necho GNU bash, version BASH_VERSINFO\n";
	struct fp_result r;
	int fd = temp_file(script, sizeof(script) - 1);

	cr_assert_eq(fp_judge_fd(fd, FP_MAX_BYTES, &r), 0);
	cr_assert_eq(r.family, SW_FAM_NONE, "a script is no shell binary: %u",
		     r.family);
	close(fd);
}

Test(fingerprint, truncated_elf)
{
	struct fp_result r;
	unsigned char *buf;
	size_t len, cuts[] = { 0, 3, 4, 16, 63, 64, 100, 800 };
	size_t i;

	buf = slurp("/usr/bin/bash", &len);
	for (i = 0; i < ARRAY_SIZE(cuts); i++) {
		int fd = temp_file(buf, cuts[i]);

		cr_assert_eq(fp_judge_fd(fd, FP_MAX_BYTES, &r), 0, "cut %zu", cuts[i]);
		cr_assert_eq(r.family, SW_FAM_NONE, "bash cut at %zu: %u", cuts[i],
			     r.family);
		close(fd);
	}
	free(buf);
}

/* headers that point past the file, or at themselves */
Test(fingerprint, lying_headers)
{
	unsigned char buf[4096] = { 0 };
	Elf64_Ehdr *h = (Elf64_Ehdr *)buf;
	Elf64_Phdr *p = (Elf64_Phdr *)(buf + sizeof(*h));
	Elf64_Nhdr *n = (Elf64_Nhdr *)(buf + 1024);
	struct fp_result r;

	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_phentsize = sizeof(*p);
	h->e_phoff = sizeof(*h);
	h->e_phnum = 65535;
	p[0].p_type = PT_NOTE;
	p[0].p_offset = 1024;
	p[0].p_filesz = ~0ULL;
	n->n_namesz = 0xfffffff0;
	n->n_descsz = 0xfffffff0;
	n->n_type = NT_GNU_BUILD_ID;
	fp_judge_buf(buf, sizeof(buf), sizeof(buf), &r);
	cr_assert_eq(r.family, SW_FAM_NONE);
	cr_assert_eq(r.build_id_len, 0);
	h->e_phoff = ~0ULL - 8;
	fp_judge_buf(buf, sizeof(buf), sizeof(buf), &r);
	cr_assert_eq(r.build_id_len, 0);
	n->n_namesz = 4;
	n->n_descsz = 200;
	h->e_phoff = sizeof(*h);
	memcpy(n + 1, "GNU", 4);
	fp_judge_buf(buf, sizeof(buf), sizeof(buf), &r);
	cr_assert_eq(r.build_id_len, 0, "a build-id longer than %d", FP_BUILD_ID_MAX);
}

/* markers across a chunk boundary, and the byte bound */
Test(fingerprint, chunks_and_bound)
{
	size_t len = (3u << 20) + 100, at = (1u << 20) - 5;
	unsigned char *buf = calloc(1, len);
	struct fp_result r;
	int fd;

	cr_assert_not_null(buf);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = ELFDATA2LSB;
	memcpy(buf + at, "@(#)MIRBSD KSH", 14);
	fd = temp_file(buf, len);
	cr_assert_eq(fp_judge_fd(fd, FP_MAX_BYTES, &r), 0);
	cr_assert_eq(r.family, SW_FAM_MKSH, "a marker across 1 MiB: %u", r.family);
	cr_assert_not(r.cut);
	cr_assert_eq(fp_judge_fd(fd, 1u << 20, &r), 0);
	cr_assert_eq(r.family, SW_FAM_NONE, "past the bound: %u", r.family);
	cr_assert(r.cut, "the file is longer than the bound");
	cr_assert_leq(r.bytes_read, 1u << 20, "read %llu",
		      (unsigned long long)r.bytes_read);
	close(fd);
	free(buf);
}

Test(fingerprint, not_regular)
{
	struct fp_result r;
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(fp_judge_fd(fd, FP_MAX_BYTES, &r), -EINVAL);
	close(fd);
}

Test(fingerprint, family_kinds)
{
	cr_assert(fp_family_is_shell(SW_FAM_LKSH));
	cr_assert_str_eq(fp_family_name(SW_FAM_LKSH), "lksh");
	cr_assert_not(fp_family_is_shell(SW_FAM_BUSYBOX));
	cr_assert(fp_family_is_multicall(SW_FAM_TOYBOX));
	cr_assert(fp_family_is_loader(SW_FAM_LD_MUSL));
	cr_assert_not(fp_family_is_shell(SW_FAM_NONE));
	cr_assert_not(fp_family_is_shell(SW_FAM_COUNT));
}
