// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <seccomp.h>
#include "sandbox.h"

/* what the loop, the log index, NSS and malloc call after start */
static const char *const allowed[] = {
	/* the ring buffer, the iterator, stdout, files */
	"read", "write", "writev", "pread64", "pwrite64", "lseek", "close",
	"openat", "openat2", "newfstatat", "fstat", "fstatfs", "statx", "readlink", "readlinkat",
	"getdents64", "fcntl", "faccessat", "faccessat2", "access", "ioctl",
	"bpf", "pidfd_open",
	/* the loop */
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "epoll_ctl", "poll",
	"ppoll", "timerfd_settime", "timerfd_gettime", "clock_gettime",
	"clock_nanosleep", "nanosleep", "getrusage", "getpid", "gettid",
	"uname", "sysinfo", "getrandom",
	/* the kubelet's log index */
	"inotify_init1", "inotify_add_watch", "inotify_rm_watch",
	/* user names: NSS may ask nscd or systemd over a socket */
	"socket", "connect", "sendto", "recvfrom", "sendmsg", "recvmsg",
	/* memory and threads of libc */
	"mmap", "munmap", "mremap", "mprotect", "madvise", "brk", "futex",
	"sched_yield", "rseq",
	/* signals and the end */
	"rt_sigprocmask", "rt_sigreturn", "rt_sigaction", "tgkill",
	"exit", "exit_group",
	NULL,
};

/* the metrics endpoint: a listening socket made before the filter */
static const char *const serving[] = {
	"accept4", "accept",
	NULL,
};

static int allow_all(scmp_filter_ctx ctx, const char *const *names)
{
	int i, nr, err;

	for (i = 0; names[i]; i++) {
		nr = seccomp_syscall_resolve_name(names[i]);
		/* a call this architecture does not have */
		if (nr == __NR_SCMP_ERROR)
			continue;
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (err)
			return err;
	}
	return 0;
}

int sandbox_enter(const struct sandbox_opts *o)
{
	scmp_filter_ctx ctx;
	int i, err;

	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return -ENOMEM;
	err = allow_all(ctx, allowed);
	if (!err && o->serve)
		err = allow_all(ctx, serving);
	/* removing the pins: only names in the pin directories */
	for (i = 0; !err && i < SANDBOX_DIRS; i++)
		if (o->unlink_dirs[i] >= 0)
			err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
					       SCMP_SYS(unlinkat), 1,
					       SCMP_A0(SCMP_CMP_EQ,
						       (scmp_datum_t)o->unlink_dirs[i]));
	if (!err)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	return err;
}
