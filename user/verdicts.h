/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Content verdicts by inode identity: a cache in the daemon, copied into
 * the kernel's verdict map so that later execs of the same inode are
 * decided there with one lookup. A binary that changes has a new identity
 * (its ctime moves) and is judged again.
 */
#ifndef SHELLWATCH_VERDICTS_H
#define SHELLWATCH_VERDICTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shellwatch.h"

/* most verdicts the daemon keeps; the kernel map has as many */
#define VERDICTS_MAX	65536

struct verdicts_stats {
	uint64_t fingerprinted;		/* binaries read and judged */
	uint64_t cached;		/* judged before: not read again */
	uint64_t failed;		/* could not be read, or changed meanwhile */
	uint64_t bytes_read;		/* bytes fingerprinting read */
	uint64_t cut;			/* larger than the byte bound */
	uint64_t map_failed;		/* verdicts the kernel map refused */
	uint64_t over_budget;		/* not read: over the byte budget */
};

/* bytes fingerprinting may read per second, and at once */
#define VERDICTS_BYTES_RATE	(64ULL << 20)
#define VERDICTS_BYTES_BURST	(256ULL << 20)

struct verdict_slot {
	struct sw_inode_key key;
	uint8_t family;			/* SW_FAM_UNKNOWN: slot free */
};

struct verdicts {
	struct verdict_slot *slots;	/* open addressing, VERDICTS_MAX * 2 */
	size_t n;
	int map_fd;			/* the kernel's verdict map, or -1 */
	uint64_t rate, burst;		/* the byte budget: per second, at most */
	int64_t credit;			/* bytes that may be read now */
	uint64_t credit_ns;		/* CLOCK_MONOTONIC of its last refill */
	struct verdicts_stats st;
};

/* set up an empty cache writing through to map_fd (-1 for none) */
int verdicts_init(struct verdicts *v, int map_fd);
/* free the cache; accepts a zeroed v */
void verdicts_destroy(struct verdicts *v);
/* the cached family of key, or SW_FAM_UNKNOWN */
unsigned int verdicts_get(const struct verdicts *v,
			  const struct sw_inode_key *key);
/*
 * the family of the binary with identity key, open at fd: cached, else
 * fingerprinted and stored (daemon and kernel); 0 or -errno (-EBUSY over
 * the byte budget: not read, judged again next time)
 */
int verdicts_judge(struct verdicts *v, const struct sw_inode_key *key, int fd,
		   unsigned int *family);
/* set the byte budget (bytes per second, burst); full from now */
void verdicts_budget(struct verdicts *v, uint64_t rate, uint64_t burst);
/* the identity of an open file as the kernel's verdict key has it */
int verdicts_key_of(int fd, struct sw_inode_key *key);

#endif /* SHELLWATCH_VERDICTS_H */
