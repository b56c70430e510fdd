// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json_parse.h"
#include "pretty.h"

/* column widths, in characters */
#define W_TIME		12
#define W_SCOPE		9
#define W_WHERE		34
#define W_PID		7
#define W_USER		14
#define W_TTY		6
#define W_SHELL		8
/* bytes of one record string that go into a column */
#define PART_MAX	512

#define SGR_RESET	"0"
#define SGR_BOLD	"1"
#define SGR_DIM		"2"
#define SGR_RED		"1;31"
#define SGR_YELLOW	"33"
#define SGR_CYAN	"36"

/* bytes of the longest escape of one character: \UXXXXXXXX */
#define UNIT_MAX	10

bool pretty_want_colour(int fd)
{
	const char *term = getenv("TERM");

	/* no-color.org: NO_COLOR set means no colour; we take any value */
	if (getenv("NO_COLOR"))
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fd) == 1;
}

int pretty_init(struct pretty *p, bool colour)
{
	memset(p, 0, sizeof(*p));
	p->colour = colour;
	p->buf = malloc(PRETTY_LINE_MAX);
	return p->buf ? 0 : -ENOMEM;
}

void pretty_destroy(struct pretty *p)
{
	free(p->buf);
	p->buf = NULL;
}

/* code points shown escaped although they are valid UTF-8 */
static bool hidden_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||		/* C1 controls */
	       cp == 0xad || cp == 0x061c || cp == 0x115f || cp == 0x1160 ||
	       cp == 0x180e || cp == 0x3164 || cp == 0xffa0 ||
	       (cp >= 0x200b && cp <= 0x200f) ||	/* zero-width, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) ||	/* LS, PS, embeddings */
	       (cp >= 0x2060 && cp <= 0x2069) ||	/* joiners, isolates */
	       cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0xfffd ||
	       (cp >= 0xe000 && cp <= 0xf8ff) ||	/* private use */
	       (cp >= 0xe0000 && cp <= 0xe007f) ||	/* tags */
	       cp >= 0xf0000;				/* private use planes */
}

/* the length of the well-formed UTF-8 sequence at s (RFC 3629), 0 if none */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		*cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		*cp = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0;		/* overlong */
		else if (b == 0xed)
			hi = 0x9f;		/* surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		*cp = b & 0x07;
		if (b == 0xf0)
			lo = 0x90;		/* overlong */
		else if (b == 0xf4)
			hi = 0x8f;		/* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return len;
}

/* the escape of the character at s into u, or its copy; its bytes, with
 * the input bytes it took in *used. An escape is as wide on a terminal as
 * its bytes, a copied character one column. */
static size_t next_unit(const unsigned char *s, size_t n, char u[UNIT_MAX + 1],
			size_t *used, size_t *width, bool quote)
{
	unsigned char b = s[0];
	uint32_t cp;
	size_t len, k;

	*used = 1;
	*width = 1;
	if (b >= 0x20 && b < 0x7f && b != '\\' && !(quote && b == '"')) {
		u[0] = b;
		return 1;
	}
	if (b == '\\' || b == '"') {
		u[0] = '\\';
		u[1] = b;
		k = 2;
	} else if (b == '\0' || b == '\t' || b == '\n' || b == '\r' || b == 0x1b) {
		u[0] = '\\';
		u[1] = b == '\0' ? '0' : b == '\t' ? 't' : b == '\n' ? 'n' :
		       b == '\r' ? 'r' : 'e';
		k = 2;
	} else if (b < 0x80 || !(len = utf8_seq(s, n, &cp))) {
		k = snprintf(u, UNIT_MAX + 1, "\\x%02x", b);
	} else if (hidden_cp(cp)) {
		*used = len;
		k = snprintf(u, UNIT_MAX + 1, cp > 0xffff ? "\\U%08x" : "\\u%04x",
			     cp);
	} else {
		*used = len;
		memcpy(u, s, len);
		return len;
	}
	*width = k;
	return k;
}

/* the width and bytes of the whole escape of s */
static void escape_size(const unsigned char *s, size_t n, bool quote,
			size_t *chars, size_t *bytes)
{
	char u[UNIT_MAX + 1];
	size_t pos = 0, used, width;

	*chars = 0;
	*bytes = 0;
	while (pos < n) {
		*bytes += next_unit(s + pos, n - pos, u, &used, &width, quote);
		*chars += width;
		pos += used;
	}
}

