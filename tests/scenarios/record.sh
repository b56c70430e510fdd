#!/bin/sh
# Record the dataset of each scenario into tests/data/<scenario>/ (the
# recording.swr that --replay runs, the HEC lines and JSON records): the
# sensor runs with --format hec as on a node, the scenario runs its shells
# in runc containers of a kubelet-shaped pod (or on the "node"), and only
# the lines of the scenario's own cgroups are kept.
# usage (root, idle machine): tests/scenarios/record.sh [SCENARIO...]
#   SHELLWATCH  the sensor binary (default build/shellwatch)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
SENSOR=${SHELLWATCH:-$repo/build/shellwatch}
ROOTFS=$repo/build/rootfs
"$repo/scripts/busybox-rootfs.sh" "$ROOTFS"
. "$here/lib.sh"

[ $# -gt 0 ] || set -- $(cd "$here" && ls *.sh | sed -n 's/^scn_\(.*\)\.sh$/\1/p')

own=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$own" = / ] && own=

# wait for the first 10 s window edge after the scenario, plus a second
next_edge() {
	now=$(date +%s)
	sleep $((10 - now % 10 + 1))
}

record() {
	name=$1
	OUT=$repo/tests/data/$name
	WORK=$(mktemp -d /tmp/sw-scenario-XXXXXX)
	LOGS=$WORK/logs
	TOP=sw-scn-$$
	mkdir -p "$LOGS/containers"
	rm -rf "$OUT"
	mkdir -p "$OUT"
	SCN_ARGS= SCN_ROOT= SCN_DESCRIPTION=
	. "$here/scn_$name.sh"
	# shellcheck disable=SC2086
	"$SENSOR" --format hec --window 10 --no-scan --log-dir "$LOGS" \
		--cluster-name lab-cluster --node-name worker-1 \
		--lock-file "$WORK/lock" --record "$OUT/recording.swr" \
		${SCN_ARGS:-} >"$WORK/hec" 2>"$WORK/err" &
	sensor=$!
	# a scenario that fails does not leave the sensor running
	trap 'kill -TERM $sensor 2>/dev/null || true' EXIT
	until grep -q '"sourcetype":"shellwatch:start"' "$WORK/hec"; do
		kill -0 $sensor 2>/dev/null || { cat "$WORK/err" >&2; exit 1; }
		sleep 0.1
	done
	echo "  SCENARIO $name" >&2
	scenario
	next_edge
	kill -TERM $sensor
	wait $sensor || true
	scenario_cleanup 2>/dev/null || true
	for d in $(find /sys/fs/cgroup -depth -type d -path "*/$TOP*"); do
		rmdir "$d" 2>/dev/null || true
	done
	# the scenario's lines: its cgroups' (the rest is the machine's)
	grep -F "/$TOP/" "$WORK/hec" >"$OUT/hec.jsonl" || true
	# the JSON records are the HEC events' "event" objects, unchanged
	sed -n 's/^{"time":[0-9.]*,"host":"[^"]*","source":"shellwatch","sourcetype":"shellwatch:[a-z]*","event":\(.*\)}$/\1/p' \
		"$OUT/hec.jsonl" >"$OUT/events.jsonl"
	descriptor "$name" >"$OUT/$name.yml"
	rm -rf "$WORK"
	echo "  DATASET  tests/data/$name: $(wc -l <"$OUT/hec.jsonl") HEC lines" >&2
}

descriptor() {
	cat <<YAML
author: shellwatch tests
id: $(cat /proc/sys/kernel/random/uuid)
date: '$(date -u +%Y-%m-%d)'
description: '$SCN_DESCRIPTION'
environment: 'Debian 12 build machine, kernel $(uname -r), runc $(runc --version | sed -n 's/^runc version //p'), busybox-static containers in kubelet-shaped cgroups (pod ${POD_NS}/${POD_NAME}), shellwatch $(cat "$repo/VERSION") --format hec --window 10, node worker-1, cluster lab-cluster'
mitre_technique:
- T1204
datasets:
- name: shellwatch_hec_events
  path: tests/data/$1/hec.jsonl
  source: shellwatch
  sourcetype: 'shellwatch:exec'
- name: shellwatch_hec_metrics
  path: tests/data/$1/hec.jsonl
  source: shellwatch
  sourcetype: 'metric: process.cpu.utilization, process.memory.utilization'
- name: shellwatch_json_records
  path: tests/data/$1/events.jsonl
  source: shellwatch
  sourcetype: '_json'
YAML
}

for s in "$@"; do
	record "$s"
done
