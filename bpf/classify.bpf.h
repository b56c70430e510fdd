/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Classification: does this exec run a shell. The verdict cache, filled by
 * the daemon from the binary's content, decides most execs with one
 * lookup; an inode without a verdict goes to the daemon as a candidate
 * record (bounded in rate and bytes), with what the names said.
 */
#ifndef SHELLWATCH_CLASSIFY_BPF_H
#define SHELLWATCH_CLASSIFY_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* content verdicts by inode identity, written by the daemon */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct sw_inode_key);
	__type(value, struct sw_verdict);
} verdicts SEC(".maps");

/* candidates per CPU: a token bucket on count and one on bytes */
struct cand_budget {
	__u64 last_ns;
	__u64 credit_ns;	/* a candidate costs NSEC_PER_SEC / cand_rate */
	__s64 bytes;		/* may go below 0: the record that did it is sent */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cand_budget);
} cand_budget SEC(".maps");

/* candidates per second and bytes per second, per CPU; set by the daemon */
const volatile __u64 cand_rate = 64;
const volatile __u64 cand_burst = 256;
const volatile __u64 cand_bytes_rate = 2 << 20;
const volatile __u64 cand_bytes_burst = 4 << 20;

/* a bit per first two bytes of the shell names: comm's prefilter */
__u8 comm_filter[SW_COMM_FILTER_BITS / 8];

/* what classification found, for the record */
struct cls_out {
	struct sw_inode_key key;
	__u32 family;
	__u32 name_match;
	char shell[SW_NAME_LEN];
};

/* nanoseconds are below 2^30; higher bits of i_ctime_nsec are flags */
#define SW_NSEC_MASK	((1U << 30) - 1)

/* inode ctime moved from i_ctime to __i_ctime in 6.6 (commit 13bc24457850) */
struct inode___ctime_6_6 {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___ctime_old {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

/*
 * the inode's identity with plain loads where the kernel allows: ctime
 * split into i_ctime_sec/i_ctime_nsec in 6.11 (commit 3aa63a569c64)
 */
static __always_inline void inode_key(struct inode *inode,
				      struct sw_inode_key *k)
{
	k->ino = inode->i_ino;
	k->dev = inode->i_sb->s_dev;
	k->generation = inode->i_generation;
	k->pad = 0;
	if (bpf_core_field_exists(inode->i_ctime_sec)) {
		k->ctime_sec = inode->i_ctime_sec;
		/*
		 * multigrain timestamps (6.13, commit 4e40eff0b573) keep a
		 * "queried" flag in the top bit; stat() shows nanoseconds only
		 */
		k->ctime_nsec = inode->i_ctime_nsec & SW_NSEC_MASK;
	} else if (bpf_core_field_exists(((struct inode___ctime_6_6 *)inode)->__i_ctime)) {
		struct inode___ctime_6_6 *i = (void *)inode;

		k->ctime_sec = BPF_CORE_READ(i, __i_ctime.tv_sec);
		k->ctime_nsec = BPF_CORE_READ(i, __i_ctime.tv_nsec);
	} else {
		struct inode___ctime_old *i = (void *)inode;

		k->ctime_sec = BPF_CORE_READ(i, i_ctime.tv_sec);
		k->ctime_nsec = BPF_CORE_READ(i, i_ctime.tv_nsec);
	}
}

static __always_inline bool key_eq(const struct sw_inode_key *a,
				   const struct sw_inode_key *b)
{
	return a->ino == b->ino && a->dev == b->dev &&
	       a->ctime_sec == b->ctime_sec && a->ctime_nsec == b->ctime_nsec &&
	       a->generation == b->generation;
}

/* whether this CPU's memo holds key: a "no shell" verdict */
static __always_inline bool memo_has(const struct name_buf *nb,
				     const struct sw_inode_key *key)
{
	int i;

	/* an empty slot is all zeros: no file has inode 0 */
	if (!key->ino)
		return false;
	for (i = 0; i < SW_MEMO_LEN; i++)
		if (key_eq(&nb->memo[i], key))
			return true;
	return false;
}

static __always_inline void memo_put(struct name_buf *nb,
				     const struct sw_inode_key *key)
{
	__u32 i = nb->memo_next++ & (SW_MEMO_LEN - 1);

	nb->memo[i] = *key;
}

/* look a kernel string up in shell_names; 0 when absent or too long */
static __always_inline __u8 lookup_kname(struct name_buf *nb, const char *name)
{
	__u8 *kind;
	long n;

	__builtin_memset(nb->key, 0, sizeof(nb->key));
	n = bpf_probe_read_kernel_str(nb->key, sizeof(nb->key), name);
	if (n <= 0 || n > SW_NAME_LEN)
		return 0;
	kind = bpf_map_lookup_elem(&shell_names, nb->key);
	return kind ? *kind : 0;
}

/* keep the first len bytes of a little-endian word, zero the rest */
static __always_inline __u64 first_bytes(__u64 w, __u32 len)
{
	return len >= 8 ? w : w & ((1ULL << (len * 8)) - 1);
}

/*
 * the binary's name as a lookup key, read from the dentry's inline name
 * with plain loads: no helper call on the path every exec takes. A name
 * kept outside the dentry (long ones) goes through lookup_kname.
 */
static __always_inline __u8 lookup_dentry(struct name_buf *nb,
					  struct dentry *d)
{
	__u32 len = d->d_name.len;
	__u64 *key = (__u64 *)nb->key;
	__u8 *kind;