size_t pretty_escape(char *dst, size_t dstlen, const char *src, size_t n,
		     size_t max_chars, bool quote)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t chars, bytes, len = 0, pos = 0, used, width, k, keep_chars;
	size_t keep_bytes;
	char u[UNIT_MAX + 1];
	bool cut;

	if (!dstlen)
		return 0;
	escape_size(s, n, quote, &chars, &bytes);
	cut = (max_chars && chars > max_chars) || bytes + 1 > dstlen;
	/* when cut, room is kept for the "..." */
	keep_chars = max_chars ? (cut ? (max_chars > 3 ? max_chars - 3 : 0)
				      : max_chars) : SIZE_MAX;
	keep_bytes = cut ? (dstlen > 4 ? dstlen - 4 : 0) : dstlen - 1;
	chars = 0;
	while (pos < n) {
		k = next_unit(s + pos, n - pos, u, &used, &width, quote);
		/* an escape is written whole or not at all */
		if (chars + width > keep_chars || len + k > keep_bytes)
			break;
		memcpy(dst + len, u, k);
		len += k;
		chars += width;
		pos += used;
	}
	if (cut) {
		for (k = 0; k < 3 && len + 1 < dstlen &&
			    (!max_chars || chars < max_chars); k++) {
			dst[len++] = '.';
			chars++;
		}
	}
	dst[len] = '\0';
	return chars;
}

/* append trusted text */
static void put(struct pretty *p, const char *s)
{
	size_t n = strlen(s);

	if (n > PRETTY_LINE_MAX - 1 - p->len)
		n = PRETTY_LINE_MAX - 1 - p->len;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
}

