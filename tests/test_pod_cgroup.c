// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tests of the cgroup path parser (user/pod_cgroup.c): the paths kubelet's
 * systemd and cgroupfs drivers, the container runtimes and nested clusters
 * (kind) really produce, and paths that must stay "host".
 *
 * Criterion copies each parameter into the process that runs the test;
 * the tables hold pointers, so each test gets the index of its row.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "pod_cgroup.h"
#include "sw_rows.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* container ids: 64 hex digits, and other lengths */
#define ID_A	"ca978112ca1bbdcafac231b39a23dc4d"	\
		"a786eff8147c4e72b9807785afee48bb"
#define ID_B	"3e23e8160039594a33894f6564e1b134"	\
		"8bbd7a0088d42c4acb73eeaed59c009d"
#define ID_C	"2e7d2c03a9507ae265ecf5b5356885a5"	\
		"3393a2029d241394997265a1a25aefc6"
#define ID_UP	"CA978112CA1BBDCAFAC231B39A23DC4D"	\
		"A786EFF8147C4E72B9807785AFEE48BB"
#define ID_12	"0123456789ab"
#define ID_11	"0123456789a"
#define ID_128	ID_A ID_B
#define ID_129	ID_A ID_B "0"
/* ID_A with a 'g' in the middle */
#define ID_BAD	"ca978112ca1bbdcafac231b39a23dc4d"	\
		"g786eff8147c4e72b9807785afee48bb"

/* pod uids, as kubelet writes them (cgroupfs) and as systemd does */
#define UID	"1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
#define UID_	"1b2c3d4e_5f6a_4b7c_8d9e_0f1a2b3c4d5e"
#define UIDB	"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
#define UIDB_	"9f8e7d6c_5b4a_4392_8170_6f5e4d3c2b1a"
/* a static pod's uid: the md5 of its manifest */
#define MD5	"9dd4e461268c8034f5c8564e155c67a6"

#define KP	"/kubepods.slice"
#define KPB	KP "/kubepods-burstable.slice"
#define KPE	KP "/kubepods-besteffort.slice"
/* kind's nodes run kubelet with --cgroup-root=/kubelet */
#define KIND	"/kubelet.slice/kubelet-kubepods.slice"
/* pod slices of uid UID_, as the systemd driver names them */
#define PODB	KPB "/kubepods-burstable-pod" UID_ ".slice"
#define PODE	KPE "/kubepods-besteffort-pod" UID_ ".slice"
#define PODG	KP "/kubepods-pod" UID_ ".slice"

#define HOST	POD_SCOPE_HOST
#define POD	POD_SCOPE_POD
#define CTR	POD_SCOPE_CONTAINER

struct cgroup_case {
	const char *what;
	const char *path;
	enum pod_scope scope;	/* expected */
	const char *runtime;
	const char *container_id;
	const char *pod_uid;
};