	nb->key_is_binary = 0;
	/* no shell or multi-call name is this long */
	if (len >= SW_NAME_LEN)
		return 0;
	if (!bpf_core_field_exists(d->d_shortname) ||
	    (void *)d->d_name.name != (void *)&d->d_shortname)
		return lookup_kname(nb, (const char *)d->d_name.name);
	nb->key_is_binary = 1;
	key[0] = first_bytes(d->d_shortname.words[0], len);
	key[1] = len > 8 ? first_bytes(d->d_shortname.words[1], len - 8) : 0;
	kind = bpf_map_lookup_elem(&shell_names, nb->key);
	return kind ? *kind : 0;
}

/*
 * comm as a lookup key: the kernel pads it with zeros. Most programs run
 * under their own name: when comm is the key just looked up (the binary's
 * name, still in nb->key), the answer is known without a second lookup.
 */
static __always_inline __u8 lookup_comm(struct name_buf *nb,
					struct task_struct *task, __u8 known)
{
	__u64 *key = (__u64 *)nb->key, comm[2];
	__u8 *kind;

	bpf_probe_read_kernel(comm, sizeof(comm), task->comm);
	if (nb->key_is_binary && comm[0] == key[0] && comm[1] == key[1])
		return known;
	key[0] = comm[0];
	key[1] = comm[1];
	kind = bpf_map_lookup_elem(&shell_names, nb->key);
	return kind ? *kind : 0;
}

struct applet_scan {
	struct name_buf *nb;
	__u32 base;	/* first byte of the basename */
	__u32 end;	/* the terminating NUL */
	__u32 strip_dash; /* a leading '-' is no part of the name (busybox) */
};

/* bpf_loop callback: find the NUL and the last '/' of nb->argv0 */
static long applet_scan_char(__u32 i, void *data)
{
	struct applet_scan *s = data;
	char c;

	if (i >= SW_ARGV0_MAX)
		return 1;
	c = s->nb->argv0[i];
	if (!c) {
		s->end = i;
		return 1;
	}
	if (c == '/' || (!i && c == '-' && s->strip_dash))
		s->base = i + 1;
	return 0;
}

/* bpf_loop callback: copy the basename into nb->key */
static long applet_copy_char(__u32 i, void *data)
{
	struct applet_scan *s = data;
	__u32 j = s->base + i;

	if (j >= s->end || i >= SW_NAME_LEN - 1)
		return 1;
	/* the compiler drops a mask it can prove; the verifier needs it */
	barrier_var(i);
	s->nb->key[i & (SW_NAME_LEN - 1)] = s->nb->argv0[j & (SW_ARGV0_MAX - 1)];
	return 0;
}

/*
 * read the user string at uptr (an argv element), put its basename into
 * nb->key and return the element's length with its NUL, or 0 when it is
 * too long to read here or its basename to be a name. The loops run in
 * bpf_loop() so the verifier checks each body once.
 */
static __always_inline __u32 applet_key(struct name_buf *nb, __u64 uptr,
					__u32 strip_dash)
{
	struct applet_scan s = { .nb = nb, .strip_dash = strip_dash };
	long n;

	n = bpf_probe_read_user_str(nb->argv0, sizeof(nb->argv0),
				    (const void *)uptr);
	if (n <= 0 || n >= SW_ARGV0_MAX)
		return 0;
	bpf_loop(SW_ARGV0_MAX, applet_scan_char, &s, 0);
	if (!s.end || s.end - s.base >= SW_NAME_LEN)
		return 0;
	__builtin_memset(nb->key, 0, sizeof(nb->key));
	bpf_loop(SW_NAME_LEN, applet_copy_char, &s, 0);
	return s.end + 1;
}

static __always_inline __u8 lookup_key(struct name_buf *nb)
{
	__u8 *kind = bpf_map_lookup_elem(&shell_names, nb->key);

	return kind ? *kind : 0;
}

enum applet_result { APPLET_NOT, APPLET_SHELL, APPLET_UNDECIDED };

/* "busybox" and "toybox" as the first bytes of a key, little-endian */
#define KEY_BUSYBOX	0x00786f6279737562ULL
#define KEY_TOYBOX	0x0000786f62796f74ULL

static __always_inline bool key_prefixed(struct name_buf *nb, __u32 fam)
{
	__u64 w = *(__u64 *)nb->key;

	if (fam == SW_FAM_BUSYBOX)
		return (w & 0x00ffffffffffffffULL) == KEY_BUSYBOX;
	return (w & 0x0000ffffffffffffULL) == KEY_TOYBOX;
}

/*
 * a multi-call binary's applet by its own rules (user/multicall.c says
 * them in full): busybox drops one '-' from argv[0] and hands over to the
 * next argument while the name begins with "busybox"; toybox hands over
 * once, for a name beginning with "toybox". What takes more levels or
 * longer arguments than this reads is left to the daemon.
 */
static __always_inline __u32 applet_walk(struct name_buf *nb,
					 struct task_struct *task, __u32 fam,
					 struct cls_out *o)
{
	__u64 arg = task->mm->arg_start, end = task->mm->arg_end;
	__u32 len, level;