__attribute__((format(printf, 2, 3)))
static void putf(struct pretty *p, const char *fmt, ...)
{
	size_t room = PRETTY_LINE_MAX - p->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(p->buf + p->len, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		p->len += (size_t)n < room ? (size_t)n : room - 1;
}

static void spaces(struct pretty *p, size_t n)
{
	while (n-- && p->len < PRETTY_LINE_MAX - 1)
		p->buf[p->len++] = ' ';
}

/* append attacker-controlled bytes, escaped; the characters written */
static size_t put_esc(struct pretty *p, const char *s, size_t n,
		      size_t max_chars, bool quote)
{
	size_t chars = pretty_escape(p->buf + p->len, PRETTY_LINE_MAX - p->len,
				     s, n, max_chars, quote);

	p->len += strlen(p->buf + p->len);
	return chars;
}

/* a column of width characters and one space */
static void put_col(struct pretty *p, const char *s, size_t n, size_t width)
{
	size_t chars = put_esc(p, s, n, width, false);

	spaces(p, width - chars + 1);
}

static void sgr(struct pretty *p, const char *code)
{
	if (p->colour)
		putf(p, "\033[%sm", code);
}

static void end_line(struct pretty *p)
{
	sgr(p, SGR_RESET);
	put(p, "\n");
}

static const char *jstr(const struct jv *rec, const char *dotted, size_t *n)
{
	const struct jv *v = jv_get(rec, dotted);

	*n = jv_strlen(v);
	return jv_str(v);
}

static bool jstr_is(const struct jv *rec, const char *dotted, const char *want)
{
	size_t n;
	const char *s = jstr(rec, dotted, &n);

	return s && n == strlen(want) && !memcmp(s, want, n);
}

static bool jhas_num(const struct jv *rec, const char *dotted)
{
	return jv_type(jv_get(rec, dotted)) == JV_NUMBER;
}

static double jnum(const struct jv *rec, const char *dotted)
{
	return jv_num(jv_get(rec, dotted));
}

/* a string field into a column, or dash when absent or null */
static void col_field(struct pretty *p, const struct jv *rec,
		      const char *dotted, size_t width)
{
	size_t n;
	const char *s = jstr(rec, dotted, &n);

	if (s)
		put_col(p, s, n, width);
	else
		put_col(p, "-", 1, width);
}

/* raw bytes gathered for one column, cut at PART_MAX */
struct part {
	char b[PART_MAX];
	size_t n;
};

static void part_add(struct part *t, const char *s, size_t n)
{
	if (n > PART_MAX - t->n)
		n = PART_MAX - t->n;
	memcpy(t->b + t->n, s, n);
	t->n += n;
}

static void part_field(struct part *t, const struct jv *rec, const char *dotted,
		       const char *fallback, size_t max)
{
	size_t n;
	const char *s = jstr(rec, dotted, &n);

	if (!s) {
		s = fallback;
		n = strlen(fallback);
	}
	part_add(t, s, n < max ? n : max);
}

static void col_time(struct pretty *p, const struct jv *rec)
{
	size_t n;
	const char *s = jstr(rec, "time", &n);

	/* 2026-11-28T00:11:39.509916121Z: the time of day to the ms */
	if (s && n >= 23 && s[10] == 'T')
		put_col(p, s + 11, 12, W_TIME);
	else
		col_field(p, rec, "time", W_TIME);
}

static void col_scope(struct pretty *p, const struct jv *rec)
{
	if (jstr_is(rec, "scope", "pod"))
		sgr(p, SGR_RED);
	else if (jstr_is(rec, "scope", "container"))
		sgr(p, SGR_YELLOW);
	else
		sgr(p, SGR_CYAN);
	col_field(p, rec, "scope", W_SCOPE);
	sgr(p, SGR_RESET);
}

/* namespace/pod/container in a pod, runtime:id in a container, - else */
static void col_where(struct pretty *p, const struct jv *rec)
{
	struct part t = { .n = 0 };

	if (jstr_is(rec, "scope", "pod")) {
		part_field(&t, rec, "k8s.namespace.name", "?", 128);
		part_add(&t, "/", 1);
		if (jv_str(jv_get(rec, "k8s.pod.name")))
			part_field(&t, rec, "k8s.pod.name", "?", 256);
		else
			part_field(&t, rec, "k8s.pod.uid", "?", 36);
		part_add(&t, "/", 1);
		if (jv_str(jv_get(rec, "k8s.container.name")))
			part_field(&t, rec, "k8s.container.name", "?", 128);
		else
			part_field(&t, rec, "container.id", "?", 12);
	} else if (jstr_is(rec, "scope", "container")) {
		part_field(&t, rec, "container.runtime", "container", 32);
		part_add(&t, ":", 1);
		part_field(&t, rec, "container.id", "?", 12);
	} else {
		part_add(&t, "-", 1);
	}
	put_col(p, t.b, t.n, W_WHERE);
}

static void col_pid(struct pretty *p, const struct jv *rec)
{
	char s[24];

	snprintf(s, sizeof(s), "%.0f", jnum(rec, "process.pid"));
	put_col(p, s, strlen(s), W_PID);
}

static void part_user(struct part *t, const struct jv *rec, const char *key)
{
	char field[48], id[24];
	size_t n;
	const char *s;

	snprintf(field, sizeof(field), "process.%s.name", key);
	s = jstr(rec, field, &n);
	if (s) {
		part_add(t, s, n < 64 ? n : 64);
		return;
	}
	snprintf(field, sizeof(field), "process.%s.id", key);
	snprintf(id, sizeof(id), "%.0f", jnum(rec, field));
	part_add(t, id, strlen(id));
}

/* the effective user; real>effective when they differ */
static void col_user(struct pretty *p, const struct jv *rec)
{
	struct part t = { .n = 0 };

	if (jhas_num(rec, "process.real_user.id") &&
	    jnum(rec, "process.real_user.id") != jnum(rec, "process.user.id")) {
		part_user(&t, rec, "real_user");
		part_add(&t, ">", 1);
	}
	part_user(&t, rec, "user");
	put_col(p, t.b, t.n, W_USER);
}

static bool needs_quotes(const char *s, size_t n)
{
	return !n || memchr(s, ' ', n) || memchr(s, '"', n);
}

/* argv, each element escaped, quoted when empty or holding a space */
static void put_command(struct pretty *p, const struct jv *rec)
{
	const struct jv *args = jv_get(rec, "process.command_args");
	size_t i, n, left = PRETTY_COMMAND_MAX, used;
	const char *s;

	if (jv_type(args) != JV_ARRAY) {
		s = jstr(rec, "process.command_line", &n);
		if (s)
			put_esc(p, s, n, PRETTY_COMMAND_MAX, false);
		return;
	}
	for (i = 0; i < jv_len(args) && left; i++) {
		const struct jv *a = jv_at(args, i);
		bool q;

		s = jv_str(a);
		n = jv_strlen(a);
		if (!s)
			continue;
		q = needs_quotes(s, n);
		if (i) {
			put(p, " ");
			left--;
		}
		if (q)
			put(p, "\"");
		used = put_esc(p, s, n, left > 2 ? left - 2 : 1, q);
		if (q)
			put(p, "\"");
		left = used + 2 < left ? left - used - 2 : 0;
	}
	if (i < jv_len(args))
		put(p, " ...");
}

static void flag(struct pretty *p, int *nflags, const char *text)
{
	put(p, *nflags ? ", " : "  (");
	put(p, text);
	(*nflags)++;
}

static void end_flags(struct pretty *p, int nflags)
{
	if (nflags)
		put(p, ")");
}

/* suppressed_by: a rule name from the rules file */
static void flag_suppressed(struct pretty *p, const struct jv *rec, int *nflags)
{
	size_t n;
	const char *s = jstr(rec, "suppressed_by", &n);

	if (!s)
		return;
	flag(p, nflags, "suppressed by ");
	put_esc(p, s, n, 64, false);
}

static void header(struct pretty *p)
{
	if (p->header_done)
		return;
	p->header_done = true;
	sgr(p, SGR_BOLD);
	putf(p, "%-*s %-*s %-*s %-*s %-*s %-*s %-*s %s", W_TIME, "TIME",
	     W_SCOPE, "SCOPE", W_WHERE, "NAMESPACE/POD/CONTAINER", W_PID, "PID",
	     W_USER, "USER", W_TTY, "TTY", W_SHELL, "SHELL", "COMMAND");
	end_line(p);
}

static void show_exec(struct pretty *p, const struct jv *rec)
{
	int nflags = 0;
	char risk[32];

	header(p);
	col_time(p, rec);
	col_scope(p, rec);
	col_where(p, rec);
	col_pid(p, rec);
	col_user(p, rec);
	col_field(p, rec, "process.tty.name", W_TTY);
	sgr(p, SGR_BOLD);
	col_field(p, rec, "shell.name", W_SHELL);
	sgr(p, SGR_RESET);
	put_command(p, rec);
	sgr(p, SGR_DIM);
	if (!jstr_is(rec, "entry", "spawned")) {
		size_t n;
		const char *s = jstr(rec, "entry", &n);

		if (s) {
			flag(p, &nflags, "");
			put_esc(p, s, n, 32, false);
		}
	}
	if (jv_bool(jv_get(rec, "found_at_start")) == 1)
		flag(p, &nflags, "found at start");
	if (jhas_num(rec, "detection.risk_score") &&
	    jnum(rec, "detection.risk_score") != 25) {
		snprintf(risk, sizeof(risk), "risk %.0f",
			 jnum(rec, "detection.risk_score"));
		flag(p, &nflags, risk);
	}
	flag_suppressed(p, rec, &nflags);
	if (jv_len(jv_get(rec, "truncated")))
		flag(p, &nflags, "truncated");
	end_flags(p, nflags);
	end_line(p);
}

/* the pid in an exec_id: <boot>-<pid>-<start>-<exec> */
static long exec_id_pid(const struct jv *rec)
{
	size_t n;
	const char *s = jstr(rec, "exec_id", &n);
	const char *dash = s ? memchr(s, '-', n) : NULL;

	return dash ? strtol(dash + 1, NULL, 10) : 0;
}

/* a command record: indented under its session's shell */
static void show_command(struct pretty *p, const struct jv *rec)
{
	double depth = jnum(rec, "command.depth");
	int nflags = 0;
	char sess[48];

	header(p);
	col_time(p, rec);
	if (!(depth >= 1))
		depth = 1;
	spaces(p, 2 * (depth < PRETTY_DEPTH_MAX ? (size_t)depth : PRETTY_DEPTH_MAX));
	put(p, "\\_ ");
	col_pid(p, rec);
	col_user(p, rec);
	put_command(p, rec);
	sgr(p, SGR_DIM);
	snprintf(sess, sizeof(sess), "session %ld", exec_id_pid(rec));
	flag(p, &nflags, sess);
	if (jv_bool(jv_get(rec, "session.user_changed")) == 1)
		flag(p, &nflags, "user changed");
	if (jv_bool(jv_get(rec, "session.group_changed")) == 1)
		flag(p, &nflags, "group changed");
	flag_suppressed(p, rec, &nflags);
	end_flags(p, nflags);
	end_line(p);
}

static void put_bytes(struct pretty *p, double b)
{
	if (b >= 1024.0 * 1024 * 1024)
		putf(p, "%.1f GiB", b / (1024.0 * 1024 * 1024));
	else if (b >= 1024.0 * 1024)
		putf(p, "%.1f MiB", b / (1024.0 * 1024));
	else
		putf(p, "%.0f KiB", b / 1024.0);
}

/* time, scope, where, pid, then what: the start of window and exit lines */
static void proc_cols(struct pretty *p, const struct jv *rec, const char *what)
{
	col_time(p, rec);
	col_scope(p, rec);
	col_where(p, rec);
	col_pid(p, rec);
	putf(p, "%-*s ", W_USER, what);
	col_field(p, rec, "process.executable.name", W_TTY + 1 + W_SHELL);
}

static void show_window(struct pretty *p, const struct jv *rec)
{
	header(p);
	sgr(p, SGR_DIM);
	proc_cols(p, rec, "~ window");
	putf(p, "cpu %.2f%% (%.3f s)  mem ",
	     jnum(rec, "process.cpu.utilization") * 100,
	     jnum(rec, "process.cpu.time"));
	put_bytes(p, jnum(rec, "process.memory.usage"));
	putf(p, " (%.2f%%)  %.0f s", jnum(rec, "process.memory.utilization") * 100,
	     jnum(rec, "window.seconds"));
	end_line(p);
}

static void show_exit(struct pretty *p, const struct jv *rec)
{
	size_t n;
	const char *s;

	header(p);
	proc_cols(p, rec, jv_bool(jv_get(rec, "process.forked")) == 1 ?
		  "x exit (fork)" : "x exit");
	if (jstr_is(rec, "process.exit.reason", "exec")) {
		put(p, "exec ");
		s = jstr(rec, "process.exit.exec_name", &n);
		if (s)
			put_esc(p, s, n, 64, false);
	} else if (jstr_is(rec, "process.exit.reason", "lost")) {
		put(p, "lost track");
	} else if (jhas_num(rec, "process.exit.signal")) {
		putf(p, "signal %.0f", jnum(rec, "process.exit.signal"));
	} else {
		putf(p, "code %.0f", jnum(rec, "process.exit.code"));
	}
	if (jhas_num(rec, "process.exit.lifetime"))
		putf(p, " after %.2f s", jnum(rec, "process.exit.lifetime"));
	putf(p, "  cpu %.3f s  peak ", jnum(rec, "process.cpu.time"));
	put_bytes(p, jnum(rec, "process.memory.peak"));
	end_line(p);
}

/* the members of an object of counters: "name N, ..."; the ones above 0
 * when nonzero is set; "none" when none is written */
static void put_counters(struct pretty *p, const struct jv *obj, bool nonzero)
{
	size_t i, shown = 0;

	for (i = 0; i < jv_len(obj); i++) {
		const struct jv *v = jv_val_at(obj, i);

		if (jv_type(v) != JV_NUMBER || (nonzero && jv_num(v) == 0))
			continue;
		put(p, shown++ ? ", " : "");
		put_esc(p, jv_key_at(obj, i), jv_keylen_at(obj, i), 64, false);
		putf(p, " %.0f", jv_num(v));
	}
	if (!shown)
		put(p, "none");
}

static void show_loss(struct pretty *p, const struct jv *rec)
{
	col_time(p, rec);
	sgr(p, SGR_RED);
	putf(p, "LOSS: %.0f records lost: ", jnum(rec, "lost"));
	put_counters(p, jv_get(rec, "reasons"), true);
	end_line(p);
}

static void show_stats(struct pretty *p, const struct jv *rec)
{
	static const char *const counters[] = {
		"execs", "shells", "reported", "suppressed", "windows",
		"exits", "tracked",
	};
	char key[32];
	size_t i;

	col_time(p, rec);
	sgr(p, SGR_DIM);
	put(p, "stats:");
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		snprintf(key, sizeof(key), "stats.%s", counters[i]);
		if (jhas_num(rec, key))
			putf(p, " %s %.0f,", counters[i], jnum(rec, key));
	}
	put(p, " lost: ");
	put_counters(p, jv_get(rec, "stats.lost"), true);
	putf(p, "; cpu %.2f s, rss ", jnum(rec, "stats.cpu_seconds"));
	put_bytes(p, jnum(rec, "stats.rss_bytes"));
	put(p, ", queue ");
	put_bytes(p, jnum(rec, "stats.queue_bytes"));
	end_line(p);
}

