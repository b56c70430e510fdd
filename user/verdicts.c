// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include <bpf/bpf.h>
#include "clock.h"
#include "fingerprint.h"
#include "verdicts.h"

#define NSLOTS	(VERDICTS_MAX * 2)

int verdicts_init(struct verdicts *v, int map_fd)
{
	memset(v, 0, sizeof(*v));
	v->map_fd = map_fd;
	v->slots = calloc(NSLOTS, sizeof(*v->slots));
	verdicts_budget(v, VERDICTS_BYTES_RATE, VERDICTS_BYTES_BURST);
	return v->slots ? 0 : -ENOMEM;
}

void verdicts_budget(struct verdicts *v, uint64_t rate, uint64_t burst)
{
	v->rate = rate;
	v->burst = burst;
	v->credit = burst;
	v->credit_ns = clock_mono_now();
}

/*
 * whether a file may be read now: the credit refills at rate up to burst
 * and may go below 0 by the last file's size, which waits it off
 */
static bool budget_allows(struct verdicts *v)
{
	uint64_t now = clock_mono_now(), add;

	add = (now - v->credit_ns) / 1000 * (v->rate / 1000) / 1000;
	if (add) {
		v->credit_ns = now;
		if (add > v->burst || v->credit + (int64_t)add > (int64_t)v->burst)
			v->credit = v->burst;
		else
			v->credit += add;
	}
	return v->credit > 0;
}

void verdicts_destroy(struct verdicts *v)
{
	free(v->slots);
	v->slots = NULL;
}

static uint64_t key_hash(const struct sw_inode_key *k)
{
	uint64_t h = k->ino * 0x9e3779b97f4a7c15ULL;

	h ^= (k->ctime_sec << 20 ^ k->ctime_nsec) * 0xc2b2ae3d27d4eb4fULL;
	h ^= ((uint64_t)k->dev << 32 | k->generation) * 0x165667b19e3779f9ULL;
	return h ^ h >> 29;
}

static bool key_eq(const struct sw_inode_key *a, const struct sw_inode_key *b)
{
	return a->ino == b->ino && a->ctime_sec == b->ctime_sec &&
	       a->ctime_nsec == b->ctime_nsec && a->dev == b->dev &&
	       a->generation == b->generation;
}

/* the slot of key, or the free slot where it goes */
static struct verdict_slot *find(const struct verdicts *v,
				 const struct sw_inode_key *key)
{
	size_t i = key_hash(key) % NSLOTS;

	while (v->slots[i].family != SW_FAM_UNKNOWN &&
	       !key_eq(&v->slots[i].key, key))
		i = (i + 1) % NSLOTS;
	return &v->slots[i];
}

unsigned int verdicts_get(const struct verdicts *v,
			  const struct sw_inode_key *key)
{
	return v->slots ? find(v, key)->family : SW_FAM_UNKNOWN;
}

static void store(struct verdicts *v, const struct sw_inode_key *key,
		  unsigned int family)
{
	struct sw_verdict val = { .family = family };
	struct verdict_slot *s = find(v, key);

	/* full: a verdict not kept is judged again next time */
	if (s->family == SW_FAM_UNKNOWN && v->n < VERDICTS_MAX) {
		s->key = *key;
		s->family = family;
		v->n++;
	}
	if (v->map_fd >= 0 && bpf_map_update_elem(v->map_fd, key, &val, BPF_ANY))
		v->st.map_failed++;
}

int verdicts_judge(struct verdicts *v, const struct sw_inode_key *key, int fd,
		   unsigned int *family)
{
	struct fp_result r;
	unsigned int fam = verdicts_get(v, key);
	int err;

	if (fam != SW_FAM_UNKNOWN) {
		v->st.cached++;
		*family = fam;
		return 0;
	}
	if (!budget_allows(v)) {
		v->st.over_budget++;
		return -EBUSY;
	}
	err = fp_judge_fd(fd, FP_MAX_BYTES, &r);
	v->st.bytes_read += r.bytes_read;
	v->credit -= r.bytes_read;
	if (err) {
		v->st.failed++;
		return err;
	}
	v->st.fingerprinted++;
	if (r.cut)
		v->st.cut++;
	store(v, key, r.family);
	*family = r.family;
	return 0;
}

int verdicts_key_of(int fd, struct sw_inode_key *key)
{
	struct stat st;
	int gen = 0;

	if (fstat(fd, &st))
		return -errno;
	memset(key, 0, sizeof(*key));
	key->ino = st.st_ino;
	key->ctime_sec = st.st_ctim.tv_sec;
	key->ctime_nsec = st.st_ctim.tv_nsec;
	/* the kernel's dev_t: 20 bits of minor */
	key->dev = major(st.st_dev) << 20 | minor(st.st_dev);
	/* file systems without generations say so; 0 then, as the kernel has */
	if (!ioctl(fd, FS_IOC_GETVERSION, &gen))
		key->generation = gen;
	return 0;
}
