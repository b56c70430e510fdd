// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "clock.h"
#include "pins.h"
#include "sensor.h"
#include "shellwatch.skel.h"

static const char *const subdirs[] = { "maps", "progs" };

static bool on_bpffs(int fd)
{
	struct statfs st;

	return !fstatfs(fd, &st) && st.f_type == BPF_FS_MAGIC;
}

/* the parent of path into buf and the last component; -EINVAL if none */
static int split_path(const char *path, char *buf, size_t len,
		      const char **base)
{
	char *slash;

	if (path[0] != '/' || strlen(path) >= len || strstr(path, "/../") ||
	    strstr(path, "/./"))
		return -EINVAL;
	strcpy(buf, path);
	slash = strrchr(buf, '/');
	if (!slash[1] || !strcmp(slash + 1, "..") || !strcmp(slash + 1, "."))
		return -EINVAL;
	*base = path + (slash - buf) + 1;
	if (slash == buf)
		slash[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

/* the parent directory on a BPF filesystem, mounting the usual one */
static int open_parent(const char *parent)
{
	int fd, err;

	fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot open %s for the pins: %s\n",
			parent, strerror(-err));
		return err;
	}
	if (on_bpffs(fd))
		return fd;
	close(fd);
	if (strcmp(parent, PINS_BPFFS)) {
		fprintf(stderr, "shellwatch: %s is not a BPF filesystem: mount one (mount -t bpf bpf %s) or choose another --pin-path\n",
			parent, parent);
		return -ENOTDIR;
	}
	/* as systemd does at boot: private to root */
	if (mount("bpf", parent, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0700")) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot mount a BPF filesystem on %s: %s (needs CAP_SYS_ADMIN; in a pod, mount the node's %s, or run with --pin-path '')\n",
			parent, strerror(-err), parent);
		return err;
	}
	fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* empty dir (pins and at most one level of directories); 0 or -errno */
static int empty_dir(int dfd, int depth)
{
	struct dirent *de;
	int fd, sub, err = 0;
	DIR *d;

	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_type == DT_DIR && depth > 0) {
			sub = openat(dfd, de->d_name,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				err = -errno;
				break;
			}
			err = empty_dir(sub, depth - 1);
			close(sub);
			if (err)
				break;
		}
		if (unlinkat(dfd, de->d_name,
			     de->d_type == DT_DIR ? AT_REMOVEDIR : 0)) {
			err = -errno;
			break;
		}
	}
	closedir(d);
	return err;
}

/* a sensor beating at the pins now: refuse to take them from it */
static int check_owner(const char *path)
{
	struct sw_heartbeat hb = {};
	char map[PINS_PATH_MAX + 32];
	uint32_t key = 0;
	uint64_t age;
	int fd, err;

	snprintf(map, sizeof(map), "%s/maps/heartbeat", path);
	fd = bpf_obj_get(map);
	if (fd < 0)
		return 0;
	err = bpf_map_lookup_elem(fd, &key, &hb);
	close(fd);
	if (err || !hb.pid || hb.pid == (uint32_t)getpid())
		return 0;
	age = clock_boot_now() - hb.time_ns;
	if (age > (uint64_t)PINS_CHECK_AGE * NSEC_PER_SEC ||
	    (kill(hb.pid, 0) && errno == ESRCH))
		return 0;
	fprintf(stderr, "shellwatch: another shellwatch (pid %u) uses the pins at %s: stop it first, or choose another --pin-path\n",
		hb.pid, path);
	return -EBUSY;
}

