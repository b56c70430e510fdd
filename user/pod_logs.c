// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include "hex.h"
#include "pod_logs.h"

#define TABLE_MIN	64	/* buckets of an empty index, a power of 2 */
#define HANDLE_READS	64	/* reads of the inotify fd per handle call */

/*
 * one container, packed: its id and names as "<id>\0<pod>\0<namespace>\0
 * <container>\0<uid>\0", about 150 bytes where a struct pod_entry takes
 * 500 (100,000 links must fit in a 64 MiB pod)
 */
struct pod_node {
	struct pod_node *next;
	char s[];
};

/* chained hash table: up to one entry per bucket on average */
struct pod_table {
	struct pod_node **buckets;
	size_t nbuckets;	/* a power of 2 */
	size_t size;
};

struct pod_index {
	char *containers;	/* log_dir/containers */
	struct pod_table t;
	int ifd;		/* inotify fd, or -1 */
	int wd;			/* watch of containers, or -1 */
	size_t max;		/* containers indexed at most */
	struct pod_index_stats st;
	struct pod_entry *found;	/* what pod_index_find() returns */
};

/* len bytes of a Kubernetes name: [a-z0-9-], and '.' when dots */
static bool name_ok(const char *s, size_t len, size_t max, bool dots)
{
	size_t i;

	if (!len || len > max)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || (dots && c == '.')))
			return false;
	}
	return true;
}

