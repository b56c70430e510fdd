#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# shellwatch benchmark: one run measures exec overhead (against no sensor
# and against a bpftrace one-liner), the kernel-side cost per event, the
# context-switch overhead, the latency from exec to the line on stdout, the
# daemon's own CPU and memory, loss at 1,000 shells/s, coverage against a
# 10 s /proc poller, window accuracy and the rules engine's cost. Results go
# to build/bench/results.md and to stdout.
#
#   bash tests/bench/run.sh        (from the repo root, as root, after `make`)
#
# Needs: build/shellwatch, gcc, bpftool; bpftrace and perf if present
# (scripts/deps.sh bench installs them; this script installs nothing).
# Without bpftrace or perf those lines read "not measured".
#
# Knobs (environment): BENCH_ROUNDS (5), BENCH_EXECS (2000 execs per timed
# run), BENCH_LOAD_SECS (30, each load of steps 4/5), BENCH_STEPS (which
# steps: "1 2 3 4 6 7 8 9 10 11"; 4 is 4 and 5), SHELLWATCH (build/shellwatch).
# Takes about 5 to 7 minutes on 2 cores.
set -u
export LC_ALL=C

cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD
OUT=$ROOT/build/bench
RESULTS=$OUT/results.md
ROUNDS=${BENCH_ROUNDS:-5}
EXECS=${BENCH_EXECS:-2000}
LOAD_SECS=${BENCH_LOAD_SECS:-30}
STEPS=${BENCH_STEPS:-1 2 3 4 6 7 8 9 10 11}
SW_SRC=${SHELLWATCH:-$ROOT/build/shellwatch}
LOCK=/tmp/bench.lock
NCPU=$(nproc)
HZ=$(getconf CLK_TCK)
SHELL_NAMES="sh bash dash ash zsh ksh mksh csh tcsh fish"

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (BPF, bpf_stats, perf)"
[ -x "$SW_SRC" ] || die "no $SW_SRC: run 'make' first"
command -v gcc >/dev/null || die "gcc is missing"
command -v bpftool >/dev/null || die "bpftool is missing"

mkdir -p "$OUT" || exit 1
T=$(mktemp -d /tmp/swbench.XXXXXX) || exit 1

# ---------------------------------------------------------------- cleanup
PIDS=()			# every background process this script started
STATS_OLD=		# kernel.bpf_stats_enabled before, when changed
TRACEFS_MOUNTED=	# the tracefs mount point, when this script mounted it
RENDERED=

track() { PIDS+=("$1"); }

# a child of this script, alive or a zombie: bash reaps children on its
# own, so a bare pid may since belong to someone else
ours() {
	local s
	{ read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
	s=${s##*) }
	set -- $s
	[ "${2:-}" = "$$" ]
}
# ours and not yet a zombie
alive() {
	local s
	{ read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
	s=${s##*) }
	set -- $s
	[ "${2:-}" = "$$" ] && [ "$1" != Z ]
}

# fg OUT CMD...: run CMD with stdout (and stderr) to OUT, in the background
# and waited for, so that a signal to this script is handled at once and
# the trap can stop CMD; returns CMD's status
fg() {
	local out=$1 p
	shift
	"$@" > "$out" 2>&1 &
	p=$!
	track "$p"
	wait "$p"
}

# stop one process started here: signal, wait up to $3 s, then SIGKILL
stop_pid() {
	local pid=$1 sig=${2:-TERM} secs=${3:-10} i
	[ -n "$pid" ] || return 0
	ours "$pid" || { wait "$pid" 2>/dev/null; return 0; }
	kill -"$sig" "$pid" 2>/dev/null
	for ((i = 0; i < secs * 20; i++)); do
		alive "$pid" || break
		sleep 0.05
	done
	if alive "$pid"; then
		log "pid $pid did not stop on SIG$sig in ${secs}s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	return 0
}

cleanup() {
	local pid i left
	trap - EXIT INT TERM
	# TERM first (timeout(1) passes it on to its command), then KILL
	for pid in "${PIDS[@]}"; do
		alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for ((i = 0; i < 40; i++)); do
		left=
		for pid in "${PIDS[@]}"; do
			alive "$pid" && { left=1; break; }
		done
		[ -z "$left" ] && break
		sleep 0.05
	done
	for pid in "${PIDS[@]}"; do
		alive "$pid" && kill -KILL "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	if [ -n "$STATS_OLD" ]; then
		sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null 2>&1
		STATS_OLD=
	fi
	if [ -n "$TRACEFS_MOUNTED" ]; then
		umount "$TRACEFS_MOUNTED" 2>/dev/null
		TRACEFS_MOUNTED=
	fi
	[ -z "$RENDERED" ] && render "interrupted: the results below are partial"
	rm -rf "$T"
	# the lock file, unless another sensor holds it
	command -v flock >/dev/null && flock -n "$LOCK" rm -f "$LOCK" 2>/dev/null
	return 0
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------- results
ROWS=$T/rows		# summary: "id|measurement|value|target|verdict"
DETAILS=$T/details	# markdown sections
: > "$ROWS"
: > "$DETAILS"
NOTES=()

row() { printf '%s|%s|%s|%s|%s\n' "$@" >> "$ROWS"; }
detail() { printf '%s\n' "$@" >> "$DETAILS"; }
note() { NOTES+=("$*"); log "note: $*"; }

# verdict VALUE OP LIMIT: PASS, MISS or "not measured" (empty/non-numeric)
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		if (v !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) { print "not measured"; exit }
		v += 0; l += 0
		ok = (op == "<=") ? v <= l : (op == "<") ? v < l : \
		     (op == ">=") ? v >= l : (op == "==") ? v == l : 0
		print ok ? "PASS" : "MISS" }'
}

# numbers on stdin -> median ("" when none)
median() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (!NR) exit
		if (NR % 2) printf "%.6g\n", a[(NR + 1) / 2]
		else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# numbers on stdin -> "count p50 p99 max" (nearest rank), or "0 - - -"
percentiles() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (!NR) { print "0 - - -"; exit }
		i50 = int(NR * 0.50); if (i50 < NR * 0.50) i50++
		i99 = int(NR * 0.99); if (i99 < NR * 0.99) i99++
		printf "%d %.6g %.6g %.6g\n", NR, a[i50], a[i99], a[NR] }'
}

# calc EXPR [fmt]: awk arithmetic, "" when an operand is empty/non-numeric
calc() {
	awk -v fmt="${2:-%.4g}" "BEGIN { printf fmt \"\\n\", $1 }" 2>/dev/null
}
num_ok() { [[ "$1" =~ ^-?[0-9.]+(e[-+]?[0-9]+)?$ ]]; }
ratio() { num_ok "$1" && num_ok "$2" && calc "$1 / $2" "%.4f"; }

render() {
	local status=${1:-complete} n
	{
		echo "# shellwatch benchmark"
		echo
		echo "Status: $status."
		echo
		echo "## Machine"
		echo
		cat "$T/machine" 2>/dev/null
		echo
		echo "## Summary"
		echo
		echo "| # | Measurement | Value | Target | Verdict |"
		echo "|---|---|---|---|---|"
		awk -F'|' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$ROWS"
		echo
		if [ "${#NOTES[@]}" -gt 0 ]; then
			echo "## Notes"
			echo
			for n in "${NOTES[@]}"; do echo "- $n"; done
			echo
		fi
		echo "## Details"
		echo
		cat "$DETAILS"
	} > "$RESULTS.tmp" && mv "$RESULTS.tmp" "$RESULTS"
	RENDERED=1
}

# ---------------------------------------------------------------- helpers
BB=$OUT			# the helper binaries
CFLAGS_B="-O2 -Wall -Wextra -D_GNU_SOURCE"

build_helpers() {
	log "building helpers into build/bench/"
	gcc $CFLAGS_B -o "$BB/execloop" tests/bench/execloop.c &&
	gcc $CFLAGS_B -o "$BB/spawn" tests/bench/spawn.c -lm &&
	gcc $CFLAGS_B -o "$BB/latency" tests/bench/latency.c &&
	gcc $CFLAGS_B -o "$BB/procpoll" tests/bench/procpoll.c &&
	gcc $CFLAGS_B -Iuser -o "$BB/jfields" tests/bench/jfields.c \
		user/json_parse.c &&
	gcc $CFLAGS_B -o "$BB/emptyprogs" tests/bench/emptyprogs.c -lbpf &&
	clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ivmlinux/x86 \
		-c tests/bench/empty.bpf.c -o "$BB/empty.bpf.o" &&
	clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ivmlinux/x86 \
		-c tests/bench/floor.bpf.c -o "$BB/floor.bpf.o" &&
	clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ivmlinux/x86 \
		-c tests/bench/wake.bpf.c -o "$BB/wake.bpf.o" &&
	gcc $CFLAGS_B -o "$BB/wakeconsumer" tests/bench/wakeconsumer.c -lbpf
}

# wait_ready FILE PID WHAT: until FILE has the "ready" line; 1 if PID died
wait_ready() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' "$1" && return 0
		alive "$2" || break
		sleep 0.05
	done
	log "$3 did not start: $(head -c 300 "$1")"
	return 1
}

# start_wake BYTES OUT: the wake-up floor (wake.bpf.o and a consumer that
# writes BYTES per record to OUT); sets WAKE_PID, its stderr in OUT.err
start_wake() {
	"$BB/wakeconsumer" "$BB/wake.bpf.o" "$1" > "$2" 2> "$2.err" &
	WAKE_PID=$!
	track "$WAKE_PID"
	wait_ready "$2.err" "$WAKE_PID" wakeconsumer
}

# stats_on ROW WHAT: kernel.bpf_stats_enabled=1, the old value in STATS_OLD
# (restored by the step, or at exit); 1, with a "not measured" row, when it
# cannot be set
stats_on() {
	STATS_OLD=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null)
	if [ -z "$STATS_OLD" ] || ! sysctl -qw kernel.bpf_stats_enabled=1 >/dev/null 2>&1; then
		STATS_OLD=
		row "$1" "$2" "not measured (cannot set kernel.bpf_stats_enabled)" "" "not measured"
		return 1
	fi
}

