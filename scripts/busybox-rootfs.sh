#!/bin/sh
# Build the busybox root file system the runtime tests run containers from,
# once: busybox-static is taken with apt-get download and unpacked with
# dpkg-deb -x (installing it would remove the busybox package).
# usage: scripts/busybox-rootfs.sh DIR
#   DIR/rootfs       the tree (bin/busybox and a link per applet)
#   DIR/rootfs.tar   the same tree as a tarball, for podman import
#   DIR/image.tar    an OCI image archive of it, for ctr image import
set -eu

dir=${1:?usage: $0 DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
exec 9>"$dir/.lock"
flock 9
[ -x "$dir/rootfs/bin/busybox" ] && [ -s "$dir/rootfs.tar" ] &&
	[ -s "$dir/image.tar" ] && exit 0

tmp=$(mktemp -d "$dir/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "  ROOTFS  $dir/rootfs (busybox-static)" >&2
# a machine whose package lists were never fetched: fetch them once
(cd "$tmp" && apt-get download -q busybox-static >/dev/null 2>"$tmp/apt.err") ||
	{ [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1 &&
	  (cd "$tmp" && apt-get download -q busybox-static >/dev/null 2>"$tmp/apt.err"); } || {
	cat "$tmp/apt.err" >&2
	echo "busybox-rootfs: apt-get download busybox-static failed" >&2
	exit 1
}
dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/pkg"
r=$tmp/rootfs
mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/etc" "$r/root"
cp "$tmp/pkg/bin/busybox" "$r/bin/busybox"
for applet in $("$r/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$r/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$r/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
tar -C "$r" -cf "$tmp/rootfs.tar" .

# an OCI image layout: the tarball as its one layer
o=$tmp/oci
mkdir -p "$o/blobs/sha256"
blob() {
	d=$(sha256sum "$1" | cut -d' ' -f1)
	cp "$1" "$o/blobs/sha256/$d"
	echo "$d $(stat -c %s "$1")"
}
set -- $(blob "$tmp/rootfs.tar")
layer=$1 layer_size=$2
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$layer" >"$tmp/config.json"
set -- $(blob "$tmp/config.json")
config=$1 config_size=$2
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
	"$config" "$config_size" "$layer" "$layer_size" >"$tmp/manifest.json"
set -- $(blob "$tmp/manifest.json")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"localhost/shellwatch-test-busybox:1","org.opencontainers.image.ref.name":"1"}}]}' \
	"$1" "$2" >"$o/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' >"$o/oci-layout"
tar -C "$o" -cf "$tmp/image.tar" oci-layout index.json blobs

rm -rf "$dir/rootfs"
mv "$r" "$dir/rootfs"
mv "$tmp/rootfs.tar" "$dir/rootfs.tar"
mv "$tmp/image.tar" "$dir/image.tar"
