// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every recorded dataset replayed: tests/data/<scenario>/recording.swr run
 * through `shellwatch --replay` (no BPF, no root) gives the scenario's
 * committed HEC lines and JSON records line for line, but for seq (the
 * live run numbered its stats records too). The JSON records committed
 * are the live HEC events' records (record.sh cuts them out of the lines),
 * so they are compared with the replayed HEC events' records. The lines compared are the
 * scenario's own, as tests/scenarios/record.sh kept them: those naming
 * its cgroups. And a recording the replay cannot use ends it with exit
 * status 2 and one line on stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "exec.h"
#include "recording.h"

#define DATA_DIR	"tests/data"
#define MAX_LINES	4096
/* the cgroups of a scenario, as record.sh names them */
#define SCENARIO_MARK	"/sw-scn-"
/* a HEC event line, its record in group 1 (metric lines do not match) */
#define HEC_EVENT	"^\\{\"time\":[0-9.]*,\"host\":\"[^\"]*\",\"source\":\"shellwatch\"," \
			"\"sourcetype\":\"shellwatch:[a-z]*\",\"event\":(.*)\\}$"

struct lines {
	char *l[MAX_LINES];
	size_t n;
};

static const char *sensor(void)
{
	const char *s = getenv("SHELLWATCH");

	return s && s[0] ? s : "build/shellwatch";
}

/* a line without its "seq" member */
static char *without_seq(const char *line)
{
	static regex_t re;
	static int compiled;
	char *out = strdup(line);
	regmatch_t m;

	cr_assert(out);
	if (!compiled) {
		cr_assert_eq(regcomp(&re, "\"seq\":[0-9]+,", REG_EXTENDED), 0);
		compiled = 1;
	}
	while (!regexec(&re, out, 1, &m, 0))
		memmove(out + m.rm_so, out + m.rm_eo,
			strlen(out + m.rm_eo) + 1);
	return out;
}

/* the scenario's lines of f, seq removed; only HEC events' records, when
 * asked */
static void read_lines(FILE *f, bool only_scenario, bool events,
		       struct lines *ls)
{
	static regex_t re;
	static int compiled;
	char *line = NULL;
	regmatch_t m[2];
	size_t cap = 0;
	ssize_t n;

	if (!compiled) {
		cr_assert_eq(regcomp(&re, HEC_EVENT, REG_EXTENDED), 0);
		compiled = 1;
	}
	ls->n = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (only_scenario && !strstr(line, SCENARIO_MARK))
			continue;
		if (events) {
			if (regexec(&re, line, 2, m, 0))
				continue;
			line[m[1].rm_eo] = '\0';
			memmove(line, line + m[1].rm_so,
				m[1].rm_eo - m[1].rm_so + 1);
		}
		cr_assert(ls->n < MAX_LINES, "more than %d lines", MAX_LINES);
		ls->l[ls->n++] = without_seq(line);
	}
	free(line);
}

static void free_lines(struct lines *ls)
{
	while (ls->n)
		free(ls->l[--ls->n]);
}

static void replay_matches(const char *scenario, bool events,
			   const char *committed)
{
	struct lines *got = calloc(1, sizeof(*got));
	struct lines *want = calloc(1, sizeof(*want));
	char cmd[1024], path[512];
	FILE *f;
	size_t i;
	int status;

	snprintf(path, sizeof(path), DATA_DIR "/%s/%s", scenario, committed);
	f = fopen(path, "r");
	cr_assert(f, "%s: %s", path, strerror(errno));
	read_lines(f, false, false, want);
	fclose(f);
	cr_assert_gt(want->n, 0, "%s: no lines", path);

	/* events.jsonl holds the HEC events' records, as record.sh cut them */
	snprintf(cmd, sizeof(cmd), "%s --replay " DATA_DIR "/%s/recording.swr --format hec",
		 sensor(), scenario);
	f = popen(cmd, "r");
	cr_assert(f, "%s: %s", cmd, strerror(errno));
	read_lines(f, true, events, got);
	status = pclose(f);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "%s: exit status %d", cmd, WEXITSTATUS(status));

	for (i = 0; i < want->n && i < got->n; i++)
		cr_assert_str_eq(got->l[i], want->l[i],
				 "%s, %s line %zu:\nreplayed %s\ncommitted %s",
				 scenario, committed, i + 1, got->l[i],
				 want->l[i]);
	cr_assert_eq(got->n, want->n, "%s, %s: %zu lines replayed, %zu committed",
		     scenario, committed, got->n, want->n);
	free_lines(got);
	free_lines(want);
	free(got);
	free(want);
}

Test(replay, every_dataset)
{
	DIR *d = opendir(DATA_DIR);
	struct dirent *e;
	struct stat st;
	char path[512];
	int n = 0;

	cr_assert(d, DATA_DIR ": %s", strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), DATA_DIR "/%s/recording.swr",
			 e->d_name);
		cr_assert_eq(stat(path, &st), 0,
			     "dataset %s has no recording: %s", e->d_name,
			     strerror(errno));
		/* recordings stay small: KBs */
		cr_assert_lt(st.st_size, 256 * 1024, "%s: %lld bytes", path,
			     (long long)st.st_size);
		replay_matches(e->d_name, false, "hec.jsonl");
		replay_matches(e->d_name, true, "events.jsonl");
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 10, "%d datasets", n);
}

