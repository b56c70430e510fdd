// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "decode.h"

const unsigned int decode_str_max[SW_STR_COUNT] = {
	[SW_STR_FILENAME] = SW_FILENAME_MAX,
	[SW_STR_INTERP] = SW_INTERP_MAX,
	[SW_STR_EXE] = SW_EXE_MAX,
	[SW_STR_CWD] = SW_CWD_MAX,
	[SW_STR_PARENT_EXE] = SW_PARENT_EXE_MAX,
	[SW_STR_TTY] = SW_TTY_MAX,
	[SW_STR_CGROUP] = SW_CGROUP_MAX,
	[SW_STR_CGROUP_V1] = SW_CGROUP_MAX,
	[SW_STR_ARGV] = SW_ARGV_MAX,
};

/* copy a string of at most n bytes, stopping at its NUL */
static void copy_str(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int put(char *out, size_t outlen, size_t *pos, const char *s, size_t n)
{
	if (*pos + n >= outlen)
		return -ENOSPC;
	memcpy(out + *pos, s, n);
	*pos += n;
	out[*pos] = '\0';
	return 0;
}

int decode_path(const char *comps, size_t n, bool truncated, char *out,
		size_t outlen)
{
	size_t pos = 0, end = n, len, start;
	int err;

	if (!outlen)
		return -ENOSPC;
	out[0] = '\0';
	if (!n)
		return 0;
	if (truncated && (err = put(out, outlen, &pos, "...", 3)))
		return err;
	/* components are leaf first: take them from the end */
	while (end > 0) {
		/* skip the terminator of the component before end */
		if (comps[end - 1] == '\0')
			end--;
		start = end;
		while (start > 0 && comps[start - 1] != '\0')
			start--;
		len = end - start;
		if (len) {
			err = put(out, outlen, &pos, "/", 1);
			if (!err)
				err = put(out, outlen, &pos, comps + start, len);
			if (err)
				return err;
		}
		end = start;
	}
	if (!pos || (truncated && pos == 3))
		return put(out, outlen, &pos, "/", 1);
	return 0;
}

/*
 * a cgroup path the kernel cut below its top ends in "/..."; the root, or
 * no path, has nothing below it to cut, and the flag says nothing there
 */
static int mark_deep(bool deep, char *path, size_t len)
{
	size_t pos = strlen(path);

	if (!deep || !pos || !strcmp(path, "/"))
		return 0;
	return put(path, len, &pos, "/...", 4);
}

int decode_exec(const void *data, size_t size, struct sw_exec *ex)
{
	const struct sw_exec_event *e = data;
	const char *tail, *s[SW_STR_COUNT];
	size_t total = 0;
	int i, err = 0;

	if (!data || size < SW_EXEC_HDR_SIZE ||
	    (e->type != SW_EVENT_EXEC && e->type != SW_EVENT_COMMAND))
		return -EINVAL;
	/* a command is in a session by definition */
	if (e->type == SW_EVENT_COMMAND && !(e->flags & SW_F_TRAIL))
		return -EINVAL;
	tail = (const char *)data + SW_EXEC_HDR_SIZE;
	for (i = 0; i < SW_STR_COUNT; i++) {
		if (e->len[i] > decode_str_max[i])
			return -EINVAL;
		s[i] = tail + total;
		total += e->len[i];
	}
	if (total > size - SW_EXEC_HDR_SIZE)
		return -EINVAL;

	/*
	 * The fixed fields only: every string below is written whole, with
	 * its NUL (16 KiB of zeroes per exec were a tenth of the daemon's
	 * instructions)
	 */
	memset(ex, 0, offsetof(struct sw_exec, filename));
	ex->type = e->type;
	ex->exec_ns = e->exec_ns;
	ex->start_ns = e->start_ns;
	ex->cgroup_id = e->cgroup_id;
	ex->pid = e->pid;
	ex->vpid = e->vpid;
	ex->ppid = e->ppid;
	ex->sid = e->sid;
	ex->uid = e->uid;
	ex->gid = e->gid;
	ex->euid = e->euid;
	ex->egid = e->egid;
	ex->loginuid = e->loginuid;
	ex->audit_session = e->audit_session;
	ex->pidns = e->pidns;
	ex->mntns = e->mntns;
	ex->nlink = e->nlink;
	ex->argc = e->argc;
	ex->flags = e->flags;
	ex->match = e->match;
	ex->family = e->family;
	ex->fs_magic = e->fs_magic;
	ex->key = e->key;
	ex->has_key = true;
	copy_str(ex->shell, sizeof(ex->shell), e->shell, sizeof(e->shell));
	/* a candidate carries what the names said; the daemon decides */
	if (e->match == SW_MATCH_CANDIDATE) {
		ex->flags |= SW_F_CANDIDATE;
		ex->match = e->name_match;
	}
	ex->cpu = e->cpu;
	ex->rss_pages = e->rss_pages;
	if (e->flags & SW_F_TRAIL)
		ex->trail = e->trail;
	copy_str(ex->comm, sizeof(ex->comm), e->comm, sizeof(e->comm));
	copy_str(ex->parent_comm, sizeof(ex->parent_comm), e->parent_comm,
		 sizeof(e->parent_comm));
	for (i = 0; i < SW_ANCESTORS; i++)
		copy_str(ex->ancestors[i], sizeof(ex->ancestors[i]),
			 e->ancestors[i], sizeof(e->ancestors[i]));
	copy_str(ex->filename, sizeof(ex->filename), s[SW_STR_FILENAME],
		 e->len[SW_STR_FILENAME]);
	copy_str(ex->interp, sizeof(ex->interp), s[SW_STR_INTERP],
		 e->len[SW_STR_INTERP]);
	copy_str(ex->tty, sizeof(ex->tty), s[SW_STR_TTY], e->len[SW_STR_TTY]);

	/* empty until decoded, even when a decode below fails */
	ex->exe[0] = ex->cwd[0] = ex->parent_exe[0] = '\0';
	ex->cgroup[0] = ex->cgroup_v1[0] = '\0';
	ex->loaded[0] = '\0';
	/* the maxima leave room for one '/' per component */
	err = err ?: decode_path(s[SW_STR_EXE], e->len[SW_STR_EXE],
				 e->flags & SW_F_EXE_TRUNC, ex->exe,
				 sizeof(ex->exe));
	err = err ?: decode_path(s[SW_STR_CWD], e->len[SW_STR_CWD],
				 e->flags & SW_F_CWD_TRUNC, ex->cwd,
				 sizeof(ex->cwd));
	err = err ?: decode_path(s[SW_STR_PARENT_EXE],
				 e->len[SW_STR_PARENT_EXE],
				 e->flags & SW_F_PARENT_EXE_TRUNC,
				 ex->parent_exe, sizeof(ex->parent_exe));
	err = err ?: decode_path(s[SW_STR_CGROUP], e->len[SW_STR_CGROUP],
				 e->flags & SW_F_CGROUP_TRUNC, ex->cgroup,
				 sizeof(ex->cgroup));
	err = err ?: mark_deep(e->flags & SW_F_CGROUP_DEEP, ex->cgroup,
			       sizeof(ex->cgroup));
	err = err ?: decode_path(s[SW_STR_CGROUP_V1], e->len[SW_STR_CGROUP_V1],
				 e->flags & SW_F_CGROUP_V1_TRUNC,
				 ex->cgroup_v1, sizeof(ex->cgroup_v1));
	err = err ?: mark_deep(e->flags & SW_F_CGROUP_V1_DEEP, ex->cgroup_v1,
			       sizeof(ex->cgroup_v1));
	if (err)
		return -EINVAL;

	ex->argv_len = e->len[SW_STR_ARGV];
	memcpy(ex->argv, s[SW_STR_ARGV], ex->argv_len);
	/* after the strings: set whole, as they are */
	ex->parent_mntns = e->flags & SW_F_VIEW ? e->parent_mntns : 0;
	ex->pad = 0;
	return 0;
}
