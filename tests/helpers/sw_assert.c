// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <string.h>
#include <criterion/criterion.h>
#include "sw_assert.h"

struct jv *sw_parse_line(const char *line, size_t len)
{
	char err[256];
	struct jv *v = jv_parse(line, len, err, sizeof(err));

	cr_assert_not_null(v, "output line is not valid JSON (%s): %.*s", err,
			   (int)len, line);
	cr_assert_eq(jv_type(v), JV_OBJECT, "output line is not an object: %.*s",
		     (int)len, line);
	return v;
}

static const struct jv *field(const struct jv *rec, const char *dotted,
			      enum jv_type type, const char *tname)
{
	const struct jv *v = jv_get(rec, dotted);

	cr_assert_not_null(v, "record has no field %s", dotted);
	cr_assert_eq(jv_type(v), type, "field %s is not a %s", dotted, tname);
	return v;
}

const char *sw_field_str(const struct jv *rec, const char *dotted)
{
	return jv_str(field(rec, dotted, JV_STRING, "string"));
}

double sw_field_num(const struct jv *rec, const char *dotted)
{
	return jv_num(field(rec, dotted, JV_NUMBER, "number"));
}

bool sw_field_bool(const struct jv *rec, const char *dotted)
{
	return jv_bool(field(rec, dotted, JV_BOOL, "bool")) == 1;
}

void sw_assert_str(const struct jv *rec, const char *dotted, const char *want,
		   const char *ctx)
{
	const char *got = sw_field_str(rec, dotted);

	cr_assert_str_eq(got, want, "%s: %s is '%s', want '%s'", ctx, dotted,
			 got, want);
}

void sw_assert_num(const struct jv *rec, const char *dotted, double want,
		   const char *ctx)
{
	double got = sw_field_num(rec, dotted);

	cr_assert(fabs(got - want) < 1e-9, "%s: %s is %.17g, want %.17g", ctx,
		  dotted, got, want);
}

void sw_assert_bool(const struct jv *rec, const char *dotted, bool want,
		    const char *ctx)
{
	bool got = sw_field_bool(rec, dotted);

	cr_assert_eq(got, want, "%s: %s is %s, want %s", ctx, dotted,
		     got ? "true" : "false", want ? "true" : "false");
}

void sw_assert_strs(const struct jv *rec, const char *dotted,
		    const char *const *want, size_t n, const char *ctx)
{
	const struct jv *arr = field(rec, dotted, JV_ARRAY, "array");
	size_t i;

	cr_assert_eq(jv_len(arr), n, "%s: %s has %zu elements, want %zu", ctx,
		     dotted, jv_len(arr), n);
	for (i = 0; i < n; i++) {
		const struct jv *el = jv_at(arr, i);

		cr_assert_eq(jv_type(el), JV_STRING, "%s: %s[%zu] is not a string",
			     ctx, dotted, i);
		cr_assert_str_eq(jv_str(el), want[i], "%s: %s[%zu] is '%s', want '%s'",
				 ctx, dotted, i, jv_str(el), want[i]);
	}
}

void sw_assert_flag(const struct jv *rec, const char *dotted, bool want,
		    const char *ctx)
{
	const struct jv *v = jv_get(rec, dotted);

	if (want) {
		sw_assert_bool(rec, dotted, true, ctx);
		return;
	}
	cr_assert(!v || (jv_type(v) == JV_BOOL && !jv_bool(v)),
		  "%s: %s is present and not false (compact records leave a false flag out)",
		  ctx, dotted);
}

void sw_assert_none(const struct jv *rec, const char *dotted, const char *ctx)
{
	const struct jv *v = jv_get(rec, dotted);

	cr_assert(!v || jv_type(v) == JV_NULL,
		  "%s: %s has a value, want none (absent, or null in --fields full)",
		  ctx, dotted);
}
