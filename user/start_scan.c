// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --scan: /proc's running shells reported and tracked at start */
#include <stdio.h>
#include <string.h>
#include "daemon.h"
#include "procscan.h"
#include "start_scan.h"
#include "timers.h"

int start_scan(struct daemon *d)
{
	char ns_v2[SW_PATH_TEXT(SW_CGROUP_MAX)], ns_v1[sizeof(ns_v2)];
	struct procscan_opts opts = {
		.proc = "/proc",
		.cgroup_v2_mount = d->v2_mount[0] ? d->v2_mount : NULL,
		.cgroup_v1_name = d->v1_name[0] ? d->v1_name : NULL,
		.cgroupns_v2 = ns_v2,
		.cgroupns_v1 = ns_v1,
		.judge = &d->judge,
		.host = &d->sensor.host,
	};
	int err;

	/* /proc's cgroup paths are relative to our cgroup namespace */
	err = sensor_cgroupns_root(&d->sensor, ns_v2, sizeof(ns_v2), ns_v1,
				   sizeof(ns_v1));
	if (err) {
		fprintf(stderr, "shellwatch: cannot read the cgroup namespace's root: %s; shells found at start in other cgroup namespaces may lack their pod\n",
			strerror(-err));
		ns_v2[0] = ns_v1[0] = '\0';
	} else if (d->opts.verbose) {
		fprintf(stderr, "shellwatch: cgroup namespace root: v2 %s, v1 %s\n",
			ns_v2[0] ? ns_v2 : "-", ns_v1[0] ? ns_v1 : "-");
	}
	err = procscan_all(&opts, &d->opts.shells, tap_on_found, &d->tap);
	tap_scan_end(&d->tap);
	/* the found shells' first windows start now */
	timers_sample(d, 0, TRACKER_BASELINE);
	if (err)
		fprintf(stderr, "shellwatch: cannot scan /proc for running shells: %s\n",
			strerror(-err));
	/* the sensor runs on without the scan */
	return 0;
}
