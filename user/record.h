/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The output contract: JSON records, one per line. Field names are dotted
 * OpenTelemetry names written as nested objects; README.md documents each.
 */
#ifndef SHELLWATCH_RECORD_H
#define SHELLWATCH_RECORD_H

#include <stdint.h>
#include "context.h"
#include "exec.h"
#include "json_writer.h"
#include "proctab.h"
#include "window.h"
#include "shells.h"
#include "users.h"

/* the version of the output schema; README.md says what each changed */
#define SW_SCHEMA_VERSION	"4.0"

#define SW_DETECTION_NAME	"Kubernetes Shell Running on Worker Node"

/* the bytes of process.command_line that compact window and exit records keep */
#define SW_COMPACT_LINE_MAX	64
/*
 * and full ones: a window line per tracked process repeats it, so an argv
 * of 4 KiB of control bytes (each escaped to 6) would write 25 KB a line
 */
#define SW_FULL_LINE_MAX	1024

/* what the start record says of the sensor */
struct sw_sensor_info {
	const char *version;
	const char *format;
	const char *cgroup_v1_controller;	/* NULL for none */
	uint64_t ringbuf_bytes;
};

/* what the stop record says */
struct sw_stop_info {
	const char *reason;	/* "signal", "duration" */
	uint64_t execs;		/* execs the kernel side saw */
	uint64_t shells;	/* of them, shells */
	uint64_t reported;	/* exec records written */
	uint64_t lost;		/* shell records the ring buffer had no room for */
	uint64_t malformed;	/* ring buffer records refused */
};

struct exec_view;

/* open a record: type, schema, time (wall-clock ns) and seq; in HEC
 * format inside the event envelope */
void record_begin(struct jsonw *w, const struct sw_context *ctx,
		  const char *type, uint64_t real_ns, uint64_t seq);
/* close a record and end its line */
void record_end(struct jsonw *w, const struct sw_context *ctx);
/* write a wall-clock time as RFC 3339 */
void record_time(struct jsonw *w, const char *key, uint64_t real_ns);
/* wall-clock ns of a CLOCK_BOOTTIME stamp */
uint64_t record_real(const struct sw_context *ctx, uint64_t boot_ns);
/* host.name, k8s.cluster.name and k8s.node.name; with pod, also scope,
 * entry, the pod's k8s.* names and container.* */
void record_host(struct jsonw *w, const struct sw_context *ctx,
		 const struct pod_ident *pod);
/* record_host() with what window and exit records keep of a pod: in
 * compact records its namespace, pod and container names */
void record_host_brief(struct jsonw *w, const struct sw_context *ctx,
		       const struct pod_ident *pod);
/* scope, entry and container.* of a process */
void record_placement(struct jsonw *w, const struct sw_context *ctx,
		      const struct pod_ident *pod, const char *entry);
/* a null, left out of compact records */
void record_null(struct jsonw *w, const struct sw_context *ctx,
		 const char *key);
/* a flag, left out of compact records when false */
void record_flag(struct jsonw *w, const struct sw_context *ctx,
		 const char *key, bool on);
/* a whole exec record for v's exec */
void record_exec_view(struct jsonw *w, struct exec_view *v, uint64_t seq);
/* a whole exec record for ex in pod (NULL: none), viewed here with no
 * verdict (callers without a view: tests, tools) */
void record_exec(struct jsonw *w, const struct sw_exec *ex,
		 const struct pod_ident *pod, const struct sw_context *ctx,
		 uint64_t seq);
/* the start record: written once every program is attached */
void record_start(struct jsonw *w, const struct sw_context *ctx,
		  const struct sw_sensor_info *info, uint64_t seq);
/* the stop record: the last of a clean exit */
void record_stop(struct jsonw *w, const struct sw_context *ctx,
		 const struct sw_stop_info *info, uint64_t seq);
/* how a tracked process ended */
struct sw_exit_info {
	uint64_t time_ns;	/* CLOCK_BOOTTIME */
	uint32_t status;	/* wait status: code << 8 | signal */
	const char *exec_name;	/* it exec'd this non-shell; NULL for an exit */
	bool lost;		/* gone, but its exit record was lost */
	uint64_t cpu_ns;	/* CPU time since tracking began */
	uint64_t peak_bytes;	/* peak resident memory */
	const struct window_measure *window; /* a short life's only window, or NULL */
	bool has_session;	/* a session shell's end: session is set */
	struct sw_session session;	/* its trail's counters, from the kernel */
};

/* a window record (a HEC metric event in HEC format) */
void record_window(struct jsonw *w, const struct sw_context *ctx,
		   const struct proc *p, const struct window_measure *m,
		   uint64_t seq);
/* an exit record */
void record_exit(struct jsonw *w, const struct sw_context *ctx,
		 const struct proc *p, const struct sw_exit_info *x,
		 uint64_t seq);
/* process.command_args: argv elements as an array; returns how many */
size_t record_args(struct jsonw *w, const struct sw_exec *ex);
/* process.command_line */
void record_command_line_field(struct jsonw *w, const struct exec_view *v);
/* process.owner, and the user and group objects: ids, and names (as the
 * exec sees them) when known */
void record_users(struct jsonw *w, struct exec_view *v);
/* process.audit: login uid and session id, null when unset */
void record_audit(struct jsonw *w, const struct sw_context *ctx,
		  const struct sw_exec *ex);
/* process.interactive and process.tty */
void record_tty(struct jsonw *w, const struct sw_context *ctx,
		const struct sw_exec *ex);
/* cgroup.* of exec and command records */
void record_cgroup(struct jsonw *w, const struct sw_context *ctx,
		   const struct sw_exec *ex);
/* truncated: the fields the capture limits cut */
void record_truncated(struct jsonw *w, const struct sw_context *ctx,
		      const struct sw_exec *ex);
/* process.* of exec and command records; exec ones with its ancestors */
void record_process(struct jsonw *w, struct exec_view *v, bool ancestors);
/* process.parent.* of exec and command records */
void record_parent(struct jsonw *w, const struct sw_context *ctx,
		   const struct sw_exec *ex);
/* process.namespace.* and process.host_view */
void record_namespace(struct jsonw *w, const struct sw_exec *ex);
/* a command record for v (exec_view_command()), a program exec'd in a
 * shell session; suppressed_by (NULL when reported) comes from the session */
void record_command_view(struct jsonw *w, struct exec_view *v,
			 const char *suppressed_by, uint64_t seq);
/* a command record for ex in pod (NULL: none), viewed here with entry
 * (tests, tools) */
void record_command(struct jsonw *w, const struct sw_exec *ex,
		    const struct pod_ident *pod, const struct sw_context *ctx,
		    const char *entry, const char *suppressed_by, uint64_t seq);
/* the exec_id of the session ex ran in; 0 or -EINVAL */
int record_session_id(const struct sw_exec *ex, const struct sw_context *ctx,
		      char *buf, size_t len);
/* the exec_id of ex */
int record_exec_id(const struct sw_exec *ex, const struct sw_context *ctx,
		   char *buf, size_t len);

#endif /* SHELLWATCH_RECORD_H */