# start_progs OBJ OUT: emptyprogs holding OBJ's programs; sets PROGS_PID
start_progs() {
	"$BB/emptyprogs" "$1" > "$2" 2>&1 &
	PROGS_PID=$!
	track "$PROGS_PID"
	wait_ready "$2" "$PROGS_PID" "emptyprogs $1"
}

# a private copy: a concurrent `make` cannot swap the binary mid-run
SW=$T/shellwatch
cp "$SW_SRC" "$SW" || die "cannot copy $SW_SRC"

# wait_start FILE PID: until FILE holds the start record; 1 if PID died
wait_start() {
	local i
	for ((i = 0; i < 400; i++)); do
		grep -q '"type":"start"' "$1" 2>/dev/null && return 0
		alive "$2" || return 1
		sleep 0.05
	done
	return 1
}

# start_sensor_file OUTFILE [ARG]...: sensor with stdout to a file; sets SW_PID
start_sensor_file() {
	local out=$1
	shift
	"$SW" --no-scan --lock-file "$LOCK" "$@" > "$out" 2> "$out.err" &
	SW_PID=$!
	track "$SW_PID"
	if ! wait_start "$out" "$SW_PID"; then
		log "shellwatch did not start: $(head -c 600 "$out.err")"
		stop_pid "$SW_PID" KILL 2
		SW_PID=
		return 1
	fi
	return 0
}

# start_sensor_pipe DIR [ARG]...: sensor -> fifo -> latency reader, which
# writes DIR/exec.log and DIR/keep.log; sets SW_PID and LAT_PID
start_sensor_pipe() {
	local dir=$1
	shift
	mkdir -p "$dir"
	rm -f "$dir/fifo"
	mkfifo "$dir/fifo" || return 1
	"$BB/latency" "$dir/exec.log" "$dir/keep.log" < "$dir/fifo" 2> "$dir/latency.err" &
	LAT_PID=$!
	track "$LAT_PID"
	"$SW" --no-scan --lock-file "$LOCK" "$@" > "$dir/fifo" 2> "$dir/sw.err" &
	SW_PID=$!
	track "$SW_PID"
	if ! wait_start "$dir/keep.log" "$SW_PID"; then
		log "shellwatch did not start: $(head -c 600 "$dir/sw.err")"
		stop_pid "$SW_PID" KILL 2
		stop_pid "$LAT_PID" TERM 2
		SW_PID=
		return 1
	fi
	return 0
}

# wait_pid PID SECS: let a process end by itself, SIGKILL after SECS
wait_pid() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		alive "$1" || break
		sleep 0.05
	done
	alive "$1" && kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# utime + stime of a process, in seconds
cpu_secs() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	awk -v hz="$HZ" '{ printf "%.2f\n", ($12 + $13) / hz }' <<< "$s"
}
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# ---------------------------------------------------------------- machine
describe_machine() {
	local model cores others execprogs
	model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	cores=$(awk -F': *' '/^cpu cores/ { print $2; exit }' /proc/cpuinfo)
	others=$(pgrep -x shellwatch | wc -l)
	execprogs=$(bpftool prog show 2>/dev/null | grep -c 'name handle_exec')
	{
		echo "| | |"
		echo "|---|---|"
		echo "| CPU | ${model:-unknown} |"
		echo "| Cores | $NCPU online CPUs (${cores:-?} cores per socket in /proc/cpuinfo) |"
		echo "| Memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
		echo "| Kernel | $(uname -r) ($(uname -m)) |"
		echo "| OS | $(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}") |"
		echo "| Date | $(date -u +%Y-%m-%dT%H:%M:%SZ) |"
		echo "| shellwatch | $("$SW" --version 2>/dev/null | head -1) ($(git rev-parse --short HEAD 2>/dev/null || echo ?)$(git diff --quiet HEAD -- bpf user include 2>/dev/null || echo ', with uncommitted changes')) |"
		echo "| bpftrace | $(command -v bpftrace >/dev/null && bpftrace --version 2>/dev/null | head -1 || echo 'not installed') |"
		echo "| perf | $(command -v perf >/dev/null && perf --version 2>/dev/null | head -1 || echo 'not installed') |"
		echo "| Load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
		echo "| Other shellwatch processes at start | $others |"
		echo "| BPF handle_exec programs loaded at start | $execprogs |"
		echo "| Settings | $ROUNDS rounds, $EXECS execs per timed run |"
	} > "$T/machine"
	if [ "$others" -gt 0 ] || [ "$execprogs" -gt 0 ]; then
		note "at start $others other shellwatch process(es) ran and $execprogs handle_exec BPF program(s) were loaded (not started by this run): every configuration, the no-sensor baseline included, paid for them"
	fi
	if awk '{ exit !($1 > 0.5 * n) }' n="$NCPU" /proc/loadavg; then
		note "the machine was not idle at start (load average $(cut -d' ' -f1 /proc/loadavg) on $NCPU CPUs): rates and latencies are noisier than on an idle node"
	fi
}

# ====================================================================== 1
bench_exec() {
	local r cfg rate rt rs ok_bt=1 bt=$T/exec.bt dir=$T/exec
	local name cond=

	log "1. exec overhead: $ROUNDS rounds of A (no sensor) B (shellwatch) C (bpftrace), $EXECS execs per workload"
	mkdir -p "$dir"
	for name in $SHELL_NAMES; do
		cond="${cond:+$cond || }comm == \"$name\""
	done
	printf 'tracepoint:sched:sched_process_exec\n/%s/\n{ printf("%%d %%s\\n", pid, comm); }\n' \
		"$cond" > "$bt"

	if ! command -v bpftrace >/dev/null; then
		ok_bt=0
		BT_WHY="bpftrace is not installed"
	elif [ ! -d /sys/kernel/tracing/events ] && [ ! -d /sys/kernel/debug/tracing/events ]; then
		# bpftrace reads tracepoint formats from tracefs
		if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; then
			TRACEFS_MOUNTED=/sys/kernel/tracing
			note "tracefs was not mounted: mounted at /sys/kernel/tracing for bpftrace, unmounted at the end"
		else
			ok_bt=0
			BT_WHY="tracefs is not mounted and could not be mounted"
		fi
	fi

	for ((r = 1; r <= ROUNDS; r++)); do
		for cfg in A B C; do
			rt='' rs=''
			case $cfg in
			B)
				if ! start_sensor_file "$dir/sw.out"; then
					echo "$r $cfg - -" >> "$dir/rates"
					continue
				fi
				;;
			C)
				if [ "$ok_bt" = 0 ]; then
					echo "$r $cfg - -" >> "$dir/rates"
					continue
				fi
				if ! start_bpftrace "$bt" "$dir/bt.out"; then
					ok_bt=0
					BT_WHY="bpftrace failed: $(grep -v RLIMIT_MEMLOCK "$dir/bt.out.err" | head -c 300 | tr '\n' ' ')"
					echo "$r $cfg - -" >> "$dir/rates"
					continue
				fi
				;;
			esac
			# settle after a start or stop
			sleep 0.5
			fg "$T/fg" timeout 300 "$BB/execloop" "$EXECS" /bin/true
			rt=$(awk '{ print $3 }' "$T/fg")
			fg "$T/fg" timeout 300 "$BB/execloop" "$EXECS" /bin/sh sh -c :
			rs=$(awk '{ print $3 }' "$T/fg")
			case $cfg in
			B) stop_pid "$SW_PID" TERM 10; rm -f "$dir/sw.out" ;;
			C) stop_pid "$BT_PID" INT 10; rm -f "$dir/bt.out" ;;
			esac
			echo "$r $cfg ${rt:--} ${rs:--}" >> "$dir/rates"
			log "   round $r $cfg: /bin/true ${rt:-?}/s, sh -c : ${rs:-?}/s"
		done
	done

	# per-round ratios base/with, from the same round
	awk '{ k[$1" "$2] = $3" "$4 } END {
		for (r = 1; r <= R; r++) {
			split(k[r" A"], a, " "); split(k[r" B"], b, " "); split(k[r" C"], c, " ")
			printf "%d %s %s %s %s\n", r,
				(a[1] != "-" && b[1] != "-" && b[1] > 0) ? a[1] / b[1] : "-",
				(a[2] != "-" && b[2] != "-" && b[2] > 0) ? a[2] / b[2] : "-",
				(a[1] != "-" && c[1] != "-" && c[1] > 0) ? a[1] / c[1] : "-",
				(a[2] != "-" && c[2] != "-" && c[2] > 0) ? a[2] / c[2] : "-"
		} }' R="$ROUNDS" "$dir/rates" > "$dir/ratios"

	local mA_t mB_t mC_t mA_s mB_s mC_s sw_t sw_s bt_t bt_s
	mA_t=$(awk '$2 == "A" && $3 != "-" { print $3 }' "$dir/rates" | median)
	mB_t=$(awk '$2 == "B" && $3 != "-" { print $3 }' "$dir/rates" | median)
	mC_t=$(awk '$2 == "C" && $3 != "-" { print $3 }' "$dir/rates" | median)
	mA_s=$(awk '$2 == "A" && $4 != "-" { print $4 }' "$dir/rates" | median)
	mB_s=$(awk '$2 == "B" && $4 != "-" { print $4 }' "$dir/rates" | median)
	mC_s=$(awk '$2 == "C" && $4 != "-" { print $4 }' "$dir/rates" | median)
	sw_t=$(awk '$2 != "-" { print $2 }' "$dir/ratios" | median)
	sw_s=$(awk '$3 != "-" { print $3 }' "$dir/ratios" | median)
	bt_t=$(awk '$4 != "-" { print $4 }' "$dir/ratios" | median)
	bt_s=$(awk '$5 != "-" { print $5 }' "$dir/ratios" | median)
	[ -n "$sw_t" ] && sw_t=$(calc "$sw_t" "%.3f")
	[ -n "$sw_s" ] && sw_s=$(calc "$sw_s" "%.3f")
	[ -n "$bt_t" ] && bt_t=$(calc "$bt_t" "%.3f")
	[ -n "$bt_s" ] && bt_s=$(calc "$bt_s" "%.3f")

	local sp_t sp_s
	sp_t=$(spread 2 "$dir/ratios")
	sp_s=$(spread 3 "$dir/ratios")
	row 1a "exec slowdown, /bin/true (median of per-round base/shellwatch)" \
		"${sw_t:-not measured}${sp_t:+ (rounds $sp_t)}" "≤ 1.03" "$(verdict "$sw_t" '<=' 1.03)$(noisy "$sp_t" 0.03)"
	row 1b "exec slowdown, sh -c : (median of per-round base/shellwatch)" \
		"${sw_s:-not measured}${sp_s:+ (rounds $sp_s)}" "≤ 1.05" "$(verdict "$sw_s" '<=' 1.05)$(noisy "$sp_s" 0.05)"
	if [ -n "$(noisy "$sp_t" 0.03)$(noisy "$sp_s" 0.05)" ]; then
		note "exec rates were noisy: per-round slowdowns spread over $sp_t (/bin/true) and $sp_s (sh -c :), wider than the few per cent the targets test; the medians cannot resolve them on this machine now (other load: see Machine)"
	fi
	if [ -n "$bt_t" ] && [ -n "$sw_t" ]; then
		row 1c "exec slowdown, /bin/true: shellwatch vs bpftrace" \
			"$sw_t vs $bt_t" "below bpftrace's" "$(verdict "$sw_t" '<' "$bt_t")$(noisy "$sp_t" 0.03)"
	else
		row 1c "exec slowdown, /bin/true: shellwatch vs bpftrace" \
			"not measured (${BT_WHY:-no data})" "below bpftrace's" "not measured"
	fi
	if [ -n "$bt_s" ] && [ -n "$sw_s" ]; then
		row 1d "exec slowdown, sh -c :: shellwatch vs bpftrace" \
			"$sw_s vs $bt_s" "below bpftrace's" "$(verdict "$sw_s" '<' "$bt_s")$(noisy "$sp_s" 0.05)"
	else
		row 1d "exec slowdown, sh -c :: shellwatch vs bpftrace" \
			"not measured (${BT_WHY:-no data})" "below bpftrace's" "not measured"
	fi

	detail "### 1. Exec overhead" ""
	detail "fork+execve+waitpid of $EXECS children per workload and configuration, rounds A B C in turn (A: no sensor, B: \`shellwatch --no-scan\` with stdout to a file, C: bpftrace on tracepoint:sched:sched_process_exec filtered to $SHELL_NAMES, one line per shell to a file). Rates in execs/s; slowdown = A's rate / B's (or C's) rate in the same round."
	detail "" "| Configuration | /bin/true median/s | sh -c : median/s | /bin/true slowdown | sh -c : slowdown |" "|---|---|---|---|---|"
	detail "| A no sensor | ${mA_t:--} | ${mA_s:--} | 1 | 1 |"
	detail "| B shellwatch | ${mB_t:--} | ${mB_s:--} | ${sw_t:--} | ${sw_s:--} |"
	detail "| C bpftrace | ${mC_t:-${BT_WHY:--}} | ${mC_s:--} | ${bt_t:--} | ${bt_s:--} |"
	detail "" "Per round (rate /bin/true, rate sh -c :):" "" "| Round | A | B | C | B slowdown true / sh | C slowdown true / sh |" "|---|---|---|---|---|---|"
	for ((r = 1; r <= ROUNDS; r++)); do
		detail "$(awk -v r="$r" '
			$1 == r && $2 == "A" { a = $3 " / " $4 }
			$1 == r && $2 == "B" { b = $3 " / " $4 }
			$1 == r && $2 == "C" { c = $3 " / " $4 }
			END { printf "| %d | %s | %s | %s ", r, a, b, c }' "$dir/rates")$(awk -v r="$r" '
			$1 == r { printf "| %s / %s | %s / %s |", fmt($2), fmt($3), fmt($4), fmt($5) }
			function fmt(x) { return x == "-" ? "-" : sprintf("%.3f", x) }' "$dir/ratios")"
	done
	detail ""
}

