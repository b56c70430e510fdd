// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * memexec BINARY ARGV0 [ARG]...: what a fileless dropper does. BINARY is
 * copied into an anonymous memory file (memfd_create) and exec'd from it
 * (fexecve), with ARGV0 as its name; nothing of it is left on a disk.
 * Built static by scn_fileless_memfd.sh into the container's root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	char *envp[] = { "PATH=/bin", NULL };
	struct stat st;
	int in, fd;

	if (argc < 3) {
		fprintf(stderr, "usage: memexec BINARY ARGV0 [ARG]...\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st)) {
		fprintf(stderr, "memexec: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	fd = memfd_create("payload", MFD_CLOEXEC);
	if (fd < 0 || sendfile(fd, in, NULL, st.st_size) != st.st_size) {
		fprintf(stderr, "memexec: cannot copy into a memfd: %s\n",
			strerror(errno));
		return 1;
	}
	close(in);
	fexecve(fd, argv + 2, envp);
	fprintf(stderr, "memexec: fexecve: %s\n", strerror(errno));
	return 1;
}
