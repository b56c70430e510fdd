/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel/user contract of shellwatch: event records sent through the
 * BPF ring buffer, and the constants both sides agree on.
 *
 * Every record starts with a __u32 type tag. Variable-length strings of an
 * exec record follow its fixed header, in the order of enum
 * sw_str, each with its length (terminator included) in len[]; only
 * sizeof(header) + the sum of len[] bytes are sent.
 */
#ifndef SHELLWATCH_H
#define SHELLWATCH_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define SW_COMM_LEN		16
/* longest shell name in the set; a key of the shell_names map */
#define SW_NAME_LEN		16
/* a path component is read at most this long (NAME_MAX + NUL) */
#define SW_COMPONENT_MAX	256
/* components walked per path before the path counts as truncated */
#define SW_PATH_DEPTH		32
/* a cgroup name with its NUL, as the cgroupns_root iterator writes it */
#define SW_CGNS_NAME_MAX	256
/* names of ancestors sent with an exec: parent, grandparent, ... */
#define SW_ANCESTORS		4
/* bytes read of argv[0] for multi-call binaries and fileless execs */
#define SW_ARGV0_MAX		128

enum sw_event_type {
	SW_EVENT_EXEC = 1,	/* a shell exec: struct sw_exec_event */
	SW_EVENT_FORK = 2,	/* a tracked shell forked: struct sw_proc_event */
	SW_EVENT_EXIT = 3,	/* a tracked process ended: struct sw_proc_event */
	SW_EVENT_EXEC_AWAY = 4,	/* a tracked shell exec'd a non-shell */
	SW_EVENT_COMMAND = 5,	/* a session's process exec'd a non-shell:
				 * struct sw_exec_event with SW_F_TRAIL */
};

/* CPU time of a thread group as the scheduler counts it */
struct sw_cpu {
	__u64 runtime_ns;	/* sum_exec_runtime, as /proc/pid/schedstat */
	__u64 utime_ns;		/* tick-sampled user time */
	__u64 stime_ns;		/* tick-sampled system time */
};

/*
 * most processes tracked at once by default (--track-max): entries of the
 * kernel's tracked map, shells, their forks and their sessions' commands
 */
#define SW_TRACK_MAX		16384
/* the largest --track-max */
#define SW_TRACK_LIMIT		(1 << 20)

/* the tail strings of an exec record, in wire order */
enum sw_str {
	SW_STR_FILENAME,	/* path as invoked (bprm->filename) */
	SW_STR_INTERP,		/* interpreter path for #! scripts (bprm->interp) */
	SW_STR_EXE,		/* resolved binary: components, leaf first */
	SW_STR_CWD,		/* working directory: components, leaf first */
	SW_STR_PARENT_EXE,	/* parent's binary: components, leaf first */
	SW_STR_TTY,		/* controlling terminal name */
	SW_STR_CGROUP,		/* cgroup v2 path: components, leaf first */
	SW_STR_CGROUP_V1,	/* cgroup v1 path: components, leaf first */
	SW_STR_ARGV,		/* argv, NUL-separated, as in /proc/pid/cmdline */
	SW_STR_COUNT,
};

/* most bytes of each tail string, terminator included */
#define SW_FILENAME_MAX		1024
#define SW_INTERP_MAX		1024
#define SW_EXE_MAX		2048
#define SW_CWD_MAX		2048
#define SW_PARENT_EXE_MAX	1024
#define SW_TTY_MAX		64
#define SW_CGROUP_MAX		1024
#define SW_ARGV_MAX		4096

/* room for every tail string at its maximum; a power of two for masking */
#define SW_DATA_SIZE		16384
#define SW_DATA_MASK		(SW_DATA_SIZE - 1)
/* slack after the masked area so a masked offset plus a bounded read fits */
#define SW_DATA_SLACK		SW_ARGV_MAX

