// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the kubelet log file names and the container index
 * (user/pod_logs.c): the name parsers on real names, then an index of a
 * fixture log directory made in a mkdtemp() directory, scanned and then
 * kept current through inotify while links come and go.
 *
 * Criterion copies each parameter into the process that runs the test;
 * the tables hold pointers, so each test gets the index of its row.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "pod_logs.h"
#include "sw_proc.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define ID_A	"ca978112ca1bbdcafac231b39a23dc4d"	\
		"a786eff8147c4e72b9807785afee48bb"
#define ID_B	"3e23e8160039594a33894f6564e1b134"	\
		"8bbd7a0088d42c4acb73eeaed59c009d"
#define ID_C	"2e7d2c03a9507ae265ecf5b5356885a5"	\
		"3393a2029d241394997265a1a25aefc6"
#define ID_D	"18ac3e7343f016890c510e93f9352611"	\
		"69d9e3f565436429830faf0934f4f8e4"
#define ID_E	"3f79bb7b435b05321651daefd374cdc6"	\
		"81dc06faa65e374e38337b88ca046dea"
#define ID_UP	"CA978112CA1BBDCAFAC231B39A23DC4D"	\
		"A786EFF8147C4E72B9807785AFEE48BB"
#define ID_63	"ca978112ca1bbdcafac231b39a23dc4d"	\
		"a786eff8147c4e72b9807785afee48b"
/* ids of one digit, for links made up in a test */
#define Z63	"00000000000000000000000000000000"	\
		"0000000000000000000000000000000"
#define ID_1	Z63 "1"
#define ID_2	Z63 "2"
#define ID_3	Z63 "3"
#define ID_4	Z63 "4"
#define ID_BAD	"ca978112ca1bbdcafac231b39a23dc4d"	\
		"g786eff8147c4e72b9807785afee48bb"

#define UID	"1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
#define UID2	"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
#define UID3	"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define UID_	"1b2c3d4e_5f6a_4b7c_8d9e_0f1a2b3c4d5e"
#define MD5	"9dd4e461268c8034f5c8564e155c67a6"

/* names of the longest lengths Kubernetes allows */
#define L10	"abcdefghij"
#define L50	L10 L10 L10 L10 L10
#define LABEL63	L50 L10 "abc"
#define LABEL64	L50 L10 "abcd"
#define NAME253	L50 L50 L50 L50 L50 "abc"
#define NAME254	L50 L50 L50 L50 L50 "abcd"

#define WAIT_MS		2000	/* for inotify events that are already queued */

struct name_case {
	const char *what;
	const char *name;
	const char *pod;	/* expected; NULL: -EINVAL */
	const char *ns;
	const char *container;
	const char *id;
};

