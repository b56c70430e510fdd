/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --format pretty: the records as aligned text lines for a person at a
 * terminal. The formatter reads each record the daemon built as JSON (the
 * same record the json format writes), so the view never disagrees with
 * the contract, and writes one or two lines for it.
 *
 * Terminal policy. Every string from a record is attacker-controlled
 * (names, argv, paths, pod names) and is escaped so that no input can
 * move the cursor, set a title, recolour, erase or reorder what a person
 * sees:
 *  - printable ASCII is copied, except '\' which is written as "\\";
 *  - NUL, tab, LF, CR and ESC as \0 \t \n \r \e; other C0 controls and
 *    DEL as \xNN;
 *  - C1 controls (U+0080-U+009F), bidirectional controls (U+061C,
 *    U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), zero-width and
 *    invisible characters (U+00AD, U+200B-U+200D, U+2060-U+2064, U+FEFF),
 *    line and paragraph separators (U+2028, U+2029), interlinear
 *    annotations (U+FFF9-U+FFFB), the replacement character U+FFFD (the
 *    JSON record's stand-in for invalid UTF-8), tag characters
 *    (U+E0000-U+E007F) and private-use characters as \uXXXX or \UXXXXXXXX;
 *  - bytes that are not valid UTF-8 (RFC 3629) as \xNN, one per byte;
 *  - other valid UTF-8 is copied.
 * Colour is used only when asked for, and pretty_want_colour() asks only
 * for a terminal without NO_COLOR.
 */
#ifndef SHELLWATCH_PRETTY_H
#define SHELLWATCH_PRETTY_H

#include <stdbool.h>
#include <stddef.h>

/* the longest text written for one record */
#define PRETTY_LINE_MAX		(64 * 1024)
/* characters of a command line shown; the rest is cut with "..." */
#define PRETTY_COMMAND_MAX	2048
/* levels of command indentation under a session's shell */
#define PRETTY_DEPTH_MAX	8

struct pretty {
	bool colour;
	bool header_done;	/* the column header was written */
	char *buf;		/* the text of the last record */
	size_t len;
};

/* true when fd is a terminal, NO_COLOR is not set (any value) and TERM
 * is not "dumb" */
bool pretty_want_colour(int fd);
/* set p up; 0 or -ENOMEM */
int pretty_init(struct pretty *p, bool colour);
/* free p's buffer; accepts a zeroed p */
void pretty_destroy(struct pretty *p);
/* the text for one JSON record line of n bytes into *out; its length, 0
 * when the record shows nothing */
size_t pretty_format(struct pretty *p, const char *json, size_t n,
		     const char **out);
/*
 * escape n bytes for a terminal into dst (NUL-terminated, dstlen > 0), at
 * most max_chars characters (0: no limit) then "..." when cut; with
 * quote, '"' is escaped too. Returns the characters written (the width
 * on a terminal for text without wide characters).
 */
size_t pretty_escape(char *dst, size_t dstlen, const char *s, size_t n,
		     size_t max_chars, bool quote);

#endif /* SHELLWATCH_PRETTY_H */