/* a file the replay refuses: exit 2, one line naming it */
static void refused(const void *bytes, size_t n, const char *want)
{
	char path[] = "/tmp/sw-replay-XXXXXX", errp[64], cmd[512], msg[512];
	int fd = mkstemp(path), status;
	size_t len;
	FILE *f;

	cr_assert(fd >= 0);
	cr_assert(write(fd, bytes, n) == (ssize_t)n);
	close(fd);
	snprintf(errp, sizeof(errp), "%s.err", path);
	snprintf(cmd, sizeof(cmd), "%s --replay %s >/dev/null 2>%s", sensor(),
		 path, errp);
	status = system(cmd);
	f = fopen(errp, "r");
	cr_assert(f);
	len = fread(msg, 1, sizeof(msg) - 1, f);
	msg[len] = '\0';
	fclose(f);
	unlink(path);
	unlink(errp);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		  "%s: exit status %d, stderr '%s'", want, WEXITSTATUS(status),
		  msg);
	cr_assert(strstr(msg, "--replay") && strstr(msg, want),
		  "expected '%s' in '%s'", want, msg);
	cr_assert(len > 0 && strchr(msg, '\n') == msg + len - 1,
		  "one line, not '%s'", msg);
}

Test(replay, foreign_file_exits_2)
{
	static const char text[] = "{\"type\":\"exec\"}\n";

	refused(text, sizeof(text) - 1, "not a shellwatch recording");
}

Test(replay, truncated_recording_exits_2)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(DATA_DIR "/webshell/recording.swr", "r");

	cr_assert(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	cr_assert_gt(n, 64);
	refused(buf, n / 2, "truncated");
}

Test(replay, missing_file_exits_2)
{
	char cmd[256];
	int status;

	snprintf(cmd, sizeof(cmd), "%s --replay /nonexistent/rec.swr 2>/dev/null",
		 sensor());
	status = system(cmd);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
		  "exit status %d", WEXITSTATUS(status));
}

/* a found shell's exec in either layout (struct sw_exec, or an older one's
 * struct rec_exec_v2) */
#define FILL_FOUND(ex, flags_) do {					\
	(ex)->type = SW_EVENT_EXEC;					\
	(ex)->pid = (ex)->ppid = (ex)->vpid = 4242;			\
	(ex)->start_ns = 500000000;					\
	(ex)->mntns = 4026532999;					\
	(ex)->parent_mntns = 4026531832;				\
	(ex)->flags = (flags_);						\
	(ex)->match = SW_MATCH_BINARY;					\
	(ex)->found_at_start = true;					\
	strcpy((ex)->comm, "sh");					\
	strcpy((ex)->shell, "sh");					\
	strcpy((ex)->exe, "/bin/sh");					\
	strcpy((ex)->parent_exe, "/usr/bin/runc");			\
	strcpy((ex)->cwd, "/");						\
	memcpy((ex)->argv, "sh", 3);					\
	(ex)->argv_len = 3;						\
} while (0)

/* the facts of a small recording of this version's layouts */
static void test_facts(struct rec_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->mem_total = 1ULL << 34;
	f->page_size = 4096;
	f->clk_tck = 100;
	f->window_ns = 10000000000ULL;
	f->ncpu = 2;
	f->exec_event_size = sizeof(struct sw_exec_event);
	f->proc_event_size = sizeof(struct sw_proc_event);
	strcpy(f->host_name, "vm");
	strcpy(f->node_name, "worker-1");
	strcpy(f->cluster_name, "lab");
	strcpy(f->boot_id, "0a1b2c3d");
	strcpy(f->shells, "sh,bash");
	strcpy(f->version, "test");
}

/*
 * a found shell replayed: with this version's struct, its view as
 * recorded; with an older one's (no view), no view fields at all,
 * whatever bits the older flags held
 */
