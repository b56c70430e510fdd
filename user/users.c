// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "users.h"

struct user_entry {
	uint32_t uid;
	bool used;
	time_t at;		/* CLOCK_MONOTONIC seconds of the lookup */
	char name[64];		/* "" for a uid with no name */
};

static struct user_entry cache[USERS_CACHE];
static const struct users_source *source;

void users_set_source(const struct users_source *src)
{
	source = src;
	memset(cache, 0, sizeof(cache));
}

static time_t now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void users_name(uint32_t uid, char *name, size_t len)
{
	struct user_entry *e = &cache[uid % USERS_CACHE];
	struct passwd pw, *res = NULL;
	time_t now = now_s();
	char buf[1024];

	if (source && source->answer) {
		source->answer(source->ctx, uid, name, len);
		return;
	}
	if (!e->used || e->uid != uid || now - e->at >= USERS_TTL_S) {
		e->used = true;
		e->uid = uid;
		e->at = now;
		e->name[0] = '\0';
		if (!getpwuid_r(uid, &pw, buf, sizeof(buf), &res) && res)
			snprintf(e->name, sizeof(e->name), "%s", pw.pw_name);
		if (source && source->heard)
			source->heard(source->ctx, uid, e->name);
	}
	snprintf(name, len, "%s", e->name);
}
