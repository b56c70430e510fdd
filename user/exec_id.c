// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "exec_id.h"

/* append '-' and v's decimal digits at p, below end; NULL when no room */
static char *put_part(char *p, const char *end, uint64_t v)
{
	char digits[20], *d = digits + sizeof(digits);
	size_t n;

	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(digits + sizeof(digits) - d);
	if (!p || (size_t)(end - p) < n + 1)
		return NULL;
	*p++ = '-';
	memcpy(p, d, n);
	return p + n;
}

/* "%s-%u-%llu-%llu", without printf: it runs twice per shell */
int exec_id_format(char *buf, size_t len, const char *boot_id, uint32_t pid,
		   uint64_t start_ns, uint64_t exec_ns)
{
	size_t blen = strlen(boot_id);
	const char *end = buf + len;
	char *p;

	/* the last byte stays for the NUL */
	if (!len || blen >= len)
		return -EINVAL;
	memcpy(buf, boot_id, blen);
	p = put_part(buf + blen, end - 1, pid);
	p = put_part(p, end - 1, start_ns);
	p = put_part(p, end - 1, exec_ns);
	if (!p)
		return -EINVAL;
	*p = '\0';
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