/* exec record flags */
#define SW_F_SCRIPT		(1U << 0)	/* run through a #! interpreter */
#define SW_F_FILELESS		(1U << 1)	/* binary has no link: memfd or deleted */
#define SW_F_TTY		(1U << 2)	/* has a controlling terminal */
#define SW_F_ARGV_TRUNC		(1U << 3)	/* argv longer than SW_ARGV_MAX */
#define SW_F_ARGV_FAULT		(1U << 4)	/* argv could not be read */
#define SW_F_FILENAME_TRUNC	(1U << 5)
#define SW_F_INTERP_TRUNC	(1U << 6)
#define SW_F_EXE_TRUNC		(1U << 7)
#define SW_F_CWD_TRUNC		(1U << 8)
#define SW_F_PARENT_EXE_TRUNC	(1U << 9)
#define SW_F_CGROUP_TRUNC	(1U << 10)
#define SW_F_CGROUP_V1_TRUNC	(1U << 11)
/* a cgroup path deeper or longer than the bounds: its top kept, cut below */
#define SW_F_CGROUP_DEEP	(1U << 20)
#define SW_F_CGROUP_V1_DEEP	(1U << 21)
#define SW_F_MULTICALL		(1U << 12)	/* binary is busybox, toybox, ... */
/* the process's pid namespace is a child of the sensor's (a container's own) */
#define SW_F_PIDNS_CHILD	(1U << 13)
/* the exec happened in a shell session: trail holds it (high bits: room
 * below for more capture flags) */
#define SW_F_TRAIL		(1U << 24)
/* the exec'ing process was the session's shell or a fork of it: its
 * exec_id is pid, trail.fork_start_ns, trail.fork_id_ns */
#define SW_F_TRAIL_FORK		(1U << 25)
/* a shell exec in a session over its trail bounds: no command record */
#define SW_F_TRAIL_DROPPED	(1U << 26)
#define SW_F_CANDIDATE		(1U << 14)	/* no verdict yet: the daemon judges */
/*
 * whose view the walked paths are: SW_F_VIEW says the kernel side knew the
 * host's (pid 1's mount namespace and root, see host_view in
 * bpf/shellwatch.bpf.c); without it the two bits below say nothing. A
 * path is in the host's view when its walker (the process, or its parent)
 * has the host's root in the host's mount namespace and the walk reached
 * that root (not a mount of another namespace, a detached one or a
 * pseudo file system).
 */
#define SW_F_VIEW		(1U << 15)
/* the executable and working directory are in the host's view */
#define SW_F_HOST_VIEW		(1U << 16)
/* the parent's executable is in the host's view */
#define SW_F_PARENT_HOST_VIEW	(1U << 17)
/* a shell not tracked (no windows, forks or exit): the map held track_max */
#define SW_F_TRACK_OVER		(1U << 18)
/* the same: the kernel had no memory for its storage */
#define SW_F_TRACK_NOMEM	(1U << 19)

/* the first two bytes of comm as an index into the comm_filter bitmap */
#define SW_COMM_FILTER_BITS	65536

/* values of the shell_names map */
enum sw_name_kind {
	SW_NAME_SHELL = 1,	/* a shell name */
	SW_NAME_MULTICALL = 2,	/* a multi-call binary: the applet is argv[0] */
};

/* what made the kernel side call the process a shell */
enum sw_match {
	SW_MATCH_NONE = 0,
	SW_MATCH_BINARY,	/* name of the binary the exec resolved to */
	SW_MATCH_INVOKED,	/* basename of the path as invoked */
	SW_MATCH_APPLET,	/* argv[0] (or argv[1]) of a multi-call binary */
	SW_MATCH_ARGV0,		/* argv[0] of a fileless binary */
	SW_MATCH_CONTENT,	/* the binary's content: a known shell */
	SW_MATCH_LOADER,	/* a dynamic loader running a shell */
	SW_MATCH_CANDIDATE,	/* kernel: not judged yet, the daemon decides */
};

/*
 * what a binary is, judged by its content (user/fingerprint.c): the value
 * of the kernel's verdict cache, and how an exec record was classified
 */
