// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "options.h"
#include "metrics.h"
#include "pins.h"
#include "shellwatch.h"

#ifndef SHELLWATCH_VERSION
#define SHELLWATCH_VERSION "0.0.0"
#endif

enum {
	OPT_FORMAT = 0x100,
	OPT_SHELLS,
	OPT_NODE_NAME,
	OPT_CLUSTER_NAME,
	OPT_DURATION,
	OPT_RINGBUF,
	OPT_NO_SCAN,
	OPT_WINDOW,
	OPT_ALL_WINDOWS,
	OPT_FIELDS,
	OPT_QUEUE,
	OPT_HEARTBEAT,
	OPT_LOCK_FILE,
	OPT_LOG_DIR,
	OPT_KEEP_PRIVS,
	OPT_RULES,
	OPT_SHOW_SUPPRESSED,
	OPT_NO_SECCOMP,
	OPT_PIN_PATH,
	OPT_CHECK,
	OPT_METRICS,
	OPT_TRAIL,
	OPT_TRAIL_RATE,
	OPT_TRAIL_MAX,
	OPT_TRAIL_DEPTH,
	OPT_TRACK_MAX,
	OPT_RECORD,
	OPT_REPLAY,
};

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "shells", required_argument, NULL, OPT_SHELLS },
	{ "node-name", required_argument, NULL, OPT_NODE_NAME },
	{ "cluster-name", required_argument, NULL, OPT_CLUSTER_NAME },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "no-scan", no_argument, NULL, OPT_NO_SCAN },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "all-windows", no_argument, NULL, OPT_ALL_WINDOWS },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	/* its name before 4.0, when it was of window and exit records only */
	{ "window-fields", required_argument, NULL, OPT_FIELDS },
	{ "queue", required_argument, NULL, OPT_QUEUE },
	{ "heartbeat", required_argument, NULL, OPT_HEARTBEAT },
	{ "lock-file", required_argument, NULL, OPT_LOCK_FILE },
	{ "log-dir", required_argument, NULL, OPT_LOG_DIR },
	{ "keep-privileges", no_argument, NULL, OPT_KEEP_PRIVS },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED },
	{ "no-seccomp", no_argument, NULL, OPT_NO_SECCOMP },
	{ "pin-path", required_argument, NULL, OPT_PIN_PATH },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "trail", required_argument, NULL, OPT_TRAIL },
	{ "trail-rate", required_argument, NULL, OPT_TRAIL_RATE },
	{ "trail-max", required_argument, NULL, OPT_TRAIL_MAX },
	{ "trail-depth", required_argument, NULL, OPT_TRAIL_DEPTH },
	{ "track-max", required_argument, NULL, OPT_TRACK_MAX },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void opts_usage(FILE *f)
{
	fprintf(f,
"usage: shellwatch [OPTION]...\n"
"Report every shell process started on this node as JSON lines on stdout.\n"
"\n"
"  --format FORMAT        output format: json (default), hec (Splunk HTTP\n"
"                         Event Collector objects, windows as metrics) or\n"
"                         pretty (aligned columns for people, escaped for\n"
"                         the terminal; colour on a terminal without NO_COLOR)\n"
"  --shells LIST          comma-separated shell names (default:\n"
"                         " SHELLS_DEFAULT ")\n"
"  --node-name NAME       k8s.node.name (default: $NODE_NAME, else the host name)\n"
"  --cluster-name NAME    k8s.cluster.name (default: $CLUSTER_NAME, else \"unknown\")\n"
"  --duration SECONDS     stop after SECONDS (default: run until SIGINT/SIGTERM)\n"
"  --ringbuf-size BYTES   kernel ring buffer size, a power of two (default: %u)\n"
"  --window SECONDS       utilization window, aligned to the wall clock\n"
"                         (default: %u, from 1 to %u)\n"
"  --all-windows          also write windows whose CPU and memory are zero\n"
"  --fields MODE          compact (default): records leave out nulls, false\n"
"                         flags, empty objects and fields others say; window\n"
"                         and exit records keep the fields searches group by\n"
"                         and a 64-byte command line prefix, and a shell that\n"
"                         ends within its first window gets that window in its\n"
"                         exit record; full: every field (schema 3.4's\n"
"                         records), the command line up to 1 KiB in window and\n"
"                         exit records, and a window record for every window\n"
"                         (--window-fields is its older name)\n"
"  --queue BYTES          output queue for a stalled reader; records beyond it\n"
"                         are dropped and reported as loss (default: %u)\n"
"  --heartbeat SECONDS    seconds between stats records (default: %u)\n"
"  --lock-file PATH       one sensor per node: the lock it holds\n"
"                         (default: " OPT_LOCK_DEFAULT ")\n"
"  --rules FILE           allowlist rules (YAML); SIGHUP reloads them\n"
"  --show-suppressed      write shells the rules suppress, with suppressed_by\n"
"  --log-dir DIR          the kubelet's log directory, with containers/ and\n"
"                         pods/, to name pods and containers (default: /var/log)\n"
"  --no-scan              do not report shells already running at start\n"
"  --trail MODE           commands (default): a command record for every\n"
"                         program a shell session execs; off: none\n"
"  --trail-rate N         command records per session and second (default: %u,\n"
"                         0: no limit); the rest are counted\n"
"  --trail-max N          command records per session (default: %u, 0: no\n"
"                         limit); the rest are counted\n"
"  --trail-depth N        follow commands N levels below the shell (default: 0,\n"
"                         every level)\n"
"  --track-max N          processes tracked at once, shells, forks and their\n"
"                         commands (default: %u, at most %u); a shell beyond\n"
"                         it is reported with untracked: over_limit, no\n"
"                         windows or exit, and counted\n"
"  --keep-privileges      do not drop capabilities after start (default: keep\n"
"                         only CAP_BPF, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH\n"
"                         once attached and past the scan)\n"
"  --no-seccomp           no system call allowlist after start (default: on;\n"
"                         off in sanitizer builds)\n"
"  --pin-path DIR         pin maps and programs in DIR for bpftool, on a BPF\n"
"                         filesystem; " PINS_BPFFS " is mounted if it is not\n"
"                         (default: " PINS_DEFAULT "; '' for none)\n"
"  --metrics HOST:PORT    serve the stats counters in the Prometheus text\n"
"                         format at http://HOST:PORT/metrics; a numeric IPv4\n"
"                         address or [IPv6] (default: off)\n"
"  --check                liveness check, for a probe: exit 0 when the sensor\n"
"                         pinned at --pin-path beat in the last %u s, is alive\n"
"                         and has every program attached, else 1\n"
"  --record FILE          also write what the sensor receives (kernel records and\n"
"                         the node's facts) into FILE, to replay it\n"
"  --replay FILE          run the pipeline on a recording instead of the kernel\n"
"                         (no BPF, no root): the records of the recorded run\n"
"  -v, --verbose          diagnostics on stderr, with libbpf's and the verifier's log\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 clean stop, 1 runtime failure, 2 usage or configuration error;\n"
"with --check: 0 alive, 1 not alive (the reason on stderr), 2 usage.\n",
		OPT_RINGBUF_DEFAULT, OPT_WINDOW_DEFAULT, OPT_WINDOW_MAX,
		OPT_QUEUE_DEFAULT, OPT_HEARTBEAT_DEFAULT, OPT_TRAIL_RATE_DEFAULT,
		OPT_TRAIL_MAX_DEFAULT, SW_TRACK_MAX, SW_TRACK_LIMIT,
		PINS_CHECK_AGE);
}