static const struct name_case name_cases[] = {
	/* real names */
	{ "deployment pod", "coredns-5d78c9869d-abcde_kube-system_coredns-"
	  ID_A ".log", "coredns-5d78c9869d-abcde", "kube-system", "coredns",
	  ID_A },
	{ "static pod", "etcd-kind-control-plane_kube-system_etcd-" ID_B ".log",
	  "etcd-kind-control-plane", "kube-system", "etcd", ID_B },
	{ "statefulset pod", "web-0_default_nginx-" ID_C ".log", "web-0",
	  "default", "nginx", ID_C },
	{ "container name with a dash",
	  "kube-proxy-x7k2p_kube-system_kube-proxy-" ID_A ".log",
	  "kube-proxy-x7k2p", "kube-system", "kube-proxy", ID_A },
	{ "long container name with dashes",
	  "prometheus-k8s-0_monitoring_prometheus-config-reloader-sidecar-" ID_D
	  ".log", "prometheus-k8s-0", "monitoring",
	  "prometheus-config-reloader-sidecar", ID_D },
	{ "pod name with dots",
	  "api.v2.example-7c9d8f6b5-q2w3e_prod-eu-1_envoy-" ID_E ".log",
	  "api.v2.example-7c9d8f6b5-q2w3e", "prod-eu-1", "envoy", ID_E },
	{ "daemonset pod", "kindnet-9xk4z_kube-system_kindnet-cni-" ID_A ".log",
	  "kindnet-9xk4z", "kube-system", "kindnet-cni", ID_A },
	{ "digit names", "0_1_2-" ID_A ".log", "0", "1", "2", ID_A },
	{ "one-letter names", "a_b_c-" ID_A ".log", "a", "b", "c", ID_A },
	{ "uppercase id kept", "web-0_default_nginx-" ID_UP ".log", "web-0",
	  "default", "nginx", ID_UP },
	{ "pod name of 253", NAME253 "_ns_c-" ID_A ".log", NAME253, "ns", "c",
	  ID_A },
	{ "namespace of 63", "p_" LABEL63 "_c-" ID_A ".log", "p", LABEL63, "c",
	  ID_A },
	{ "container name of 63", "p_ns_" LABEL63 "-" ID_A ".log", "p", "ns",
	  LABEL63, ID_A },

	/* not a kubelet log link */
	{ "empty", "", NULL, NULL, NULL, NULL },
	{ "suffix only", ".log", NULL, NULL, NULL, NULL },
	{ "no .log", "web-0_default_nginx-" ID_C, NULL, NULL, NULL, NULL },
	{ "rotated", "web-0_default_nginx-" ID_C ".log.1", NULL, NULL, NULL,
	  NULL },
	{ "compressed", "web-0_default_nginx-" ID_C ".log.gz", NULL, NULL,
	  NULL, NULL },
	{ "no namespace", "web-0_nginx-" ID_C ".log", NULL, NULL, NULL, NULL },
	{ "four fields", "web-0_default_x_nginx-" ID_C ".log", NULL, NULL,
	  NULL, NULL },
	{ "no dash before the id", "web-0_default_nginx" ID_C ".log", NULL,
	  NULL, NULL, NULL },
	{ "no id", "web-0_default_nginx-.log", NULL, NULL, NULL, NULL },
	{ "id of 63", "web-0_default_nginx-" ID_63 ".log", NULL, NULL, NULL,
	  NULL },
	{ "id of 65", "web-0_default_nginx-" ID_C "0.log", NULL, NULL, NULL,
	  NULL },
	{ "id not hex", "web-0_default_nginx-" ID_BAD ".log", NULL, NULL, NULL,
	  NULL },
	{ "dash after the id", "web-0_default_nginx-" ID_C "-.log", NULL, NULL,
	  NULL, NULL },
	{ "empty pod", "_default_nginx-" ID_C ".log", NULL, NULL, NULL, NULL },
	{ "empty namespace", "web-0__nginx-" ID_C ".log", NULL, NULL, NULL,
	  NULL },
	{ "empty container", "web-0_default_-" ID_C ".log", NULL, NULL, NULL,
	  NULL },
	{ "uppercase pod", "Web-0_default_nginx-" ID_C ".log", NULL, NULL,
	  NULL, NULL },
	{ "dot in namespace", "web-0_kube.system_nginx-" ID_C ".log", NULL,
	  NULL, NULL, NULL },
	{ "dot in container", "web-0_default_nginx.v2-" ID_C ".log", NULL,
	  NULL, NULL, NULL },
	{ "space in pod", "web 0_default_nginx-" ID_C ".log", NULL, NULL, NULL,
	  NULL },
	{ "slash in pod", "../web-0_default_nginx-" ID_C ".log", NULL, NULL,
	  NULL, NULL },
	{ "pod name of 254", NAME254 "_ns_c-" ID_A ".log", NULL, NULL, NULL,
	  NULL },
	{ "namespace of 64", "p_" LABEL64 "_c-" ID_A ".log", NULL, NULL, NULL,
	  NULL },
	{ "container name of 64", "p_ns_" LABEL64 "-" ID_A ".log", NULL, NULL,
	  NULL, NULL },
	{ "high bytes", "w\xc3\xa9" "b_default_nginx-" ID_C ".log", NULL, NULL,
	  NULL, NULL },
};

ParameterizedTestParameters(pod_logs, parse_name)
{
	return sw_rows(ARRAY_SIZE(name_cases));
}

ParameterizedTest(int *row, pod_logs, parse_name)
{
	const struct name_case *c = &name_cases[*row];
	struct pod_log_name out;
	char *name = strdup(c->name);
	int err;

	cr_assert_not_null(name);
	memset(&out, 0xa5, sizeof(out));
	err = pod_logs_parse_name(name, &out);
	free(name);
	if (!c->pod) {
		cr_assert_eq(err, -EINVAL, "case %s: returned %d", c->what,
			     err);
		cr_assert(!out.pod_name[0] && !out.namespace[0] &&
			  !out.container_name[0] && !out.container_id[0],
			  "case %s: out not cleared", c->what);
		return;
	}
	cr_assert_eq(err, 0, "case %s: returned %d", c->what, err);
	cr_assert_str_eq(out.pod_name, c->pod, "case %s: pod '%s', want '%s'",
			 c->what, out.pod_name, c->pod);
	cr_assert_str_eq(out.namespace, c->ns,
			 "case %s: namespace '%s', want '%s'", c->what,
			 out.namespace, c->ns);
	cr_assert_str_eq(out.container_name, c->container,
			 "case %s: container '%s', want '%s'", c->what,
			 out.container_name, c->container);
	cr_assert_str_eq(out.container_id, c->id, "case %s: id '%s', want '%s'",
			 c->what, out.container_id, c->id);
}

