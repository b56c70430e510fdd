/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Least privilege: once loaded, attached and past the start-up scan, the
 * daemon keeps only what its steady state uses. */
#ifndef SHELLWATCH_PRIVS_H
#define SHELLWATCH_PRIVS_H

/*
 * drop every capability but CAP_BPF (the bpf() calls for stats, tracking
 * and the window sampler) from the effective, permitted, inheritable and
 * bounding sets, and set no_new_privs; 0 or -errno
 */
int privs_drop(void);
/* whether the process holds cap in its effective set */
int privs_have(int cap);

#endif /* SHELLWATCH_PRIVS_H */