# start_bpftrace SCRIPT OUT: until it reports a probe shell; sets BT_PID
start_bpftrace() {
	local i
	bpftrace "$1" > "$2" 2> "$2.err" &
	BT_PID=$!
	track "$BT_PID"
	# "Attaching" comes before the attach: wait for a probe shell's line
	for ((i = 0; i < 300; i++)); do
		alive "$BT_PID" || { wait "$BT_PID" 2>/dev/null; return 1; }
		if grep -q 'Attaching' "$2" 2>/dev/null; then
			/bin/sh -c : 
			[ "$(grep -c ' sh$' "$2")" -gt 0 ] && return 0
		fi
		sleep 0.1
	done
	stop_pid "$BT_PID" KILL 2
	return 1
}

# ====================================================================== 2
bench_kernel() {
	local dir=$T/kernel ids id name fd phase n
	log "2. kernel cost per event (bpf_stats), $EXECS non-shell then $EXECS shell execs"
	mkdir -p "$dir"
	STATS_OLD=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null)
	if [ -z "$STATS_OLD" ] || ! sysctl -qw kernel.bpf_stats_enabled=1 >/dev/null 2>&1; then
		STATS_OLD=
		for name in handle_exec handle_fork handle_exit; do
			row 2 "kernel ns/run $name" "not measured (cannot set kernel.bpf_stats_enabled)" "" "not measured"
		done
		return
	fi
	if ! start_sensor_file "$dir/sw.out"; then
		sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null; STATS_OLD=
		row 2a "kernel ns per non-shell exec (handle_exec)" "not measured (sensor did not start)" "≤ 300 ns" "not measured"
		row 2b "kernel ns per shell exec (handle_exec)" "not measured (sensor did not start)" "≤ 3 µs" "not measured"
		return
	fi
	# this sensor's programs: the prog_id of its BPF fds
	ids=$(for fd in /proc/$SW_PID/fdinfo/*; do awk '/^prog_id:/ { print $2 }' "$fd" 2>/dev/null; done | sort -un)
	: > "$dir/progs"
	for id in $ids; do
		name=$(bpftool prog show id "$id" 2>/dev/null | sed -n 's/.* name \([^ ]*\) .*/\1/p' | head -1)
		case $name in handle_exec|handle_fork|handle_exit) echo "$id $name" >> "$dir/progs" ;; esac
	done
	snap() {	# -> "name run_time_ns run_cnt" per program
		local id name j
		while read -r id name; do
			j=$(bpftool prog show id "$id" -j 2>/dev/null)
			printf '%s %s %s\n' "$name" \
				"$(grep -o '"run_time_ns":[0-9]*' <<< "$j" | cut -d: -f2)" \
				"$(grep -o '"run_cnt":[0-9]*' <<< "$j" | cut -d: -f2)"
		done < "$dir/progs"
	}
	for phase in true sh; do
		snap > "$dir/before"
		if [ "$phase" = true ]; then
			fg /dev/null timeout 300 "$BB/execloop" "$EXECS" /bin/true
		else
			fg /dev/null timeout 300 "$BB/execloop" "$EXECS" /bin/sh sh -c :
		fi
		snap > "$dir/after"
		prog_delta "$phase" "$dir/before" "$dir/after" >> "$dir/cost"
	done
	stop_pid "$SW_PID" TERM 10
	sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null 2>&1
	STATS_OLD=

	local ex_t ex_s cyc_t cyc_s
	ex_t=$(awk '$1 == "true" && $2 == "handle_exec" { print $5 }' "$dir/cost")
	ex_s=$(awk '$1 == "sh" && $2 == "handle_exec" { print $5 }' "$dir/cost")
	cyc_t=$(awk -v n="$EXECS" '$1 == "true" { s += $3 } END { if (NR) printf "%.0f", s / n }' "$dir/cost")
	cyc_s=$(awk -v n="$EXECS" '$1 == "sh" { s += $3 } END { if (NR) printf "%.0f", s / n }' "$dir/cost")
	row 2a "kernel ns per non-shell exec (handle_exec run_time_ns/run_cnt, /bin/true run)" \
		"${ex_t:-not measured} ns" "≤ 300 ns" "$(verdict "$ex_t" '<=' 300)"
	row 2b "kernel ns per shell exec (handle_exec run_time_ns/run_cnt, sh -c : run)" \
		"${ex_s:-not measured} ns" "≤ 3000 ns" "$(verdict "$ex_s" '<=' 3000)"
	detail "### 2. Kernel cost per event" ""
	detail "kernel.bpf_stats_enabled=1 (restored after); deltas of run_time_ns and run_cnt of this sensor's programs (found by the prog_id of its fds) over $EXECS fork+exec+wait of /bin/true, then of sh -c :. Counts include whatever else ran on the machine meanwhile."
	detail "" "| Workload | Program | run_time_ns | run_cnt | ns/run |" "|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s |\n", $1 == "true" ? "/bin/true" : "sh -c :", $2, $3, $4, $5 }' "$dir/cost" >> "$DETAILS"
	detail "" "All three programs together, per fork+exec+exit cycle of the driver: /bin/true ${cyc_t:--} ns, sh -c : ${cyc_s:--} ns (all runs of the programs in the phase divided by $EXECS)." ""
}