struct dir_case {
	const char *what;
	const char *name;
	const char *ns;		/* expected; NULL: -EINVAL */
	const char *pod;
	const char *uid;
};

static const struct dir_case dir_cases[] = {
	/* real names */
	{ "deployment pod", "kube-system_coredns-5d78c9869d-abcde_" UID,
	  "kube-system", "coredns-5d78c9869d-abcde", UID },
	{ "static pod (md5 uid)", "kube-system_etcd-kind-control-plane_" MD5,
	  "kube-system", "etcd-kind-control-plane", MD5 },
	{ "statefulset pod", "default_web-0_" UID2, "default", "web-0", UID2 },
	{ "pod name with dots", "prod_api.v2.example-1_" UID3, "prod",
	  "api.v2.example-1", UID3 },
	{ "pod name of 253", "ns_" NAME253 "_" UID, "ns", NAME253, UID },

	/* not a pod log directory */
	{ "empty", "", NULL, NULL, NULL },
	{ "no uid", "default_web-0", NULL, NULL, NULL },
	{ "empty uid", "default_web-0_", NULL, NULL, NULL },
	{ "uid with underscores", "default_web-0_" UID_, NULL, NULL, NULL },
	{ "extra field", "default_web-0_" UID "_x", NULL, NULL, NULL },
	{ "uid one short", "default_web-0_1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5",
	  NULL, NULL, NULL },
	{ "uid not hex", "default_web-0_1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5x",
	  NULL, NULL, NULL },
	{ "old layout: uid only", UID, NULL, NULL, NULL },
	{ "empty namespace", "_web-0_" UID, NULL, NULL, NULL },
	{ "empty pod", "default__" UID, NULL, NULL, NULL },
	{ "uppercase namespace", "Default_web-0_" UID, NULL, NULL, NULL },
	{ "dot in namespace", "kube.system_web-0_" UID, NULL, NULL, NULL },
	{ "pod name of 254", "ns_" NAME254 "_" UID, NULL, NULL, NULL },
};

ParameterizedTestParameters(pod_logs, parse_pod_dir)
{
	return sw_rows(ARRAY_SIZE(dir_cases));
}

ParameterizedTest(int *row, pod_logs, parse_pod_dir)
{
	const struct dir_case *c = &dir_cases[*row];
	struct pod_dir_name out;
	char *name = strdup(c->name);
	int err;

	cr_assert_not_null(name);
	memset(&out, 0xa5, sizeof(out));
	err = pod_logs_parse_pod_dir(name, &out);
	free(name);
	if (!c->ns) {
		cr_assert_eq(err, -EINVAL, "case %s: returned %d", c->what,
			     err);
		cr_assert(!out.namespace[0] && !out.pod_name[0] &&
			  !out.pod_uid[0], "case %s: out not cleared", c->what);
		return;
	}
	cr_assert_eq(err, 0, "case %s: returned %d", c->what, err);
	cr_assert_str_eq(out.namespace, c->ns,
			 "case %s: namespace '%s', want '%s'", c->what,
			 out.namespace, c->ns);
	cr_assert_str_eq(out.pod_name, c->pod, "case %s: pod '%s', want '%s'",
			 c->what, out.pod_name, c->pod);
	cr_assert_str_eq(out.pod_uid, c->uid, "case %s: uid '%s', want '%s'",
			 c->what, out.pod_uid, c->uid);
}

Test(pod_logs, null_names)
{
	struct pod_log_name ln;
	struct pod_dir_name dn;

	cr_assert_eq(pod_logs_parse_name(NULL, &ln), -EINVAL);
	cr_assert_eq(pod_logs_parse_pod_dir(NULL, &dn), -EINVAL);
}

