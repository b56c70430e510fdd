/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Classification: does this exec run a shell (binary, applet, invoked name, argv[0]). */
#ifndef SHELLWATCH_CLASSIFY_BPF_H
#define SHELLWATCH_CLASSIFY_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

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
	if (c == '/')
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
 * nb->key and return the element's length with its NUL, or 0. The loops
 * run in bpf_loop() so the verifier checks each body once.
 */
static __always_inline __u32 applet_key(struct name_buf *nb, __u64 uptr)
{
	struct applet_scan s = { .nb = nb };
	long n;

	n = bpf_probe_read_user_str(nb->argv0, sizeof(nb->argv0),
				    (const void *)uptr);
	/* an element that fills the buffer is too long to be an applet */
	if (n <= 0 || n >= SW_ARGV0_MAX)
		return 0;
	bpf_loop(SW_ARGV0_MAX, applet_scan_char, &s, 0);
	/* an element too long to hold a basename here is no shell name */
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

/* decide whether this exec runs a shell; returns enum sw_match */
static __always_inline __u32 classify(struct task_struct *task,
				      struct linux_binprm *bprm, __u32 *flags)
{
	struct name_buf *nb;
	__u32 zero = 0, len;
	__u64 arg;
	__u8 kind;

	nb = bpf_map_lookup_elem(&name_scratch, &zero);
	if (!nb)
		return SW_MATCH_NONE;

	/* the binary the exec resolved to: catches symlinks and fd execs */
	kind = lookup_dentry(nb, bprm->file->f_path.dentry);
	if (kind == SW_NAME_SHELL)
		return SW_MATCH_BINARY;
	if (kind == SW_NAME_MULTICALL) {
		*flags |= SW_F_MULTICALL;
		arg = task->mm->arg_start;
		len = applet_key(nb, arg);
		if (!len)
			return SW_MATCH_NONE;
		kind = lookup_key(nb);
		if (kind == SW_NAME_SHELL)
			return SW_MATCH_APPLET;
		/* "busybox sh -c ...": the applet is argv[1], if there is one */
		if (kind == SW_NAME_MULTICALL &&
		    arg + len < task->mm->arg_end && applet_key(nb, arg + len) &&
		    lookup_key(nb) == SW_NAME_SHELL)
			return SW_MATCH_APPLET;
		return SW_MATCH_NONE;
	}

	/* comm is the basename of the invoked path at this point */
	if (lookup_comm(nb, task, kind) == SW_NAME_SHELL)
		return SW_MATCH_INVOKED;

	/* a fileless binary has no trustworthy name: argv[0] counts too */
	if (!bprm->file->f_inode->i_nlink) {
		*flags |= SW_F_FILELESS;
		if (applet_key(nb, task->mm->arg_start) &&
		    lookup_key(nb) == SW_NAME_SHELL)
			return SW_MATCH_ARGV0;
	}
	return SW_MATCH_NONE;
}

#endif /* SHELLWATCH_CLASSIFY_BPF_H */
