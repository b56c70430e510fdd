#!/bin/sh
# Install the Debian packages a make target needs, only those missing.
# usage: scripts/deps.sh build|test|bench
set -eu

build="clang llvm make gcc binutils pkg-config libbpf-dev libelf-dev zlib1g-dev libyaml-dev libcap-dev libseccomp-dev bpftool"
# the shells the integration tests start and fingerprint
# (scripts/shell-ids.sh reads their build-ids at build time), and Criterion
# podman, runc, debootstrap and python3-yaml: the image test (tests/image)
# runc, podman, conmon, containerd: the runtime tests' containers
# (busybox-static, which conflicts with busybox, is only downloaded:
# scripts/busybox-rootfs.sh)
test="$build libcriterion-dev libclang-rt-14-dev bash dash zsh zsh-static ksh mksh tcsh csh fish busybox yash posh toybox sash rc podman runc debootstrap python3-yaml conmon containerd"
bench="$test bpftrace linux-perf valgrind"

case "${1:-}" in
build) want=$build ;;
test) want=$test ;;
bench) want=$bench ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=
for pkg in $want; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing Debian packages:$missing; install them as root" >&2
	exit 1
fi
echo "  DEPS    installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