static int open_sub(int dfd, const char *name)
{
	int fd;

	if (mkdirat(dfd, name, 0700) && errno != EEXIST)
		return -errno;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void init_fds(struct pins *p)
{
	p->parent_fd = p->dir_fd = p->maps_fd = p->progs_fd = -1;
	p->beat_fd = -1;
}

int pins_prepare(struct pins *p, const char *path)
{
	char parent[PINS_PATH_MAX];
	const char *base;
	int err;

	memset(p, 0, sizeof(*p));
	init_fds(p);
	if (!path[0])
		return 0;
	if (split_path(path, parent, sizeof(parent), &base)) {
		fprintf(stderr, "shellwatch: --pin-path must be an absolute path below a BPF filesystem, not '%s'\n",
			path);
		return -EINVAL;
	}
	p->parent_fd = open_parent(parent);
	if (p->parent_fd < 0) {
		err = p->parent_fd;
		goto cleanup;
	}
	if (mkdirat(p->parent_fd, base, 0700) && errno != EEXIST) {
		err = -errno;
		fprintf(stderr, "shellwatch: cannot make the pin directory %s: %s\n",
			path, strerror(-err));
		goto cleanup;
	}
	p->dir_fd = openat(p->parent_fd, base, O_RDONLY | O_DIRECTORY |
			   O_NOFOLLOW | O_CLOEXEC);
	if (p->dir_fd < 0 || !on_bpffs(p->dir_fd)) {
		err = p->dir_fd < 0 ? -errno : -ENOTDIR;
		fprintf(stderr, "shellwatch: %s is not a directory on a BPF filesystem: %s\n",
			path, strerror(-err));
		goto cleanup;
	}
	err = check_owner(path);
	if (err)
		goto cleanup;
	/* a crashed sensor's pins: replaced by ours */
	err = empty_dir(p->dir_fd, 1);
	if (err) {
		fprintf(stderr, "shellwatch: cannot remove the old pins in %s: %s\n",
			path, strerror(-err));
		goto cleanup;
	}
	p->maps_fd = open_sub(p->dir_fd, subdirs[0]);
	p->progs_fd = open_sub(p->dir_fd, subdirs[1]);
	if (p->maps_fd < 0 || p->progs_fd < 0) {
		err = p->maps_fd < 0 ? p->maps_fd : p->progs_fd;
		fprintf(stderr, "shellwatch: cannot make the pin directories in %s: %s\n",
			path, strerror(-err));
		goto cleanup;
	}
	snprintf(p->path, sizeof(p->path), "%s", path);
	return 0;

cleanup:
	pins_close(p);
	return err;
}

/* a pin's name: an internal map's without its object prefix, dots as
 * underscores ("rodata", "rodata_str1_1") */
static const char *pin_name(const char *name, char *buf, size_t len)
{
	const char *dot = strchr(name, '.');
	size_t i;

	if (!dot)
		return name;
	snprintf(buf, len, "%s", dot + 1);
	for (i = 0; buf[i]; i++)
		if (buf[i] == '.')
			buf[i] = '_';
	return buf;
}

static int pin_at(struct pins *p, const char *sub, const char *name, int fd)
{
	char path[PINS_PATH_MAX + 128];

	snprintf(path, sizeof(path), "%s/%s/%s", p->path, sub, name);
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

int pins_add(struct pins *p, const struct sensor *s)
{
	struct bpf_object_skeleton *sk = s->skel->skeleton;
	struct bpf_prog_info info;
	char path[PINS_PATH_MAX + 16], name[64];
	__u32 len;
	int i, n = 0, err = 0;
	const char *what = "";

	if (!p->path[0])
		return 0;
	for (i = 0; i < sk->map_cnt && !err; i++) {
		what = bpf_map__name(*sk->maps[i].map);
		err = pin_at(p, "maps", pin_name(what, name, sizeof(name)),
			     bpf_map__fd(*sk->maps[i].map));
	}
	for (i = 0; i < sk->prog_cnt && !err; i++) {
		what = bpf_program__name(*sk->progs[i].prog);
		err = pin_at(p, "progs", what,
			     bpf_program__fd(*sk->progs[i].prog));
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!err && n < SW_HB_PROGS &&
		    !bpf_obj_get_info_by_fd(bpf_program__fd(*sk->progs[i].prog),
					    &info, &len))
			p->hb.prog_ids[n++] = info.id;
	}
	if (!err) {
		what = "tracked";
		snprintf(path, sizeof(path), "%s/tracked", p->path);
		err = bpf_link__pin(s->skel->links.dump_tracked, path);
	}
	if (err) {
		fprintf(stderr, "shellwatch: cannot pin %s in %s: %s\n", what,
			p->path, strerror(-err));
		return err;
	}
	p->beat_fd = bpf_map__fd(s->skel->maps.heartbeat);
	p->hb.pid = getpid();
	p->hb.interval_ms = PINS_BEAT_MS;
	p->hb.start_ns = clock_boot_now();
	pins_beat(p, s, p->hb.start_ns);
	return 0;
}

/* links whose program is the one the daemon loaded */
static uint32_t count_attached(const struct sensor *s, uint32_t *links)
{
	struct bpf_object_skeleton *sk = s->skel->skeleton;
	struct bpf_link_info info;
	struct bpf_prog_info pinfo;
	uint32_t n = 0;
	__u32 len;
	int i;

	*links = 0;
	for (i = 0; i < sk->prog_cnt; i++) {
		struct bpf_link *l = *sk->progs[i].link;

		if (!l)
			continue;
		(*links)++;
		memset(&info, 0, sizeof(info));
		memset(&pinfo, 0, sizeof(pinfo));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_link__fd(l), &info, &len))
			continue;
		len = sizeof(pinfo);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(*sk->progs[i].prog),
					   &pinfo, &len))
			continue;
		if (info.prog_id && info.prog_id == pinfo.id)
			n++;
	}
	return n;
}

void pins_beat(struct pins *p, const struct sensor *s, uint64_t now_ns)
{
	uint32_t key = 0;

	if (p->beat_fd < 0 || now_ns < p->next_beat_ns)
		return;
	p->next_beat_ns = now_ns + PINS_BEAT_MS * 1000000ULL;
	p->hb.attached = count_attached(s, &p->hb.links);
	p->hb.time_ns = now_ns;
	bpf_map_update_elem(p->beat_fd, &key, &p->hb, BPF_ANY);
}