/* copy len checked bytes to a buffer known to hold them */
static void copy(char *dst, const char *src, size_t len)
{
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int pod_logs_parse_name(const char *name, struct pod_log_name *out)
{
	const char *ns, *ctr, *id, *end;
	size_t len, i;

	memset(out, 0, sizeof(*out));
	if (!name)
		return -EINVAL;
	len = strlen(name);
	if (len < 4 || strcmp(name + len - 4, ".log"))
		return -EINVAL;
	end = name + len - 4;
	ns = memchr(name, '_', end - name);
	if (!ns)
		return -EINVAL;
	ns++;
	ctr = memchr(ns, '_', end - ns);
	if (!ctr)
		return -EINVAL;
	ctr++;
	/* container names have dashes, ids do not */
	id = memrchr(ctr, '-', end - ctr);
	if (!id)
		return -EINVAL;
	id++;
	if (!name_ok(name, ns - 1 - name, POD_NAME_MAX, true) ||
	    !name_ok(ns, ctr - 1 - ns, POD_LABEL_MAX, false) ||
	    !name_ok(ctr, id - 1 - ctr, POD_LABEL_MAX, false) ||
	    end - id != POD_LOG_ID_LEN)
		return -EINVAL;
	for (i = 0; i < POD_LOG_ID_LEN; i++)
		if (!is_hex(id[i]))
			return -EINVAL;
	copy(out->pod_name, name, ns - 1 - name);
	copy(out->namespace, ns, ctr - 1 - ns);
	copy(out->container_name, ctr, id - 1 - ctr);
	copy(out->container_id, id, POD_LOG_ID_LEN);
	return 0;
}

/* the len bytes at name are "<namespace>_<pod>_<uid>" */
static int parse_pod_dir(const char *name, size_t len, struct pod_dir_name *out)
{
	const char *pod, *uid, *end = name + len;

	memset(out, 0, sizeof(*out));
	pod = memchr(name, '_', len);
	if (!pod)
		return -EINVAL;
	pod++;
	uid = memchr(pod, '_', end - pod);
	if (!uid)
		return -EINVAL;
	uid++;
	/* systemd's '_' for '-' is not for directory names */
	if (!name_ok(name, pod - 1 - name, POD_LABEL_MAX, false) ||
	    !name_ok(pod, uid - 1 - pod, POD_NAME_MAX, true) ||
	    memchr(uid, '_', end - uid) ||
	    pod_uid_parse(uid, end - uid, out->pod_uid))
		return -EINVAL;
	copy(out->namespace, name, pod - 1 - name);
	copy(out->pod_name, pod, uid - 1 - pod);
	return 0;
}

int pod_logs_parse_pod_dir(const char *name, struct pod_dir_name *out)
{
	int err;

	if (!name) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	err = parse_pod_dir(name, strlen(name), out);
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

/* FNV-1a */
static size_t hash_id(const char *id)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return (size_t)h;
}

static int table_init(struct pod_table *t)
{
	t->buckets = calloc(TABLE_MIN, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	t->nbuckets = TABLE_MIN;
	t->size = 0;
	return 0;
}

/* drop every entry, keeping the buckets */
static void table_clear(struct pod_table *t)
{
	struct pod_node *n, *next;
	size_t i;

	for (i = 0; i < t->nbuckets; i++) {
		for (n = t->buckets[i]; n; n = next) {
			next = n->next;
			free(n);
		}
		t->buckets[i] = NULL;
	}
	t->size = 0;
}

static void table_free(struct pod_table *t)
{
	table_clear(t);
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = 0;
	t->size = 0;
}

/* where the node of id is linked, or where it would be added */
static struct pod_node **table_slot(const struct pod_table *t, const char *id)
{
	struct pod_node **pn = &t->buckets[hash_id(id) & (t->nbuckets - 1)];

	while (*pn && strcmp((*pn)->s, id))
		pn = &(*pn)->next;
	return pn;
}

/* twice the buckets; on ENOMEM the chains only get longer */
static void table_grow(struct pod_table *t)
{
	size_t i, n = t->nbuckets * 2;
	struct pod_node **b, *node, *next;

	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (i = 0; i < t->nbuckets; i++) {
		for (node = t->buckets[i]; node; node = next) {
			next = node->next;
			node->next = b[hash_id(node->s) & (n - 1)];
			b[hash_id(node->s) & (n - 1)] = node;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

/* the five strings of a packed node */
static void node_unpack(const struct pod_node *node, const char *f[5])
{
	const char *p = node->s;
	int i;

	for (i = 0; i < 5; i++) {
		f[i] = p;
		p += strlen(p) + 1;
	}
}

static struct pod_node *node_pack(const struct pod_entry *e)
{
	const char *f[5] = { e->container_id, e->pod_name, e->namespace,
			     e->container_name, e->pod_uid };
	size_t len[5], total = 0;
	struct pod_node *node;
	char *p;
	int i;

	for (i = 0; i < 5; i++)
		total += (len[i] = strlen(f[i])) + 1;
	node = malloc(sizeof(*node) + total);
	if (!node)
		return NULL;
	node->next = NULL;
	for (p = node->s, i = 0; i < 5; p += len[i++] + 1)
		memcpy(p, f[i], len[i] + 1);
	return node;
}

/* the node names the same link as e: pod, namespace and container */
static bool node_is(const struct pod_node *node, const char *pod,
		    const char *ns, const char *ctr)
{
	const char *f[5];

	node_unpack(node, f);
	return !strcmp(f[1], pod) && !strcmp(f[2], ns) && !strcmp(f[3], ctr);
}

/*
 * add e. The first link of a container wins: a second link with other
 * names for the same id is a conflict, counted and not used, unless
 * wins (a rescan meeting the link that was first before it). The same
 * link again (renamed over itself) replaces its target's uid. Beyond max
 * containers nothing is added (counted).
 */
static int table_put(struct pod_table *t, const struct pod_entry *e,
		     size_t max, struct pod_index_stats *st, bool wins)
{
	struct pod_node **pn = table_slot(t, e->container_id), *node;

	if (*pn && !node_is(*pn, e->pod_name, e->namespace,
			    e->container_name)) {
		st->conflicts++;
		if (!wins)
			return 0;
	}
	if (!*pn && t->size >= max) {
		st->over_limit++;
		return 0;
	}
	node = node_pack(e);
	if (!node)
		return -ENOMEM;
	if (*pn) {
		node->next = (*pn)->next;
		free(*pn);
		*pn = node;
		return 0;
	}
	*pn = node;
	if (++t->size > t->nbuckets)
		table_grow(t);
	return 0;
}

/* drop the entry of ln's container id, if it is that name's */
static void table_del(struct pod_table *t, const struct pod_log_name *ln)
{
	struct pod_node **pn = table_slot(t, ln->container_id), *node = *pn;

	if (!node ||
	    !node_is(node, ln->pod_name, ln->namespace, ln->container_name))
		return;
	*pn = node->next;
	free(node);
	t->size--;
}

/* the uid of the last "<ns>_<pod>_<uid>" of ln's pod in a link's target */
static void target_uid(const char *target, const struct pod_log_name *ln,
		       char *uid)
{
	struct pod_dir_name d;
	const char *p = target;
	size_t len;

	uid[0] = '\0';
	for (; *p; p += len) {
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (!parse_pod_dir(p, len, &d) &&
		    !strcmp(d.namespace, ln->namespace) &&
		    !strcmp(d.pod_name, ln->pod_name))
			memcpy(uid, d.pod_uid, sizeof(d.pod_uid));
	}
}

/*
 * the entry of the link name in dir; -EINVAL when the name does not parse
 * or it is no link, -ENOENT when it is gone. Any other failure to read the
 * link leaves the pod uid unknown.
 */
static int read_entry(const char *dir, const char *name, struct pod_entry *e)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct pod_log_name ln;
	ssize_t n;
	int len;

	if (pod_logs_parse_name(name, &ln))
		return -EINVAL;
	len = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (len < 0 || (size_t)len >= sizeof(path))
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0 && (errno == ENOENT || errno == EINVAL))
		return -errno;
	memcpy(e->container_id, ln.container_id, sizeof(e->container_id));
	memcpy(e->pod_name, ln.pod_name, sizeof(e->pod_name));
	memcpy(e->namespace, ln.namespace, sizeof(e->namespace));
	memcpy(e->container_name, ln.container_name, sizeof(e->container_name));
	e->pod_uid[0] = '\0';
	if (n >= 0) {
		target[n] = '\0';
		target_uid(target, &ln, e->pod_uid);
	}
	return 0;
}

struct pod_index *pod_index_new(const char *log_dir)
{
	struct pod_index *ix;

	if (!log_dir) {
		errno = EINVAL;
		return NULL;
	}
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		return NULL;
	ix->ifd = -1;
	ix->wd = -1;
	ix->max = POD_INDEX_MAX;
	ix->found = malloc(sizeof(*ix->found));
	if (!ix->found)
		goto fail;
	if (asprintf(&ix->containers, "%s/containers", log_dir) < 0) {
		ix->containers = NULL;
		goto fail;
	}
	if (table_init(&ix->t))
		goto fail;
	return ix;
fail:
	free(ix->found);
	free(ix->containers);
	free(ix);
	errno = ENOMEM;
	return NULL;
}

int pod_index_scan(struct pod_index *ix)
{
	struct pod_node *old;
	struct pod_entry e;
	struct pod_table t;
	struct dirent *d;
	DIR *dir;
	int err;

	dir = opendir(ix->containers);
	if (!dir)
		return -errno;
	err = table_init(&t);
	if (err) {
		closedir(dir);
		return err;
	}
	for (;;) {
		errno = 0;
		d = readdir(dir);
		if (!d) {
			err = -errno;
			break;
		}
		if (d->d_type != DT_LNK && d->d_type != DT_UNKNOWN)
			continue;
		if (read_entry(ix->containers, d->d_name, &e))
			continue;
		/* a link that was first before the rescan stays first */
		old = *table_slot(&ix->t, e.container_id);
		err = table_put(&t, &e, ix->max, &ix->st,
				old && node_is(old, e.pod_name, e.namespace,
					       e.container_name));
		if (err)
			break;
	}
	closedir(dir);
	if (err) {
		table_free(&t);
		return err;
	}
	table_free(&ix->t);
	ix->t = t;
	return 0;
}

int pod_index_watch(struct pod_index *ix)
{
	const uint32_t mask = IN_CREATE | IN_DELETE | IN_MOVED_FROM |
			      IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF |
			      IN_ONLYDIR;
	bool fresh = false;
	int wd, err;

	if (ix->ifd < 0) {
		ix->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (ix->ifd < 0)
			return -errno;
		fresh = true;
	}
	if (ix->wd < 0) {
		wd = inotify_add_watch(ix->ifd, ix->containers, mask);
		if (wd < 0) {
			err = -errno;
			if (fresh) {
				close(ix->ifd);
				ix->ifd = -1;
			}
			return err;
		}
		ix->wd = wd;
	}
	return ix->ifd;
}

/* a link was added or renamed to name */
static int link_added(struct pod_index *ix, const char *name)
{
	struct pod_entry e;

	/* gone again, or not ours: its own events tell the rest */
	if (read_entry(ix->containers, name, &e))
		return 0;
	return table_put(&ix->t, &e, ix->max, &ix->st, false);
}

static void link_removed(struct pod_index *ix, const char *name)
{
	struct pod_log_name ln;

	if (!pod_logs_parse_name(name, &ln))
		table_del(&ix->t, &ln);
}

/* apply one event; sets *rescan or *gone when the whole index is off */
static int handle_event(struct pod_index *ix, const struct inotify_event *ev,
			bool *rescan, bool *gone)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		*rescan = true;
		return 0;
	}
	if (ev->wd != ix->wd)
		return 0;
	if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF |
			IN_UNMOUNT)) {
		*gone = true;
		return 0;
	}
	if (!ev->len || (ev->mask & IN_ISDIR))
		return 0;
	if (ev->mask & (IN_CREATE | IN_MOVED_TO))
		return link_added(ix, ev->name);
	if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
		link_removed(ix, ev->name);
	return 0;
}