static const struct cgroup_case cases[] = {
	/* systemd driver (cgroup v2, and v1 with the systemd driver) */
	{ "systemd burstable containerd",
	  PODB "/cri-containerd-" ID_A ".scope",
	  CTR, "containerd", ID_A, UID },
	{ "systemd besteffort containerd",
	  PODE "/cri-containerd-" ID_A ".scope",
	  CTR, "containerd", ID_A, UID },
	{ "systemd guaranteed containerd",
	  PODG "/cri-containerd-" ID_A ".scope",
	  CTR, "containerd", ID_A, UID },
	{ "systemd burstable cri-o",
	  PODB "/crio-" ID_B ".scope",
	  CTR, "cri-o", ID_B, UID },
	{ "systemd guaranteed cri-o",
	  PODG "/crio-" ID_B ".scope",
	  CTR, "cri-o", ID_B, UID },
	{ "systemd cri-o conmon",
	  PODB "/crio-conmon-" ID_B ".scope",
	  CTR, "cri-o", ID_B, UID },
	{ "systemd cri-o container child (crun)",
	  PODB "/crio-" ID_B ".scope/container",
	  CTR, "cri-o", ID_B, UID },
	{ "systemd cri-dockerd",
	  PODE "/docker-" ID_C ".scope",
	  CTR, "docker", ID_C, UID },
	{ "systemd static pod (md5 uid)",
	  KPB "/kubepods-burstable-pod" MD5 ".slice/cri-containerd-" ID_A
	  ".scope",
	  CTR, "containerd", ID_A, MD5 },
	{ "systemd container with its own children",
	  PODG "/cri-containerd-" ID_A ".scope/init.scope",
	  CTR, "containerd", ID_A, UID },
	{ "systemd uppercase id kept",
	  PODG "/cri-containerd-" ID_UP ".scope",
	  CTR, "containerd", ID_UP, UID },
	{ "systemd 12 hex id",
	  PODG "/cri-containerd-" ID_12 ".scope",
	  CTR, "containerd", ID_12, UID },
	{ "systemd 128 hex id",
	  PODG "/cri-containerd-" ID_128 ".scope",
	  CTR, "containerd", ID_128, UID },
	{ "systemd doubled and trailing slashes",
	  "//kubepods.slice//kubepods-pod" UID_ ".slice/cri-containerd-" ID_A
	  ".scope/", CTR, "containerd", ID_A, UID },

	/* systemd driver, pod level: sandbox, or a process in the pod cgroup */
	{ "systemd burstable pod",
	  PODB,
	  POD, "", "", UID },
	{ "systemd besteffort pod",
	  PODE,
	  POD, "", "", UID },
	{ "systemd guaranteed pod",
	  PODG, POD, "", "", UID },
	{ "systemd pod, leaf id of 11 hex",
	  PODG "/cri-containerd-" ID_11 ".scope",
	  POD, "", "", UID },
	{ "systemd pod, leaf id of 129 hex",
	  PODG "/cri-containerd-" ID_129 ".scope",
	  POD, "", "", UID },
	{ "systemd pod, leaf id not hex",
	  PODG "/cri-containerd-" ID_BAD ".scope",
	  POD, "", "", UID },
	{ "systemd pod, unknown leaf",
	  PODG "/something.scope", POD, "", "", UID },
	{ "systemd pod, containerd leaf without .scope",
	  PODG "/cri-containerd-" ID_A,
	  POD, "", "", UID },

	/* nested clusters: the outermost kubepods with a pod decides */
	{ "kind node, systemd, seen inside the node",
	  KIND "/kubelet-kubepods-besteffort.slice"
	  "/kubelet-kubepods-besteffort-pod" UID_ ".slice/cri-containerd-"
	  ID_A ".scope",
	  CTR, "containerd", ID_A, UID },
	{ "kind node, systemd, guaranteed",
	  KIND "/kubelet-kubepods-pod" UID_ ".slice/cri-containerd-" ID_A
	  ".scope",
	  CTR, "containerd", ID_A, UID },
	{ "kind node, systemd, seen from the host",
	  "/system.slice/docker-" ID_C ".scope" KIND
	  "/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod"
	  UID_ ".slice/cri-containerd-" ID_A ".scope",
	  CTR, "containerd", ID_A, UID },
	{ "kind node, systemd, pod level",
	  KIND "/kubelet-kubepods-burstable.slice"
	  "/kubelet-kubepods-burstable-pod" UID_ ".slice", POD, "", "", UID },
	{ "kind node, cgroupfs, seen from the host",
	  "/docker/" ID_C "/kubepods/besteffort/pod" UID "/" ID_A,
	  CTR, "", ID_A, UID },
	{ "cgroupfs with --cgroup-root=/kubelet",
	  "/kubelet/kubepods/burstable/pod" UID "/" ID_A, CTR, "", ID_A, UID },

	/*
	 * below a pod's container, cgroups are that container's, whatever
	 * their names: a cluster in a pod, or a pod forging another's path
	 * (cgroup v2 delegation, a privileged container)
	 */
	{ "cluster in a pod: inner systemd pod is the outer container",
	  "/kubepods/burstable/pod" UIDB "/" ID_C KP "/kubepods-pod" UID_
	  ".slice/cri-containerd-" ID_A ".scope",
	  CTR, "", ID_C, UIDB },
	{ "cluster in a pod: inner cgroupfs pod is the outer container",
	  KPB "/kubepods-burstable-pod" UIDB_ ".slice/cri-containerd-" ID_C
	  ".scope/kubepods/pod" UID "/" ID_A, CTR, "containerd", ID_C, UIDB },
	{ "forged: another pod's systemd path below a container",
	  KPB "/kubepods-burstable-pod" UIDB_ ".slice/cri-containerd-" ID_C
	  ".scope" KPB "/kubepods-burstable-pod" UID_ ".slice/cri-containerd-"
	  ID_A ".scope", CTR, "containerd", ID_C, UIDB },
	{ "forged: another container's scope below a container",
	  KPB "/kubepods-burstable-pod" UIDB_ ".slice/cri-containerd-" ID_C
	  ".scope/cri-containerd-" ID_A ".scope", CTR, "containerd", ID_C,
	  UIDB },
	{ "forged: a pod-like name below a container, cgroupfs",
	  "/kubepods/pod" UIDB "/" ID_C "/pod" UID "/" ID_A, CTR, "", ID_C,
	  UIDB },
	{ "forged: a kubelet root below a pod-level process",
	  "/kubepods/pod" UIDB "/kubepods/pod" UID "/" ID_A, POD, "", "",
	  UIDB },
	{ "forged: kind-like root below a container",
	  KPB "/kubepods-burstable-pod" UIDB_ ".slice/cri-containerd-" ID_C
	  ".scope/x.slice/x-kubepods.slice/x-kubepods-pod" UID_
	  ".slice/cri-containerd-" ID_A ".scope", CTR, "containerd", ID_C,
	  UIDB },
	{ "an outer root with no pod lets the next decide",
	  "/kubepods/nothing" KP "/kubepods-pod" UID_ ".slice/cri-containerd-"
	  ID_A ".scope", CTR, "containerd", ID_A, UID },

	/* cgroupfs driver (cgroup v1, or v2 without systemd) */
	{ "cgroupfs burstable",
	  "/kubepods/burstable/pod" UID "/" ID_A, CTR, "", ID_A, UID },
	{ "cgroupfs besteffort",
	  "/kubepods/besteffort/pod" UID "/" ID_A, CTR, "", ID_A, UID },
	{ "cgroupfs guaranteed",
	  "/kubepods/pod" UID "/" ID_A, CTR, "", ID_A, UID },
	{ "cgroupfs cri-o",
	  "/kubepods/burstable/pod" UID "/crio-" ID_B,
	  CTR, "cri-o", ID_B, UID },
	{ "cgroupfs cri-o conmon",
	  "/kubepods/pod" UID "/crio-conmon-" ID_B, CTR, "cri-o", ID_B, UID },
	{ "cgroupfs static pod (md5 uid)",
	  "/kubepods/burstable/pod" MD5 "/" ID_A, CTR, "", ID_A, MD5 },
	{ "cgroupfs uppercase id kept",
	  "/kubepods/pod" UID "/" ID_UP, CTR, "", ID_UP, UID },
	{ "cgroupfs 12 hex id",
	  "/kubepods/pod" UID "/" ID_12, CTR, "", ID_12, UID },
	{ "cgroupfs docker in the container",
	  "/kubepods/pod" UID "/" ID_A "/docker/" ID_B, CTR, "", ID_A, UID },
	{ "cgroupfs burstable pod",
	  "/kubepods/burstable/pod" UID, POD, "", "", UID },
	{ "cgroupfs besteffort pod, trailing slash",
	  "/kubepods/besteffort/pod" UID "/", POD, "", "", UID },
	{ "cgroupfs guaranteed pod",
	  "/kubepods/pod" UID, POD, "", "", UID },
	{ "cgroupfs pod, leaf not hex",
	  "/kubepods/pod" UID "/" ID_BAD, POD, "", "", UID },
	{ "cgroupfs pod, leaf of 11 hex",
	  "/kubepods/pod" UID "/" ID_11, POD, "", "", UID },

	/* containers outside Kubernetes */
	{ "docker, systemd driver",
	  "/system.slice/docker-" ID_A ".scope", CTR, "docker", ID_A, "" },
	{ "docker, systemd, container running systemd",
	  "/system.slice/docker-" ID_A ".scope/init.scope",
	  CTR, "docker", ID_A, "" },
	{ "docker, cgroupfs driver", "/docker/" ID_A, CTR, "docker", ID_A, "" },
	{ "docker, cgroupfs, uppercase", "/docker/" ID_UP,
	  CTR, "docker", ID_UP, "" },
	{ "docker in docker: the inner one",
	  "/system.slice/docker-" ID_A ".scope/docker/" ID_B,
	  CTR, "docker", ID_B, "" },
	{ "podman, systemd",
	  "/machine.slice/libpod-" ID_A ".scope", CTR, "podman", ID_A, "" },
	{ "podman, systemd, container child",
	  "/machine.slice/libpod-" ID_A ".scope/container",
	  CTR, "podman", ID_A, "" },
	{ "podman rootless",
	  "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
	  ID_A ".scope", CTR, "podman", ID_A, "" },
	{ "podman conmon",
	  "/machine.slice/libpod-conmon-" ID_A ".scope",
	  CTR, "podman", ID_A, "" },
	{ "podman payload",
	  "/libpod_parent/libpod-payload-" ID_A, CTR, "podman", ID_A, "" },
	{ "podman cgroupfs",
	  "/libpod_parent/libpod-" ID_A, CTR, "podman", ID_A, "" },
	{ "nerdctl, systemd",
	  "/system.slice/nerdctl-" ID_A ".scope", CTR, "nerdctl", ID_A, "" },
	{ "docker 12 hex id",
	  "/system.slice/docker-" ID_12 ".scope", CTR, "docker", ID_12, "" },

	/* host */
	{ "root", "/", HOST, "", "", "" },
	{ "empty", "", HOST, "", "", "" },
	{ "login session", "/user.slice/user-0.slice/session-1.scope",
	  HOST, "", "", "" },
	{ "kubelet", "/system.slice/kubelet.service", HOST, "", "", "" },
	{ "containerd daemon", "/system.slice/containerd.service",
	  HOST, "", "", "" },
	{ "docker daemon", "/system.slice/docker.service", HOST, "", "", "" },
	{ "docker socket", "/system.slice/docker.socket", HOST, "", "", "" },
	{ "init", "/init.scope", HOST, "", "", "" },
	{ "kubepods.slice itself", KP, HOST, "", "", "" },
	{ "burstable slice", KPB, HOST, "", "", "" },
	{ "besteffort slice, trailing slash", KPE "/", HOST, "", "", "" },
	{ "kubepods itself (cgroupfs)", "/kubepods", HOST, "", "", "" },
	{ "burstable (cgroupfs)", "/kubepods/burstable", HOST, "", "", "" },
	{ "docker alone", "/docker", HOST, "", "", "" },
	{ "docker, id not hex", "/docker/" ID_BAD, HOST, "", "", "" },
	{ "docker, id of 11 hex", "/docker/" ID_11, HOST, "", "", "" },
	{ "docker, id of 129 hex", "/docker/" ID_129, HOST, "", "", "" },
	{ "docker scope, id not hex",
	  "/system.slice/docker-" ID_BAD ".scope", HOST, "", "", "" },
	{ "docker scope, id of 11 hex",
	  "/system.slice/docker-" ID_11 ".scope", HOST, "", "", "" },
	{ "docker scope, id of 129 hex",
	  "/system.slice/docker-" ID_129 ".scope", HOST, "", "", "" },
	{ "docker scope, no suffix",
	  "/system.slice/docker-" ID_A, HOST, "", "", "" },
	{ "docker scope, wrong suffix",
	  "/system.slice/docker-" ID_A ".service", HOST, "", "", "" },
	{ "bare id outside kubepods", "/" ID_A, HOST, "", "", "" },
	{ "containerd scope outside kubepods",
	  "/system.slice/cri-containerd-" ID_A ".scope", HOST, "", "", "" },
	/* no pod below any kubelet root: the container outside Kubernetes */
	{ "kubepods under a docker container, no pod",
	  "/system.slice/docker-" ID_A ".scope" KP, CTR, "docker", ID_A, "" },
	/* a kubelet root below a container is that container's cgroup */
	{ "kubepods after a pod: the outer pod decides",
	  "/kubepods/pod" UID "/" ID_A "/kubepods", CTR, "", ID_A, UID },
	{ "pod without uid", "/kubepods/burstable/pod/" ID_A,
	  HOST, "", "", "" },
	{ "pod uid not hex",
	  "/kubepods/pod1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4dzz/" ID_A,
	  HOST, "", "", "" },
	{ "pod uid one short",
	  "/kubepods/pod1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5/" ID_A,
	  HOST, "", "", "" },
	{ "pod uid one long",
	  "/kubepods/pod" UID "0/" ID_A, HOST, "", "", "" },
	{ "pod uid, dashes misplaced",
	  "/kubepods/pod1b2c3d4e5-f6a-4b7c-8d9e-0f1a2b3c4d5e/" ID_A,
	  HOST, "", "", "" },
	{ "pod uid, mixed separators",
	  KP "/kubepods-pod1b2c3d4e_5f6a-4b7c_8d9e_0f1a2b3c4d5e.slice",
	  HOST, "", "", "" },
	{ "pod uid of 31 hex", "/kubepods/pod" "9dd4e461268c8034f5c8564e155c67a"
	  "/" ID_A, HOST, "", "", "" },
	{ "cgroupfs QoS not a class",
	  "/kubepods/guaranteed/pod" UID "/" ID_A, HOST, "", "", "" },
	{ "cgroupfs pod two levels down",
	  "/kubepods/burstable/x/pod" UID "/" ID_A, HOST, "", "", "" },
	{ "systemd pod slice, QoS differs from its parent",
	  KPB "/kubepods-besteffort-pod" UID_ ".slice/cri-containerd-" ID_A
	  ".scope", HOST, "", "", "" },
	{ "systemd pod slice, QoS missing under a QoS slice",
	  KPB "/kubepods-pod" UID_ ".slice/cri-containerd-" ID_A ".scope",
	  HOST, "", "", "" },
	{ "systemd pod slice under another root's name",
	  KIND "/kubepods-pod" UID_ ".slice/cri-containerd-" ID_A ".scope",
	  HOST, "", "", "" },
	{ "systemd pod slice without .slice",
	  KP "/kubepods-pod" UID_ "/cri-containerd-" ID_A ".scope",
	  HOST, "", "", "" },
	{ "not a kubepods root: no dash before it",
	  "/mykubepods.slice/mykubepods-pod" UID_ ".slice/cri-containerd-"
	  ID_A ".scope", HOST, "", "", "" },
	{ "cgroupfs pod name under systemd root",
	  KP "/pod" UID "/" ID_A, HOST, "", "", "" },
	{ "systemd pod name under cgroupfs root",
	  "/kubepods/kubepods-pod" UID_ ".slice/cri-containerd-" ID_A ".scope",
	  HOST, "", "", "" },
};