/*
 * the index, on a fixture log directory: root/containers holds the links,
 * root/pods/<ns>_<pod>_<uid>/<container>/0.log their targets
 */
static char root[64];

static void fx_path(char *buf, size_t len, const char *fmt, const char *name)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), fmt, name);
	cr_assert_lt((size_t)snprintf(buf, len, "%s/%s", root, rel), len);
}

static void fx_setup(void)
{
	char path[PATH_MAX];

	snprintf(root, sizeof(root), "/tmp/sw-pod-logs-XXXXXX");
	cr_assert_not_null(mkdtemp(root), "mkdtemp: %s", strerror(errno));
	fx_path(path, sizeof(path), "%s", "containers");
	cr_assert_eq(mkdir(path, 0755), 0);
	fx_path(path, sizeof(path), "%s", "pods");
	cr_assert_eq(mkdir(path, 0755), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void fx_teardown(void)
{
	if (root[0])
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* the name of a container's link */
static void link_name(char *buf, size_t len, const char *pod, const char *ns,
		      const char *ctr, const char *id)
{
	cr_assert_lt((size_t)snprintf(buf, len, "%s_%s_%s-%s.log", pod, ns, ctr,
				      id), len);
}

/* containers/name -> target */
static void fx_symlink(const char *name, const char *target)
{
	char path[PATH_MAX];

	fx_path(path, sizeof(path), "containers/%s", name);
	cr_assert_eq(symlink(target, path), 0, "symlink %s: %s", path,
		     strerror(errno));
}

/* a container's log file and its link, as kubelet makes them */
static void fx_add(const char *pod, const char *ns, const char *uid,
		   const char *ctr, const char *id)
{
	char dir[PATH_MAX], rel[PATH_MAX], file[PATH_MAX + 8];
	char name[NAME_MAX + 1];
	int fd;

	snprintf(rel, sizeof(rel), "pods/%s_%s_%s", ns, pod, uid);
	fx_path(dir, sizeof(dir), "%s", rel);
	cr_assert(!mkdir(dir, 0755) || errno == EEXIST);
	strcat(dir, "/");
	strcat(dir, ctr);
	cr_assert(!mkdir(dir, 0755) || errno == EEXIST);
	snprintf(file, sizeof(file), "%s/0.log", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0, "open %s: %s", file, strerror(errno));
	close(fd);
	link_name(name, sizeof(name), pod, ns, ctr, id);
	fx_symlink(name, file);
}

static void fx_remove(const char *pod, const char *ns, const char *ctr,
		      const char *id)
{
	char path[PATH_MAX], name[NAME_MAX + 1];

	link_name(name, sizeof(name), pod, ns, ctr, id);
	fx_path(path, sizeof(path), "containers/%s", name);
	cr_assert_eq(unlink(path), 0, "unlink %s: %s", path, strerror(errno));
}

/* rename containers/from to containers/to */
static void fx_rename(const char *from, const char *to)
{
	char a[PATH_MAX], b[PATH_MAX];

	fx_path(a, sizeof(a), "containers/%s", from);
	fx_path(b, sizeof(b), "containers/%s", to);
	cr_assert_eq(rename(a, b), 0, "rename %s: %s", a, strerror(errno));
}

static struct pod_index *fx_index(void)
{
	struct pod_index *ix = pod_index_new(root);

	cr_assert_not_null(ix);
	return ix;
}

static void assert_entry(const struct pod_index *ix, const char *id,
			 const char *pod, const char *ns, const char *ctr,
			 const char *uid)
{
	const struct pod_entry *e = pod_index_find(ix, id);

	cr_assert_not_null(e, "%s/%s: %s not indexed", ns, pod, ctr);
	cr_assert_str_eq(e->container_id, id);
	cr_assert_str_eq(e->pod_name, pod, "pod '%s', want '%s'", e->pod_name,
			 pod);
	cr_assert_str_eq(e->namespace, ns, "%s: namespace '%s', want '%s'", pod,
			 e->namespace, ns);
	cr_assert_str_eq(e->container_name, ctr,
			 "%s: container '%s', want '%s'", pod,
			 e->container_name, ctr);
	cr_assert_str_eq(e->pod_uid, uid, "%s: uid '%s', want '%s'", pod,
			 e->pod_uid, uid);
}

/* poll fd and handle events until id is in the index (or not), or timeout */
static bool wait_for(struct pod_index *ix, int fd, const char *id,
		     bool present)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long long end = sw_now_ms() + WAIT_MS;
	int err;

	while (!!pod_index_find(ix, id) != present) {
		if (sw_now_ms() > end)
			return false;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		err = pod_index_handle(ix);
		cr_assert_eq(err, 0, "handle: %d", err);
	}
	return true;
}

/* poll fd and handle events until the index has size entries, or timeout */
static bool wait_size(struct pod_index *ix, int fd, size_t size)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	long long end = sw_now_ms() + WAIT_MS;
	int err;

	while (pod_index_size(ix) != size) {
		if (sw_now_ms() > end)
			return false;
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		err = pod_index_handle(ix);
		cr_assert_eq(err, 0, "handle: %d", err);
	}
	return true;
}

/* a cluster's worth of containers */
static void fx_cluster(void)
{
	fx_add("coredns-5d78c9869d-abcde", "kube-system", UID, "coredns", ID_A);
	fx_add("etcd-kind-control-plane", "kube-system", MD5, "etcd", ID_B);
	fx_add("web-0", "default", UID2, "nginx", ID_C);
	fx_add("web-0", "default", UID2, "log-shipper-fluent-bit-sidecar",
	       ID_D);
}

static void assert_cluster(const struct pod_index *ix)
{
	cr_assert_eq(pod_index_size(ix), 4, "size %zu", pod_index_size(ix));
	assert_entry(ix, ID_A, "coredns-5d78c9869d-abcde", "kube-system",
		     "coredns", UID);
	assert_entry(ix, ID_B, "etcd-kind-control-plane", "kube-system", "etcd",
		     MD5);
	assert_entry(ix, ID_C, "web-0", "default", "nginx", UID2);
	assert_entry(ix, ID_D, "web-0", "default",
		     "log-shipper-fluent-bit-sidecar", UID2);
}

TestSuite(pod_index, .init = fx_setup, .fini = fx_teardown);

Test(pod_index, scan_and_find)
{
	struct pod_index *ix;

	fx_cluster();
	ix = fx_index();
	cr_assert_eq(pod_index_size(ix), 0);
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_cluster(ix);
	cr_assert_null(pod_index_find(ix, ID_E));
	cr_assert_null(pod_index_find(ix, ""));
	cr_assert_null(pod_index_find(ix, ID_63), "a prefix is no id");
	cr_assert_null(pod_index_find(ix, ID_UP), "ids are compared as is");
	cr_assert_null(pod_index_find(ix, NULL));
	/* a second scan gives the same */
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_cluster(ix);
	pod_index_free(ix);
}

Test(pod_index, scan_skips_and_partial_entries)
{
	char path[PATH_MAX], name[NAME_MAX + 1];
	struct pod_index *ix;
	int fd;

	fx_cluster();
	/* names that do not parse */
	fx_symlink("README", "/dev/null");
	fx_symlink("web-0_default_nginx.log", "/dev/null");
	fx_symlink("web-0_default_nginx-" ID_E ".log.1", "/dev/null");
	/* a regular file and a directory with link names: not kubelet's */
	link_name(name, sizeof(name), "file", "default", "c", ID_E);
	fx_path(path, sizeof(path), "containers/%s", name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
	link_name(name, sizeof(name), "dir", "default", "c",
		  ID_1);
	fx_path(path, sizeof(path), "containers/%s", name);
	cr_assert_eq(mkdir(path, 0755), 0);
	/* targets that do not tell the uid: indexed without it */
	link_name(name, sizeof(name), "old", "default", "c",
		  ID_2);
	fx_symlink(name, "/var/lib/docker/containers/x/x-json.log");
	link_name(name, sizeof(name), "other", "default", "c",
		  ID_3);
	fx_symlink(name, "/var/log/pods/kube-system_other_" UID3 "/c/0.log");
	/* a relative target, dangling: the uid is in its name */
	link_name(name, sizeof(name), "rel", "ns", "c",
		  ID_4);
	fx_symlink(name, "../pods/ns_rel_" UID3 "/c/0.log");

	ix = fx_index();
	cr_assert_eq(pod_index_scan(ix), 0);
	cr_assert_eq(pod_index_size(ix), 7, "size %zu", pod_index_size(ix));
	cr_assert_null(pod_index_find(ix, ID_E));
	cr_assert_null(pod_index_find(ix,
		ID_1));
	assert_entry(ix,
		     ID_2,
		     "old", "default", "c", "");
	assert_entry(ix,
		     ID_3,
		     "other", "default", "c", "");
	assert_entry(ix,
		     ID_4,
		     "rel", "ns", "c", UID3);
	pod_index_free(ix);
}

Test(pod_index, missing_directory)
{
	char path[PATH_MAX];
	struct pod_index *ix;
	int fd;

	fx_path(path, sizeof(path), "%s", "containers");
	cr_assert_eq(rmdir(path), 0);
	ix = fx_index();
	cr_assert_eq(pod_index_scan(ix), -ENOENT);
	cr_assert_eq(pod_index_watch(ix), -ENOENT);
	cr_assert_eq(pod_index_handle(ix), -EBADF);
	cr_assert_eq(pod_index_size(ix), 0);
	cr_assert_null(pod_index_find(ix, ID_A));
	/* it appears later */
	cr_assert_eq(mkdir(path, 0755), 0);
	fx_cluster();
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0, "watch: %d", fd);
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_cluster(ix);
	pod_index_free(ix);
}

Test(pod_index, failed_scan_keeps_the_index)
{
	char path[PATH_MAX];
	struct pod_index *ix;

	fx_cluster();
	ix = fx_index();
	cr_assert_eq(pod_index_scan(ix), 0);
	fx_path(path, sizeof(path), "%s", "containers");
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	cr_assert_eq(pod_index_scan(ix), -ENOENT);
	assert_cluster(ix);
	pod_index_free(ix);
}

Test(pod_index, rescan_sees_changes)
{
	struct pod_index *ix;

	fx_cluster();
	ix = fx_index();
	cr_assert_eq(pod_index_scan(ix), 0);
	fx_remove("web-0", "default", "nginx", ID_C);
	fx_add("web-1", "default", UID3, "nginx", ID_E);
	cr_assert_eq(pod_index_scan(ix), 0);
	cr_assert_eq(pod_index_size(ix), 4);
	cr_assert_null(pod_index_find(ix, ID_C));
	assert_entry(ix, ID_E, "web-1", "default", "nginx", UID3);
	pod_index_free(ix);
}

Test(pod_index, handle_without_events)
{
	struct pod_index *ix = fx_index();
	long long start;
	int fd;

	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pod_index_watch(ix), fd, "the same fd every time");
	cr_assert_eq(pod_index_scan(ix), 0);
	start = sw_now_ms();
	cr_assert_eq(pod_index_handle(ix), 0);
	cr_assert_lt(sw_now_ms() - start, 500, "handle blocked");
	cr_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
	cr_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	pod_index_free(ix);
}

