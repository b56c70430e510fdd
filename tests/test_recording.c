// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recording format (user/recording.c) and the replay's checks of what
 * it reads (user/replay.c): a round trip, then every way a file can be
 * foreign, truncated, corrupt or oversized, each refused with -EBADMSG and
 * one line saying why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include "exec.h"
#include "recording.h"
#include "replay.h"

#define MAX_FILE	(4 * REC_FRAME_MAX)

static char path[64];

static void make_path(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/sw-rec-test-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
	close(fd);
}

static void drop_path(void)
{
	unlink(path);
}

TestSuite(recording, .init = make_path, .fini = drop_path);

static void valid_facts(struct rec_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->mem_total = 1ULL << 34;
	f->page_size = 4096;
	f->clk_tck = 100;
	f->window_ns = 10000000000ULL;
	f->ncpu = 2;
	f->exec_event_size = sizeof(struct sw_exec_event);
	f->proc_event_size = sizeof(struct sw_proc_event);
	strcpy(f->host_name, "vm");
	strcpy(f->node_name, "worker-1");
	strcpy(f->cluster_name, "lab");
	strcpy(f->boot_id, "0a1b2c3d");
	strcpy(f->shells, "sh,bash");
	strcpy(f->version, "test");
}

/* raw bytes, a frame at a time, before compression */
struct image {
	unsigned char b[MAX_FILE];
	size_t n;
};

static void put(struct image *im, const void *p, size_t n)
{
	cr_assert(im->n + n <= sizeof(im->b));
	memcpy(im->b + im->n, p, n);
	im->n += n;
}

static void header(struct image *im, uint32_t version)
{
	uint32_t v[2] = { version, 0 };

	put(im, REC_MAGIC, 8);
	put(im, v, sizeof(v));
}

static void frame(struct image *im, uint32_t type, uint32_t len,
		  const void *p, size_t n)
{
	uint32_t h[2] = { type, len };

	put(im, h, sizeof(h));
	if (n)
		put(im, p, n);
}

static void facts_frame(struct image *im)
{
	struct rec_facts f;

	valid_facts(&f);
	frame(im, REC_FACTS, sizeof(f), &f, sizeof(f));
}

/* a valid recording's bytes: header, facts, a time, an end */
static void valid_image(struct image *im)
{
	struct rec_time t = { .boot_ns = 1, .real_ns = 2 };

	im->n = 0;
	header(im, REC_VERSION);
	facts_frame(im);
	frame(im, REC_TIME, sizeof(t), &t, sizeof(t));
	frame(im, REC_END, 0, NULL, 0);
}

static void write_gz(const struct image *im)
{
	gzFile gz = gzopen(path, "wb");

	cr_assert(gz);
	cr_assert(!im->n || gzwrite(gz, im->b, im->n) == (int)im->n);
	cr_assert(gzclose(gz) == Z_OK);
}

static void write_raw(const void *p, size_t n)
{
	FILE *f = fopen(path, "w");

	cr_assert(f);
	cr_assert(fwrite(p, 1, n, f) == n);
	fclose(f);
}

