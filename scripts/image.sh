#!/bin/sh
# Build the shellwatch image with podman or docker.
# usage: scripts/image.sh bases|build|engine
#   bases   import debian:12 from debootstrap when the engine lacks it (no
#           registry needed; the root file system is cached under build/)
#   build   build shellwatch:$(cat VERSION) from the Dockerfile
#   engine  print the engine that would be used
# ENGINE=podman|docker picks one; ENGINE_FLAGS are given before the command
# (podman's --runtime, --cgroup-manager ...), BUILD_FLAGS to `build`.
set -eu

cd "$(dirname "$0")/.."
version=$(cat VERSION)
cache=build/image
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

pick_engine() {
	if [ -n "${ENGINE:-}" ]; then
		echo "$ENGINE"
	elif command -v podman >/dev/null 2>&1; then
		echo podman
	elif command -v docker >/dev/null 2>&1; then
		echo docker
	else
		echo "image: neither podman nor docker is installed" >&2
		exit 1
	fi
}

engine=$(pick_engine)

run_engine() {
	# shellcheck disable=SC2086
	"$engine" ${ENGINE_FLAGS:-} "$@"
}

# debian:12 from debootstrap, once: the tar is kept for the next run
bases() {
	if run_engine image inspect debian:12 >/dev/null 2>&1; then
		return 0
	fi
	if [ ! -s "$cache/debian-12.tar" ]; then
		# without debootstrap the engine pulls debian:12 itself
		command -v debootstrap >/dev/null 2>&1 || return 0
		echo "  DEBOOT   $cache/debian-12 ($mirror)" >&2
		rm -rf "$cache/debian-12"
		mkdir -p "$cache"
		debootstrap --variant=minbase bookworm "$cache/debian-12" \
			"$mirror" > "$cache/debootstrap.log" 2>&1 || {
			tail -20 "$cache/debootstrap.log" >&2
			exit 1
		}
		# the build stage's apt needs the same mirror
		echo "deb $mirror bookworm main" > "$cache/debian-12/etc/apt/sources.list"
		tar -C "$cache/debian-12" -cf "$cache/debian-12.tar.part" .
		mv "$cache/debian-12.tar.part" "$cache/debian-12.tar"
		rm -rf "$cache/debian-12"
	fi
	echo "  IMPORT   debian:12" >&2
	run_engine import "$cache/debian-12.tar" debian:12 >/dev/null
}

build() {
	revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	echo "  IMAGE    shellwatch:$version ($engine)" >&2
	# shellcheck disable=SC2086
	run_engine build ${BUILD_FLAGS:-} --build-arg VERSION="$version" \
		--build-arg REVISION="$revision" -t "shellwatch:$version" . \
		> "$cache/build.log" 2>&1 || {
		tail -30 "$cache/build.log" >&2
		echo "image: build failed; see $cache/build.log" >&2
		exit 1
	}
}

mkdir -p "$cache"
case "${1:-}" in
bases) bases ;;
build) build ;;
engine) echo "$engine" ;;
*) echo "usage: $0 bases|build|engine" >&2; exit 2 ;;
esac
