// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor of the daemon's cost per shell: wait on the ring buffer of
 * wake.bpf.o as the sensor does (epoll), and write BYTES bytes to stdout
 * per record, one write per wake-up, as the sensor does; no decoding, no
 * formatting. Prints "ready <prog id>" on stderr, and at SIGTERM or SIGINT
 * "records N" on stderr.
 *
 *   wakeconsumer OBJECT BYTES > FILE
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t stop;
static char *out;
static size_t out_len, per_record;
static unsigned long long records;

static void on_signal(int sig)
{
	stop = sig;
}

static int on_record(void *ctx __attribute__((unused)),
		     void *data __attribute__((unused)),
		     size_t len __attribute__((unused)))
{
	/* the sensor batches one wake-up's lines into one write */
	if (out_len + per_record <= (size_t)64 << 10) {
		memset(out + out_len, 'x', per_record);
		out[out_len + per_record - 1] = '\n';
		out_len += per_record;
	}
	records++;
	return 0;
}

static void flush(void)
{
	size_t off = 0;
	ssize_t n;

	while (off < out_len) {
		n = write(STDOUT_FILENO, out + off, out_len - off);
		if (n <= 0)
			break;
		off += n;
	}
	out_len = 0;
}

int main(int argc, char **argv)
{
	struct bpf_prog_info info = { 0 };
	__u32 info_len = sizeof(info);
	struct ring_buffer *rb;
	struct bpf_program *p;
	struct bpf_object *obj;
	struct sigaction sa = { .sa_handler = on_signal };
	int err;

	if (argc != 3 || atoi(argv[2]) < 1 || atoi(argv[2]) > 16384) {
		fprintf(stderr, "usage: wakeconsumer OBJECT BYTES (1..16384)\n");
		return 2;
	}
	per_record = atoi(argv[2]);
	out = malloc((size_t)64 << 10);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!out || !obj || bpf_object__load(obj)) {
		fprintf(stderr, "wakeconsumer: cannot load %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	p = bpf_object__find_program_by_name(obj, "floor_wake");
	if (!p || !bpf_program__attach(p) ||
	    bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &info_len)) {
		fprintf(stderr, "wakeconsumer: cannot attach floor_wake\n");
		return 1;
	}
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj,
							      "wake_events"),
			      on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "wakeconsumer: no ring buffer: %s\n",
			strerror(errno));
		return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fprintf(stderr, "ready %u\n", info.id);
	while (!stop) {
		err = ring_buffer__poll(rb, -1);
		if (err < 0 && err != -EINTR)
			break;
		flush();
	}
	fprintf(stderr, "records %llu\n", records);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
