// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include "cgroupns.h"
#include "sensor.h"
#include "shellwatch.skel.h"

#define LOG_LINES	16
#define LOG_LINE_LEN	256

static bool log_verbose;
/* the last lines libbpf said, shown when loading fails */
static char log_tail[LOG_LINES][LOG_LINE_LEN];
static int log_next;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	char line[LOG_LINE_LEN];

	if (log_verbose)
		return vfprintf(stderr, fmt, args);
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, args);
	line[strcspn(line, "\n")] = '\0';
	snprintf(log_tail[log_next], LOG_LINE_LEN, "%s", line);
	log_next = (log_next + 1) % LOG_LINES;
	return 0;
}

static void print_log_tail(void)
{
	int i, idx;

	for (i = 0; i < LOG_LINES; i++) {
		idx = (log_next + i) % LOG_LINES;
		if (log_tail[idx][0])
			fprintf(stderr, "  %s\n", log_tail[idx]);
	}
}

/* the process's seccomp mode from /proc/self/status: 0 none, 2 a filter */
static int seccomp_mode(void)
{
	char line[128];
	int mode = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

/* bpf() itself: an array map exists on every kernel with BPF */
static int probe_bpf(void)
{
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sw_probe", 4, 4, 1, NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = -errno;
	if (seccomp_mode() > 0)
		fprintf(stderr,
			"shellwatch: bpf() is refused (%s) by a seccomp filter: run with seccomp unconfined (seccompProfile: Unconfined) or a profile that allows bpf()\n",
			strerror(-err));
	else if (err == -ENOSYS)
		fprintf(stderr,
			"shellwatch: this kernel has no bpf() system call: it must be built with CONFIG_BPF_SYSCALL=y\n");
	else
		fprintf(stderr,
			"shellwatch: bpf() is refused (%s) although CAP_BPF is held: a security module (LSM) or the container runtime forbids it\n",
			strerror(-err));
	return err;
}

/* a ring buffer of one page: only EINVAL means the kernel lacks the type */
static int probe_ringbuf(void)
{
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sw_probe", 0, 0,
			    getpagesize(), NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	err = -errno;
	if (err == -EINVAL)
		fprintf(stderr,
			"shellwatch: this kernel has no BPF ring buffer: Linux 5.8 or later is needed\n");
	else
		fprintf(stderr,
			"shellwatch: cannot create a BPF ring buffer: %s\n",
			strerror(-err));
	return err;
}

int sensor_preflight(void)
{
	int err;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr,
			"shellwatch: no kernel BTF at /sys/kernel/btf/vmlinux: the kernel must be built with CONFIG_DEBUG_INFO_BTF=y\n");
		return -ENOENT;
	}
	err = probe_bpf();
	if (!err)
		err = probe_ringbuf();
	return err;
}