ParameterizedTestParameters(pod_cgroup, parse)
{
	return sw_rows(ARRAY_SIZE(cases));
}

ParameterizedTest(int *row, pod_cgroup, parse)
{
	const struct cgroup_case *c = &cases[*row];
	struct pod_cgroup out;
	char *path;
	int err;

	/* the path in a buffer of its exact size: ASan catches any overread */
	path = strdup(c->path);
	cr_assert_not_null(path);
	/* out starts dirty: the parser must set all of it */
	memset(&out, 0xa5, sizeof(out));
	err = pod_cgroup_parse(path, &out);
	cr_assert_eq(err, 0, "case %s: returned %d", c->what, err);
	cr_assert_eq(out.scope, c->scope, "case %s: scope %s, want %s", c->what,
		     pod_scope_name(out.scope), pod_scope_name(c->scope));
	cr_assert_str_eq(out.runtime, c->runtime,
			 "case %s: runtime '%s', want '%s'", c->what,
			 out.runtime, c->runtime);
	cr_assert_str_eq(out.container_id, c->container_id,
			 "case %s: container id '%s', want '%s'", c->what,
			 out.container_id, c->container_id);
	cr_assert_str_eq(out.pod_uid, c->pod_uid,
			 "case %s: pod uid '%s', want '%s'", c->what,
			 out.pod_uid, c->pod_uid);
	free(path);
}