static void show_start(struct pretty *p, const struct jv *rec)
{
	const struct jv *shells = jv_get(rec, "sensor.shells");
	size_t i, n;
	const char *s;

	col_time(p, rec);
	sgr(p, SGR_BOLD);
	put(p, "shellwatch ");
	s = jstr(rec, "sensor.version", &n);
	if (s)
		put_esc(p, s, n, 32, false);
	put(p, " started on node ");
	s = jstr(rec, "k8s.node.name", &n);
	if (s)
		put_esc(p, s, n, 64, false);
	put(p, " (cluster ");
	s = jstr(rec, "k8s.cluster.name", &n);
	if (s)
		put_esc(p, s, n, 64, false);
	putf(p, "), pid %.0f", jnum(rec, "sensor.pid"));
	sgr(p, SGR_RESET);
	sgr(p, SGR_DIM);
	put(p, "; shells:");
	for (i = 0; i < jv_len(shells) && i < 64; i++) {
		put(p, " ");
		put_esc(p, jv_str(jv_at(shells, i)), jv_strlen(jv_at(shells, i)),
			32, false);
	}
	end_line(p);
	header(p);
}

static void show_stop(struct pretty *p, const struct jv *rec)
{
	size_t n;
	const char *s = jstr(rec, "reason", &n);

	col_time(p, rec);
	sgr(p, SGR_BOLD);
	put(p, "shellwatch stopped (");
	if (s)
		put_esc(p, s, n, 32, false);
	putf(p, "): execs %.0f, shells %.0f, reported %.0f, lost %.0f, malformed %.0f",
	     jnum(rec, "stats.execs"), jnum(rec, "stats.shells"),
	     jnum(rec, "stats.reported"), jnum(rec, "stats.lost"),
	     jnum(rec, "stats.malformed"));
	end_line(p);
}

