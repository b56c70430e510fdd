/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Domain assertions on shellwatch's JSON records, for Criterion tests. */
#ifndef SW_ASSERT_H
#define SW_ASSERT_H

#include <stdbool.h>
#include <stddef.h>
#include "json_parse.h"

/* parse one output line, failing the test (with the line) if it is not JSON */
struct jv *sw_parse_line(const char *line, size_t len);
/* the string at dotted in rec; fails the test when absent or not a string */
const char *sw_field_str(const struct jv *rec, const char *dotted);
/* the number at dotted in rec; fails the test when absent or not a number */
double sw_field_num(const struct jv *rec, const char *dotted);
/* the bool at dotted in rec; fails the test when absent or not a bool */
bool sw_field_bool(const struct jv *rec, const char *dotted);
/* assert rec's string field dotted equals want; ctx names the case */
void sw_assert_str(const struct jv *rec, const char *dotted, const char *want,
		   const char *ctx);
/* assert rec's number field dotted equals want */
void sw_assert_num(const struct jv *rec, const char *dotted, double want,
		   const char *ctx);
/* assert rec's bool field dotted equals want */
void sw_assert_bool(const struct jv *rec, const char *dotted, bool want,
		    const char *ctx);
/* assert rec's array field dotted holds exactly the strings want[0..n) */
/* a flag: true, or when want is false absent (compact) or false (full) */
void sw_assert_flag(const struct jv *rec, const char *dotted, bool want,
		    const char *ctx);
/* no value: absent (compact records) or null (--fields full) */
void sw_assert_none(const struct jv *rec, const char *dotted, const char *ctx);
void sw_assert_strs(const struct jv *rec, const char *dotted,
		    const char *const *want, size_t n, const char *ctx);

#endif /* SW_ASSERT_H */