Test(pod_index, watch_add_remove_readd)
{
	struct pod_index *ix;
	int fd;

	fx_cluster();
	ix = fx_index();
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0, "watch: %d", fd);
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_cluster(ix);

	/* a new pod */
	fx_add("web-1", "default", UID3, "nginx", ID_E);
	cr_assert(wait_for(ix, fd, ID_E, true), "added link not seen");
	assert_entry(ix, ID_E, "web-1", "default", "nginx", UID3);
	cr_assert_eq(pod_index_size(ix), 5);

	/* it goes */
	fx_remove("web-1", "default", "nginx", ID_E);
	cr_assert(wait_for(ix, fd, ID_E, false), "removed link still indexed");
	cr_assert_eq(pod_index_size(ix), 4);
	assert_cluster(ix);

	/* the same container comes back, in a new pod of the same name */
	fx_add("web-1", "default", UID, "nginx", ID_E);
	cr_assert(wait_for(ix, fd, ID_E, true), "re-added link not seen");
	assert_entry(ix, ID_E, "web-1", "default", "nginx", UID);

	/*
	 * removed and re-added before the events are handled (inotify queues
	 * them before the syscall returns, so one handle call sees both)
	 */
	fx_remove("web-1", "default", "nginx", ID_E);
	fx_add("web-1", "default", UID2, "nginx", ID_E);
	cr_assert_eq(pod_index_handle(ix), 0);
	assert_entry(ix, ID_E, "web-1", "default", "nginx", UID2);

	/* added and removed before the events are handled */
	fx_add("job-x", "batch", UID3, "worker", ID_UP);
	fx_remove("job-x", "batch", "worker", ID_UP);
	cr_assert_eq(pod_index_handle(ix), 0);
	cr_assert_null(pod_index_find(ix, ID_UP));
	cr_assert_eq(pod_index_size(ix), 5);
	pod_index_free(ix);
}

