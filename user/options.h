/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options. */
#ifndef SHELLWATCH_OPTIONS_H
#define SHELLWATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "format.h"
#include "shells.h"

#define OPT_NAME_LEN		256
#define OPT_RINGBUF_DEFAULT	(4U << 20)
#define OPT_WINDOW_DEFAULT	10
#define OPT_QUEUE_DEFAULT	(8U << 20)
#define OPT_HEARTBEAT_DEFAULT	60
#define OPT_LOCK_DEFAULT	"/run/shellwatch.lock"
#define OPT_WINDOW_MAX		3600
#define OPT_TRAIL_RATE_DEFAULT	50
#define OPT_TRAIL_MAX_DEFAULT	1000

struct sw_opts {
	enum sw_format format;
	struct shell_set shells;
	char node_name[OPT_NAME_LEN];
	char cluster_name[OPT_NAME_LEN];
	double duration;	/* seconds; 0 runs until a signal */
	unsigned int window;	/* seconds */
	bool all_windows;	/* write windows with zero utilization too */
	enum sw_fields fields;		/* --fields */
	size_t ringbuf_bytes;
	size_t queue_bytes;	/* output queue for a stalled reader */
	unsigned int heartbeat;	/* seconds between stats records */
	char lock_file[OPT_NAME_LEN];
	char log_dir[OPT_NAME_LEN];	/* the kubelet's logs: containers/, pods/ */
	char rules[OPT_NAME_LEN];	/* the allowlist file, "" for none */
	bool show_suppressed;		/* write suppressed shells, marked */
	bool scan;		/* look for shells running at start */
	bool drop_privs;	/* keep only CAP_BPF after start */
	bool seccomp;		/* a system call allowlist after start */
	char pin_path[200];	/* maps and programs pinned here; "" for none */
	bool check;		/* --check: the liveness check, then exit */
	char metrics[72];	/* HOST:PORT of the metrics endpoint; "" off */
	bool trail;		/* command records for shell sessions */
	unsigned int trail_rate;	/* per session and second; 0: no limit */
	unsigned int trail_max;		/* per session; 0: no limit */
	unsigned int track_max;		/* processes tracked at once */
	unsigned int trail_depth;	/* levels below the shell; 0: all */
	char record[OPT_NAME_LEN];	/* --record FILE, "" for none */
	char replay[OPT_NAME_LEN];	/* --replay FILE, "" for none */
	int verbose;
};

/* what opts_parse() asks of the caller */
enum opts_result {
	OPTS_RUN = 0,		/* run with the options */
	OPTS_EXIT = 1,		/* --help or --version was printed: exit 0 */
};

/*
 * parse argv into o, with defaults from the environment (NODE_NAME,
 * CLUSTER_NAME) and the host name; OPTS_RUN, OPTS_EXIT, or -EINVAL after
 * printing the error to err
 */
int opts_parse(struct sw_opts *o, int argc, char **argv, FILE *out, FILE *err);
/* print the usage text */
void opts_usage(FILE *f);

#endif /* SHELLWATCH_OPTIONS_H */