# ====================================================================== 3
bench_sched() {
	local dir=$T/sched r a b
	log "3. perf bench sched pipe -l 200000, $ROUNDS rounds without/with the sensor"
	mkdir -p "$dir"
	if ! command -v perf >/dev/null || ! fg "$dir/probe" timeout 60 perf bench sched pipe -l 1000; then
		row 3 "context-switch overhead (perf bench sched pipe)" \
			"not measured (perf $(command -v perf >/dev/null && echo "failed: $(head -c 200 "$dir/probe" | tr '\n' ' ')" || echo 'is not installed'))" "≤ 2 %" "not measured"
		return
	fi
	for ((r = 1; r <= ROUNDS; r++)); do
		fg "$T/fg" timeout 120 perf bench sched pipe -l 200000
		a=$(awk '/usecs\/op/ { print $1 }' "$T/fg")
		b=
		if start_sensor_file "$dir/sw.out"; then
			fg "$T/fg" timeout 120 perf bench sched pipe -l 200000
			b=$(awk '/usecs\/op/ { print $1 }' "$T/fg")
			stop_pid "$SW_PID" TERM 10
		fi
		echo "$r ${a:--} ${b:--}" >> "$dir/pipe"
		log "   round $r: ${a:-?} µs/op without, ${b:-?} µs/op with"
	done
	local ma mb ov
	ma=$(awk '$2 != "-" { print $2 }' "$dir/pipe" | median)
	mb=$(awk '$3 != "-" { print $3 }' "$dir/pipe" | median)
	ov=$(awk '$2 != "-" && $3 != "-" && $2 > 0 { print ($3 / $2 - 1) * 100 }' "$dir/pipe" | median)
	[ -n "$ov" ] && ov=$(calc "$ov" "%.2f")
	local sp
	sp=$(awk '$2 != "-" && $3 != "-" && $2 > 0 { print $1, $3 / $2 }' "$dir/pipe" > "$dir/pr"; spread 2 "$dir/pr")
	row 3 "context-switch overhead, perf bench sched pipe (median of per-round with/without − 1)" \
		"${ov:-not measured} % (${ma:--} → ${mb:--} µs/op${sp:+; per-round ratios $sp})" "≤ 2 %" "$(verdict "$ov" '<=' 2)$(noisy "$sp" 0.02)"
	detail "### 3. Context switches" ""
	detail "The sensor has no per-switch hook; \`perf bench sched pipe -l 200000\` (µs per round trip), without and with the sensor in turn." ""
	detail "| Round | without µs/op | with µs/op |" "|---|---|---|"
	awk '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$dir/pipe" >> "$DETAILS"
	detail "| median | ${ma:--} | ${mb:--} |" ""
}

# ====================================================================== 4, 5
# load_run NAME SPAWN-ARGS...: one sensor instance through the latency
# reader for one 30 s load; writes $T/load/NAME/result:
# "started secs rate lag failed skipped cpu_s hwm_kb lost execs shells reported losses seen"
load_run() {
	local name=$1 dir=$T/load/$1 c0 c1 t0 t1 hwm s
	shift
	mkdir -p "$dir"
	if ! start_sensor_pipe "$dir"; then
		echo "- - - - - - - - - - - - - - - -" > "$dir/result"
		return 1
	fi
	sleep 0.5
	c0=$(cpu_secs "$SW_PID")
	t0=$(date +%s.%N)
	fg "$T/fg" timeout $((LOAD_SECS + 90)) "$BB/spawn" "$@" -p "$dir/pids" -- /bin/sh sh -c ": swbench:$name"
	s=$(cat "$T/fg")
	[ -n "$s" ] || s="- - - - - -"
	sleep 1
	t1=$(date +%s.%N)
	c1=$(cpu_secs "$SW_PID")
	hwm=$(hwm_kb "$SW_PID")
	stop_pid "$SW_PID" TERM 15
	wait_pid "$LAT_PID" 10
	# the stop record's stats
	local stop lost execs shells reported losses seen total
	stop=$("$BB/jfields" stop stats.lost stats.execs stats.shells stats.reported < "$dir/keep.log" | tail -1)
	read -r lost execs shells reported <<< "${stop:-- - - -}"
	losses=$(grep -c '"type":"loss"' "$dir/keep.log")
	# the driver's shells seen by pid with their tag
	seen=$(awk -v tag="$name" 'NR == FNR { if ($4 == tag) s[$1] = 1; next } ($1 in s) { n++ } END { print n + 0 }' \
		"$dir/exec.log" "$dir/pids")
	total=$(wc -l < "$dir/pids")
	echo "$s $(calc "$c1 - $c0" "%.2f") $(calc "$t1 - $t0" "%.2f") ${hwm:--} ${lost:--} ${execs:--} ${shells:--} ${reported:--} $losses $seen $total" > "$dir/result"
	# latency over the first 10 s of the run, in µs
	awk -v tag="$name" '$4 == tag && $2 > 0 { print $2, $3 }' "$dir/exec.log" | sort -n |
		awk 'NR == 1 { t0 = $1 } $1 - t0 < 10e9 { printf "%.3f\n", ($2 - $1) / 1000 }' | percentiles > "$dir/lat10"
	awk -v tag="$name" '$4 == tag && $2 > 0 { printf "%.3f\n", ($3 - $2) / 1000 }' "$dir/exec.log" | percentiles > "$dir/latall"
	log "   $name: spawn [$s] cpu $(calc "$c1 - $c0" "%.2f") s, HWM ${hwm:-?} kB, lost ${lost:-?}, seen $seen/$total, latency(10 s) [$(cat "$dir/lat10")]"
}

bench_load() {
	log "4/5. latency and daemon cost: ${LOAD_SECS} s at 100 shells/s, ${LOAD_SECS} s as fast as possible, ${LOAD_SECS} s at 1,000 shells/s (each its own sensor)"
	load_run r100 -r 100 -d "$LOAD_SECS"
	load_run rmax -r 0 -c $((2 * NCPU)) -d "$LOAD_SECS"
	load_run r1000 -r 1000 -d "$LOAD_SECS"

	local n started secs rate lag failed skipped cpu wall hwm lost execs shells reported losses seen total
	local -A R
	for n in r100 rmax r1000; do
		R[$n]=$(cat "$T/load/$n/result" 2>/dev/null || echo "- - - - - - - - - - - - - - - -")
	done
	local l100 c_p50 c_p99 c_max
	read -r _ c_p50 c_p99 c_max <<< "$(cat "$T/load/r100/lat10" 2>/dev/null)"
	l100="${c_p99:-}"
	row 4a "latency exec → line read, 100 shells/s, first 10 s: p50 / p99 / max" \
		"$(fmt_us "${c_p50:-}") / $(fmt_us "${c_p99:-}") / $(fmt_us "${c_max:-}")" "p99 ≤ 1 ms" "$(verdict "$l100" '<=' 1000)"
	read -r _ c_p50 c_p99 c_max <<< "$(cat "$T/load/rmax/lat10" 2>/dev/null)"
	read -r started secs rate _ <<< "${R[rmax]}"
	row 4b "latency exec → line read, highest rate (${rate:-?} shells/s), first 10 s: p50 / p99 / max" \
		"$(fmt_us "${c_p50:-}") / $(fmt_us "${c_p99:-}") / $(fmt_us "${c_max:-}")" "—" "—"

	read -r _ c_p50 c_p99 c_max <<< "$(cat "$T/load/r1000/lat10" 2>/dev/null)"
	read -r started secs rate _ <<< "${R[r1000]}"
	row 4c "latency exec → line read, 1,000 shells/s paced (${rate:-?} reached), first 10 s: p50 / p99 / max" \
		"$(fmt_us "${c_p50:-}") / $(fmt_us "${c_p99:-}") / $(fmt_us "${c_max:-}")" "reported" "—"

	read -r started secs rate lag failed skipped cpu wall hwm lost execs shells reported losses seen total <<< "${R[r100]}"
	local pct
	pct=$(num_ok "$cpu" && num_ok "$wall" && calc "$cpu / $wall * 100" "%.2f")
	row 5a "daemon CPU at 100 shells/s (utime+stime over ${wall:-?} s)" \
		"${pct:-not measured} % of a core (${cpu:--} s; the sensor saw ${shells:-?} shells, ${total:-?} of them the driver's)" "≤ 1 %" "$(verdict "$pct" '<=' 1)"
	if num_ok "$shells" && num_ok "$total" && [ "$shells" -gt $((total + total / 10)) ]; then
		note "during the 100 shells/s run the sensor saw $shells shells, $total of them from the driver: other users' shells added $((shells - total)) ($(calc "($shells - $total) / $wall" "%.0f")/s), and their cost is in the daemon CPU figure"
	fi
	read -r started secs rate lag failed skipped cpu wall hwm lost execs shells reported losses seen total <<< "${R[rmax]}"
	pct=$(num_ok "$cpu" && num_ok "$wall" && calc "$cpu / $wall * 100" "%.2f")
	row 5b "daemon CPU at the highest rate (${rate:-?} shells/s)" \
		"${pct:-not measured} % of a core (${cpu:--} s; ${shells:-?} shells seen)" "—" "—"
	local maxhwm
	maxhwm=$(for n in r100 rmax r1000; do awk '{ print $9 }' "$T/load/$n/result" 2>/dev/null; done | grep -E '^[0-9]+$' | sort -n | tail -1)
	row 5c "daemon peak RSS (VmHWM, largest of the three runs)" \
		"$(num_ok "$maxhwm" && calc "$maxhwm / 1024" "%.1f" || echo "not measured") MiB" "≤ 16 MiB" \
		"$(verdict "$(num_ok "$maxhwm" && calc "$maxhwm / 1024" "%.2f")" '<=' 16)"
	read -r started secs rate lag failed skipped cpu wall hwm lost execs shells reported losses seen total <<< "${R[r1000]}"
	local v="not measured"
	if num_ok "$lost"; then
		v=$( [ "$lost" = 0 ] && echo PASS || echo MISS )
		if num_ok "$rate" && awk -v r="$rate" 'BEGIN { exit !(r < 950) }'; then
			v="$v, but only ${rate}/s reached"
		fi
	fi
	row 5d "events lost at 1,000 shells/s paced for ${LOAD_SECS} s (stop record stats.lost)" \
		"${lost:-not measured} lost; ${rate:-?} shells/s reached, ${seen:-?}/${total:-?} seen" "0 lost" "$v"

	detail "### 4/5. Latency and daemon cost" ""
	detail "Each load runs its own sensor (\`--no-scan\`), whose stdout is a pipe to build/bench/latency: it stamps every read with CLOCK_REALTIME; latency = read time − the exec record's \"time\" (the kernel's exec time). Shells are \`/bin/sh -c ': swbench:TAG'\` from build/bench/spawn: paced on a fixed schedule, or $((2 * NCPU)) in flight at once for the highest rate. Latency percentiles are over the first 10 s of each ${LOAD_SECS} s run (all of the run in the second line); CPU is utime+stime from /proc/PID/stat over the load plus 1 s; RSS is VmHWM just before SIGTERM; loss and counts come from the stop record."
	detail "" "| Run | started | shells/s | max lag ms | skipped slots | failed | CPU s | wall s | CPU % | VmHWM kB | stop: lost | execs | shells | reported | loss records | driver shells seen |" "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	for n in r100 rmax r1000; do
		read -r started secs rate lag failed skipped cpu wall hwm lost execs shells reported losses seen total <<< "${R[$n]}"
		pct=$(num_ok "$cpu" && num_ok "$wall" && calc "$cpu / $wall * 100" "%.2f")
		detail "| $n | ${started:--} | ${rate:--} | ${lag:--} | ${skipped:--} | ${failed:--} | ${cpu:--} | ${wall:--} | ${pct:--} | ${hwm:--} | ${lost:--} | ${execs:--} | ${shells:--} | ${reported:--} | ${losses:--} | ${seen:--}/${total:--} |"
	done
	detail "" "| Run | latency (first 10 s) n / p50 / p99 / max µs | latency (whole run) n / p50 / p99 / max µs |" "|---|---|---|"
	for n in r100 rmax r1000; do
		detail "| $n | $(tr ' ' / < "$T/load/$n/lat10" 2>/dev/null) | $(tr ' ' / < "$T/load/$n/latall" 2>/dev/null) |"
	done
	detail ""
}