	for (level = 0; level < 4; level++) {
		/* busybox alone prints its help */
		if (arg >= end)
			return APPLET_NOT;
		len = applet_key(nb, arg, !level && fam == SW_FAM_BUSYBOX);
		if (!len || !nb->key[0])
			return APPLET_UNDECIDED;
		if ((fam == SW_FAM_BUSYBOX || !level) && key_prefixed(nb, fam)) {
			arg += len;
			continue;
		}
		if (lookup_key(nb) != SW_NAME_SHELL)
			return APPLET_NOT;
		__builtin_memcpy(o->shell, nb->key, SW_NAME_LEN);
		return APPLET_SHELL;
	}
	return APPLET_UNDECIDED;
}

/* comm in the shell set; most comms leave at the byte-pair filter */
static __always_inline __u32 comm_match(struct name_buf *nb,
					struct task_struct *task,
					struct cls_out *o)
{
	__u32 pair = (__u8)task->comm[0] | (__u8)task->comm[1] << 8;

	if (!(comm_filter[(pair >> 3) & (sizeof(comm_filter) - 1)] &
	      (1 << (pair & 7))))
		return SW_MATCH_NONE;
	nb->key_is_binary = 0;
	if (lookup_comm(nb, task, 0) != SW_NAME_SHELL)
		return SW_MATCH_NONE;
	__builtin_memcpy(o->shell, nb->key, SW_NAME_LEN);
	return SW_MATCH_INVOKED;
}

/* the names, as before content verdicts: binary, applet, comm, argv[0] */
static __always_inline __u32 name_match(struct name_buf *nb,
					struct task_struct *task,
					struct linux_binprm *bprm, __u32 *flags,
					struct cls_out *o)
{
	__u8 kind;

	/* the binary the exec resolved to: catches symlinks and fd execs */
	kind = lookup_dentry(nb, bprm->file->f_path.dentry);
	if (kind == SW_NAME_SHELL) {
		__builtin_memcpy(o->shell, nb->key, SW_NAME_LEN);
		return SW_MATCH_BINARY;
	}
	if (kind == SW_NAME_MULTICALL) {
		*flags |= SW_F_MULTICALL;
		if (applet_walk(nb, task, key_prefixed(nb, SW_FAM_TOYBOX) ?
				SW_FAM_TOYBOX : SW_FAM_BUSYBOX, o) ==
		    APPLET_SHELL)
			return SW_MATCH_APPLET;
		return SW_MATCH_NONE;
	}

	/* comm is the basename of the invoked path at this point */
	if (lookup_comm(nb, task, kind) == SW_NAME_SHELL) {
		__builtin_memcpy(o->shell, nb->key, SW_NAME_LEN);
		return SW_MATCH_INVOKED;
	}

