// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The identity stage alone: a cgroup path to a scope, container and pod,
 * and the names from the kubelet's log links; a container without a link
 * may make its record wait until it is given up on; a link that names
 * another pod is refused, whoever wrote it.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "identity.h"
#include "sw_cgroup.h"

#define CID	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID	"4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9"
#define UID2	"99999999-9c8d-4e7f-a6b5-c4d3e2f1a0b9"
#define POD_V1	"/kubepods/burstable/pod" UID "/" CID

static char logs[64];
static struct identity id;

static void setup(void)
{
	struct sw_tree t = { .n = 0 };

	snprintf(logs, sizeof(logs), "/tmp/sw-identity-XXXXXX");
	cr_assert_not_null(mkdtemp(logs));
	sw_make_tree(logs, "containers", &t);
	cr_assert_eq(identity_init(&id, logs), 0);
	cr_assert(identity_indexed(&id), "the log directory is not indexed");
}

static void teardown(void)
{
	identity_destroy(&id);
	sw_remove_dir(logs);
}

TestSuite(identity, .init = setup, .fini = teardown);

Test(identity, a_host_path_is_the_host)
{
	struct pod_ident pod;

	identity_resolve(&id, "/", "/user.slice/session-1.scope", &pod);
	cr_assert_eq(pod.scope, POD_SCOPE_HOST, "scope %d, want the host",
		     pod.scope);
	cr_assert_eq(pod.names, POD_NAMES_NONE, "names looked up for the host");
	cr_assert_str_eq(pod.container_id, "");
	cr_assert_not(identity_may_wait(&id, &pod), "a host record waits");
}

Test(identity, a_container_is_named_from_its_link)
{
	struct pod_ident pod;

	sw_log_link(logs, "web-5d8f", "shop", UID, "app", CID);
	identity_update(&id);
	identity_resolve(&id, "/", POD_V1, &pod);
	/* the output's scope: "pod" is any process of a Kubernetes pod */
	cr_assert_eq(pod.scope, POD_SCOPE_POD, "scope %d, want a pod's", pod.scope);
	cr_assert_eq(pod.names, POD_NAMES_LOG_LINK, "names %s",
		     pod_names_name(pod.names));
	cr_assert_str_eq(pod.container_id, CID);
	cr_assert_str_eq(pod.pod_uid, UID);
	cr_assert_str_eq(pod.namespace, "shop");
	cr_assert_str_eq(pod.pod_name, "web-5d8f");
	cr_assert_str_eq(pod.container_name, "app");
	cr_assert_not(identity_may_wait(&id, &pod), "a named record waits");
}

/* no link yet: the record may wait, until the container is given up on */
Test(identity, an_unlinked_container_waits_until_given_up)
{
	struct pod_ident pod;

	identity_peek(&id, "/", POD_V1, &pod);
	cr_assert_eq(pod.names, POD_NAMES_NO_LINK, "names %s",
		     pod_names_name(pod.names));
	cr_assert_str_eq(pod.pod_name, "", "a name from nowhere");
	cr_assert(identity_may_wait(&id, &pod),
		  "a new container's record does not wait for its names");
	identity_gave_up(&id, CID);
	identity_peek(&id, "/", POD_V1, &pod);
	cr_assert_not(identity_may_wait(&id, &pod),
		      "the container given up on makes its records wait again");

	/* its link comes late: a record refreshed then is named */
	sw_log_link(logs, "web-5d8f", "shop", UID, "app", CID);
	identity_update(&id);
	identity_refresh(&id, &pod);
	cr_assert_eq(pod.names, POD_NAMES_LOG_LINK, "names %s after the link",
		     pod_names_name(pod.names));
	cr_assert_str_eq(pod.pod_name, "web-5d8f");
}

/* a link that says the container is another pod's: its names are not used */
Test(identity, a_link_for_another_pod_is_refused)
{
	struct pod_ident pod;

	sw_log_link(logs, "bank-0", "payments", UID2, "app", CID);
	identity_update(&id);
	identity_resolve(&id, "/", POD_V1, &pod);
	cr_assert_eq(pod.names, POD_NAMES_UID_MISMATCH, "names %s",
		     pod_names_name(pod.names));
	cr_assert_str_eq(pod.pod_name, "", "the other pod's name was used");
	cr_assert_str_eq(pod.namespace, "", "the other pod's namespace was used");
	cr_assert_str_eq(pod.pod_uid, UID, "the cgroup's pod uid was not kept");
	cr_assert_eq(id.refused, 1, "%llu links refused, want 1",
		     (unsigned long long)id.refused);
}