# spread COLUMN FILE: "min–max" of the numbers in a column ("" if none)
spread() {
	awk -v c="$1" '$c != "-" && $c != "" { v = $c + 0; if (!n++ || v < lo) lo = v; if (n == 1 || v > hi) hi = v }
		END { if (n) printf "%.3f–%.3f\n", lo, hi }' "$2"
}

# noisy "LO–HI" MARGIN: ", inconclusive (noise)" when the rounds spread
# over more than twice the margin the target allows
noisy() {
	[ -n "$1" ] || return 0
	awk -v s="$1" -v m="$2" 'BEGIN { split(s, a, "–"); if (a[2] - a[1] > 2 * m) print ", inconclusive (noise)" }'
}

# µs -> "123 µs" or "1.23 ms"
fmt_us() {
	num_ok "$1" || { echo "not measured"; return; }
	awk -v v="$1" 'BEGIN { if (v >= 1000) printf "%.2f ms\n", v / 1000; else printf "%.0f µs\n", v }'
}

# ====================================================================== 6
bench_coverage() {
	local dir=$T/cov s i
	log "6. coverage: 200 shells (sh -c 'sleep X', X 50 ms–5 s) over 30 s, shellwatch vs a 10 s /proc poller"
	mkdir -p "$dir"
	if ! start_sensor_pipe "$dir"; then
		row 6 "shells seen by shellwatch (coverage run)" "not measured (sensor did not start)" "100 %" "not measured"
		return
	fi
	"$BB/procpoll" 10 35 sh,bash,dash > "$dir/poll" &
	local poll_pid=$!
	track "$poll_pid"
	fg "$T/fg" timeout 120 "$BB/spawn" -L 50:5000:200 -d 30 -s 7 -p "$dir/pids"
	s=$(cat "$T/fg")
	# the poller's last poll is at 30 s
	for ((i = 0; i < 100; i++)); do alive "$poll_pid" || break; sleep 0.1; done
	stop_pid "$poll_pid" TERM 2
	sleep 0.5
	stop_pid "$SW_PID" TERM 15
	wait_pid "$LAT_PID" 10

	# pids: "pid start_ns life_ms"; exec.log: "pid exec_ns read_ns tag"; poll: "t pid comm"
	local total sw_seen sw_d50 sw_dmax k_d50 poll_seen p_d50 p_dmax
	total=$(wc -l < "$dir/pids")
	awk 'NR == FNR { st[$1] = $2; next }
	     ($1 in st) && !($1 in done) { done[$1] = 1; printf "%.3f %.3f\n", ($3 - st[$1]) / 1e6, ($2 - st[$1]) / 1e6 }' \
		"$dir/pids" "$dir/exec.log" > "$dir/sw_delay"
	awk 'NR == FNR { st[$1] = $2; next }
	     ($2 in st) && !($2 in done) { done[$2] = 1; printf "%.3f\n", ($1 - st[$2]) / 1e6 }' \
		"$dir/pids" "$dir/poll" > "$dir/poll_delay"
	sw_seen=$(wc -l < "$dir/sw_delay")
	poll_seen=$(wc -l < "$dir/poll_delay")
	read -r _ sw_d50 _ sw_dmax <<< "$(awk '{ print $1 }' "$dir/sw_delay" | percentiles)"
	k_d50=$(awk '{ print $2 }' "$dir/sw_delay" | median)
	read -r _ p_d50 _ p_dmax <<< "$(percentiles < "$dir/poll_delay")"
	local sw_pct poll_pct
	sw_pct=$(calc "$sw_seen / $total * 100" "%.1f")
	poll_pct=$(calc "$poll_seen / $total * 100" "%.1f")
	row 6a "shells seen by shellwatch (by pid, 200 shells of 50 ms–5 s)" \
		"$sw_seen/$total (${sw_pct} %), first report median ${sw_d50} ms, max ${sw_dmax} ms after start" \
		"100 %" "$(verdict "$sw_pct" '>=' 100)"
	row 6b "shells seen by a /proc poller every 10 s (OTel Collector cadence)" \
		"$poll_seen/$total (${poll_pct} %), first report median ${p_d50} ms, max ${p_dmax} ms after start" "—" "—"
	detail "### 6. Coverage against polling" ""
	detail "build/bench/spawn started 200 \`sh -c 'sleep X'\` evenly over 30 s (one every 150 ms), X log-uniform from 50 ms to 5 s (seed 7; median lifetime $(awk '{ print $3 }' "$dir/pids" | median) ms); a shell's start is CLOCK_REALTIME just before its fork. shellwatch: first exec record with the shell's pid, delay = line read − start (the record's own exec time − start: median ${k_d50:--} ms). Poller (build/bench/procpoll): polls /proc at 0, 10, 20, 30 s for comm sh, bash, dash; delay = poll time − start. Driver: [$s]." ""
}

# ====================================================================== 7
bench_window() {
	local dir=$T/win pids=() p i sched
	log "7. window accuracy: --window 1, 3 busy bash for 5 s"
	mkdir -p "$dir"
	if ! start_sensor_file "$dir/sw.out" --window 1; then
		row 7 "window CPU time vs /proc/PID/schedstat" "not measured (sensor did not start)" "—" "—"
		return
	fi
	for i in 1 2 3; do
		bash -c 'while :; do :; done' &
		pids+=("$!")
		track "$!"
		# no "Killed" job notice when it is killed below
		disown "$!"
	done
	sleep 5
	: > "$dir/sched"
	for p in "${pids[@]}"; do
		# stopped, its CPU time is final: read it, then kill
		kill -STOP "$p" 2>/dev/null
		for ((i = 0; i < 40; i++)); do
			[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = T ] && break
			sleep 0.01
		done
		sched=$(awk '{ print $1 }' "/proc/$p/schedstat" 2>/dev/null)
		kill -KILL "$p" 2>/dev/null
		echo "$p ${sched:--}" >> "$dir/sched"
	done
	for p in "${pids[@]}"; do
		for ((i = 0; i < 100; i++)); do alive "$p" || break; sleep 0.02; done
	done
	sleep 1.5
	stop_pid "$SW_PID" TERM 15
	"$BB/jfields" window process.pid process.cpu.time < "$dir/sw.out" > "$dir/windows"
	"$BB/jfields" exit process.pid process.cpu.time < "$dir/sw.out" > "$dir/exits"
	awk 'FILENAME ~ /windows$/ { s[$1] += $2; n[$1]++; next }
	     FILENAME ~ /exits$/ { x[$1] = $2; next }
	     { sum = ($1 in s) ? s[$1] * 1e3 : -1; ref = $2 / 1e6
	       printf "%s %.3f %.3f %d %s %s %s\n", $1, ref, sum, n[$1],
	         sum < 0 || ref <= 0 ? "-" : sprintf("%.3f", sum - ref),
	         sum < 0 || ref <= 0 ? "-" : sprintf("%.4f", (sum - ref) / ref * 100),
	         ($1 in x) ? sprintf("%.3f", x[$1] * 1e3) : "-" }' \
		"$dir/windows" "$dir/exits" "$dir/sched" > "$dir/cmp"
	local ems epct
	ems=$(awk '$5 != "-" { v = $5 < 0 ? -$5 : $5; if (v > m) m = v; k = 1 } END { if (k) printf "%.3f", m }' "$dir/cmp")
	epct=$(awk '$6 != "-" { v = $6 < 0 ? -$6 : $6; if (v > m) m = v; k = 1 } END { if (k) printf "%.3f", m }' "$dir/cmp")
	row 7 "window accuracy: largest error of Σ window process.cpu.time vs /proc/PID/schedstat, 3 busy shells" \
		"${epct:-not measured} % (${ems:--} ms)" "—" "—"
	detail "### 7. Window accuracy" ""
	detail "Sensor with \`--window 1\`; 3 \`bash -c 'while :; do :; done'\` for 5 s; each stopped (SIGSTOP), its /proc/PID/schedstat run time read, then SIGKILL; compared with the sum of process.cpu.time over its window records (and the exit record's cpu.time)." ""
	detail "| pid | schedstat ms | Σ windows ms | windows | error ms | error % | exit cpu.time ms |" "|---|---|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$dir/cmp" >> "$DETAILS"
	detail ""
}

