// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include "privs.h"

int privs_have(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return 0;
	cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

int privs_drop(void)
{
	const cap_value_t keep[] = { CAP_BPF };
	cap_value_t c;
	cap_t caps;
	int err = 0;

	/* the bounding set first: dropping from it needs CAP_SETPCAP */
	if (privs_have(CAP_SETPCAP)) {
		for (c = 0; c <= CAP_LAST_CAP; c++)
			if (c != CAP_BPF && cap_drop_bound(c) && errno != EINVAL)
				return -errno;
	}
	caps = cap_init();
	if (!caps)
		return -errno;
	if (cap_set_flag(caps, CAP_EFFECTIVE, 1, keep, CAP_SET) ||
	    cap_set_flag(caps, CAP_PERMITTED, 1, keep, CAP_SET) ||
	    cap_set_proc(caps))
		err = -errno;
	cap_free(caps);
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = -errno;
	return err;
}