void pins_dir_fds(const struct pins *p, int fds[4])
{
	fds[0] = p->parent_fd;
	fds[1] = p->dir_fd;
	fds[2] = p->maps_fd;
	fds[3] = p->progs_fd;
}

void pins_close(struct pins *p)
{
	if (p->progs_fd >= 0)
		close(p->progs_fd);
	if (p->maps_fd >= 0)
		close(p->maps_fd);
	if (p->dir_fd >= 0)
		close(p->dir_fd);
	if (p->parent_fd >= 0)
		close(p->parent_fd);
	/* the heartbeat map's fd belongs to the skeleton */
	init_fds(p);
	p->path[0] = '\0';
}

void pins_remove(struct pins *p)
{
	const char *base;

	if (!p->path[0]) {
		pins_close(p);
		return;
	}
	/* by the fds: the allowlist lets unlinkat() work only relative to them */
	if (p->maps_fd >= 0)
		empty_dir(p->maps_fd, 0);
	if (p->progs_fd >= 0)
		empty_dir(p->progs_fd, 0);
	if (p->dir_fd >= 0) {
		unlinkat(p->dir_fd, "tracked", 0);
		unlinkat(p->dir_fd, subdirs[0], AT_REMOVEDIR);
		unlinkat(p->dir_fd, subdirs[1], AT_REMOVEDIR);
	}
	base = strrchr(p->path, '/') + 1;
	if (p->parent_fd >= 0 && unlinkat(p->parent_fd, base, AT_REMOVEDIR))
		fprintf(stderr, "shellwatch: cannot remove the pins in %s: %s\n",
			p->path, strerror(errno));
	pins_close(p);
}

/* is every pinned program one the beating daemon loaded? */
static int check_progs(const char *path, const struct sw_heartbeat *hb,
		       int *count)
{
	char dir[PINS_PATH_MAX + 16], prog[PINS_PATH_MAX + 300];
	struct bpf_prog_info info;
	struct dirent *de;
	__u32 len;
	int fd, i, err = 0;
	DIR *d;

	*count = 0;
	snprintf(dir, sizeof(dir), "%s/progs", path);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && !err) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(prog, sizeof(prog), "%s/%s", dir, de->d_name);
		fd = bpf_obj_get(prog);
		if (fd < 0) {
			err = -errno;
			break;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		err = bpf_obj_get_info_by_fd(fd, &info, &len) ? -errno : 0;
		close(fd);
		for (i = 0; !err && i < SW_HB_PROGS; i++)
			if (hb->prog_ids[i] == info.id)
				break;
		if (!err && i == SW_HB_PROGS)
			err = -ESTALE;
		(*count)++;
	}
	closedir(d);
	return err;
}

int pins_check(const char *path, unsigned int max_age_s, FILE *out,
	       FILE *err_f)
{
	struct sw_heartbeat hb = {};
	char map[PINS_PATH_MAX + 32];
	uint32_t key = 0;
	uint64_t now = clock_boot_now(), age;
	int fd, err, progs;

	if (!path[0]) {
		fprintf(err_f, "shellwatch: --check needs the pins: --pin-path '' turns them off\n");
		return 2;
	}
	snprintf(map, sizeof(map), "%s/maps/heartbeat", path);
	fd = bpf_obj_get(map);
	if (fd < 0) {
		fprintf(err_f, "shellwatch: not running: no heartbeat at %s: %s\n",
			map, strerror(errno));
		return 1;
	}
	err = bpf_map_lookup_elem(fd, &key, &hb);
	close(fd);
	if (err || !hb.pid) {
		fprintf(err_f, "shellwatch: not running: the heartbeat at %s is empty\n",
			map);
		return 1;
	}
	age = now > hb.time_ns ? now - hb.time_ns : 0;
	if (kill(hb.pid, 0) && errno == ESRCH) {
		fprintf(err_f, "shellwatch: not running: pid %u, which pinned %s, is gone\n",
			hb.pid, path);
		return 1;
	}
	if (age > (uint64_t)max_age_s * NSEC_PER_SEC) {
		fprintf(err_f, "shellwatch: stalled: pid %u's last heartbeat is %.1f s old (at most %u s)\n",
			hb.pid, age / 1e9, max_age_s);
		return 1;
	}
	if (!hb.links || hb.attached != hb.links) {
		fprintf(err_f, "shellwatch: detached: pid %u has %u of its %u programs attached\n",
			hb.pid, hb.attached, hb.links);
		return 1;
	}
	err = check_progs(path, &hb, &progs);
	if (err) {
		fprintf(err_f, "shellwatch: stale pins in %s: %s\n", path,
			err == -ESTALE ? "a pinned program is not the running sensor's" :
					 strerror(-err));
		return 1;
	}
	fprintf(out, "shellwatch: alive: pid %u, %u programs attached, %d pinned, heartbeat %.1f s ago\n",
		hb.pid, hb.attached, progs, age / 1e9);
	return 0;
}