# ====================================================================== 8
bench_rules() {
	local out why
	log "8. rules engine: tests/bench/rules_bench.c, 100 rules"
	if [ ! -f tests/bench/rules_bench.c ]; then
		row 8 "rules cost per judge, 100 rules" "not measured (tests/bench/rules_bench.c is missing)" "—" "—"
		return
	fi
	if ! gcc -O2 -Iuser tests/bench/rules_bench.c user/rules.c user/rules_yaml.c user/glob.c -lyaml -o "$BB/rules_bench" 2> "$T/rules.err"; then
		why=$(grep -m1 -i 'error' "$T/rules.err" | head -c 200)
		row 8 "rules cost per judge, 100 rules" "not measured (does not build: ${why:-see gcc})" "—" "—"
		return
	fi
	fg "$T/fg" timeout 120 "$BB/rules_bench" 100
	out=$(cat "$T/fg")
	local ns near
	ns=$(sed -n 's/.*: \([0-9.]*\) ns\/judge.*/\1/p' <<< "$out")
	row 8 "rules cost per exec (rules_judge, 100 rules, CPU time)" "${ns:-not measured} ns/judge" "—" "—"
	# the attacker's case: a command line made to almost match every glob
	fg "$T/fg" timeout 120 "$BB/rules_bench" nearmiss 1000 200
	out="$out"$'\n'"$(cat "$T/fg")"
	near=$(sed -n 's/.*: \([0-9.]*\) us\/judge.*/\1/p' "$T/fg")
	row 8 "rules cost per exec, 1,000 near-miss globs on a 4 KiB command line" "${near:-not measured} µs/judge" "≤ 10000 µs" \
		"$(num_ok "$near" && [ "$(calc "$near <= 10000" "%d")" = 1 ] && echo PASS || echo FAIL)"
	detail "### 8. Rules" "" "\`gcc -O2 -Iuser tests/bench/rules_bench.c user/rules.c user/rules_yaml.c user/glob.c -lyaml\`, then \`rules_bench 100\` and \`rules_bench nearmiss 1000 200\`; output:" "" '```' "$out" '```' ""
}

# ====================================================================== 9
# progs_of PID NAME...: "id name" of PID's BPF programs with those names
progs_of() {
	local pid=$1 fd id name
	shift
	for fd in /proc/$pid/fdinfo/*; do
		awk '/^prog_id:/ { print $2 }' "$fd" 2>/dev/null
	done | sort -un | while read -r id; do
		name=$(bpftool prog show id "$id" 2>/dev/null | sed -n 's/.* name \([^ ]*\) .*/\1/p' | head -1)
		case " $* " in *" $name "*) echo "$id $name" ;; esac
	done
}

# prog_delta PHASE BEFORE AFTER: "phase name run_time_ns run_cnt ns/run" of
# each program, from two prog_snap files
prog_delta() {
	awk -v p="$1" 'NR == FNR { t[$1] = $2; c[$1] = $3; next }
		{ dt = $2 - t[$1]; dc = $3 - c[$1]
		  printf "%s %s %d %d %s\n", p, $1, dt, dc, (dc > 0 ? sprintf("%.0f", dt / dc) : "-") }' \
		"$2" "$3"
}

# prog_snap FILE: "name run_time_ns run_cnt" of every program in FILE
prog_snap() {
	local id name j
	while read -r id name; do
		j=$(bpftool prog show id "$id" -j 2>/dev/null)
		printf '%s %s %s\n' "$name" \
			"$(grep -o '"run_time_ns":[0-9]*' <<< "$j" | cut -d: -f2)" \
			"$(grep -o '"run_cnt":[0-9]*' <<< "$j" | cut -d: -f2)"
	done < "$1"
}

# the kernel cost of a command outside and inside a tracked session: the
# sensor's programs beside empty tp_btf programs on the same hooks
bench_trail() {
	local dir=$T/trail ep ids phase mode i
	log "9. kernel cost of a command outside and inside a tracked session, $EXECS execs per phase"
	mkdir -p "$dir"
	stats_on 9 "kernel ns per command" || return
	start_progs "$BB/empty.bpf.o" "$dir/empty.out"
	ep=$PROGS_PID
	ids=$(sed -n 's/^ready //p' "$dir/empty.out")
	if [ -z "$ids" ]; then
		sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null; STATS_OLD=
		row 9 "kernel ns per command" "not measured (empty programs did not load)" "" "not measured"
		return
	fi
	: > "$dir/cost"
	# trail off: outside only (the cost before the trail existed); default
	# bounds: outside, then inside (mostly over the bounds); no bounds:
	# inside, every command sent; then trail off again, so that the
	# outside cost is compared on and off as an ABAB pair
	for mode in off bounded unbounded off2; do
		case $mode in
		off | off2) start_sensor_file "$dir/sw-$mode.out" --trail off || continue ;;
		bounded) start_sensor_file "$dir/sw-$mode.out" || continue ;;
		*) start_sensor_file "$dir/sw-$mode.out" --trail-rate 0 --trail-max 0 || continue ;;
		esac
		{ progs_of "$SW_PID" handle_exec handle_fork handle_exit handle_switch
		  progs_of "$ep" empty_exec empty_fork empty_exit empty_switch; } > "$dir/progs"
		for phase in outside inside; do
			[ "$mode" = unbounded ] && [ "$phase" = outside ] && continue
			[ "${mode#off}" != "$mode" ] && [ "$phase" = inside ] && continue
			prog_snap "$dir/progs" > "$dir/before"
			if [ "$phase" = outside ]; then
				fg /dev/null timeout 300 "$BB/execloop" "$EXECS" /bin/true
			else
				# a tracked shell runs the loop: each /bin/true is a
				# command two levels below it
				fg /dev/null timeout 300 /bin/sh -c "exec '$BB/execloop' $EXECS /bin/true"
			fi
			prog_snap "$dir/progs" > "$dir/after"
			prog_delta "$phase-$mode" "$dir/before" "$dir/after" >> "$dir/cost"
		done
		stop_pid "$SW_PID" TERM 10
		grep -o '"trail":{[^}]*}' "$dir/sw-$mode.out" | tail -1 > "$dir/trail-$mode"
	done
	stop_pid "$ep" TERM 5
	sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null 2>&1
	STATS_OLD=

	# ns/run of a program in a phase, and its ratio to the empty one
	nsrun() { awk -v p="$1" -v n="$2" '$1 == p && $2 == n { print $5 }' "$dir/cost"; }
	local out in un e_out e_in e_un hook off e_off off2 e_off2
	for hook in exec fork exit switch; do
		off=$(nsrun outside-off "handle_$hook"); e_off=$(nsrun outside-off "empty_$hook")
		off2=$(nsrun outside-off2 "handle_$hook"); e_off2=$(nsrun outside-off2 "empty_$hook")
		out=$(nsrun outside-bounded "handle_$hook"); e_out=$(nsrun outside-bounded "empty_$hook")
		in=$(nsrun inside-bounded "handle_$hook"); e_in=$(nsrun inside-bounded "empty_$hook")
		un=$(nsrun inside-unbounded "handle_$hook"); e_un=$(nsrun inside-unbounded "empty_$hook")
		row "9-$hook" "kernel ns per $hook, outside / inside a session (default bounds) / inside, every command sent (handle_$hook vs empty tp_btf, same runs)" \
			"${out:--} ns (×$(ratio "$out" "$e_out")) / ${in:--} ns (×$(ratio "$in" "$e_in")) / ${un:--} ns (×$(ratio "$un" "$e_un"))" "—" "—"
		row "9-$hook-off" "kernel ns per $hook outside a session: --trail off / on / off again (handle_$hook vs empty tp_btf, same runs)" \
			"${off:--} ns (×$(ratio "$off" "$e_off")) / ${out:--} ns (×$(ratio "$out" "$e_out")) / ${off2:--} ns (×$(ratio "$off2" "$e_off2"))" "on within the off runs' spread" "—"
	done
	detail "### 9. Kernel cost of a command, outside and inside a session" ""
	detail "kernel.bpf_stats_enabled=1; empty tp_btf programs (tests/bench/empty.bpf.c) attached to the same hooks for the whole step. Outside: $EXECS fork+exec+wait of /bin/true by the benchmark, not in a session, with --trail off, with the trail on (default) and with --trail off again. Inside: the same loop exec'd by sh -c, so each /bin/true is a command two levels below a tracked shell; with the default bounds most are counted (over --trail-rate), with --trail-rate 0 --trail-max 0 every one is sent as a command record."
	detail "" "| Phase | Program | run_time_ns | run_cnt | ns/run |" "|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$dir/cost" >> "$DETAILS"
	detail "" "Trail counters at the stop: default bounds \`$(cat "$dir/trail-bounded" 2>/dev/null)\`, no bounds \`$(cat "$dir/trail-unbounded" 2>/dev/null)\`." ""
}