enum sw_family {
	SW_FAM_UNKNOWN = 0,	/* not judged yet */
	SW_FAM_NONE,		/* judged: no shell, loader or multi-call binary */
	SW_FAM_BASH,
	SW_FAM_DASH,
	SW_FAM_ZSH,
	SW_FAM_KSH93,
	SW_FAM_MKSH,
	SW_FAM_LKSH,
	SW_FAM_POSH,
	SW_FAM_YASH,
	SW_FAM_TCSH,
	SW_FAM_CSH,
	SW_FAM_FISH,
	SW_FAM_SASH,
	SW_FAM_RC,
	SW_FAM_BUSYBOX,		/* multi-call: the applet decides */
	SW_FAM_TOYBOX,		/* multi-call: the applet decides */
	SW_FAM_LD_GLIBC,	/* dynamic loader: the loaded program decides */
	SW_FAM_LD_MUSL,
	SW_FAM_COUNT,
};

/* the identity of an executable's inode: the verdict cache's key */
struct sw_inode_key {
	__u64 ino;
	__u64 ctime_sec;	/* any change to the inode moves ctime */
	__u32 ctime_nsec;
	__u32 dev;		/* the kernel's s_dev: MAJOR << 20 | MINOR */
	__u32 generation;	/* i_generation: inode number reuse */
	__u32 pad;
};

/* a verdict cache entry, written by the daemon */
struct sw_verdict {
	__u8 family;		/* enum sw_family */
	__u8 pad[7];
};

/*
 * where an exec sits in a session trail: the session is the nearest shell
 * exec above it (its exec_id is boot id, pid, start_ns, exec_ns)
 */
struct sw_trail {
	__u64 sess_start_ns;	/* the session shell's start */
	__u64 sess_exec_ns;	/* its exec; 0 for a shell found at start */
	__u64 fork_start_ns;	/* SW_F_TRAIL_FORK: the exec'ing process's
				 * exec_id is pid, fork_start_ns, fork_id_ns
				 * (a shell found at start has /proc's start) */
	__u64 fork_id_ns;
	__u64 cmd_start_ns;	/* the command this process descends from */
	__u64 cmd_exec_ns;
	__u32 cmd_pid;		/* 0 at depth 1: no command above */
	__u32 sess_pid;
	__u32 sess_uid;		/* the session shell's ids at its exec */
	__u32 sess_gid;
	__u32 sess_euid;
	__u32 sess_egid;
	__u32 depth;		/* 1: exec'd by the shell or a fork of it */
	__u32 pad;
};

struct sw_exec_event {
	__u32 type;		/* SW_EVENT_EXEC, SW_EVENT_COMMAND */
	__u32 flags;		/* SW_F_* */
	__u64 exec_ns;		/* CLOCK_BOOTTIME at exec */
	__u64 start_ns;		/* CLOCK_BOOTTIME at process start */
	__u64 cgroup_id;	/* cgroup v2 id */
	__u32 pid;		/* thread group id, host pid namespace */
	__u32 vpid;		/* pid in the process's own pid namespace */
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 euid;
	__u32 egid;
	__u32 loginuid;		/* audit login uid, (__u32)-1 when unset */
	__u32 audit_session;	/* audit session id, (__u32)-1 when unset */
	__u32 sid;		/* session leader pid, host pid namespace */
	__u32 pidns;		/* pid namespace inode */
	__u32 mntns;		/* mount namespace inode */
	__u32 nlink;		/* link count of the binary's inode */
	__u32 argc;
	__u32 match;		/* enum sw_match */
	struct sw_cpu cpu;	/* at exec: the baseline of the first window */
	__u64 rss_pages;	/* resident pages at exec */
	struct sw_inode_key key; /* the binary's inode identity */
	__u32 family;		/* enum sw_family of the cached verdict */
	__u32 name_match;	/* a candidate's match by name (enum sw_match) */
	__u32 fs_magic;		/* the binary's file system (s_magic) */
	__u32 parent_mntns;	/* the parent's mount namespace inode; with
				 * SW_F_VIEW only (0 in older records) */
	char shell[SW_NAME_LEN]; /* the name a name or applet match found */
	char comm[SW_COMM_LEN];
	char parent_comm[SW_COMM_LEN];
	char ancestors[SW_ANCESTORS][SW_COMM_LEN]; /* parent first; "" past init */
	struct sw_trail trail;	/* with SW_F_TRAIL */
	__u16 len[SW_STR_COUNT]; /* bytes of each tail string, 0 when absent */
	__u16 pad[3];
	/* followed by the tail strings */
};