Test(pod_index, watch_renames)
{
	char name[NAME_MAX + 1], tmp[NAME_MAX + 1], path[PATH_MAX];
	struct pod_index *ix;
	int fd;

	fx_cluster();
	ix = fx_index();
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pod_index_scan(ix), 0);

	/* renamed away to a name that does not parse: gone */
	link_name(name, sizeof(name), "web-0", "default", "nginx", ID_C);
	fx_rename(name, "parked");
	cr_assert(wait_for(ix, fd, ID_C, false), "renamed-away link indexed");
	cr_assert_eq(pod_index_size(ix), 3);
	/* and back */
	fx_rename("parked", name);
	cr_assert(wait_for(ix, fd, ID_C, true), "renamed-back link not seen");
	assert_cluster(ix);

	/* a new link renamed over the old one: the entry is replaced */
	snprintf(tmp, sizeof(tmp), ".tmp-link");
	fx_path(path, sizeof(path), "pods/default_web-0_%s/nginx/0.log", UID3);
	fx_symlink(tmp, path);
	fx_rename(tmp, name);
	cr_assert_eq(pod_index_handle(ix), 0);
	cr_assert_eq(pod_index_size(ix), 4);
	assert_entry(ix, ID_C, "web-0", "default", "nginx", UID3);

	/* a link renamed to another pod's name for the same id */
	link_name(tmp, sizeof(tmp), "web-0b", "default", "nginx", ID_C);
	fx_rename(name, tmp);
	cr_assert_eq(pod_index_handle(ix), 0);
	cr_assert_eq(pod_index_size(ix), 4);
	/* its pod dir is web-0's: no uid for web-0b */
	assert_entry(ix, ID_C, "web-0b", "default", "nginx", "");
	pod_index_free(ix);
}