static int set_name(char *dst, const char *src, const char *what, FILE *err)
{
	if (!src[0] || strlen(src) >= OPT_NAME_LEN) {
		fprintf(err, "shellwatch: %s must be 1 to %d bytes\n", what,
			OPT_NAME_LEN - 1);
		return -EINVAL;
	}
	strcpy(dst, src);
	return 0;
}

static int parse_duration(const char *s, double *out, FILE *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v <= 0) {
		fprintf(err, "shellwatch: --duration takes a positive number of seconds, not '%s'\n",
			s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_ringbuf(const char *s, size_t *out, FILE *err)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v < 4096 || v > (1ULL << 30) ||
	    (v & (v - 1))) {
		fprintf(err, "shellwatch: --ringbuf-size takes a power of two from 4096 to 1073741824, not '%s'\n",
			s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_window(const char *s, unsigned int *out, FILE *err)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < 1 ||
	    v > OPT_WINDOW_MAX) {
		fprintf(err, "shellwatch: --window takes whole seconds from 1 to %u, not '%s'\n",
			OPT_WINDOW_MAX, s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* a whole number from min to max, for option opt */
static int parse_uint(const char *s, const char *opt, unsigned long long min,
		      unsigned long long max, unsigned long long *out, FILE *err)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		fprintf(err, "shellwatch: %s takes a whole number from %llu to %llu, not '%s'\n",
			opt, min, max, s);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* the argv element getopt stopped in: for "-vx" it may not have moved on */
static const char *stopped_at(int argc, char **argv)
{
	int i = optind - 1;

	if (optopt > 0 && optopt < 0x100 && (i < 1 || argv[i][0] != '-' ||
	    argv[i][1] == '-' || !strchr(argv[i] + 1, optopt)) && optind < argc)
		i = optind;
	return i >= 1 && i < argc ? argv[i] : "";
}

/* say which option was wrong: a long one by its argument, a short one by
 * its letter and the argument it came in */
static void bad_option(FILE *err, const char *what, int argc, char **argv)
{
	const char *arg = stopped_at(argc, argv);

	if (optopt > 0 && optopt < 0x100 && strncmp(arg, "--", 2))
		fprintf(err, "shellwatch: %s: '-%c' in '%s'; see --help\n",
			what, optopt, arg);
	else
		fprintf(err, "shellwatch: %s: '%s'; see --help\n", what, arg);
}

static void set_defaults(struct sw_opts *o)
{
	const char *env;
	char buf[OPT_NAME_LEN];

	memset(o, 0, sizeof(*o));
	o->format = SW_FORMAT_JSON;
	o->ringbuf_bytes = OPT_RINGBUF_DEFAULT;
	o->scan = true;
	o->drop_privs = true;
	/* the sanitizers' runtime needs calls the allowlist refuses */
#if defined(__SANITIZE_ADDRESS__)
	o->seccomp = false;
#else
	o->seccomp = true;
#endif
	o->window = OPT_WINDOW_DEFAULT;
	o->queue_bytes = OPT_QUEUE_DEFAULT;
	o->heartbeat = OPT_HEARTBEAT_DEFAULT;
	o->fields = SW_FIELDS_COMPACT;
	o->trail = true;
	o->trail_rate = OPT_TRAIL_RATE_DEFAULT;
	o->trail_max = OPT_TRAIL_MAX_DEFAULT;
	o->track_max = SW_TRACK_MAX;
	strcpy(o->lock_file, OPT_LOCK_DEFAULT);
	strcpy(o->log_dir, "/var/log");
	strcpy(o->pin_path, PINS_DEFAULT);
	shells_parse(&o->shells, SHELLS_DEFAULT, buf, sizeof(buf));

	env = getenv("NODE_NAME");
	if (env && env[0] && strlen(env) < OPT_NAME_LEN)
		strcpy(o->node_name, env);
	else if (gethostname(buf, sizeof(buf)) == 0)
		snprintf(o->node_name, sizeof(o->node_name), "%.*s",
			 (int)sizeof(buf) - 1, buf);
	env = getenv("CLUSTER_NAME");
	if (env && env[0] && strlen(env) < OPT_NAME_LEN)
		strcpy(o->cluster_name, env);
	else
		strcpy(o->cluster_name, "unknown");
}

int opts_parse(struct sw_opts *o, int argc, char **argv, FILE *out, FILE *err)
{
	unsigned long long v;
	char msg[256];
	int c;

	set_defaults(o);
	/* 0, not 1: glibc also forgets a half-parsed "-xv" from a past call */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (!strcmp(optarg, "json")) {
				o->format = SW_FORMAT_JSON;
			} else if (!strcmp(optarg, "hec")) {
				o->format = SW_FORMAT_HEC;
			} else if (!strcmp(optarg, "pretty")) {
				o->format = SW_FORMAT_PRETTY;
			} else {
				fprintf(err, "shellwatch: unknown --format '%s' (json, hec or pretty)\n",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_SHELLS:
			if (shells_parse(&o->shells, optarg, msg, sizeof(msg))) {
				fprintf(err, "shellwatch: --shells: %s\n", msg);
				return -EINVAL;
			}
			break;
		case OPT_NODE_NAME:
			if (set_name(o->node_name, optarg, "--node-name", err))
				return -EINVAL;
			break;
		case OPT_CLUSTER_NAME:
			if (set_name(o->cluster_name, optarg, "--cluster-name", err))
				return -EINVAL;
			break;
		case OPT_DURATION:
			if (parse_duration(optarg, &o->duration, err))
				return -EINVAL;
			break;
		case OPT_RINGBUF:
			if (parse_ringbuf(optarg, &o->ringbuf_bytes, err))
				return -EINVAL;
			break;
		case OPT_WINDOW:
			if (parse_window(optarg, &o->window, err))
				return -EINVAL;
			break;
		case OPT_QUEUE:
			if (parse_uint(optarg, "--queue", 65536, 1ULL << 30, &v,
				       err))
				return -EINVAL;
			o->queue_bytes = v;
			break;
		case OPT_HEARTBEAT:
			if (parse_uint(optarg, "--heartbeat", 1, 86400, &v, err))
				return -EINVAL;
			o->heartbeat = v;
			break;
		case OPT_LOCK_FILE:
			if (set_name(o->lock_file, optarg, "--lock-file", err))
				return -EINVAL;
			break;
		case OPT_LOG_DIR:
			if (set_name(o->log_dir, optarg, "--log-dir", err))
				return -EINVAL;
			break;
		case OPT_ALL_WINDOWS:
			o->all_windows = true;
			break;
		case OPT_FIELDS:
			if (!strcmp(optarg, "compact")) {
				o->fields = SW_FIELDS_COMPACT;
			} else if (!strcmp(optarg, "full")) {
				o->fields = SW_FIELDS_FULL;
			} else {
				fprintf(err, "shellwatch: unknown --fields '%s' (compact or full)\n",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_RULES:
			if (set_name(o->rules, optarg, "--rules", err))
				return -EINVAL;
			break;
		case OPT_SHOW_SUPPRESSED:
			o->show_suppressed = true;
			break;
		case OPT_PIN_PATH:
			if (strlen(optarg) >= sizeof(o->pin_path)) {
				fprintf(err, "shellwatch: --pin-path must be shorter than %zu bytes\n",
					sizeof(o->pin_path));
				return -EINVAL;
			}
			strcpy(o->pin_path, optarg);
			break;
		case OPT_METRICS: {
			struct sockaddr_storage ss;
			unsigned int len;

			if (strlen(optarg) >= sizeof(o->metrics) ||
			    metrics_parse_addr(optarg, &ss, &len)) {
				fprintf(err, "shellwatch: --metrics takes HOST:PORT, a numeric IPv4 address or [IPv6], not '%s'\n",
					optarg);
				return -EINVAL;
			}
			strcpy(o->metrics, optarg);
			break;
		}
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_NO_SECCOMP:
			o->seccomp = false;
			break;
		case OPT_TRAIL:
			if (!strcmp(optarg, "commands")) {
				o->trail = true;
			} else if (!strcmp(optarg, "off")) {
				o->trail = false;
			} else {
				fprintf(err, "shellwatch: unknown --trail '%s' (off or commands)\n",
					optarg);
				return -EINVAL;
			}
			break;
		case OPT_TRAIL_RATE:
			if (parse_uint(optarg, "--trail-rate", 0, 1000000, &v,
				       err))
				return -EINVAL;
			o->trail_rate = v;
			break;
		case OPT_TRAIL_MAX:
			if (parse_uint(optarg, "--trail-max", 0, 1000000000, &v,
				       err))
				return -EINVAL;
			o->trail_max = v;
			break;
		case OPT_TRAIL_DEPTH:
			if (parse_uint(optarg, "--trail-depth", 0, 1000, &v, err))
				return -EINVAL;
			o->trail_depth = v;
			break;
		case OPT_TRACK_MAX:
			if (parse_uint(optarg, "--track-max", 1, SW_TRACK_LIMIT,
				       &v, err))
				return -EINVAL;
			o->track_max = v;
			break;
		case OPT_RECORD:
			if (set_name(o->record, optarg, "--record", err))
				return -EINVAL;
			break;
		case OPT_REPLAY:
			if (set_name(o->replay, optarg, "--replay", err))
				return -EINVAL;
			break;
		case OPT_KEEP_PRIVS:
			o->drop_privs = false;
			break;
		case OPT_NO_SCAN:
			o->scan = false;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			opts_usage(out);
			return OPTS_EXIT;
		case 'V':
			fprintf(out, "shellwatch %s\n", SHELLWATCH_VERSION);
			return OPTS_EXIT;
		case ':':
			bad_option(err, "option needs a value", argc, argv);
			return -EINVAL;
		default:
			bad_option(err, "unknown option, or a value for one that takes none",
				   argc, argv);
			return -EINVAL;
		}
	}
	if (o->record[0] && o->replay[0]) {
		fprintf(err, "shellwatch: --record and --replay exclude each other\n");
		return -EINVAL;
	}
	if (optind < argc) {
		fprintf(err, "shellwatch: unexpected argument '%s'; see --help\n",
			argv[optind]);
		return -EINVAL;
	}
	return OPTS_RUN;
}
