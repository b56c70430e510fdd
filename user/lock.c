// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* the lock file: flock'd for the sensor's life, holding its pid */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include "daemon.h"
#include "lock.h"

/* one sensor per node: a second one would double every record */
int lock_take(struct daemon *d)
{
	char pid[32];
	int fd, err, n;

	fd = open(d->opts.lock_file, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot open the lock file %s: %s\n",
			d->opts.lock_file, strerror(-err));
		return err;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (err == -EWOULDBLOCK)
			fprintf(stderr, "shellwatch: another shellwatch (pid %s) runs on this node and holds %s: stop it first\n",
				pid[0] ? pid : "?", d->opts.lock_file);
		else
			fprintf(stderr, "shellwatch: cannot lock %s: %s\n",
				d->opts.lock_file, strerror(-err));
		close(fd);
		return err == -EWOULDBLOCK ? -EBUSY : err;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, n, 0) != n)
		fprintf(stderr, "shellwatch: cannot write the pid into %s\n",
			d->opts.lock_file);
	d->lock_fd = fd;
	return 0;
}