static int fill_shells(struct sensor *s, const struct shell_set *set)
{
	int fd = bpf_map__fd(s->skel->maps.shell_names);
	char key[SW_NAME_LEN];
	unsigned int pair;
	__u8 kind;
	int i;

	for (i = 0; i < set->n; i++) {
		memset(key, 0, sizeof(key));
		strncpy(key, set->names[i], sizeof(key) - 1);
		kind = SW_NAME_SHELL;
		if (bpf_map_update_elem(fd, key, &kind, BPF_ANY))
			return -errno;
		/* comm's prefilter: the name's first two bytes */
		pair = (__u8)key[0] | (__u8)key[1] << 8;
		s->skel->bss->comm_filter[pair / 8] |= 1 << (pair % 8);
	}
	for (i = 0; shells_multicall[i]; i++) {
		memset(key, 0, sizeof(key));
		strncpy(key, shells_multicall[i], sizeof(key) - 1);
		kind = SW_NAME_MULTICALL;
		if (bpf_map_update_elem(fd, key, &kind, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* one record to the caller, within the batch's budget */
static int on_record(void *ctx, void *data, size_t size)
{
	struct sensor *s = ctx;
	int err = s->fn(s->ctx, data, size);

	if (err < 0)
		return err;
	/* libbpf before 1.3 has no ring_buffer__consume_n() and stops only
	 * on an error, after consuming the record: this one ends the batch */
	if (++s->taken >= s->budget) {
		s->full = true;
		return -ENOSPC;
	}
	return 0;
}

int sensor_open(struct sensor *s, const struct sensor_opts *opts,
		ring_buffer_sample_fn fn, void *ctx)
{
	int err;

	memset(s, 0, sizeof(*s));
	log_verbose = opts->verbose;
	libbpf_set_print(libbpf_print);

	s->skel = shellwatch_bpf__open();
	if (!s->skel) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot open the BPF object: %s\n",
			strerror(-err));
		return err;
	}
	s->skel->rodata->cgroup_v1_subsys = opts->cgroup_v1_subsys;
	s->skel->rodata->sensor_pidns = opts->pidns;
	s->skel->rodata->trail_on = opts->trail;
	s->skel->rodata->trail_rate = opts->trail_rate;
	s->skel->rodata->trail_max = opts->trail_max;
	s->skel->rodata->trail_depth = opts->trail_depth;
	s->skel->rodata->track_max = opts->track_max;
	s->track_max = opts->track_max;
	err = bpf_map__set_max_entries(s->skel->maps.events,
				       opts->ringbuf_bytes);
	if (err) {
		fprintf(stderr, "shellwatch: bad ring buffer size %zu: %s\n",
			opts->ringbuf_bytes, strerror(-err));
		goto cleanup;
	}

	err = shellwatch_bpf__load(s->skel);
	if (err) {
		fprintf(stderr, "shellwatch: cannot load the BPF program: %s\n",
			strerror(-err));
		if (!opts->verbose) {
			print_log_tail();
			fprintf(stderr, "shellwatch: run with -v for the verifier's whole log\n");
		}
		goto cleanup;
	}
	err = fill_shells(s, opts->shells);
	if (err) {
		fprintf(stderr, "shellwatch: cannot fill the shell_names map: %s\n",
			strerror(-err));
		goto cleanup;
	}
	err = shellwatch_bpf__attach(s->skel);
	if (err) {
		fprintf(stderr, "shellwatch: cannot attach to sched_process_exec: %s\n",
			strerror(-err));
		goto cleanup;
	}
	/* execs before this have no view: no path of theirs is the host's */
	err = sensor_host_view(s, &s->host);
	if (err) {
		fprintf(stderr, "shellwatch: cannot find the host's mount namespace and root (pid 1): %s; no path will count as the host's, so rules on paths match nothing\n",
			strerror(-err));
		memset(&s->host, 0, sizeof(s->host));
		err = 0;
	} else if (opts->verbose) {
		fprintf(stderr, "shellwatch: host view: mount namespace %u, root mount %u inode %llu\n",
			s->host.mntns, s->host.root_mnt_id,
			(unsigned long long)s->host.root_ino);
	}
	s->fn = fn;
	s->ctx = ctx;
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), on_record,
				 s, NULL);
	if (!s->rb) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot set up the ring buffer: %s\n",
			strerror(-err));
		goto cleanup;
	}
	return 0;

cleanup:
	sensor_close(s);
	return err;
}

int sensor_fd(const struct sensor *s)
{
	return ring_buffer__epoll_fd(s->rb);
}

int sensor_consume(struct sensor *s, size_t max)
{
	int n;

	s->taken = 0;
	s->budget = max ? max : 1;
	s->full = false;
	n = ring_buffer__consume(s->rb);
	if (n < 0 && s->full)
		return (int)s->taken;
	return n;
}

