/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Run the real sensor in integration tests and read what it writes. */
#ifndef SW_RUN_H
#define SW_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "json_parse.h"

struct sw_run {
	pid_t pid;
	int out_fd;		/* the sensor's stdout, a file */
	int err_fd;		/* the sensor's stderr, a file */
	char *text;		/* stdout read so far */
	size_t len, text_cap;
	size_t parsed;		/* bytes of text parsed into recs */
	struct jv **recs;	/* parsed lines */
	size_t nrecs, recs_cap;
	int status;		/* wait status once stopped */
	char lock[64];		/* the lock file it was given */
	char pins[64];		/* the pin path it was given, removed at free */
	bool stopped;
	bool raw;		/* --format pretty: text, not parsed */
};

/* skip the test (or fail it with CI=true) unless root with BPF and BTF */
void sw_require_bpf(void);
/* start $SHELLWATCH with args (NULL-terminated) and wait for its start
 * record (with --format pretty, its start line) */
void sw_run_start(struct sw_run *r, const char *const *args);
/* the same, the sensor in the cgroup whose cgroup.procs file is given
 * (NULL: the test's own) from before its exec */
void sw_run_start_in(struct sw_run *r, const char *const *args,
		     const char *cgroup_procs);
/* read and parse what the sensor wrote since the last call */
void sw_run_read(struct sw_run *r);
/* SIGTERM the sensor, read the rest; returns its exit status */
int sw_run_stop(struct sw_run *r);
/* free everything; kills the sensor if still running */
void sw_run_free(struct sw_run *r);
/* the stderr text of a stopped sensor (static buffer) */
const char *sw_run_stderr(struct sw_run *r);
/* exec records whose process.pid is pid, read so far */
size_t sw_run_count_exec(struct sw_run *r, pid_t pid);
/* the first exec record of pid, waiting up to timeout_ms for it; NULL if none */
const struct jv *sw_run_wait_exec(struct sw_run *r, pid_t pid, int timeout_ms);
/* records of type whose process.pid is pid, up to max into out; the count */
size_t sw_run_records(struct sw_run *r, const char *type, pid_t pid,
		      const struct jv **out, size_t max);
/* wait up to timeout_ms for a record of type for pid; NULL if none */
const struct jv *sw_run_wait_record(struct sw_run *r, const char *type,
				    pid_t pid, int timeout_ms);
/* wait up to timeout_ms for a record of type whose string field dotted is want */
const struct jv *sw_run_wait_where(struct sw_run *r, const char *type,
				   const char *dotted, const char *want,
				   int timeout_ms);
/*
 * wait up to ms for a stats record at or after record index from whose
 * number dotted is in [min, max]
 */
const struct jv *sw_run_wait_stats(struct sw_run *r, size_t from,
				   const char *dotted, double min, double max,
				   long ms);
/* the first record of the given type, or NULL */
const struct jv *sw_run_find_type(struct sw_run *r, const char *type);

/* fork and exec path with argv (envp: a minimal environment); returns the pid */
pid_t sw_spawn(const char *path, char *const argv[]);
/* run argv (PATH searched) with stdout and stderr into out; its length */
int sw_capture(char *const argv[], char *out, size_t len, int *status);
/* remove a directory tree (pins a killed sensor left) */
void sw_rmtree(const char *path);
/* wait for pid and return its wait status */
int sw_wait(pid_t pid);

#endif /* SW_RUN_H */
