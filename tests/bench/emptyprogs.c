// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Load and attach every program of a BPF object (empty.bpf.o), print
 * "ready <prog id>..." and hold them until SIGTERM or SIGINT.
 *
 *   emptyprogs OBJECT
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	sigset_t set;
	int sig, err;

	if (argc != 2) {
		fprintf(stderr, "usage: emptyprogs OBJECT\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "emptyprogs: cannot open %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "emptyprogs: cannot load %s: %s\n", argv[1],
			strerror(-err));
		return 1;
	}
	printf("ready");
	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);

		if (!bpf_program__attach(p)) {
			fprintf(stderr, "emptyprogs: cannot attach %s\n",
				bpf_program__name(p));
			return 1;
		}
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			return 1;
		printf(" %u", info.id);
	}
	printf("\n");
	fflush(stdout);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	bpf_object__close(obj);
	return 0;
}
