// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Field extractor for the benchmark (no jq needed): reads the sensor's JSON
 * lines on stdin and, for every record whose "type" is TYPE, prints the
 * given dotted fields separated by spaces ("-" when absent or not a
 * number/string/bool; null prints "null"). Uses the tests' strict parser.
 *
 *   jfields TYPE FIELD... < output
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_parse.h"

static void put(const struct jv *v)
{
	switch (jv_type(v)) {
	case JV_NUMBER:
		fputs(jv_numtext(v), stdout);
		break;
	case JV_STRING:
		fputs(jv_strlen(v) ? jv_str(v) : "\"\"", stdout);
		break;
	case JV_BOOL:
		fputs(jv_bool(v) ? "true" : "false", stdout);
		break;
	case JV_NULL:
		fputs("null", stdout);
		break;
	default:
		fputs("-", stdout);
	}
}

int main(int argc, char **argv)
{
	char *line = NULL, err[128];
	size_t cap = 0;
	ssize_t n;
	long bad = 0;
	struct jv *v;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: jfields TYPE FIELD... < output\n");
		return 2;
	}
	while ((n = getline(&line, &cap, stdin)) > 0) {
		const char *type;

		v = jv_parse(line, n, err, sizeof(err));
		if (!v) {
			bad++;
			continue;
		}
		type = jv_str(jv_get(v, "type"));
		if (type && !strcmp(type, argv[1])) {
			for (i = 2; i < argc; i++) {
				if (i > 2)
					putchar(' ');
				put(jv_get(v, argv[i]));
			}
			putchar('\n');
		}
		jv_free(v);
	}
	free(line);
	if (bad)
		fprintf(stderr, "jfields: %ld lines did not parse\n", bad);
	return 0;
}
