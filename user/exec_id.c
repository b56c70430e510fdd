// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "exec_id.h"

int exec_id_format(char *buf, size_t len, const char *boot_id, uint32_t pid,
		   uint64_t start_ns, uint64_t exec_ns)
{
	int n;

	n = snprintf(buf, len, "%s-%u-%llu-%llu", boot_id, pid,
		     (unsigned long long)start_ns,
		     (unsigned long long)exec_ns);
	if (n < 0 || (size_t)n >= len)
		return -EINVAL;
	return 0;
}

int exec_id_boot_id(char *buf, size_t len)
{
	char line[64];
	size_t i, n = 0;
	FILE *f;
	int err = 0;

	if (len < 9)
		return -EINVAL;
	f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) {
		err = -EIO;
		goto cleanup;
	}
	for (i = 0; line[i] && n < 8; i++)
		if (isxdigit((unsigned char)line[i]))
			buf[n++] = line[i];
	buf[n] = '\0';
	if (n != 8)
		err = -EINVAL;
cleanup:
	fclose(f);
	return err;
}