Test(pod_index, directory_goes_and_comes_back)
{
	char path[PATH_MAX];
	struct pod_index *ix;
	struct pollfd pfd;
	long long end;
	int fd, err = 0;

	fx_cluster();
	ix = fx_index();
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pod_index_scan(ix), 0);

	fx_path(path, sizeof(path), "%s", "containers");
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	end = sw_now_ms() + WAIT_MS;
	while (err != -ENOENT && sw_now_ms() < end)
		if (poll(&pfd, 1, 100) > 0)
			err = pod_index_handle(ix);
	cr_assert_eq(err, -ENOENT, "handle: %d", err);
	cr_assert_eq(pod_index_size(ix), 0);
	cr_assert_eq(pod_index_handle(ix), 0, "nothing more pending");

	/* kubelet makes it again */
	cr_assert_eq(mkdir(path, 0755), 0);
	fx_cluster();
	cr_assert_eq(pod_index_watch(ix), fd, "the same fd after a re-watch");
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_cluster(ix);
	fx_add("web-1", "default", UID3, "nginx", ID_E);
	cr_assert(wait_for(ix, fd, ID_E, true), "added link not seen");
	assert_entry(ix, ID_E, "web-1", "default", "nginx", UID3);
	pod_index_free(ix);
}

#define MANY	1500

static void many_id(char *id, size_t len, int i)
{
	snprintf(id, len, "%064x", i * 2654435761u);
}

Test(pod_index, many_containers)
{
	char id[POD_LOG_ID_LEN + 1], pod[32];
	struct pod_index *ix;
	int fd, i;

	for (i = 0; i < MANY; i++) {
		many_id(id, sizeof(id), i);
		snprintf(pod, sizeof(pod), "app-%d", i);
		fx_add(pod, "load", UID, "c", id);
	}
	ix = fx_index();
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pod_index_scan(ix), 0);
	cr_assert_eq(pod_index_size(ix), MANY, "size %zu", pod_index_size(ix));
	for (i = 0; i < MANY; i++) {
		many_id(id, sizeof(id), i);
		snprintf(pod, sizeof(pod), "app-%d", i);
		assert_entry(ix, id, pod, "load", "c", UID);
	}
	/* half of them go, through inotify */
	for (i = 0; i < MANY; i += 2) {
		many_id(id, sizeof(id), i);
		snprintf(pod, sizeof(pod), "app-%d", i);
		fx_remove(pod, "load", "c", id);
	}
	cr_assert(wait_size(ix, fd, MANY / 2), "size %zu",
		  pod_index_size(ix));
	for (i = 0; i < MANY; i++) {
		many_id(id, sizeof(id), i);
		cr_assert_eq(!!pod_index_find(ix, id), i % 2, "container %d",
			     i);
	}
	pod_index_free(ix);
}