int sensor_stats(const struct sensor *s, uint64_t stats[SW_STAT_COUNT])
{
	int ncpu = libbpf_num_possible_cpus(), i, c;
	struct sw_counters vals[ncpu > 0 ? ncpu : 1];
	const __u64 *v;
	__u32 key = 0;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.stats), &key, vals))
		return -errno;
	for (i = 0; i < SW_STAT_COUNT; i++) {
		stats[i] = 0;
		for (c = 0; c < ncpu; c++) {
			v = (const __u64 *)&vals[c];
			/* a high-water mark is the most of any CPU's */
			if (i == SW_STAT_RB_HIGH)
				stats[i] = v[i] > stats[i] ? v[i] : stats[i];
			else
				stats[i] += v[i];
		}
	}
	/* the daemon's own inserts refused at the bound count there too */
	stats[SW_STAT_TRACK_OVER] += s->track_over;
	return 0;
}

uint64_t sensor_tracked(const struct sensor *s)
{
	return s->skel ? __atomic_load_n(&s->skel->bss->tracked_n,
					 __ATOMIC_RELAXED) : 0;
}

/*
 * a place in the tracked map for an entry the daemon makes, as the kernel
 * side's track_reserve() takes one (the bss is shared memory); 0 or -ENOSPC
 */
static int track_reserve(struct sensor *s)
{
	__u64 *n = &s->skel->bss->tracked_n;

	if (__atomic_fetch_add(n, 1, __ATOMIC_RELAXED) >= s->track_max) {
		__atomic_fetch_sub(n, 1, __ATOMIC_RELAXED);
		s->track_over++;
		return -ENOSPC;
	}
	return 0;
}

static void track_release(struct sensor *s)
{
	__atomic_fetch_sub(&s->skel->bss->tracked_n, 1, __ATOMIC_RELAXED);
}

int sensor_sample(struct sensor *s, sensor_sample_fn fn, void *ctx)
{
	struct sw_sample buf[256];
	size_t i, n;
	ssize_t got;
	int fd, err = 0;

	fd = bpf_iter_create(bpf_link__fd(s->skel->links.sample_tasks));
	if (fd < 0)
		return -errno;
	for (;;) {
		got = read(fd, buf, sizeof(buf));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			/* a task went away under the walk: take what was read */
			if (errno == EAGAIN)
				break;
			err = -errno;
			break;
		}
		if (!got)
			break;
		n = got / sizeof(buf[0]);
		for (i = 0; i < n && !err; i++)
			err = fn(&buf[i], ctx);
		if (err)
			break;
	}
	close(fd);
	return err;
}

int sensor_track(struct sensor *s, uint32_t pid, uint64_t start_ns,
		 const uint32_t ids[4])
{
	struct sw_tracked t = {
		.start_ns = start_ns, .kind = SW_TRACK_SHELL,
		.trail = {
			.sess_pid = pid, .sess_start_ns = start_ns,
			.sess_uid = ids[0], .sess_euid = ids[1],
			.sess_gid = ids[2], .sess_egid = ids[3],
		},
	};
	int pidfd, err = 0;

	/* task storage is keyed by a pidfd from user space */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	err = track_reserve(s);
	if (!err && bpf_map_update_elem(bpf_map__fd(s->skel->maps.tracked),
					&pidfd, &t, BPF_NOEXIST)) {
		err = -errno;
		track_release(s);
	}
	close(pidfd);
	return err;
}

/* read an iterator's fd to its end or max bytes, then close it; 0 or -errno */
static int read_iter(int fd, void *buf, size_t max, size_t *len)
{
	ssize_t got;
	int err = 0;

	*len = 0;
	while (*len < max) {
		got = read(fd, (char *)buf + *len, max - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			break;
		}
		if (!got)
			break;
		*len += got;
	}
	close(fd);
	return err;
}

int sensor_cgroupns_root(struct sensor *s, char *v2, size_t v2_len, char *v1,
			 size_t v1_len)
{
	size_t n = 0;
	char *buf;
	int fd, err = 0;

	buf = malloc(CGROUPNS_BUF_MAX);
	if (!buf)
		return -ENOMEM;
	fd = bpf_iter_create(bpf_link__fd(s->skel->links.cgroupns_root));
	if (fd < 0) {
		err = -errno;
		goto cleanup;
	}
	err = read_iter(fd, buf, CGROUPNS_BUF_MAX, &n);
	if (!err)
		err = cgroupns_parse(buf, n, v2, v2_len, v1, v1_len);
cleanup:
	free(buf);
	return err;
}

