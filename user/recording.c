// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "exec.h"
#include "recording.h"

struct rec_writer {
	gzFile gz;
	int err;
};

struct rec_reader {
	gzFile gz;
	uint64_t frames;
	bool ended;
	/* aligned for the payload structs */
	uint64_t buf[REC_FRAME_MAX / sizeof(uint64_t)];
};

static const char *const type_names[REC_TYPE_COUNT] = {
	[REC_FACTS] = "facts",
	[REC_TIME] = "time",
	[REC_RING] = "ring",
	[REC_SAMPLE_BEGIN] = "sample_begin",
	[REC_SAMPLE] = "sample",
	[REC_SAMPLE_END] = "sample_end",
	[REC_SESSION] = "session",
	[REC_LINK] = "link",
	[REC_USER] = "user",
	[REC_FOUND] = "found",
	[REC_SCAN_END] = "scan_end",
	[REC_RULES] = "rules",
	[REC_END] = "end",
	[REC_VERDICT] = "verdict",
};

const char *rec_type_name(uint32_t type)
{
	return type && type < REC_TYPE_COUNT ? type_names[type] : "?";
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int rec_writer_open(struct rec_writer **out, const char *path)
{
	unsigned char hdr[REC_HEADER_SIZE] = REC_MAGIC;
	struct rec_writer *w;
	int fd, err;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0) {
		err = -errno;
		free(w);
		return err;
	}
	w->gz = gzdopen(fd, "wb6");
	if (!w->gz) {
		close(fd);
		free(w);
		return -ENOMEM;
	}
	put32(hdr + 8, REC_VERSION);
	put32(hdr + 12, 0);
	if (gzwrite(w->gz, hdr, sizeof(hdr)) != sizeof(hdr)) {
		gzclose(w->gz);
		free(w);
		return -EIO;
	}
	*out = w;
	return 0;
}

int rec_write(struct rec_writer *w, uint32_t type, const void *p, size_t len)
{
	unsigned char hdr[REC_FRAME_HDR_SIZE];

	if (!w || w->err)
		return w ? w->err : 0;
	if (len > REC_FRAME_MAX)
		return -E2BIG;
	put32(hdr, type);
	put32(hdr + 4, len);
	if (gzwrite(w->gz, hdr, sizeof(hdr)) != sizeof(hdr) ||
	    (len && gzwrite(w->gz, p, len) != (int)len)) {
		w->err = errno ? -errno : -EIO;
		fprintf(stderr, "shellwatch: cannot write the recording: %s; it ends here\n",
			strerror(-w->err));
	}
	return w->err;
}

int rec_writer_flush(struct rec_writer *w)
{
	if (!w || w->err)
		return w ? w->err : 0;
	if (gzflush(w->gz, Z_SYNC_FLUSH) != Z_OK)
		w->err = -EIO;
	return w->err;
}

int rec_writer_close(struct rec_writer *w)
{
	int err;

	if (!w)
		return 0;
	rec_write(w, REC_END, NULL, 0);
	err = w->err;
	if (gzclose(w->gz) != Z_OK && !err)
		err = -EIO;
	free(w);
	return err;
}

static int bad(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* read n bytes; 1, 0 at the end of the stream before any (when eof_ok),
 * or -EBADMSG */
static int read_full(struct rec_reader *r, void *p, size_t n, bool eof_ok,
		     const char *what, char *err, size_t len)
{
	const char *msg;
	int got, zerr;

	if (!n)
		return 1;
	got = gzread(r->gz, p, n);
	if (got == (int)n)
		return 1;
	msg = gzerror(r->gz, &zerr);
	if (zerr == Z_BUF_ERROR)
		return bad(err, len, "truncated: the file ends inside the compressed stream, in %s %llu",
			   what, (unsigned long long)r->frames + 1);
	if (zerr != Z_OK && zerr != Z_STREAM_END)
		return bad(err, len, "corrupt compressed data in %s %llu: %s",
			   what, (unsigned long long)r->frames + 1, msg);
	if (got <= 0 && eof_ok)
		return 0;
	return bad(err, len, "truncated: the file ends inside %s %llu",
		   what, (unsigned long long)r->frames + 1);
}

static int open_gz(struct rec_reader **out, int fd, char *err, size_t len)
{
	unsigned char hdr[REC_HEADER_SIZE];
	struct rec_reader *r;
	uint32_t version;
	int n, zerr;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		close(fd);
		return bad(err, len, "out of memory");
	}
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		free(r);
		return bad(err, len, "out of memory");
	}
	n = gzread(r->gz, hdr, sizeof(hdr));
	/* a whole header may come with an error for what follows it */
	zerr = Z_OK;
	if (n != sizeof(hdr))
		gzerror(r->gz, &zerr);
	if (gzdirect(r->gz) || (n > 0 && n < 8 && zerr == Z_OK)) {
		rec_reader_close(r);
		return bad(err, len, "not a shellwatch recording (no gzip stream with the %s header)",
			   REC_MAGIC);
	}
	if (zerr == Z_BUF_ERROR) {
		rec_reader_close(r);
		return bad(err, len, "truncated: the file ends inside the compressed stream");
	}
	if (zerr != Z_OK && zerr != Z_STREAM_END) {
		rec_reader_close(r);
		return bad(err, len, "corrupt compressed data near the start: %s",
			   zerr == Z_DATA_ERROR ? "not a valid gzip stream" : "read error");
	}
	if (n < 8 || memcmp(hdr, REC_MAGIC, 8)) {
		rec_reader_close(r);
		return bad(err, len, "not a shellwatch recording (no %s header)",
			   REC_MAGIC);
	}
	if (n != sizeof(hdr)) {
		rec_reader_close(r);
		return bad(err, len, "truncated: the file ends inside the header");
	}
	version = get32(hdr + 8);
	if (version != REC_VERSION) {
		rec_reader_close(r);
		return bad(err, len, "recording format version %u; this shellwatch reads version %u",
			   version, REC_VERSION);
	}
	*out = r;
	return 0;
}