	/* a fileless binary has no trustworthy name: argv[0] counts too */
	if (!bprm->file->f_inode->i_nlink) {
		*flags |= SW_F_FILELESS;
		if (applet_key(nb, task->mm->arg_start, 0) &&
		    lookup_key(nb) == SW_NAME_SHELL) {
			__builtin_memcpy(o->shell, nb->key, SW_NAME_LEN);
			return SW_MATCH_ARGV0;
		}
	}
	return SW_MATCH_NONE;
}

/* take one candidate from this CPU's budget; false when over it */
static __always_inline bool cand_take(void)
{
	__u64 now = bpf_ktime_get_ns(), cost, elapsed, cap;
	struct cand_budget *b;
	__u32 zero = 0;

	b = bpf_map_lookup_elem(&cand_budget, &zero);
	if (!b || !cand_rate)
		return false;
	cost = 1000000000ULL / cand_rate;
	cap = cost * cand_burst;
	elapsed = now - b->last_ns;
	if (!b->last_ns || elapsed > cap)
		elapsed = cap;
	b->last_ns = now;
	b->credit_ns += elapsed;
	if (b->credit_ns > cap)
		b->credit_ns = cap;
	/* bytes refill by the same elapsed time, at most a second's worth */
	if (elapsed > 1000000000ULL)
		elapsed = 1000000000ULL;
	b->bytes += elapsed * cand_bytes_rate / 1000000000ULL;
	if (b->bytes > (__s64)cand_bytes_burst)
		b->bytes = cand_bytes_burst;
	if (b->credit_ns < cost || b->bytes <= 0)
		return false;
	b->credit_ns -= cost;
	return true;
}

/* a candidate record of size bytes was sent */
static __always_inline void cand_charge(__u64 size)
{
	struct cand_budget *b;
	__u32 zero = 0;

	b = bpf_map_lookup_elem(&cand_budget, &zero);
	if (b)
		b->bytes -= size;
}

/*
 * no verdict, or none the kernel can apply. What a name matched is a shell
 * as before, tracked from its exec (the daemon fingerprints its binary for
 * the cache); otherwise the daemon is asked, within this CPU's budget
 */
static __always_inline __u32 candidate(__u32 match, __u32 *flags,
				       struct cls_out *o)
{
	if (match != SW_MATCH_NONE)
		return match;
	if (!cand_take()) {
		stat_inc(SW_STAT_CAND_OVER);
		return match;
	}
	o->name_match = match;
	*flags |= SW_F_CANDIDATE;
	return SW_MATCH_CANDIDATE;
}

/*
 * decide whether this exec runs a shell; returns enum sw_match. A "no
 * shell" verdict this CPU saw lately costs a look at its memo and comm's
 * filter, other cached verdicts one lookup.
 */
static __always_inline __u32 classify(struct task_struct *task,
				      struct linux_binprm *bprm, __u32 *flags,
				      struct cls_out *o)
{
	struct sw_verdict *v;
	struct name_buf *nb;
	__u32 zero = 0, fam, r;

	nb = bpf_map_lookup_elem(&name_scratch, &zero);
	if (!nb)
		return SW_MATCH_NONE;
	inode_key(bprm->file->f_inode, &o->key);
	if (memo_has(nb, &o->key)) {
		fam = SW_FAM_NONE;
	} else {
		v = bpf_map_lookup_elem(&verdicts, &o->key);
		fam = v ? v->family : SW_FAM_UNKNOWN;
		if (fam == SW_FAM_NONE)
			memo_put(nb, &o->key);
	}
	o->family = fam;
	if (fam != SW_FAM_UNKNOWN)
		stat_inc(SW_STAT_VERDICT_HITS);
	/* a shell: a name that matched stays the reason, else the content */
	if (fam > SW_FAM_NONE && fam < SW_FAM_BUSYBOX) {
		r = name_match(nb, task, bprm, flags, o);
		return r != SW_MATCH_NONE ? r : SW_MATCH_CONTENT;
	}
	if (fam == SW_FAM_NONE)
		return comm_match(nb, task, o);
	if (fam == SW_FAM_BUSYBOX || fam == SW_FAM_TOYBOX) {
		*flags |= SW_F_MULTICALL;
		r = applet_walk(nb, task, fam, o);
		if (r == APPLET_SHELL)
			return SW_MATCH_APPLET;
		if (r == APPLET_UNDECIDED)
			return candidate(comm_match(nb, task, o), flags, o);
		return comm_match(nb, task, o);
	}
	/* a loader, or no verdict yet */
	return candidate(name_match(nb, task, bprm, flags, o), flags, o);
}

#endif /* SHELLWATCH_CLASSIFY_BPF_H */