int pod_index_handle(struct pod_index *ix)
{
	char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	bool rescan = false, gone = false;
	int i, err = 0, e;
	ssize_t n;
	char *p;

	if (ix->ifd < 0)
		return -EBADF;
	for (i = 0; i < HANDLE_READS; i++) {
		n = read(ix->ifd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				err = -errno;
			break;
		}
		for (p = buf; p + sizeof(*ev) <= buf + n;
		     p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			e = handle_event(ix, ev, &rescan, &gone);
			if (e && !err)
				err = e;
		}
	}
	if (gone) {
		if (ix->wd >= 0)
			inotify_rm_watch(ix->ifd, ix->wd);
		ix->wd = -1;
		table_clear(&ix->t);
		return -ENOENT;
	}
	if (rescan) {
		e = pod_index_scan(ix);
		if (e)
			return e;
	}
	return err;
}

const struct pod_entry *pod_index_find(const struct pod_index *ix,
				       const char *container_id)
{
	struct pod_entry *e;
	const char *f[5];
	struct pod_node *node;

	if (!ix || !container_id || !ix->t.nbuckets)
		return NULL;
	node = *table_slot(&ix->t, container_id);
	if (!node)
		return NULL;
	/* each string was checked against its field's size when read */
	node_unpack(node, f);
	e = ix->found;
	snprintf(e->container_id, sizeof(e->container_id), "%s", f[0]);
	snprintf(e->pod_name, sizeof(e->pod_name), "%s", f[1]);
	snprintf(e->namespace, sizeof(e->namespace), "%s", f[2]);
	snprintf(e->container_name, sizeof(e->container_name), "%s", f[3]);
	snprintf(e->pod_uid, sizeof(e->pod_uid), "%s", f[4]);
	return e;
}

void pod_index_limit(struct pod_index *ix, size_t max)
{
	if (ix)
		ix->max = max;
}

void pod_index_stats(const struct pod_index *ix, struct pod_index_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!ix)
		return;
	*st = ix->st;
	st->indexed = ix->t.size;
}

size_t pod_index_size(const struct pod_index *ix)
{
	return ix ? ix->t.size : 0;
}

void pod_index_free(struct pod_index *ix)
{
	if (!ix)
		return;
	if (ix->ifd >= 0)
		close(ix->ifd);
	table_free(&ix->t);
	free(ix->found);
	free(ix->containers);
	free(ix);
}
