/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* exec_id: names one exec of one process, unique on the node. */
#ifndef SHELLWATCH_EXEC_ID_H
#define SHELLWATCH_EXEC_ID_H

#include <stddef.h>
#include <stdint.h>

/* "<boot id, 8 hex>-<pid>-<start ns>-<exec ns>" fits in this */
#define EXEC_ID_LEN	64

/*
 * format the exec_id of pid started at start_ns (boot time) that exec'd at
 * exec_ns (0 for a process found running at start); 0 or -EINVAL
 */
int exec_id_format(char *buf, size_t len, const char *boot_id, uint32_t pid,
		   uint64_t start_ns, uint64_t exec_ns);
/* read the first 8 hex digits of /proc/sys/kernel/random/boot_id; 0 or -errno */
int exec_id_boot_id(char *buf, size_t len);

#endif /* SHELLWATCH_EXEC_ID_H */
