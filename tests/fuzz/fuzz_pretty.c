// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer harness for user/pretty.c. Byte 0 picks a record type and the
 * colour; the rest is cut at 0x00 bytes into strings that fill the fields
 * the pretty view shows (names, argv, pod names, user names, rule names),
 * written with the real JSON writer. The text must be inert on a terminal:
 * valid UTF-8, no C0 control but the line feeds ending lines, no DEL, no
 * C1 control, no bidi control, and ESC only in our own SGR colour codes.
 * The raw input also goes to pretty_escape() with a width and buffer size
 * from bytes 1-2, and to pretty_format() as if it were a record.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "json_writer.h"
#include "pretty.h"

#define PIECES	16

static const char *const types[] = {
	"exec", "command", "window", "exit", "loss", "stats", "start", "stop",
	"other",
};

/* the pieces of the input, cut at NUL; missing ones are empty */
struct pieces {
	const char *s[PIECES];
	size_t n[PIECES];
};

static void cut(struct pieces *p, const uint8_t *d, size_t n)
{
	size_t i, k = 0, start = 0;

	memset(p, 0, sizeof(*p));
	for (i = 0; i <= n && k < PIECES; i++) {
		if (i == n || !d[i]) {
			p->s[k] = (const char *)d + start;
			p->n[k++] = i - start;
			start = i + 1;
		}
	}
	for (; k < PIECES; k++)
		p->s[k] = "";
}

static void str(struct jsonw *w, const struct pieces *p, const char *key, int i)
{
	jsonw_string_n(w, key, p->s[i], p->n[i]);
}

static void build(struct jsonw *w, const char *type, const struct pieces *p)
{
	int i;

	jsonw_start_object(w, NULL);
	jsonw_string(w, "type", type);
	str(w, p, "time", 0);
	str(w, p, "exec_id", 1);
	str(w, p, "scope", 2);
	str(w, p, "entry", 3);
	str(w, p, "suppressed_by", 4);
	jsonw_start_object(w, "k8s");
	jsonw_start_object(w, "namespace");
	str(w, p, "name", 5);
	jsonw_end_object(w);
	jsonw_start_object(w, "pod");
	str(w, p, "name", 6);
	str(w, p, "uid", 7);
	jsonw_end_object(w);
	jsonw_start_object(w, "container");
	str(w, p, "name", 8);
	jsonw_end_object(w);
	jsonw_start_object(w, "node");
	str(w, p, "name", 9);
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_start_object(w, "container");
	str(w, p, "id", 10);
	str(w, p, "runtime", 11);
	jsonw_end_object(w);
	jsonw_start_object(w, "process");
	jsonw_uint(w, "pid", p->n[12]);
	jsonw_start_object(w, "executable");
	str(w, p, "name", 12);
	jsonw_end_object(w);
	jsonw_start_array(w, "command_args");
	for (i = 12; i < PIECES; i++)
		str(w, p, NULL, i);
	jsonw_end_array(w);
	jsonw_start_object(w, "user");
	jsonw_uint(w, "id", p->n[13]);
	str(w, p, "name", 13);
	jsonw_end_object(w);
	jsonw_start_object(w, "real_user");
	jsonw_uint(w, "id", p->n[14]);
	str(w, p, "name", 14);
	jsonw_end_object(w);
	jsonw_start_object(w, "tty");
	str(w, p, "name", 15);
	jsonw_end_object(w);
	jsonw_start_object(w, "exit");
	str(w, p, "reason", 3);
	str(w, p, "exec_name", 4);
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_start_object(w, "shell");
	str(w, p, "name", 11);
	jsonw_end_object(w);
	jsonw_start_object(w, "reasons");
	str(w, p, NULL, 0);
	jsonw_end_object(w);
	jsonw_start_object(w, "sensor");
	str(w, p, "version", 9);
	jsonw_start_array(w, "shells");
	str(w, p, NULL, 10);
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_end_object(w);
	jsonw_newline(w);
}

/* the text is safe to write to a terminal */
static void check_inert(const char *s, size_t n, bool colour)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		uint8_t b = s[i];

		if (b == 0x1b) {
			check(colour && i + 1 < n && s[i + 1] == '[');
			for (k = i + 2; k < n && ((s[k] >= '0' && s[k] <= '9') ||
						  s[k] == ';'); k++)
				;
			check(k < n && s[k] == 'm');
			i = k;
			continue;
		}
		check(b >= 0x20 || b == '\n');
		check(b != 0x7f);
		if (b >= 0x80) {
			/* well-formed, and not one of the characters shown escaped */
			uint8_t u[4];

			check(b >= 0xc2 && b <= 0xf4);
			k = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
			check(i + k <= n);
			memcpy(u, s + i, k);
			check(!(b == 0xc2 && u[1] <= 0x9f));
			check(!(b == 0xe2 && u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae));
			check(!(b == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9));
			check(!(b == 0xd8 && u[1] == 0x9c));
			check(!(b == 0xef && u[1] == 0xbf && u[2] == 0xbd));
			i += k - 1;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct jsonw *w;
	struct pretty p;
	struct pieces pc;
	const char *out;
	char esc[256];
	size_t n, chars, max, dstlen;
	bool colour;

	if (!size)
		return 0;
	if (!w)
		w = jsonw_new();
	colour = data[0] & 0x80;
	check(!pretty_init(&p, colour));
	cut(&pc, data + 1, size - 1);
	jsonw_reset(w);
	build(w, types[(data[0] & 0x7f) % (sizeof(types) / sizeof(types[0]))], &pc);
	if (!jsonw_error(w)) {
		n = pretty_format(&p, jsonw_data(w), jsonw_len(w), &out);
		check(n > 0 && n < PRETTY_LINE_MAX && out[n - 1] == '\n');
		check(strlen(out) == n);
		check_inert(out, n, colour);
	}
	/* raw input as a record: an error line, or an inert view */
	n = pretty_format(&p, (const char *)data, size, &out);
	check_inert(out, n, colour);
	pretty_destroy(&p);

	max = size > 1 ? data[1] % 64 : 0;
	dstlen = size > 2 ? 1 + data[2] % sizeof(esc) : sizeof(esc);
	chars = pretty_escape(esc, dstlen, (const char *)data, size, max,
			      data[0] & 1);
	check(strlen(esc) < dstlen);
	check(!max || chars <= max);
	check_inert(esc, strlen(esc), false);
	return 0;
}