struct uid_case {
	const char *what;
	const char *in;
	const char *want;	/* NULL: -EINVAL */
};

static const struct uid_case uid_cases[] = {
	/* valid */
	{ "dashes", UID, UID },
	{ "underscores", UID_, UID },
	{ "md5", MD5, MD5 },
	{ "uppercase kept", "1B2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E",
	  "1B2C3D4E-5F6A-4B7C-8D9E-0F1A2B3C4D5E" },

	/* invalid */
	{ "empty", "", NULL },
	{ "35 chars", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5", NULL },
	{ "37 chars", UID "0", NULL },
	{ "36 hex, no separators", "1b2c3d4e05f6a04b7c08d9e00f1a2b3c4d5e",
	  NULL },
	{ "mixed separators", "1b2c3d4e-5f6a_4b7c-8d9e-0f1a2b3c4d5e", NULL },
	{ "dot separators", "1b2c3d4e.5f6a.4b7c.8d9e.0f1a2b3c4d5e", NULL },
	{ "not hex", "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5g", NULL },
	{ "md5 not hex", "9dd4e461268c8034f5c8564e155c67ax", NULL },
	{ "33 hex", MD5 "0", NULL },
};

ParameterizedTestParameters(pod_cgroup, uid)
{
	return sw_rows(ARRAY_SIZE(uid_cases));
}

ParameterizedTest(int *row, pod_cgroup, uid)
{
	const struct uid_case *c = &uid_cases[*row];
	char out[POD_UID_MAX + 1];
	int err;

	memset(out, 0xa5, sizeof(out));
	err = pod_uid_parse(c->in, strlen(c->in), out);
	if (!c->want) {
		cr_assert_eq(err, -EINVAL, "case %s: returned %d", c->what,
			     err);
		cr_assert_str_empty(out, "case %s: out '%s'", c->what, out);
		return;
	}
	cr_assert_eq(err, 0, "case %s: returned %d", c->what, err);
	cr_assert_str_eq(out, c->want, "case %s: '%s', want '%s'", c->what, out,
			 c->want);
}

Test(pod_cgroup, uid_reads_only_len)
{
	char out[POD_UID_MAX + 1];

	/* a uid followed by more text: only the first 36 bytes count */
	cr_assert_eq(pod_uid_parse(UID "/" ID_A, 36, out), 0);
	cr_assert_str_eq(out, UID);
}

Test(pod_cgroup, scope_names)
{
	cr_assert_str_eq(pod_scope_name(POD_SCOPE_HOST), "host");
	cr_assert_str_eq(pod_scope_name(POD_SCOPE_POD), "pod");
	cr_assert_str_eq(pod_scope_name(POD_SCOPE_CONTAINER), "container");
	cr_assert_str_eq(pod_scope_name((enum pod_scope)42), "unknown");
}

Test(pod_cgroup, null_arguments)
{
	struct pod_cgroup out;

	memset(&out, 0xa5, sizeof(out));
	cr_assert_eq(pod_cgroup_parse(NULL, &out), -EINVAL);
	cr_assert_eq(out.scope, POD_SCOPE_HOST);
	cr_assert_str_empty(out.container_id);
	cr_assert_eq(pod_cgroup_parse("/", NULL), -EINVAL);
}

/* every field of out is a terminated string and scope is a known one */
static void assert_sane(const struct pod_cgroup *out, const char *what)
{
	cr_assert(out->scope == POD_SCOPE_HOST || out->scope == POD_SCOPE_POD ||
		  out->scope == POD_SCOPE_CONTAINER, "%s: scope %d", what,
		  out->scope);
	cr_assert(memchr(out->runtime, '\0', sizeof(out->runtime)),
		  "%s: runtime not terminated", what);
	cr_assert(memchr(out->container_id, '\0', sizeof(out->container_id)),
		  "%s: container id not terminated", what);
	cr_assert(memchr(out->pod_uid, '\0', sizeof(out->pod_uid)),
		  "%s: pod uid not terminated", what);
}

/* parse a 4 KiB path built by fill in an exact-size heap buffer */
static void parse_big(const char *what, const char *fill,
		      struct pod_cgroup *out)
{
	size_t n = 4096, len = strlen(fill), i;
	char *path = malloc(n + 1);

	cr_assert_not_null(path);
	for (i = 0; i < n; i++)
		path[i] = fill[i % len];
	path[n] = '\0';
	cr_assert_eq(pod_cgroup_parse(path, out), 0, "%s", what);
	assert_sane(out, what);
	free(path);
}

Test(pod_cgroup, long_hostile_paths)
{
	struct pod_cgroup out;

	parse_big("4 KiB of hex under docker", "0123456789abcdef", &out);
	cr_assert_eq(out.scope, POD_SCOPE_HOST);
	parse_big("4 KiB of slashes", "/", &out);
	cr_assert_eq(out.scope, POD_SCOPE_HOST);
	parse_big("kubepods repeated", "/kubepods", &out);
	cr_assert_eq(out.scope, POD_SCOPE_HOST);
	/* 4096 bytes end in "/docker/" and 56 hex digits: still an id */
	parse_big("docker ids repeated", "/docker/" ID_A, &out);
	cr_assert_eq(out.scope, POD_SCOPE_CONTAINER);
	cr_assert_eq(strlen(out.container_id), 56);
	parse_big("systemd roots repeated", "/a-kubepods.slice", &out);
	cr_assert_eq(out.scope, POD_SCOPE_HOST);
	/* the first pod decides; the last one's uid is cut short */
	parse_big("pods repeated", "/kubepods/pod" UID, &out);
	cr_assert_eq(out.scope, POD_SCOPE_POD);
	cr_assert_str_eq(out.pod_uid, UID);
}

Test(pod_cgroup, long_components)
{
	struct pod_cgroup out;
	size_t n = 4096, i;
	char *path = malloc(n + 1);
	static const char *const pre[] = {
		"/docker/", "/system.slice/docker-", "/kubepods/pod" UID "/",
		"/kubepods/pod" UID "/crio-", "/kubepods/pod",
		KP "/kubepods-pod", "/x-kubepods.slice/x-kubepods-",
	};

	cr_assert_not_null(path);
	/* one long hex component after each prefix: no id is that long */
	for (i = 0; i < ARRAY_SIZE(pre); i++) {
		size_t len = strlen(pre[i]);

		memcpy(path, pre[i], len);
		memset(path + len, 'a', n - len);
		path[n] = '\0';
		cr_assert_eq(pod_cgroup_parse(path, &out), 0);
		assert_sane(&out, pre[i]);
		cr_assert_str_empty(out.container_id, "prefix %s", pre[i]);
	}
	free(path);
}

Test(pod_cgroup, random_bytes)
{
	struct pod_cgroup out;
	static const char alphabet[] = "/-_.0123456789abcdefkubepodslicrtnq";
	const size_t nalpha = sizeof(alphabet) - 1;
	size_t n, i;
	char *path;
	int round;

	srand(1);
	for (round = 0; round < 2000; round++) {
		n = (size_t)rand() % 4097;
		path = malloc(n + 1);
		cr_assert_not_null(path);
		for (i = 0; i < n; i++) {
			/* half raw bytes, half bytes that make near misses */
			if (round & 1)
				path[i] = (char)(rand() % 255 + 1);
			else
				path[i] = alphabet[rand() % nalpha];
		}
		path[n] = '\0';
		cr_assert_eq(pod_cgroup_parse(path, &out), 0);
		assert_sane(&out, "random");
		free(path);
	}
}
