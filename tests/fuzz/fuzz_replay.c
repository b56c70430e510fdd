// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for --replay: the reader of user/recording.c and the
 * whole pipeline user/replay.c feeds (events, decode, tracker, identity,
 * rules, records), writing to /dev/null. An input whose first byte is odd
 * is the file as it is (gzip, foreign, corrupt); an even one is the frames
 * after the header, compressed here so that mutations reach the frame
 * parser and the pipeline. Whatever it is, the replay either runs or
 * refuses it with one line; it never crashes, and nothing it allocates
 * grows with a length the input claims.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <zlib.h>

#include "fuzz_common.h"
#include "events.h"
#include "identity.h"
#include "output.h"
#include "recording.h"
#include "replay.h"
#include "track_records.h"
#include "tracker.h"

/* the kernel side is not linked: a replay has no sensor to track with */
int sensor_track(struct sensor *s, uint32_t pid, uint64_t start_ns,
		 const uint32_t ids[4])
{
	(void)s;
	(void)pid;
	(void)start_ns;
	(void)ids;
	abort();
}

int sensor_track_exec(struct sensor *s, const struct sw_exec *ex)
{
	(void)s;
	(void)ex;
	abort();
}

/* nor is libbpf: a replay has no judge writing the kernel's verdict map */
int bpf_map_update_elem(int fd, const void *key, const void *value,
			unsigned long long flags)
{
	(void)fd;
	(void)key;
	(void)value;
	(void)flags;
	abort();
}

static int stage(const uint8_t *data, size_t size)
{
	unsigned char hdr[REC_HEADER_SIZE] = REC_MAGIC;
	int fd = memfd_create("recording", MFD_CLOEXEC);
	gzFile gz;

	check(fd >= 0);
	if (data[0] & 1) {
		check(write(fd, data + 1, size - 1) == (ssize_t)size - 1);
	} else {
		hdr[8] = REC_VERSION;
		gz = gzdopen(dup(fd), "wb1");
		check(gz);
		gzwrite(gz, hdr, sizeof(hdr));
		if (size > 1)
			gzwrite(gz, data + 1, size - 1);
		check(gzclose(gz) == Z_OK);
	}
	check(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_fd = -1;
	struct identity id = { .fd = -1 };
	struct sw_context ctx = {};
	struct shell_set shells;
	struct track_records tw;
	struct tracker tr;
	struct output out;
	struct events ev;
	struct replay rp;
	char msg[128];
	int err;

	if (!size)
		return 0;
	if (null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	err = replay_fdopen(&rp, stage(data, size));
	if (err) {
		check(err == -EBADMSG);
		check(rp.err[0] && !strchr(rp.err, '\n'));
		replay_close(&rp);
		return 0;
	}
	check(!shells_parse(&shells, rp.facts.shells, msg, sizeof(msg)));
	/* the output options come from the last byte */
	ctx.format = data[size - 1] & 1 ? SW_FORMAT_HEC : SW_FORMAT_JSON;
	ctx.fields = data[size - 1] & 4 ? SW_FIELDS_FULL : SW_FIELDS_COMPACT;
	ctx.host_name = rp.facts.host_name;
	ctx.node_name = rp.facts.node_name;
	ctx.cluster_name = rp.facts.cluster_name;
	ctx.boot_id = rp.facts.boot_id;
	ctx.shells = &shells;
	check(!output_init(&out, null_fd, 1 << 20));
	check(!events_init(&ev, &out, &ctx, NULL));
	track_records_init(&tw, &out, &ctx);
	check(!tracker_init(&tr, &tw.sink, &ctx, rp.facts.window_ns, false));
	ev.tracker = &tr;
	ev.identity = &id;
	tw.identity = &id;
	tr.trail = true;
	rp.ev = &ev;
	rp.tr = &tr;
	rp.ctx = &ctx;
	rp.out = &out;
	replay_attach(&rp, &id);
	err = replay_run(&rp);
	check(err != -EBADMSG || (rp.err[0] && !strchr(rp.err, '\n')));
	replay_close(&rp);
	tracker_destroy(&tr);
	rules_free(ev.rules);
	events_destroy(&ev);
	output_destroy(&out);
	return 0;
}
