// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>
#include "argv.h"
#include "fingerprint.h"
#include "judge.h"
#include "loader.h"
#include "multicall.h"

/* file systems whose reads a user may stall or serve: never read */
static bool remote_fs(uint32_t magic)
{
	switch (magic) {
	case 0x65735546:	/* FUSE */
	case 0x6969:		/* NFS */
	case 0xff534d42:	/* CIFS */
	case 0xfe534d42:	/* SMB2 */
	case 0x01021997:	/* v9fs */
	case 0x00c36400:	/* ceph */
	case 0x73757245:	/* coda */
	case 0x47504653:	/* GPFS */
		return true;
	default:
		return false;
	}
}

void judge_init(struct judge *j, const struct shell_set *set,
		struct verdicts *verdicts, const char *proc)
{
	char path[64];
	struct stat st;

	memset(j, 0, sizeof(*j));
	j->set = set;
	j->verdicts = verdicts;
	j->proc = proc;
	snprintf(path, sizeof(path), "%s/self/ns/mnt", proc);
	j->mntns = stat(path, &st) ? 0 : (uint32_t)st.st_ino;
}

/*
 * open a regular file found through dirfd and path for reading: first as
 * O_PATH, so that no device or FIFO is ever opened for real
 */
static int open_regular(int dirfd, const char *path, __u64 resolve)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = resolve,
	};
	char self[64];
	struct stat st;
	int pfd, fd, err;

	pfd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (pfd < 0 && errno == ENOSYS && !resolve)
		pfd = openat(dirfd, path, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st)) {
		err = -errno;
		close(pfd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(pfd);
		return -EINVAL;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	err = fd < 0 ? -errno : fd;
	close(pfd);
	return err;
}

static bool key_matches(const struct sw_inode_key *want,
			const struct sw_inode_key *got)
{
	/*
	 * the device is left out: overlayfs shows its layer's device to
	 * stat(), the kernel's key has the overlay's. A nanosecond ctime on
	 * the same inode number is not something a user can make up.
	 */
	return want->ino == got->ino && want->ctime_sec == got->ctime_sec &&
	       want->ctime_nsec == got->ctime_nsec;
}

/*
 * the exec's binary, open: /proc/<pid>/exe while the process lives, else
 * its path when the process shares the daemon's mount namespace; checked
 * against the inode the kernel saw. key gets the verdict key.
 */
static int open_exe(struct judge *j, const struct sw_exec *ex,
		    struct sw_inode_key *key)
{
	struct sw_inode_key got;
	char path[128];
	bool live;
	int fd, err;

	if (ex->fs_magic && remote_fs(ex->fs_magic)) {
		j->st.remote_fs++;
		return -EREMOTE;
	}
	snprintf(path, sizeof(path), "%s/%u/exe", j->proc, ex->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	live = fd >= 0;
	if (fd < 0 && ex->has_key && ex->exe[0] == '/' && j->mntns &&
	    ex->mntns == j->mntns && !(ex->flags & SW_F_FILELESS))
		fd = open_regular(AT_FDCWD, ex->exe, 0);
	if (fd < 0) {
		j->st.gone++;
		return -ENOENT;
	}
	err = verdicts_key_of(fd, &got);
	if (err)
		goto fail;
	if (!ex->has_key) {
		*key = got;
		return fd;
	}
	/*
	 * the running process's own binary, the same inode: a file being
	 * executed cannot be written (ETXTBSY), so a moved ctime is an
	 * unlink, link, chmod or rename since the exec, not new content
	 */
	if (live && got.ino == ex->key.ino && !key_matches(&ex->key, &got)) {
		j->st.relinked++;
	} else if (!key_matches(&ex->key, &got)) {
		j->st.changed++;
		err = -ESTALE;
		goto fail;
	}
	*key = ex->key;
	return fd;
fail:
	close(fd);
	return err;
}

/* the family of the binary open at fd; SW_FAM_UNKNOWN when unreadable */
static unsigned int family_of(struct judge *j, int fd,
			      const struct sw_inode_key *key)
{
	unsigned int fam = SW_FAM_UNKNOWN;

	if (verdicts_judge(j->verdicts, key, fd, &fam))
		return SW_FAM_UNKNOWN;
	return fam;
}

static bool found(struct judge *j, struct sw_exec *ex, unsigned int match,
		  const char *name)
{
	ex->match = match;
	snprintf(ex->shell, sizeof(ex->shell), "%s", name);
	j->st.shells++;
	return true;
}

/* a multi-call binary's applet, when it is a shell */
static bool applet_shell(struct judge *j, struct sw_exec *ex,
			 unsigned int fam, const struct argv_list *a,
			 unsigned int match)
{
	struct mc_applet app;
	int err = multicall_applet(fam, a, &app);

	/* the deciding argument was too long to capture: say what ran */
	if (err == -EAGAIN)
		return found(j, ex, match, fp_family_name(fam));
	if (err || !shells_has(j->set, app.name) ||
	    strlen(app.name) >= SW_NAME_LEN)
		return false;
	return found(j, ex, match, app.name);
}

/* a path the process named, open as the process would see it */
static int open_in_process(struct judge *j, const struct sw_exec *ex,
			   const char *path)
{
	char *full, root[128];
	int rfd, fd;
	size_t len;

	/*
	 * found at start, the working directory is known as the daemon sees
	 * it only: relative to the process's one, not inside its root
	 */
	if (path[0] != '/' && (!ex->exec_ns || ex->cwd[0] != '/')) {
		snprintf(root, sizeof(root), "%s/%u/cwd", j->proc, ex->pid);
		rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (rfd < 0)
			return -errno;
		fd = open_regular(rfd, path, 0);
		close(rfd);
		return fd;
	}
	len = strlen(ex->cwd) + strlen(path) + 2;
	full = malloc(len);
	if (!full)
		return -ENOMEM;
	if (path[0] == '/')
		snprintf(full, len, "%s", path);
	else
		snprintf(full, len, "%s/%s", ex->cwd, path);
	snprintf(root, sizeof(root), "%s/%u/root", j->proc, ex->pid);
	rfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfd >= 0) {
		fd = open_regular(rfd, full, RESOLVE_IN_ROOT |
					     RESOLVE_NO_MAGICLINKS);
		close(rfd);
	} else if (j->mntns && ex->mntns == j->mntns) {
		fd = open_regular(AT_FDCWD, full, 0);
	} else {
		fd = -ENOENT;
	}
	free(full);
	return fd;
}

/*
 * a loader's program: by its content, as a multi-call binary with the
 * arguments the loader passes on, else by its name
 */
static bool loader_shell(struct judge *j, struct sw_exec *ex, unsigned int fam,
			 const struct argv_list *a)
{
	struct sw_inode_key key;
	struct loader_run run;
	struct argv_list *sub;
	const char *prog;
	unsigned int pfam = SW_FAM_UNKNOWN;
	bool shell = false;
	int fd, i, err;

	err = loader_program(fam, a, &run);
	if (err == -EAGAIN)
		return found(j, ex, SW_MATCH_LOADER, fp_family_name(fam));
	if (err)
		return false;
	prog = a->v[run.prog];
	snprintf(ex->loaded, sizeof(ex->loaded), "%s", prog);
	fd = open_in_process(j, ex, prog);
	if (fd >= 0) {
		if (!verdicts_key_of(fd, &key))
			pfam = family_of(j, fd, &key);
		close(fd);
	} else {
		j->st.gone++;
	}
	if (fp_family_is_shell(pfam))
		return found(j, ex, SW_MATCH_LOADER, fp_family_name(pfam));
	if (fp_family_is_multicall(pfam)) {
		sub = malloc(sizeof(*sub));
		if (!sub)
			return false;
		memset(sub, 0, sizeof(*sub));
		sub->v[0] = run.argv0 ? run.argv0 : prog;
		for (i = run.prog + 1; i < a->argc; i++)
			sub->v[i - run.prog] = a->v[i];
		sub->argc = a->argc - run.prog;
		sub->last_cut = a->last_cut;
		ex->flags |= SW_F_MULTICALL;
		shell = applet_shell(j, ex, pfam, sub, SW_MATCH_LOADER);
		free(sub);
		if (shell)
			return true;
	}
	if (strlen(argv_basename(prog)) < SW_NAME_LEN &&
	    shells_has(j->set, argv_basename(prog)))
		return found(j, ex, SW_MATCH_LOADER, argv_basename(prog));
	return false;
}

bool judge_exec(struct judge *j, struct sw_exec *ex)
{
	struct sw_inode_key key;
	struct argv_list *a;
	unsigned int fam = SW_FAM_UNKNOWN;
	char tail[SW_NAME_LEN * 4];
	bool shell = false;
	int fd;

	j->st.candidates++;
	/* a decoded record's strings are not zeroed: loaded is set here */
	ex->loaded[0] = '\0';
	fd = open_exe(j, ex, &key);
	if (fd >= 0) {
		uint64_t before = j->verdicts->st.fingerprinted;

		fam = family_of(j, fd, &key);
		close(fd);
		if (j->verbose && j->verdicts->st.fingerprinted != before)
			fprintf(stderr, "shellwatch: fingerprinted %s: %s\n",
				ex->exe, fp_family_name(fam) ?: "no shell");
	}
	ex->family = fam;
	/*
	 * a name rule that matched stays the reason: "content" then says
	 * that only the content showed the shell, as for a renamed copy
	 */
	if (ex->match != SW_MATCH_NONE && ex->match != SW_MATCH_CANDIDATE) {
		j->st.shells++;
		return true;
	}
	if (fp_family_is_shell(fam))
		return found(j, ex, SW_MATCH_CONTENT, fp_family_name(fam));
	a = malloc(sizeof(*a));
	if (!a)
		goto names;
	argv_split(a, ex->argv, ex->argv_len, tail, sizeof(tail));
	if (fp_family_is_multicall(fam)) {
		ex->flags |= SW_F_MULTICALL;
		shell = applet_shell(j, ex, fam, a, SW_MATCH_APPLET);
	} else if (fp_family_is_loader(fam)) {
		shell = loader_shell(j, ex, fam, a);
	}
	free(a);
	if (shell)
		return true;
names:
	ex->match = SW_MATCH_NONE;
	return false;
}

/* a shell reported by name whose binary has no verdict yet: judge it for
 * the kernel's cache, within the fingerprint budget */
static void judge_learn(struct judge *j, const struct sw_exec *ex)
{
	struct sw_inode_key key;
	int fd;

	fd = open_exe(j, ex, &key);
	if (fd < 0)
		return;
	family_of(j, fd, &key);
	close(fd);
}

bool judge_record(struct judge *j, struct sw_exec *ex)
{
	if (ex->flags & SW_F_CANDIDATE) {
		if (judge_exec(j, ex))
			return true;
		j->st.dropped++;
		return false;
	}
	if (ex->family == SW_FAM_UNKNOWN && ex->has_key)
		judge_learn(j, ex);
	/* the kernel knew the binary: its family names the shell */
	if (ex->match == SW_MATCH_CONTENT && fp_family_name(ex->family))
		snprintf(ex->shell, sizeof(ex->shell), "%s",
			 fp_family_name(ex->family));
	return true;
}