# ====================================================================== 10
# sched_ns PID: the process's CPU time in ns (schedstat: all threads' run
# time, to the ns, unlike the 10 ms ticks of /proc/PID/stat)
sched_ns() {
	local t sum=0 v
	for t in /proc/"$1"/task/*; do
		read -r v _ < "$t/schedstat" 2>/dev/null || continue
		sum=$((sum + v))
	done
	echo "$sum"
}

# driver_bytes OUT TAG: "shells bytes" of the exec, window and exit lines of
# the shells whose exec record carries TAG (by exec_id)
driver_bytes() {
	awk -v tag="$2" '
		/"type":"exec"/ && index($0, tag) {
			if (match($0, /"exec_id":"[^"]*"/)) { id[substr($0, RSTART, RLENGTH)] = 1; n++ }
		}
		/"type":"(exec|window|exit)"/ {
			if (match($0, /"exec_id":"[^"]*"/) && (substr($0, RSTART, RLENGTH) in id))
				b += length($0) + 1
		}
		END { printf "%d %d\n", n, b }' "$1"
}

# cg_total FILE: the Ir total of a callgrind dump
cg_total() { awk '/^(summary|totals):/ { print $2; exit }' "$1" 2>/dev/null; }

bench_daemon() {
	local dir=$T/daemon n=${BENCH_STORM:-2000} cgn=${BENCH_CG_STORM:-500} s
	log "10. daemon cost per short shell: $n \`sh -c :\` from a non-shell parent (CPU, bytes), $cgn under callgrind (instructions), 30 s idle"
	mkdir -p "$dir"

	# 9a-9c: native sensor, stdout to a file
	local c0 c1 ok=1 shells=- bytes=- cpu_us=- all=- all_us=- st
	if start_sensor_file "$dir/sw.out"; then
		sleep 0.5
		c0=$(sched_ns "$SW_PID")
		fg "$T/fg" timeout 600 "$BB/execloop" "$n" /bin/sh sh -c ": swbench:storm"
		s=$(cat "$T/fg")
		# the last exits go out at the daemon's next tick
		sleep 1
		c1=$(sched_ns "$SW_PID")
		stop_pid "$SW_PID" TERM 15
		read -r shells bytes <<< "$(driver_bytes "$dir/sw.out" swbench:storm)"
		st=$("$BB/jfields" stop stats.shells < "$dir/sw.out" | tail -1)
		all=${st:--}
		if num_ok "$shells" && [ "$shells" -gt 0 ]; then
			cpu_us=$(calc "($c1 - $c0) / 1000 / $shells" "%.1f")
			num_ok "$all" && [ "$all" -gt 0 ] && all_us=$(calc "($c1 - $c0) / 1000 / $all" "%.1f")
			bytes=$(calc "$bytes / $shells" "%.0f")
		else
			ok=0
		fi
	else
		ok=0
	fi
	row 10a "daemon CPU per short shell (schedstat, $n \`sh -c :\` from execloop, exec + windows + exit)" \
		"${cpu_us} µs (${all_us} µs per shell over all ${all} shells the sensor saw; driver: ${s:-?})" "≤ 20 µs" "$(verdict "$cpu_us" '<=' 20)"
	row 10b "JSON bytes per short shell (exec + windows + exit lines, default options)" \
		"${bytes} B (${shells} driver shells)" "≤ 1800 B" "$(verdict "$bytes" '<=' 1800)"

	# the floor: wake-ups and writes alone, as many bytes per shell
	local w_us=- w_rec=- w_bytes
	w_bytes=$(num_ok "$bytes" && echo "$bytes" || echo 2800)
	if start_wake "$w_bytes" "$dir/wake.out"; then
		sleep 0.5
		c0=$(sched_ns "$WAKE_PID")
		fg /dev/null timeout 600 "$BB/execloop" "$n" /bin/sh sh -c ": swbench:wake"
		sleep 1
		c1=$(sched_ns "$WAKE_PID")
		stop_pid "$WAKE_PID" TERM 10
		w_rec=$(sed -n 's/^records //p' "$dir/wake.out.err")
		num_ok "$w_rec" && [ "$w_rec" -gt 0 ] && w_us=$(calc "($c1 - $c0) / 1000 / $w_rec" "%.1f")
	fi
	row 10f "floor: CPU per record of a consumer that only wakes on the ring buffer and writes ${w_bytes} B per record (tests/bench/wakeconsumer.c, $n \`sh -c :\`)" \
		"${w_us} µs (${w_rec} records)" "below 10a's target leaves room" "$(verdict "$w_us" '<' 20)"
	if [ "$(verdict "$cpu_us" '<=' 20)" = MISS ] && [ "$(verdict "$w_us" '<' 20)" = MISS ]; then
		note "10a misses 20 µs because waking on the ring buffer and writing the lines alone costs $w_us µs per shell here (10f); the daemon's own work per shell is the difference, $(calc "$cpu_us - $w_us" "%.1f") µs, and its instructions are 10d"
	fi

	# 9c: idle
	local idle_pct=- idle_shells=-
	if start_sensor_file "$dir/idle.out"; then
		sleep 1
		c0=$(sched_ns "$SW_PID")
		sleep 30
		c1=$(sched_ns "$SW_PID")
		stop_pid "$SW_PID" TERM 15
		idle_pct=$(calc "($c1 - $c0) / 30e9 * 100" "%.3f")
		idle_shells=$(grep -c '"type":"exec"' "$dir/idle.out")
	fi
	row 10c "daemon CPU idle (schedstat over 30 s)" \
		"${idle_pct} % of a core (other users' shells meanwhile: ${idle_shells})" "≤ 0.1 %" "$(verdict "$idle_pct" '<=' 0.1)"

	# 9d, 9e: callgrind, counting only between the toggles
	local ir_idle=- ir_storm=- cg_shells=- ir_shell=- ir_sec=- cgout=$dir/cg.out why=
	if ! command -v valgrind >/dev/null || ! command -v callgrind_control >/dev/null; then
		why="valgrind is not installed"
	else
		valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$cgout" \
			"$SW" --no-scan --no-seccomp --lock-file "$LOCK" > "$dir/cg.json" 2> "$dir/cg.err" &
		SW_PID=$!
		track "$SW_PID"
		if ! wait_start "$dir/cg.json" "$SW_PID"; then
			why="the sensor did not start under valgrind: $(tail -c 300 "$dir/cg.err" | tr '\n' ' ')"
			stop_pid "$SW_PID" KILL 2
		else
			sleep 1
			callgrind_control -i on "$SW_PID" > /dev/null
			sleep 10
			callgrind_control -d idle "$SW_PID" > /dev/null
			fg "$T/fg" timeout 900 "$BB/execloop" "$cgn" /bin/sh sh -c ": swbench:cg"
			sleep 1
			callgrind_control -d storm "$SW_PID" > /dev/null
			callgrind_control -i off "$SW_PID" > /dev/null
			stop_pid "$SW_PID" TERM 60
			local f
			for f in "$cgout".*; do
				grep -q '^desc: Trigger: .*idle' "$f" 2>/dev/null && ir_idle=$(cg_total "$f")
				grep -q '^desc: Trigger: .*storm' "$f" 2>/dev/null && ir_storm=$(cg_total "$f")
			done
			cg_shells=$(awk '/"type":"exec"/ && index($0, "swbench:cg")' "$dir/cg.json" | wc -l)
			num_ok "$ir_idle" && ir_sec=$(calc "$ir_idle / 10" "%.0f")
			if num_ok "$ir_storm" && [ "$cg_shells" -gt 0 ]; then
				ir_shell=$(calc "$ir_storm / $cg_shells" "%.0f")
			else
				why="no callgrind dump (see $dir/cg.err)"
			fi
		fi
	fi
	row 10d "daemon instructions per short shell (callgrind Ir, $cgn \`sh -c :\`, exec + windows + exit)" \
		"${ir_shell}${why:+ ($why)} (storm total ${ir_storm}, ${cg_shells} driver shells)" "compare across commits" "—"
	row 10e "daemon instructions per idle second (callgrind Ir over 10 s)" "${ir_sec}" "—" "—"

	detail "### 10. Daemon cost per short shell" ""
	detail "build/bench/execloop (not a shell) runs \`/bin/sh -c ': swbench:TAG'\` $n times in a row; the sensor (\`--no-scan\`, stdout to a file) is measured from /proc/PID/task/*/schedstat (ns) from 0.5 s before the storm to 1 s after it; bytes are those of the exec, window and exit lines of the driver's shells (matched by exec_id). Idle: a fresh sensor for 30 s. Instructions: a third sensor under \`valgrind --tool=callgrind --instr-atstart=no\` (\`--no-seccomp\`), instrumentation switched on with callgrind_control for 10 s idle, dumped, then $cgn shells and 1 s, dumped; Ir of the second dump / the driver's shells seen. Other users' shells in the same period are counted in CPU and instructions (their number is in the row). Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)." ""
}

# ====================================================================== 11