Test(pod_index, null_and_new)
{
	pod_index_free(NULL);
	cr_assert_eq(pod_index_size(NULL), 0);
	cr_assert_null(pod_index_find(NULL, ID_A));
	errno = 0;
	cr_assert_null(pod_index_new(NULL));
	cr_assert_eq(errno, EINVAL);
}

static void assert_stats(const struct pod_index *ix, size_t indexed,
			 uint64_t conflicts, uint64_t over, const char *ctx)
{
	struct pod_index_stats st;

	pod_index_stats(ix, &st);
	cr_assert_eq(st.indexed, indexed, "%s: indexed %zu, want %zu", ctx,
		     st.indexed, indexed);
	cr_assert_eq(st.conflicts, conflicts, "%s: conflicts %llu, want %llu",
		     ctx, (unsigned long long)st.conflicts,
		     (unsigned long long)conflicts);
	cr_assert_eq(st.over_limit, over, "%s: over_limit %llu, want %llu",
		     ctx, (unsigned long long)st.over_limit,
		     (unsigned long long)over);
}

/* a forger's second link for a container id already linked never renames it */
Test(pod_index, first_link_wins)
{
	struct pod_index *ix;
	int fd;

	fx_cluster();
	ix = fx_index();
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_stats(ix, 4, 0, 0, "cluster");

	/* web-0's nginx id, linked again as another pod's container */
	fx_add("admin", "kube-system", UID3, "nginx", ID_C);
	/* the same, pointing into web-0's own pod directory */
	fx_add("web-0-admin", "default", UID2, "nginx", ID_C);
	/* a barrier: a new container after them */
	fx_add("web-1", "default", UID3, "nginx", ID_E);
	cr_assert(wait_for(ix, fd, ID_E, true), "barrier link not seen");
	assert_entry(ix, ID_C, "web-0", "default", "nginx", UID2);
	assert_stats(ix, 5, 2, 0, "two forged links");

	/* a rescan keeps the first link, whatever readdir's order */
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_entry(ix, ID_C, "web-0", "default", "nginx", UID2);
	assert_stats(ix, 5, 4, 0, "rescan");

	/* a forged link removed: the real one stays */
	fx_remove("admin", "kube-system", "nginx", ID_C);
	fx_remove("web-1", "default", "nginx", ID_E);
	cr_assert(wait_for(ix, fd, ID_E, false), "barrier removal not seen");
	assert_entry(ix, ID_C, "web-0", "default", "nginx", UID2);
	pod_index_free(ix);
}

/* a forged link first: it holds the id, and the real one is counted */
Test(pod_index, forged_link_first_is_kept_and_counted)
{
	struct pod_index *ix;

	fx_add("admin", "kube-system", UID3, "nginx", ID_C);
	ix = fx_index();
	cr_assert_eq(pod_index_scan(ix), 0);
	fx_add("web-0", "default", UID2, "nginx", ID_C);
	cr_assert_eq(pod_index_scan(ix), 0);
	/* the uid in the entry is the forger's: identity refuses the names */
	assert_entry(ix, ID_C, "admin", "kube-system", "nginx", UID3);
	assert_stats(ix, 1, 1, 0, "forged first");
	pod_index_free(ix);
}

Test(pod_index, limit)
{
	char id[POD_LOG_ID_LEN + 1], pod[32];
	struct pod_index *ix;
	int fd, i;

	for (i = 0; i < 10; i++) {
		many_id(id, sizeof(id), i);
		snprintf(pod, sizeof(pod), "app-%d", i);
		fx_add(pod, "load", UID, "c", id);
	}
	ix = fx_index();
	pod_index_limit(ix, 6);
	fd = pod_index_watch(ix);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pod_index_scan(ix), 0);
	assert_stats(ix, 6, 0, 4, "scan of 10 into 6");
	/* one more through inotify: refused and counted */
	fx_add("late", "load", UID, "c", ID_E);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct pod_index_stats st;

		pod_index_stats(ix, &st);
		if (st.over_limit == 5)
			break;
		cr_assert_gt(poll(&pfd, 1, WAIT_MS), 0, "no event for the link");
		cr_assert_eq(pod_index_handle(ix), 0);
	}
	cr_assert_null(pod_index_find(ix, ID_E));
	assert_stats(ix, 6, 0, 5, "one more");
	pod_index_free(ix);
}