static const struct {
	const char *type;
	void (*show)(struct pretty *p, const struct jv *rec);
} shows[] = {
	{ "exec", show_exec },
	{ "command", show_command },
	{ "window", show_window },
	{ "exit", show_exit },
	{ "loss", show_loss },
	{ "stats", show_stats },
	{ "start", show_start },
	{ "stop", show_stop },
};

size_t pretty_format(struct pretty *p, const char *json, size_t n,
		     const char **out)
{
	char err[96];
	struct jv *rec;
	size_t i, tn;
	const char *type;

	p->len = 0;
	*out = p->buf;
	if (!p->buf)
		return 0;
	rec = jv_parse(json, n, err, sizeof(err));
	if (!rec) {
		put(p, "shellwatch: a record could not be shown: ");
		put(p, err);
		put(p, "\n");
		return p->len;
	}
	type = jstr(rec, "type", &tn);
	for (i = 0; type && i < sizeof(shows) / sizeof(shows[0]); i++) {
		if (tn == strlen(shows[i].type) && !memcmp(type, shows[i].type, tn)) {
			shows[i].show(p, rec);
			break;
		}
	}
	if (type && i == sizeof(shows) / sizeof(shows[0])) {
		col_time(p, rec);
		put_esc(p, type, tn, 32, false);
		end_line(p);
	}
	jv_free(rec);
	/* a line cut at the buffer's end still ends */
	if (p->len && p->buf[p->len - 1] != '\n')
		p->buf[p->len - 1] = '\n';
	p->buf[p->len] = '\0';
	return p->len;
}