int sensor_host_view(struct sensor *s, struct sw_host_view *out)
{
	struct sw_host_view v;
	size_t n = 0;
	int fd, err = 0;

	memset(out, 0, sizeof(*out));
	fd = bpf_iter_create(bpf_link__fd(s->skel->links.host_view));
	if (fd < 0)
		return -errno;
	err = read_iter(fd, &v, sizeof(v), &n);
	if (!err && n < sizeof(v))
		err = -ENOENT;
	if (!err)
		*out = v;
	return err;
}

int sensor_session(void *sensor, uint32_t pid, uint64_t start_ns,
		   uint64_t exec_ns, struct sw_session *out)
{
	struct sensor *s = sensor;
	struct sw_session_key key = {
		.pid = pid, .start_ns = start_ns, .exec_ns = exec_ns,
	};

	memset(out, 0, sizeof(*out));
	if (!s->skel)
		return -ENOENT;
	/* no entry: the session ran no command yet */
	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.sessions), &key,
				out))
		return errno == ENOENT ? 0 : -errno;
	return 0;
}

/* the start of pid in /proc's clock ticks, or -1 */
static long long start_ticks_of(uint32_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks;
	ssize_t n;
	int fd, i;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* the command name may hold anything: fields start after its ')' */
	p = strrchr(buf, ')');
	/* starttime is field 22; p + 2 is field 3 */
	for (i = 3; p && i < 22; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &ticks) != 1)
		return -1;
	return ticks;
}

int sensor_track_exec(struct sensor *s, const struct sw_exec *ex)
{
	struct sw_tracked t = {
		.start_ns = ex->start_ns, .kind = SW_TRACK_SHELL,
		.id_ns = ex->exec_ns,
		.trail = {
			.sess_pid = ex->pid, .sess_start_ns = ex->start_ns,
			.sess_exec_ns = ex->exec_ns,
			.sess_uid = ex->uid, .sess_euid = ex->euid,
			.sess_gid = ex->gid, .sess_egid = ex->egid,
		},
	};
	int pidfd, fd, err = 0;
	long hz;

	if (!s->skel)
		return -ENOENT;
	pidfd = syscall(SYS_pidfd_open, ex->pid, 0);
	if (pidfd < 0)
		return -errno;
	/* the pid may be another process's by now: the start time tells */
	hz = sysconf(_SC_CLK_TCK);
	if (start_ticks_of(ex->pid) !=
	    (long long)(ex->start_ns / (1000000000ULL / (hz > 0 ? hz : 100)))) {
		err = -ESRCH;
		goto cleanup;
	}
	/* a trail entry (the exec ran in a session) becomes its own shell */
	fd = bpf_map__fd(s->skel->maps.tracked);
	if (!bpf_map_update_elem(fd, &pidfd, &t, BPF_EXIST))
		goto cleanup;
	if (errno != ENOENT) {
		err = -errno;
		goto cleanup;
	}
	/* a new entry takes a place; the kernel may make one meanwhile */
	err = track_reserve(s);
	if (err)
		goto cleanup;
	if (bpf_map_update_elem(fd, &pidfd, &t, BPF_NOEXIST)) {
		err = -errno;
		track_release(s);
		if (err == -EEXIST)
			err = bpf_map_update_elem(fd, &pidfd, &t, BPF_EXIST) ?
			      -errno : 0;
	}
cleanup:
	close(pidfd);
	return err;
}

int sensor_verdicts_fd(const struct sensor *s)
{
	return s->skel ? bpf_map__fd(s->skel->maps.verdicts) : -1;
}

void sensor_close(struct sensor *s)
{
	ring_buffer__free(s->rb);
	s->rb = NULL;
	shellwatch_bpf__destroy(s->skel);
	s->skel = NULL;
}