#define SW_EXEC_HDR_SIZE	(sizeof(struct sw_exec_event))

/* a session's trail bounds, keyed by the session shell */
struct sw_session_key {
	__u64 start_ns;
	__u64 exec_ns;
	__u32 pid;
	__u32 pad;
};

struct sw_session {
	__u64 win_ns;		/* start of the current one-second rate window */
	__u32 win_count;	/* commands sent in it */
	__u32 sent;		/* command records sent */
	__u32 over_rate;	/* commands not sent: over the rate */
	__u32 over_count;	/* commands not sent: over the count */
	__u32 too_deep;		/* commands below the depth limit */
	__u32 pad;
};

/* proc record flags */
/* session holds the counters of the process's own session (a session
 * shell's exit or exec-away, when its session ran a command) */
#define SW_P_SESSION		(1U << 0)

/* fork, exit and exec-away of a tracked process */
struct sw_proc_event {
	__u32 type;		/* SW_EVENT_FORK, _EXIT, _EXEC_AWAY */
	__u32 pid;		/* thread group id */
	__u32 ppid;		/* fork: the tracked parent */
	__u32 exit_code;	/* exit: wait status (code << 8 | signal) */
	__u64 time_ns;		/* CLOCK_BOOTTIME of the event */
	__u64 start_ns;		/* start time of pid */
	__u64 parent_start_ns;	/* fork: start time of ppid */
	struct sw_cpu cpu;	/* at the event */
	__u64 rss_pages;	/* at the event; 0 when the memory is gone */
	__u64 maxrss_pages;	/* exit: peak resident pages */
	char comm[SW_COMM_LEN];	/* exec-away: the new program's name */
	/* the layout ended here (96 bytes) before the flags and session */
	__u32 flags;		/* SW_P_* */
	__u32 pad;
	struct sw_session session; /* SW_P_SESSION: its trail's counters as
				    * the shell ended (exit, exec-away) */
};

/*
 * both compilers lay it out alike, with no padding of their own: the
 * recordings hold its size (older ones SW_PROC_V1_SIZE, user/recording.h)
 */
_Static_assert(sizeof(struct sw_session) == 32,
	       "struct sw_session has no implicit padding");
_Static_assert(__builtin_offsetof(struct sw_proc_event, session) == 104 &&
	       sizeof(struct sw_proc_event) == 136,
	       "struct sw_proc_event has no implicit padding");

/* kinds of tracked processes */
enum sw_track_kind {
	SW_TRACK_SHELL = 0,	/* a shell or its fork: windows, fork, exit */
	SW_TRACK_TRAIL = 1,	/* a command or its descendant: trail only */
};

/* what the kernel tracks of a process: storage on its thread group leader */
struct sw_tracked {
	__u64 start_ns;		/* guards against pid reuse */
	__u32 kind;		/* enum sw_track_kind */
	__u32 handed;		/* 1: a copy waits in handover (kernel only) */
	__u64 id_ns;		/* SW_TRACK_SHELL: exec part of its exec_id */
	struct sw_trail trail;	/* its session; depth and cmd_* of its command */
};

/* most sessions whose trail bounds are kept (least recently used go) */
#define SW_SESSIONS_MAX		16384

/* /proc's start times are in USER_HZ (100) ticks */
#define SW_TICK_NS		10000000ULL

/* the host's view, as the host_view iterator finds it in pid 1 */
struct sw_host_view {
	__u64 root_ino;		/* inode of pid 1's root directory */
	__u32 mntns;		/* inode of pid 1's mount namespace */
	__u32 root_mnt_id;	/* mount id of pid 1's root */
	__u32 root_dev;		/* s_dev of the root's file system */
	__u32 pad;
};

/* one thread of a tracked process, from the window sampler iterator */
struct sw_sample {
	__u32 pid;		/* thread group id */
	__u32 tid;
	__u64 start_ns;		/* start time of the thread group */
	struct sw_cpu cpu;	/* this thread's; the leader adds dead threads' */
	__u64 rss_pages;	/* leader only */
	__u32 leader;		/* 1 for the thread group leader */
	__u32 pad;
};

#endif /* SHELLWATCH_H */
