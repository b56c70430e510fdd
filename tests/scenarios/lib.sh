#!/bin/sh
# Shared steps of the dataset scenarios: a sensor writing HEC lines, runc
# containers of the busybox rootfs in kubelet-shaped cgroups below our
# own, and the kubelet's log links. Sourced by tests/scenarios/record.sh.

# the pod every scenario's container belongs to, as the kubelet names it
POD_NS=shop
POD_NAME=web-5d8f
POD_UID=4f6e2a1b-9c8d-4e7f-a6b5-c4d3e2f1a0b9
CTR_NAME=app

# a runc bundle whose first process runs "$@", in pod cgroup $SW_CGROUP
ctr_start() {
	id=$1
	shift
	b=$WORK/$id
	mkdir -p "$b"
	args=
	for a in "$@"; do
		esc=$(printf '%s' "$a" | sed 's/\\/\\\\/g; s/"/\\"/g')
		args="$args${args:+,}\"$esc\""
	done
	caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]'
	sys='{"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]},'
	cat >"$b/config.json" <<JSON
{"ociVersion":"1.0.2-dev","process":{"terminal":false,"user":{"uid":0,"gid":0},
"args":[$args],"env":["PATH=/bin","HOME=/root","TERM=dumb"],"cwd":"/",
"capabilities":{"bounding":$caps,"effective":$caps,"permitted":$caps},
"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}],"noNewPrivileges":true},
"root":{"path":"${SCN_ROOT:-$ROOTFS/rootfs}","readonly":true},"hostname":"$POD_NAME",
"mounts":[{"destination":"/proc","type":"proc","source":"proc"},
{"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
{"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
$sys
{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1777"]}],
"linux":{"cgroupsPath":"$TOP/kubepods/burstable/pod$POD_UID/$id",
"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}
JSON
	# the kubelet links the log before it starts the container
	mkdir -p "$LOGS/pods/${POD_NS}_${POD_NAME}_$POD_UID/$CTR_NAME" "$LOGS/containers"
	: >"$LOGS/pods/${POD_NS}_${POD_NAME}_$POD_UID/$CTR_NAME/0.log"
	ln -sf "$LOGS/pods/${POD_NS}_${POD_NAME}_$POD_UID/$CTR_NAME/0.log" \
		"$LOGS/containers/${POD_NAME}_${POD_NS}_$CTR_NAME-$id.log"
	runc --root "$WORK/runc" run -d --bundle "$b" "$id" </dev/null >/dev/null
}

# kubectl exec: runc exec into the container
ctr_exec() {
	id=$1
	shift
	runc --root "$WORK/runc" exec "$id" "$@"
}

ctr_rm() {
	runc --root "$WORK/runc" delete -f "$1" >/dev/null 2>&1 || true
}

ctr_id() {
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# what the scenario expects the searches to find, one line per shell:
# <search> <field>=<value>... (checked by tests/test_searches.c)
expect() {
	line=
	for a in "$@"; do
		case $a in
		*" "*) a="${a%%=*}='${a#*=}'" ;;
		esac
		line="$line${line:+ }$a"
	done
	echo "$line" >>"$OUT/expected.txt"
}