static size_t file_size(void)
{
	FILE *f = fopen(path, "r");
	long n;

	cr_assert(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

/* read every frame; the first error, or 0 after the end frame */
static int read_all(char *err, size_t len, uint64_t *frames)
{
	struct rec_reader *r;
	struct rec_frame f;
	int ret;

	err[0] = '\0';
	ret = rec_reader_open(&r, path, err, len);
	if (ret)
		return ret;
	while ((ret = rec_read(r, &f, err, len)) > 0)
		;
	if (frames)
		*frames = rec_frames(r);
	rec_reader_close(r);
	return ret;
}

static void assert_refused(const char *want, const char *what)
{
	char err[512];
	int ret = read_all(err, sizeof(err), NULL);

	cr_assert_eq(ret, -EBADMSG, "%s: expected -EBADMSG, got %d (%s)",
		     what, ret, err);
	cr_assert(strstr(err, want), "%s: expected '%s' in '%s'", what, want,
		  err);
	cr_assert(!strchr(err, '\n'), "%s: the error is one line: '%s'",
		  what, err);
}

Test(recording, round_trip)
{
	struct rec_writer *w;
	struct rec_reader *r;
	struct rec_facts f, *got;
	struct sw_sample s = { .pid = 42, .tid = 43, .leader = 1 };
	unsigned char ring[300];
	struct rec_frame fr;
	char err[256];
	int i;

	valid_facts(&f);
	for (i = 0; i < (int)sizeof(ring); i++)
		ring[i] = i;
	cr_assert_eq(rec_writer_open(&w, path), 0);
	cr_assert_eq(rec_write(w, REC_FACTS, &f, sizeof(f)), 0);
	cr_assert_eq(rec_write(w, REC_RING, ring, sizeof(ring)), 0);
	cr_assert_eq(rec_writer_flush(w), 0);
	cr_assert_eq(rec_write(w, REC_SAMPLE, &s, sizeof(s)), 0);
	cr_assert_eq(rec_write(w, REC_RING, ring, REC_FRAME_MAX + 1), -E2BIG);
	cr_assert_eq(rec_writer_close(w), 0);

	cr_assert_eq(rec_reader_open(&r, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rec_read(r, &fr, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(fr.type, REC_FACTS);
	got = (struct rec_facts *)fr.data;
	cr_assert_str_eq(got->node_name, "worker-1");
	cr_assert_eq(rec_read(r, &fr, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(fr.type, REC_RING);
	cr_assert_eq(fr.len, sizeof(ring));
	cr_assert_arr_eq(fr.data, ring, sizeof(ring));
	cr_assert_eq(rec_read(r, &fr, err, sizeof(err)), 1, "%s", err);
	cr_assert_eq(fr.type, REC_SAMPLE);
	cr_assert_eq(((const struct sw_sample *)fr.data)->tid, 43);
	cr_assert_eq(rec_read(r, &fr, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rec_read(r, &fr, err, sizeof(err)), 0, "after the end");
	cr_assert_eq(rec_frames(r), 4);
	rec_reader_close(r);
}

Test(recording, valid_image_reads)
{
	struct image *im = calloc(1, sizeof(*im));
	uint64_t frames;
	char err[256];

	valid_image(im);
	write_gz(im);
	cr_assert_eq(read_all(err, sizeof(err), &frames), 0, "%s", err);
	cr_assert_eq(frames, 3);
	free(im);
}

/* foreign files */
Test(recording, empty_file)
{
	write_raw("", 0);
	assert_refused("not a shellwatch recording", "empty file");
}

Test(recording, plain_text)
{
	static const char text[] = "{\"type\":\"exec\"}\n{\"type\":\"exit\"}\n";

	write_raw(text, sizeof(text) - 1);
	assert_refused("not a shellwatch recording", "JSON lines");
}

Test(recording, gzip_of_something_else)
{
	struct image *im = calloc(1, sizeof(*im));

	put(im, "hello, this is a log file and no recording", 42);
	write_gz(im);
	assert_refused("no SWRECORD header", "foreign gzip");
	free(im);
}

Test(recording, other_version)
{
	struct image *im = calloc(1, sizeof(*im));

	header(im, REC_VERSION + 1);
	facts_frame(im);
	frame(im, REC_END, 0, NULL, 0);
	write_gz(im);
	assert_refused("format version 2; this shellwatch reads version 1",
		       "future version");
	free(im);
}

/* truncated files */
Test(recording, header_cut)
{
	struct image *im = calloc(1, sizeof(*im));

	header(im, REC_VERSION);
	im->n = 12;
	write_gz(im);
	assert_refused("ends inside the header", "12-byte header");
	free(im);
}

Test(recording, compressed_stream_cut)
{
	struct image *im = calloc(1, sizeof(*im));
	unsigned char *buf = malloc(MAX_FILE);
	size_t n;
	FILE *f;

	valid_image(im);
	write_gz(im);
	n = file_size();
	f = fopen(path, "r");
	cr_assert(fread(buf, 1, n, f) == n);
	fclose(f);
	/* the gzip trailer and some of the stream gone */
	write_raw(buf, n - 12);
	assert_refused("truncated", "cut compressed stream");
	free(buf);
	free(im);
}

Test(recording, frame_cut)
{
	struct image *im = calloc(1, sizeof(*im));

	valid_image(im);
	/* the end frame and half of the time frame's payload gone */
	im->n -= REC_FRAME_HDR_SIZE + sizeof(struct rec_time) / 2;
	write_gz(im);
	assert_refused("ends inside frame 2", "payload cut");
	free(im);
}

Test(recording, frame_header_cut)
{
	struct image *im = calloc(1, sizeof(*im));

	valid_image(im);
	im->n -= 4;
	write_gz(im);
	assert_refused("ends inside the header of frame 3", "frame header cut");
	free(im);
}

Test(recording, no_end_frame)
{
	struct image *im = calloc(1, sizeof(*im));

	valid_image(im);
	im->n -= REC_FRAME_HDR_SIZE;
	write_gz(im);
	assert_refused("no end frame after 2 frames", "daemon killed");
	free(im);
}

/* corrupt files */
Test(recording, corrupt_deflate)
{
	struct image *im = calloc(1, sizeof(*im));
	unsigned char *buf = malloc(MAX_FILE);
	size_t n, i;
	FILE *f;

	valid_image(im);
	write_gz(im);
	n = file_size();
	f = fopen(path, "r");
	cr_assert(fread(buf, 1, n, f) == n);
	fclose(f);
	/* past the 10-byte gzip header: the deflate stream */
	for (i = 12; i < n - 8; i += 3)
		buf[i] ^= 0x5a;
	write_raw(buf, n);
	assert_refused("corrupt compressed data", "flipped deflate bytes");
	free(buf);
	free(im);
}

Test(recording, bad_crc)
{
	struct image *im = calloc(1, sizeof(*im));
	unsigned char *buf = malloc(MAX_FILE);
	size_t n;
	FILE *f;

	valid_image(im);
	write_gz(im);
	n = file_size();
	f = fopen(path, "r");
	cr_assert(fread(buf, 1, n, f) == n);
	fclose(f);
	buf[n - 8] ^= 1;
	write_raw(buf, n);
	assert_refused("corrupt compressed data", "gzip CRC");
	free(buf);
	free(im);
}

Test(recording, oversized_frame)
{
	struct image *im = calloc(1, sizeof(*im));

	header(im, REC_VERSION);
	facts_frame(im);
	/* the length alone: nothing may be allocated for it */
	frame(im, REC_RING, 0xfffffff0u, NULL, 0);
	write_gz(im);
	assert_refused("claims 4294967280 bytes, more than the 65536",
		       "4 GiB frame");
	free(im);
}

Test(recording, unknown_type)
{
	struct image *im = calloc(1, sizeof(*im));

	header(im, REC_VERSION);
	facts_frame(im);
	frame(im, 999, 0, NULL, 0);
	write_gz(im);
	assert_refused("frame 2 has unknown type 999", "type 999");
	free(im);
}

Test(recording, size_wrong_for_type)
{
	struct image *im = calloc(1, sizeof(*im));
	unsigned char z[64] = {};

	header(im, REC_VERSION);
	facts_frame(im);
	frame(im, REC_TIME, 23, z, 23);
	write_gz(im);
	assert_refused("frame 2 (time) has 23 bytes", "short time frame");
	free(im);
}

Test(recording, first_frame_not_facts)
{
	struct image *im = calloc(1, sizeof(*im));
	struct rec_time t = {};

	header(im, REC_VERSION);
	frame(im, REC_TIME, sizeof(t), &t, sizeof(t));
	frame(im, REC_END, 0, NULL, 0);
	write_gz(im);
	assert_refused("the first frame is time, not facts", "no facts");
	free(im);
}

/* what the replay refuses of well-framed files */
struct bad_facts {
	const char *what;
	void (*spoil)(struct rec_facts *f);
	const char *want;
};

static void no_terminator(struct rec_facts *f)
{
	memset(f->node_name, 'a', sizeof(f->node_name));
}

static void window_zero(struct rec_facts *f)
{
	f->window_ns = 0;
}

static void window_fraction(struct rec_facts *f)
{
	f->window_ns = 1500000000ULL;
}

static void no_cpus(struct rec_facts *f)
{
	f->ncpu = 0;
}

static void tick_zero(struct rec_facts *f)
{
	f->clk_tck = 0;
}

static void odd_page(struct rec_facts *f)
{
	f->page_size = 4097;
}

static void other_layout(struct rec_facts *f)
{
	f->exec_event_size += 8;
}

static void bad_shells(struct rec_facts *f)
{
	strcpy(f->shells, "sh,,bash");
}

/* the version goes into a message on stderr: no line of the file's own */
static void version_newline(struct rec_facts *f)
{
	strcpy(f->version, "1.0\nshellwatch: forged");
	f->exec_event_size += 8;
}

static void version_escape(struct rec_facts *f)
{
	strcpy(f->version, "\x1b[2J");
	f->exec_event_size += 8;
}

static struct bad_facts bad_facts[] = {
	{ "node name unterminated", no_terminator, "without its terminator" },
	{ "window 0", window_zero, "1 to 3600 whole seconds" },
	{ "window 1.5 s", window_fraction, "1 to 3600 whole seconds" },
	{ "no CPUs", no_cpus, "out of range" },
	{ "clock ticks 0", tick_zero, "out of range" },
	{ "page size 4097", odd_page, "out of range" },
	{ "shell set", bad_shells, "shell set" },
	{ "kernel records of another version", other_layout,
	  "recorded by shellwatch test with other kernel record layouts" },
	{ "a version with a newline", version_newline, "not printable" },
	{ "a version with an escape", version_escape, "not printable" },
};

ParameterizedTestParameters(recording, facts_refused)
{
	return cr_make_param_array(struct bad_facts, bad_facts,
				   sizeof(bad_facts) / sizeof(bad_facts[0]));
}

ParameterizedTest(struct bad_facts *b, recording, facts_refused)
{
	struct image *im = calloc(1, sizeof(*im));
	struct replay rp;
	struct rec_facts f;

	valid_facts(&f);
	b->spoil(&f);
	header(im, REC_VERSION);
	frame(im, REC_FACTS, sizeof(f), &f, sizeof(f));
	frame(im, REC_END, 0, NULL, 0);
	write_gz(im);
	cr_assert_eq(replay_open(&rp, path), -EBADMSG, "%s: not refused",
		     b->what);
	cr_assert(strstr(rp.err, b->want), "%s: expected '%s' in '%s'",
		  b->what, b->want, rp.err);
	replay_close(&rp);
	free(im);
}

Test(recording, valid_facts_open)
{
	struct image *im = calloc(1, sizeof(*im));
	struct replay rp;

	valid_image(im);
	write_gz(im);
	cr_assert_eq(replay_open(&rp, path), 0, "%s", rp.err);
	cr_assert_str_eq(rp.facts.cluster_name, "lab");
	replay_close(&rp);
	free(im);
}

/* a killed daemon: what was flushed reads, then the file is truncated */
Test(recording, flushed_then_killed)
{
	struct rec_writer *w;
	struct rec_reader *r;
	struct rec_facts f;
	struct rec_frame fr;
	unsigned char ring[64] = { 1 };
	char copy[80], cmd[200], err[256];
	int ret;

	valid_facts(&f);
	cr_assert_eq(rec_writer_open(&w, path), 0);
	cr_assert_eq(rec_write(w, REC_FACTS, &f, sizeof(f)), 0);
	cr_assert_eq(rec_write(w, REC_RING, ring, sizeof(ring)), 0);
	cr_assert_eq(rec_writer_flush(w), 0);
	snprintf(copy, sizeof(copy), "%s.killed", path);
	snprintf(cmd, sizeof(cmd), "cp %s %s", path, copy);
	cr_assert_eq(system(cmd), 0);
	rec_writer_close(w);

	cr_assert_eq(rec_reader_open(&r, copy, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rec_read(r, &fr, err, sizeof(err)), 1, "facts: %s", err);
	ret = rec_read(r, &fr, err, sizeof(err));
	cr_assert_eq(ret, 1, "the flushed ring frame: %d %s", ret, err);
	cr_assert_eq(fr.type, REC_RING);
	ret = rec_read(r, &fr, err, sizeof(err));
	cr_assert_eq(ret, -EBADMSG, "after the flush: %d", ret);
	cr_assert(strstr(err, "truncated"), "'%s'", err);
	rec_reader_close(r);
	unlink(copy);
}

/* a found shell as this version writes it, and as older ones did (no
 * view, or the pod and the verdict inside) */
Test(recording, found_frames_of_both_layouts)
{
	static const size_t sizes[] = {
		sizeof(struct rec_found) + sizeof(struct sw_exec),
		sizeof(struct rec_found) + SW_EXEC_V1_SIZE,
		sizeof(struct rec_found) + REC_EXEC_V2_SIZE,
	};
	struct image *im = calloc(1, sizeof(*im));
	unsigned char *z = calloc(1, sizeof(struct rec_found) +
				     REC_EXEC_V2_SIZE + 4);
	uint64_t frames;
	char err[256];
	size_t i;

	cr_assert(im && z);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		im->n = 0;
		header(im, REC_VERSION);
		facts_frame(im);
		frame(im, REC_FOUND, sizes[i], z, sizes[i]);
		frame(im, REC_END, 0, NULL, 0);
		write_gz(im);
		cr_assert_eq(read_all(err, sizeof(err), &frames), 0,
			     "%zu bytes: %s", sizes[i], err);
		cr_assert_eq(frames, 3);
	}
	/* any other size is refused */
	im->n = 0;
	header(im, REC_VERSION);
	facts_frame(im);
	frame(im, REC_FOUND, sizes[1] + 4, z, sizes[1] + 4);
	frame(im, REC_END, 0, NULL, 0);
	write_gz(im);
	assert_refused("(found) has", "a found frame of neither layout");
	free(z);
	free(im);
}