int rec_reader_fdopen(struct rec_reader **r, int fd, char *err, size_t len)
{
	return open_gz(r, fd, err, len);
}

int rec_reader_open(struct rec_reader **r, const char *path, char *err,
		    size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*r = NULL;
	if (fd < 0) {
		snprintf(err, len, "cannot open: %s", strerror(errno));
		return -errno;
	}
	return open_gz(r, fd, err, len);
}

/* the sizes a payload of each type may have */
static bool size_ok(uint32_t type, uint32_t n)
{
	switch (type) {
	case REC_FACTS:
		return n == sizeof(struct rec_facts);
	case REC_TIME:
		return n == sizeof(struct rec_time);
	case REC_RING:
		return n >= sizeof(uint32_t);
	case REC_SAMPLE_BEGIN:
	case REC_SCAN_END:
	case REC_END:
		return n == 0;
	case REC_SAMPLE:
		return n == sizeof(struct sw_sample);
	case REC_SAMPLE_END:
		return n == sizeof(struct rec_sample_end);
	case REC_SESSION:
		return n == sizeof(struct rec_session);
	case REC_LINK:
		return n == sizeof(struct rec_link);
	case REC_USER:
		return n == sizeof(struct rec_user);
	case REC_FOUND:
		/* an exec of one of the layouts of user/rec_exec.h */
		return n >= sizeof(struct rec_found) &&
		       rec_exec_size_ok(n - sizeof(struct rec_found));
	case REC_RULES:
		return true;
	case REC_VERDICT:
		return n == sizeof(struct rec_verdict);
	}
	return false;
}

int rec_read(struct rec_reader *r, struct rec_frame *f, char *err, size_t len)
{
	unsigned char hdr[REC_FRAME_HDR_SIZE];
	int ret;

	if (r->ended)
		return 0;
	ret = read_full(r, hdr, sizeof(hdr), true, "the header of frame", err,
			len);
	if (ret < 0)
		return ret;
	if (!ret)
		return bad(err, len, "truncated: no end frame after %llu frames (the recording daemon did not stop cleanly)",
			   (unsigned long long)r->frames);
	f->type = get32(hdr);
	f->len = get32(hdr + 4);
	if (f->len > REC_FRAME_MAX)
		return bad(err, len, "frame %llu (%s) claims %u bytes, more than the %u a frame may have",
			   (unsigned long long)r->frames + 1,
			   rec_type_name(f->type), f->len, REC_FRAME_MAX);
	if (!f->type || f->type >= REC_TYPE_COUNT)
		return bad(err, len, "frame %llu has unknown type %u",
			   (unsigned long long)r->frames + 1, f->type);
	if (!size_ok(f->type, f->len))
		return bad(err, len, "frame %llu (%s) has %u bytes, a size its type cannot have",
			   (unsigned long long)r->frames + 1,
			   rec_type_name(f->type), f->len);
	ret = read_full(r, r->buf, f->len, false, "frame", err, len);
	if (ret < 0)
		return ret;
	r->frames++;
	f->data = r->buf;
	if (r->frames == 1 && f->type != REC_FACTS)
		return bad(err, len, "the first frame is %s, not facts",
			   rec_type_name(f->type));
	if (f->type == REC_END) {
		r->ended = true;
		return 0;
	}
	return 1;
}

uint64_t rec_frames(const struct rec_reader *r)
{
	return r->frames;
}

void rec_reader_close(struct rec_reader *r)
{
	if (!r)
		return;
	gzclose(r->gz);
	free(r);
}
