/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recording format of --record and --replay: what the daemon received
 * (kernel ring buffer records, sampling passes) and the facts its pipeline
 * asked of the node, as length-prefixed typed frames in a gzip stream.
 *
 * After decompression: a 16-byte header ("SWRECORD", u32 version, u32 0),
 * then frames, each a u32 type, a u32 length (at most REC_FRAME_MAX) and
 * that many bytes of payload; little-endian, the layouts below. The first
 * frame is REC_FACTS, the last REC_END: a file without it is truncated.
 */
#ifndef SHELLWATCH_RECORDING_H
#define SHELLWATCH_RECORDING_H

#include <stddef.h>
#include <stdint.h>
#include "pod_cgroup.h"
#include "pod_logs.h"
#include "rec_exec.h"
#include "shellwatch.h"

#define REC_MAGIC		"SWRECORD"
#define REC_VERSION		1
#define REC_HEADER_SIZE		16
#define REC_FRAME_HDR_SIZE	8
/* the largest payload a frame may have: a ring record, an exec, rules */
#define REC_FRAME_MAX		65536

enum rec_type {
	REC_FACTS = 1,		/* struct rec_facts: the node and the options */
	REC_TIME,		/* struct rec_time: the clocks from here on */
	REC_RING,		/* one kernel ring buffer record, as received */
	REC_SAMPLE_BEGIN,	/* empty: a sampling pass starts */
	REC_SAMPLE,		/* one struct sw_sample of the pass */
	REC_SAMPLE_END,		/* struct rec_sample_end: the pass ends */
	REC_SESSION,		/* struct rec_session: a trail counter look-up */
	REC_LINK,		/* struct rec_link: a kubelet log-link look-up */
	REC_USER,		/* struct rec_user: a user name look-up */
	REC_FOUND,		/* struct rec_found: a shell found by the scan */
	REC_SCAN_END,		/* empty: the start-up scan is done */
	REC_RULES,		/* the rules file's text, in force from here */
	REC_END,		/* empty: the recording ends cleanly */
	REC_VERDICT,		/* struct rec_verdict: the judge on a ring exec */
	REC_TYPE_COUNT
};

#define REC_F_ALL_WINDOWS	(1U << 0)
#define REC_F_SHOW_SUPPRESSED	(1U << 1)
#define REC_F_TRAIL		(1U << 2)
#define REC_F_SCAN		(1U << 3)

#define REC_NAME_LEN		256

struct rec_facts {
	uint64_t mem_total;	/* bytes, /proc/meminfo's MemTotal */
	uint64_t page_size;
	uint64_t clk_tck;	/* /proc's ticks per second */
	uint64_t window_ns;
	uint64_t ringbuf_bytes;
	int64_t boot_offset;	/* CLOCK_REALTIME - CLOCK_BOOTTIME at start */
	uint64_t boot_ns;	/* CLOCK_BOOTTIME at start */
	uint64_t real_ns;	/* CLOCK_REALTIME at start */
	uint32_t ncpu;		/* logical CPUs online */
	uint32_t flags;		/* REC_F_* */
	/* the kernel records' layouts (include/shellwatch.h) it was made with */
	uint32_t exec_event_size;	/* sizeof(struct sw_exec_event) */
	uint32_t proc_event_size;	/* sizeof(struct sw_proc_event), or
					 * SW_PROC_V1_SIZE in older ones */
	char host_name[REC_NAME_LEN];
	char node_name[REC_NAME_LEN];
	char cluster_name[REC_NAME_LEN];
	char boot_id[16];	/* as exec_id has it */
	char v1_name[32];	/* the cgroup v1 controller, "" for none */
	char v2_mount[256];
	char shells[1152];	/* the shell set, comma-separated */
	char version[32];	/* the recording shellwatch's */
};

/*
 * struct sw_proc_event as recordings held it before a session shell's end
 * record carried its session's counters: its first bytes, no flags and no
 * session. The recorded session frames answer for those counters.
 */
#define SW_PROC_V1_SIZE		96

struct rec_time {
	uint64_t boot_ns;	/* CLOCK_BOOTTIME */
	uint64_t real_ns;	/* CLOCK_REALTIME */
	int64_t boot_offset;	/* the offset records use from here on */
};

struct rec_sample_end {
	uint64_t boot_ns;	/* when the pass was read */
	uint64_t edge_ns;	/* the edge it closes, CLOCK_BOOTTIME */
	uint64_t real_ns;
	uint32_t pass;		/* enum tracker_pass */
	uint32_t pad;
};

struct rec_session {
	uint64_t start_ns;
	uint64_t exec_ns;
	uint32_t pid;
	int32_t err;		/* 0, or the -errno the kernel side gave */
	struct sw_session s;
};

struct rec_link {
	char container_id[POD_CONTAINER_ID_MAX + 1];
	uint8_t found;		/* 0: no link for the id */
	struct pod_entry e;
};

struct rec_user {
	uint32_t uid;		/* or the gid */
	uint32_t kind;		/* 0: a user name, 1: a group name */
	char name[64];		/* "" for an id with no name */
};

/* what the content judge decided of the next ring exec record */
struct rec_verdict {
	uint32_t shell;		/* 1: a shell */
	uint32_t family;	/* enum sw_family */
	uint32_t match;		/* enum sw_match */
	uint32_t flags;		/* SW_F_*, as the judge left them */
	char name[SW_NAME_LEN];	/* shell.name */
	char loaded[SW_FILENAME_MAX + 1];	/* a loader's program */
};

struct rec_found {
	uint64_t boot_ns;	/* when /proc was read */
	uint64_t real_ns;
	/* then the exec as the scan filled it, a layout of user/rec_exec.h */
};

struct rec_writer;
struct rec_reader;

/* a frame as read: payload valid until the next rec_read */
struct rec_frame {
	uint32_t type;
	uint32_t len;
	const void *data;
};

/* create path and write the header; 0 or -errno */
int rec_writer_open(struct rec_writer **w, const char *path);
/* append one frame; a no-op for a NULL w; 0 or the first -errno (sticky) */
int rec_write(struct rec_writer *w, uint32_t type, const void *p, size_t len);
/* push what is buffered to the file, readable up to here; 0 or -errno */
int rec_writer_flush(struct rec_writer *w);
/* write REC_END and close; accepts NULL; 0 or -errno */
int rec_writer_close(struct rec_writer *w);

/* open a recording and check its header; 0, or -errno with why in err */
int rec_reader_open(struct rec_reader **r, const char *path, char *err,
		    size_t len);
/* open from a file descriptor, which the reader then owns */
int rec_reader_fdopen(struct rec_reader **r, int fd, char *err, size_t len);
/* the next frame: 1, 0 after REC_END, or -EBADMSG with why in err */
int rec_read(struct rec_reader *r, struct rec_frame *f, char *err, size_t len);
/* frames read so far */
uint64_t rec_frames(const struct rec_reader *r);
/* close; accepts NULL */
void rec_reader_close(struct rec_reader *r);
/* the name of a frame type, "?" for none */
const char *rec_type_name(uint32_t type);

#endif /* SHELLWATCH_RECORDING_H */
