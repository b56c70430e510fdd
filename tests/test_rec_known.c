// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The look-up answers a replay keeps (user/rec_known.c): user and group
 * names by kind and id, apart, so that a uid never answers for the gid of
 * the same number.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include "rec_known.h"
#include "recording.h"

static struct rec_user name(uint32_t kind, uint32_t id, const char *n)
{
	struct rec_user u = { .uid = id, .kind = kind };

	snprintf(u.name, sizeof(u.name), "%s", n);
	return u;
}

Test(rec_known, users_and_groups_apart)
{
	struct rec_known *k = rec_known_new();
	struct rec_user u = name(0, 1234, "podman-user");
	struct rec_user g = name(1, 1234, "podman-group");
	struct rec_user bad = name(2, 1234, "neither");
	const char *got;

	cr_assert_not_null(k);
	cr_assert_null(rec_known_user(k, 0, 1234), "a uid named before any frame");
	rec_known_put_user(k, &u);
	cr_assert_null(rec_known_user(k, 1, 1234),
		       "gid 1234 answered with the user name of uid 1234");
	rec_known_put_user(k, &g);
	rec_known_put_user(k, &bad);
	got = rec_known_user(k, 0, 1234);
	cr_assert(got && !strcmp(got, "podman-user"), "uid 1234: '%s'", got ? got : "(none)");
	got = rec_known_user(k, 1, 1234);
	cr_assert(got && !strcmp(got, "podman-group"), "gid 1234: '%s'", got ? got : "(none)");
	cr_assert_null(rec_known_user(k, 2, 1234), "a third kind of name answered");
	/* the same slot, another id: no answer for either */
	cr_assert_null(rec_known_user(k, 0, 1234 + 256), "uid %d answered", 1234 + 256);
	rec_known_free(k);
}
