// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <seccomp.h>
#include "sandbox.h"

/* what the loop, the log index, NSS and malloc call after start */
static const char *const allowed[] = {
	/* the ring buffer, the iterator, stdout, files */
	"read", "write", "writev", "pread64", "pwrite64", "lseek", "close",
	"openat", "newfstatat", "fstat", "statx", "readlink", "readlinkat",
	"getdents64", "fcntl", "faccessat", "faccessat2", "access", "ioctl",
	"bpf",
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

int sandbox_enter(void)
{
	scmp_filter_ctx ctx;
	int i, nr, err;

	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return -ENOMEM;
	for (i = 0; allowed[i]; i++) {
		nr = seccomp_syscall_resolve_name(allowed[i]);
		/* a call this architecture does not have */
		if (nr == __NR_SCMP_ERROR)
			continue;
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (err)
			goto cleanup;
	}
	err = seccomp_load(ctx);
cleanup:
	seccomp_release(ctx);
	return err;
}