# the kernel cost targets of issue 12, each as a ratio to an empty tp_btf
# program on the same hook in the same run, beside floor programs that do
# one lookup each (what a single map or task-storage lookup costs here)
bench_cost() {
	local dir=$T/cost ep fp phase n=$EXECS
	log "11. kernel cost targets: non-shell exec, untracked fork and exit, a command in a tracked shell, a shell exec ($EXECS each), against empty and one-lookup programs"
	mkdir -p "$dir"
	stats_on 11 "kernel cost targets" || return
	if ! start_progs "$BB/empty.bpf.o" "$dir/empty.out"; then
		sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null; STATS_OLD=
		row 11 "kernel cost targets" "not measured (empty programs did not load)" "" "not measured"
		return
	fi
	ep=$PROGS_PID
	fp=
	start_progs "$BB/floor.bpf.o" "$dir/floor.out" && fp=$PROGS_PID
	WAKE_PID=
	start_wake 1 "$dir/wake.out" || WAKE_PID=
	if ! start_sensor_file "$dir/sw.out"; then
		stop_pid "$ep" TERM 5; [ -n "$fp" ] && stop_pid "$fp" TERM 5
		sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null; STATS_OLD=
		row 11 "kernel cost targets" "not measured (sensor did not start)" "" "not measured"
		return
	fi
	{ progs_of "$SW_PID" handle_exec handle_fork handle_exit handle_free
	  progs_of "$ep" empty_exec empty_fork empty_exit empty_free
	  [ -n "$fp" ] && progs_of "$fp" floor_exec_lookup floor_fork_storage floor_exit_storage
	  [ -n "$WAKE_PID" ] && progs_of "$WAKE_PID" floor_wake; } > "$dir/progs"
	# the first exec of a binary is a candidate: let the daemon's verdicts
	# for /bin/true and /bin/sh reach the kernel before the timed runs
	# 16 copies of /bin/true: twice the per-CPU memo of "no shell" verdicts
	local c
	for ((c = 0; c < 16; c++)); do
		cp /bin/true "$dir/true.$c"
	done
	"$BB/execloop" 20 /bin/true > /dev/null
	"$BB/execloop" 20 /bin/sh sh -c : > /dev/null
	EXECLOOP_COPIES=16 "$BB/execloop" 64 "$dir/true" > /dev/null
	sleep 1
	: > "$dir/cost"
	for phase in nonshell rotate shell command; do
		prog_snap "$dir/progs" > "$dir/before"
		case $phase in
		nonshell) fg /dev/null timeout 300 "$BB/execloop" "$n" /bin/true ;;
		rotate) EXECLOOP_COPIES=16 fg /dev/null timeout 300 "$BB/execloop" "$n" "$dir/true" ;;
		shell) fg /dev/null timeout 300 "$BB/execloop" "$n" /bin/sh sh -c : ;;
		# a tracked shell forks and execs each command: fork + exec away
		# + exit of a tracked process
		command) fg /dev/null timeout 300 /bin/sh -c "i=0; while [ \$i -lt $n ]; do /bin/true; i=\$((i + 1)); done" ;;
		esac
		prog_snap "$dir/progs" > "$dir/after"
		prog_delta "$phase" "$dir/before" "$dir/after" >> "$dir/cost"
	done
	stop_pid "$SW_PID" TERM 10
	stop_pid "$ep" TERM 5
	[ -n "$fp" ] && stop_pid "$fp" TERM 5
	[ -n "$WAKE_PID" ] && stop_pid "$WAKE_PID" TERM 5
	sysctl -qw kernel.bpf_stats_enabled="$STATS_OLD" >/dev/null 2>&1
	STATS_OLD=
	local hits
	hits=$("$BB/jfields" stop stats.classification.verdict_hits < "$dir/sw.out" 2>/dev/null | tail -1)

	nsrun() { awk -v p="$1" -v n="$2" '$1 == p && $2 == n { print $5 }' "$dir/cost"; }
	# the sum of the named programs' run time in a phase, per driver step
	per_step() { awk -v p="$1" -v n="$n" -v progs=" $2 " '$1 == p && index(progs, " " $2 " ") { s += $3 } END { if (NR) printf "%.0f", s / n }' "$dir/cost"; }
	local hook x e r f fr
	for hook in exec fork exit free; do
		x=$(nsrun nonshell "handle_$hook"); e=$(nsrun nonshell "empty_$hook")
		r=$(ratio "$x" "$e")
		case $hook in
		exec) row 11a "kernel cost of a non-shell exec with a cached verdict (handle_exec / empty_exec, /bin/true from a non-shell parent, found in the CPU's memo)" \
			"${x:--} ns vs ${e:--} ns: ×$(calc "${r:-x}" "%.2f")" "≤ ×2.5" "$(verdict "$r" '<=' 2.5)"
			x=$(nsrun rotate handle_exec); e=$(nsrun rotate empty_exec)
			r=$(ratio "$x" "$e")
			row 11a2 "the same, 16 copies of /bin/true in turn (more than the memo's 8 slots: the verdict map is looked up)" \
				"${x:--} ns vs ${e:--} ns: ×$(calc "${r:-x}" "%.2f")" "≤ ×2.5" "$(verdict "$r" '<=' 2.5)" ;;
		fork) row 11b "kernel cost of an untracked fork (handle_fork / empty_fork, same run)" \
			"${x:--} ns vs ${e:--} ns: ×$(calc "${r:-x}" "%.2f")" "≤ ×1.5" "$(verdict "$r" '<=' 1.5)" ;;
		exit) row 11c "kernel cost of an untracked exit (handle_exit / empty_exit, same run)" \
			"${x:--} ns vs ${e:--} ns: ×$(calc "${r:-x}" "%.2f")" "≤ ×1.5" "$(verdict "$r" '<=' 1.5)" ;;
		free) row 11c2 "kernel cost of an untracked task's free (handle_free / empty_free on sched_process_free, same run)" \
			"${x:--} ns vs ${e:--} ns: ×$(calc "${r:-x}" "%.2f")" "≤ ×1.5" "$(verdict "$r" '<=' 1.5)" ;;
		esac
	done
	local cmd cmd_e sx se
	cmd=$(per_step command "handle_exec handle_fork handle_exit handle_free")
	cmd_e=$(per_step command "empty_exec empty_fork empty_exit empty_free")
	row 11d "kernel cost of a command in a tracked shell (fork + exec away + exit + free: Σ handle_* run time / $n commands)" \
		"${cmd:--} ns (empty programs on the same hooks: ${cmd_e:--} ns)" "≤ 2000 ns" "$(verdict "$cmd" '<=' 2000)"
	sx=$(nsrun shell handle_exec); se=$(nsrun shell empty_exec)
	row 11e "kernel cost of a shell exec (handle_exec, sh -c : from a non-shell parent; the record and its wake-up)" \
		"${sx:--} ns (×$(calc "$(ratio "${sx:-x}" "${se:-x}" || echo x)" "%.1f") of empty_exec's ${se:--} ns)" "≤ 5000 ns" "$(verdict "$sx" '<=' 5000)"
	f=$(nsrun nonshell floor_exec_lookup); e=$(nsrun nonshell empty_exec)
	fr=$(ratio "$f" "$e")
	row 11f "floor: one verdict-cache lookup alone (inode identity + one LRU hash lookup, 65,536 entries, on the exec hook)" \
		"${f:--} ns: ×$(calc "${fr:-x}" "%.2f") of empty_exec" "—" "—"
	local fk ek xk
	fk=$(nsrun nonshell floor_fork_storage); ek=$(nsrun nonshell empty_fork)
	xk=$(nsrun nonshell floor_exit_storage)
	row 11g "floor: one task-storage lookup alone (bpf_task_storage_get on the group leader) on fork / exit" \
		"${fk:--} ns (×$(calc "$(ratio "${fk:-x}" "${ek:-x}" || echo x)" "%.2f")) / ${xk:--} ns (×$(calc "$(ratio "${xk:-x}" "$(nsrun nonshell empty_exit)" || echo x)" "%.2f"))" "—" "—"
	local wk
	wk=$(nsrun shell floor_wake)
	row 11h "floor: one 16-byte ring-buffer record with its wake-up per shell exec, nothing else (tests/bench/wake.bpf.c, the sh phase)" \
		"${wk:--} ns (×$(calc "$(ratio "${wk:-x}" "${se:-x}" || echo x)" "%.1f") of empty_exec)" "below 11e's target leaves room" "$(verdict "$wk" '<' 5000)"
	# why a target is missed, when a floor already misses it
	local ra r2
	ra=$(ratio "$(nsrun nonshell handle_exec)" "$(nsrun nonshell empty_exec)")
	r2=$(ratio "$(nsrun rotate handle_exec)" "$(nsrun rotate empty_exec)")
	if [ "$(verdict "$r2" '<=' 2.5)" = MISS ] && [ "$(verdict "$fr" '<=' 2.5)" = MISS ]; then
		note "11a2 misses ×2.5 because one verdict-map lookup alone costs ×$(calc "$fr" "%.2f") of an empty program here (11f): the map's bucket and entry are memory no earlier work on the exec path touched; only execs the per-CPU memo answers (11a: ×$(calc "${ra:-x}" "%.2f")) avoid it"
	fi
	if [ "$(verdict "$sx" '<=' 5000)" = MISS ] && [ "$(verdict "$wk" '<' 5000)" = MISS ]; then
		note "11e misses 5 µs because a record with its wake-up alone costs $wk ns here (11h): the wake-up is an IPI to the daemon's CPU, which this VM's hypervisor makes expensive; the rest of a shell exec (paths, argv, cgroups) is $(calc "$sx - $wk" "%.0f") ns"
	fi
	detail "### 11. Kernel cost targets (issue 12)" ""
	detail "kernel.bpf_stats_enabled=1; three sets of programs on the same hooks for the whole step: the sensor's (default options), empty tp_btf programs (tests/bench/empty.bpf.c) and floor programs that each do one piece of the sensor's work (tests/bench/floor.bpf.c: the verdict key and one LRU hash lookup on exec; one bpf_task_storage_get on fork and exit). /bin/true and sh were exec'd 20 times each and left 1 s for the daemon's verdicts before the timed phases. nonshell: $n fork+exec+wait of /bin/true by build/bench/execloop; rotate: the same over 16 copies of /bin/true in turn (EXECLOOP_COPIES=16); shell: $n of \`sh -c :\`; command: one /bin/sh running /bin/true $n times in a while loop. Verdict-cache hits by the stop record: ${hits:--}."
	detail "" "| Phase | Program | run_time_ns | run_cnt | ns/run |" "|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$dir/cost" >> "$DETAILS"
	detail ""
}

# ====================================================================== main
START=$(date +%s)
build_helpers || die "cannot build the helpers"
describe_machine
for step in $STEPS; do
	case $step in
	1) bench_exec ;;
	2) bench_kernel ;;
	3) bench_sched ;;
	4|5) bench_load ;;
	6) bench_coverage ;;
	7) bench_window ;;
	8) bench_rules ;;
	9) bench_trail ;;
	10) bench_daemon ;;
	11) bench_cost ;;
	*) log "unknown step $step" ;;
	esac
done
detail "Run time: $(( $(date +%s) - START )) s."
render complete
log "results: $RESULTS"
echo
cat "$RESULTS"