static void replay_found(size_t exec_size, uint32_t flags, char *out,
			 size_t len)
{
	char path[] = "/tmp/sw-replay-found-XXXXXX", cmd[512];
	struct rec_time t = { .boot_ns = 1000000000, .real_ns = 2000000000 };
	unsigned char *frame = calloc(1, sizeof(struct rec_found) +
					     sizeof(struct sw_exec) +
					     REC_EXEC_V2_SIZE);
	void *ex = frame + sizeof(struct rec_found);
	struct rec_writer *w;
	struct rec_facts f;
	size_t n;
	FILE *p;
	int fd = mkstemp(path);

	cr_assert(fd >= 0 && frame);
	close(fd);
	test_facts(&f);
	if (exec_size == sizeof(struct sw_exec))
		FILL_FOUND((struct sw_exec *)ex, flags);
	else
		FILL_FOUND((struct rec_exec_v2 *)ex, flags);
	cr_assert_eq(rec_writer_open(&w, path), 0);
	cr_assert_eq(rec_write(w, REC_FACTS, &f, sizeof(f)), 0);
	cr_assert_eq(rec_write(w, REC_TIME, &t, sizeof(t)), 0);
	cr_assert_eq(rec_write(w, REC_FOUND, frame,
			       sizeof(struct rec_found) + exec_size), 0);
	cr_assert_eq(rec_write(w, REC_SCAN_END, NULL, 0), 0);
	cr_assert_eq(rec_writer_close(w), 0);
	snprintf(cmd, sizeof(cmd), "%s --replay %s | grep '\"type\":\"exec\"'",
		 sensor(), path);
	p = popen(cmd, "r");
	cr_assert(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	pclose(p);
	unlink(path);
	free(frame);
	cr_assert(strstr(out, "\"pid\":4242"), "no exec record replayed: '%s'",
		  out);
}

Test(replay, found_shell_keeps_its_view)
{
	char out[16384];

	replay_found(sizeof(struct sw_exec), SW_F_VIEW | SW_F_PARENT_HOST_VIEW,
		     out, sizeof(out));
	cr_assert(strstr(out, "\"namespace\":{\"mnt\":4026531832},\"host_view\":true"),
		  "the parent's view is not in '%s'", out);
	cr_assert(strstr(out, "\"mnt\":4026532999},\"host_view\":false"),
		  "the shell's view is not in '%s'", out);
}

Test(replay, found_shell_of_an_older_recording_has_no_view)
{
	char out[16384];

	replay_found(SW_EXEC_V1_SIZE, SW_F_VIEW | SW_F_HOST_VIEW, out,
		     sizeof(out));
	cr_assert_null(strstr(out, "host_view"), "a view in '%s'", out);
	cr_assert_null(strstr(out, "4026531832"), "the parent's namespace in '%s'",
		       out);
}

/*
 * a found shell's exit replayed from a recording whose proc records are
 * proc_size bytes, the exit record's flags and session those given, after
 * a session frame that answers 7 commands; the exit line into out
 */
static void replay_end(size_t proc_size, uint32_t flags, uint32_t sent,
		       char *out, size_t len)
{
	char path[] = "/tmp/sw-replay-end-XXXXXX", cmd[512];
	struct rec_time t = { .boot_ns = 1000000000, .real_ns = 2000000000 };
	unsigned char *frame = calloc(1, sizeof(struct rec_found) +
					     sizeof(struct sw_exec));
	struct sw_exec *ex = (void *)(frame + sizeof(struct rec_found));
	struct rec_session sess = {
		.pid = 4242, .start_ns = 500000000, .exec_ns = 0,
		.s = { .sent = 7 },
	};
	struct sw_proc_event pe = {
		.type = SW_EVENT_EXIT, .pid = 4242, .start_ns = 500000000,
		.time_ns = 1500000000, .flags = flags,
		.session = { .sent = sent },
	};
	struct rec_writer *w;
	struct rec_facts f;
	size_t n;
	FILE *p;
	int fd = mkstemp(path);

	cr_assert(fd >= 0 && frame);
	close(fd);
	test_facts(&f);
	f.flags = REC_F_TRAIL;
	f.proc_event_size = proc_size;
	FILL_FOUND(ex, 0);
	cr_assert_eq(rec_writer_open(&w, path), 0);
	cr_assert_eq(rec_write(w, REC_FACTS, &f, sizeof(f)), 0);
	cr_assert_eq(rec_write(w, REC_TIME, &t, sizeof(t)), 0);
	cr_assert_eq(rec_write(w, REC_FOUND, frame,
			       sizeof(struct rec_found) + sizeof(*ex)), 0);
	cr_assert_eq(rec_write(w, REC_SCAN_END, NULL, 0), 0);
	cr_assert_eq(rec_write(w, REC_SESSION, &sess, sizeof(sess)), 0);
	cr_assert_eq(rec_write(w, REC_RING, &pe, proc_size), 0);
	cr_assert_eq(rec_writer_close(w), 0);
	snprintf(cmd, sizeof(cmd), "%s --replay %s | grep '\"type\":\"exit\"'",
		 sensor(), path);
	p = popen(cmd, "r");
	cr_assert(p);
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	pclose(p);
	unlink(path);
	free(frame);
	cr_assert(strstr(out, "\"pid\":4242"), "no exit record replayed: '%s'",
		  out);
}

/* this version's end record carries the counters: no session frame asked */
Test(replay, session_counts_from_the_end_record)
{
	char out[16384];

	replay_end(sizeof(struct sw_proc_event), SW_P_SESSION, 9, out,
		   sizeof(out));
	cr_assert(strstr(out, "\"session\":{\"commands\":9,"),
		  "not the end record's 9 commands: '%s'", out);
}

/* an older recording's 96-byte end record: the session frame answers */
Test(replay, session_counts_of_an_older_recording_from_its_session_frame)
{
	char out[16384];

	replay_end(SW_PROC_V1_SIZE, 0, 0, out, sizeof(out));
	cr_assert(strstr(out, "\"session\":{\"commands\":7,"),
		  "not the session frame's 7 commands: '%s'", out);
}
