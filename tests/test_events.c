// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The events stage with a real log index: a shell exec in a container the
 * index does not know yet is parked, the records behind it wait with it,
 * and the kubelet's log link appearing sends them out, named and in order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <criterion/criterion.h>
#include "events.h"
#include "identity.h"
#include "shells.h"
#include "sw_cgroup.h"
#include "sw_ring.h"

#define CID	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID	"4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9"

/* a shell exec record as the kernel sends it: header, then cgroup paths
 * and argv (leaf-first components, NUL-separated) */
static void *exec_record(uint32_t pid, const char *v1, size_t v1_len,
			 size_t *size)
{
	return sw_ring_exec(&(struct sw_ring_exec){
				.pid = pid, .v1 = v1, .v1_len = v1_len,
			    }, size);
}

struct stage {
	char logs[64];
	int out_fd;
	struct shell_set shells;
	struct sw_context ctx;
	struct output out;
	struct identity id;
	struct events ev;
};

static void stage_start(struct stage *s)
{
	struct sw_tree t = { .n = 0 };
	char err[128];

	memset(s, 0, sizeof(*s));
	snprintf(s->logs, sizeof(s->logs), "/tmp/sw-events-XXXXXX");
	cr_assert_not_null(mkdtemp(s->logs));
	sw_make_tree(s->logs, "containers", &t);
	cr_assert_eq(shells_parse(&s->shells, "sh", err, sizeof(err)), 0, "%s",
		     err);
	s->ctx = (struct sw_context){
		.host_name = "node", .node_name = "node",
		.cluster_name = "test", .boot_id = "0badcafe",
		.shells = &s->shells,
	};
	s->out_fd = memfd_create("events-out", MFD_CLOEXEC);
	cr_assert_geq(s->out_fd, 0);
	cr_assert_eq(output_init(&s->out, s->out_fd, 1 << 20), 0);
	cr_assert_eq(identity_init(&s->id, s->logs), 0);
	cr_assert_geq(identity_fd(&s->id), 0, "the log index is not watched");
	cr_assert_eq(events_init(&s->ev, &s->out, &s->ctx, NULL), 0);
	s->ev.identity = &s->id;
}

static void stage_end(struct stage *s)
{
	events_destroy(&s->ev);
	identity_destroy(&s->id);
	output_destroy(&s->out);
	close(s->out_fd);
	sw_remove_dir(s->logs);
}

/* what the stage wrote so far */
static const char *written(struct stage *s)
{
	static char buf[65536];
	ssize_t n;

	cr_assert_eq(output_flush(&s->out), 0);
	n = pread(s->out_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* a ring record into the stage, freed */
static void ring(struct stage *s, void *rec, size_t size)
{
	cr_assert_eq(events_on_ring(&s->ev, rec, size), 0);
	free(rec);
}

static const char pod_v1[] = CID "\0pod" UID "\0burstable\0kubepods";

Test(events, a_parked_exec_goes_named_when_its_link_appears)
{
	const char *text, *pod, *host;
	struct stage s;
	size_t size;
	void *rec;

	stage_start(&s);
	/* a shell in a container the kubelet has not linked yet */
	rec = exec_record(101, pod_v1, sizeof(pod_v1), &size);
	ring(&s, rec, size);
	cr_assert_eq(park_count(&s.ev.park), 1, "the exec is not parked");
	cr_assert_neq(events_next_deadline(&s.ev), 0);
	/* a host shell after it waits behind it */
	rec = exec_record(102, "", 0, &size);
	ring(&s, rec, size);
	cr_assert_eq(park_count(&s.ev.park), 2, "the host exec passed the pod's");
	cr_assert_eq(events_release(&s.ev, 16), 0, "released before its names");
	cr_assert_str_eq(written(&s), "", "written while parked");

	/* the link appears: both go, the pod's named, in order */
	sw_log_link(s.logs, "web-5d8f", "shop", UID, "app", CID);
	identity_update(&s.id);
	cr_assert_eq(events_release(&s.ev, 16), 2);
	text = written(&s);
	pod = strstr(text, "\"pid\":101");
	host = strstr(text, "\"pid\":102");
	cr_assert(pod && host, "records: %s", text);
	cr_assert_lt(pod, host, "the host exec was written first: %s", text);
	cr_assert_not_null(strstr(text, "\"pod\":{\"name\":\"web-5d8f\""),
			   "no names: %s", text);
	cr_assert_not_null(strstr(text, "\"names_status\":\"log_link\""),
			   "names not from the link: %s", text);
	cr_assert_eq(s.ev.park.st.waited, 1);
	cr_assert_eq(s.ev.park.st.held, 1);
	cr_assert_eq(s.ev.park.st.ready, 1);
	cr_assert_eq(s.ev.reported, 2);
	stage_end(&s);
}

Test(events, a_flush_writes_the_parked_exec_with_what_is_known)
{
	const char *text;
	struct stage s;
	size_t size;
	void *rec;

	stage_start(&s);
	rec = exec_record(201, pod_v1, sizeof(pod_v1), &size);
	ring(&s, rec, size);
	cr_assert_eq(events_flush(&s.ev), 1);
	text = written(&s);
	cr_assert_not_null(strstr(text, "\"pid\":201"), "records: %s", text);
	cr_assert_not_null(strstr(text, "\"names_status\":\"no_link\""),
			   "records: %s", text);
	cr_assert_eq(s.ev.park.st.flushed, 1);
	cr_assert_eq(park_count(&s.ev.park), 0);
	stage_end(&s);
}

Test(events, a_host_exec_is_not_parked)
{
	struct stage s;
	size_t size;
	void *rec;

	stage_start(&s);
	rec = exec_record(301, "", 0, &size);
	ring(&s, rec, size);
	cr_assert_eq(park_count(&s.ev.park), 0);
	cr_assert_not_null(strstr(written(&s), "\"pid\":301"));
	stage_end(&s);
}

/*
 * a flood behind a parked exec pushes it out at the bound, nameless, as
 * its deadline would: its container's next execs do not wait again, or a
 * flood kept every one of them waiting and the park full
 */
Test(events, an_exec_pushed_out_at_the_bound_does_not_wait_again)
{
	struct stage s;
	size_t size, i;
	void *rec;

	stage_start(&s);
	rec = exec_record(101, pod_v1, sizeof(pod_v1), &size);
	ring(&s, rec, size);
	cr_assert_eq(s.ev.park.st.waited, 1, "the exec is not parked");
	/* host execs behind it, until the bound pushes it out */
	for (i = 0; i < EVENTS_PARK_MAX; i++) {
		rec = exec_record(1000 + i, "", 0, &size);
		ring(&s, rec, size);
	}
	cr_assert_eq(s.ev.park.st.over_bound, 1, "the bound did not push it out");
	/* the same container again: it waited once, in vain */
	rec = exec_record(102, pod_v1, sizeof(pod_v1), &size);
	ring(&s, rec, size);
	cr_assert_eq(s.ev.park.st.waited, 1,
		     "the container's next exec waits again (%llu waited)",
		     (unsigned long long)s.ev.park.st.waited);
	cr_assert_eq(events_flush(&s.ev), EVENTS_PARK_MAX);
	stage_end(&s);
}
