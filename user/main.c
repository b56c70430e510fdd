// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * shellwatch: report every shell process started on this node, as JSON
 * lines on stdout. Lifecycle: parse options, check privileges, open, set
 * rodata, load, attach, say start, scan /proc, loop, say stop, clean up.
 * Exit status: 0 ok, 1 runtime failure, 2 usage or configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "options.h"
#include "pins.h"
#include "reload.h"
#include "replayer.h"
#include "run.h"
#include "status.h"

/* the live sensor, from open to the stop; 0 or -errno */
static int run_sensor(struct daemon *d)
{
	const char *reason = NULL;
	int err;

	err = daemon_open(d);
	if (err)
		return err;
	err = daemon_start(d);
	if (!err)
		err = run_loop(d, &reason);
	if (!err)
		err = run_finish(d, reason);
	if (d->out.err)
		status_write_error(d->out.err);
	else if (err == -ETIMEDOUT)
		fprintf(stderr, "shellwatch: stdout took no more records for %d ms: stopping with %zu bytes unwritten\n",
			STOP_DRAIN_MS, output_pending(&d->out));
	else if (err)
		fprintf(stderr, "shellwatch: stopped: %s\n", strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	struct daemon *d;
	int err;

	d = daemon_new();
	if (!d) {
		fprintf(stderr, "shellwatch: out of memory\n");
		return 1;
	}
	err = opts_parse(&d->opts, argc, argv, stdout, stderr);
	if (err) {
		free(d);
		return err == OPTS_EXIT ? 0 : 2;
	}
	if (d->opts.check) {
		err = pins_check(d->opts.pin_path, PINS_CHECK_AGE, stdout, stderr);
		free(d);
		return err;
	}
	/* a bad rules file is a configuration error: exit 2 */
	if (d->opts.rules[0] && reload_load(d, &d->ev.rules)) {
		free(d);
		return 2;
	}
	if (d->opts.replay[0]) {
		err = replayer_run(d);
		free(d);
		return err;
	}
	err = run_sensor(d);
	daemon_free(d);
	return err ? 1 : 0;
}
