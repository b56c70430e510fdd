// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* signals arrive on a fd so that the loop handles them in order */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "daemon.h"
#include "loop.h"
#include "reload.h"
#include "signals.h"

int signals_open(struct daemon *d)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	/* a closed stdout is an error from write(), not a silent death */
	signal(SIGPIPE, SIG_IGN);

	d->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	return d->sig_fd < 0 ? -errno : 0;
}

/* a signal that ends the loop says its reason; SIGHUP reloads */
int signals_on_fd(void *ctx, int fd, uint32_t events)
{
	struct signalfd_siginfo si;
	struct daemon *d = ctx;

	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return 0;
	if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM) {
		d->reason = "signal";
		return LOOP_STOP;
	}
	if (si.ssi_signo == SIGHUP)
		reload_rules(d);
	return 0;
}
