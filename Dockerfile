# shellwatch image: the sensor, its loader and libraries, and the default
# rules, for the DaemonSet in deploy/daemonset.yaml. No shell, no package
# manager. Build it with `make image` (podman or docker), which passes
# VERSION; by hand, from the repository root:
#   podman build --build-arg VERSION=$(cat VERSION) -t shellwatch:$(cat VERSION) .
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
	clang llvm make gcc libc6-dev pkg-config libbpf-dev libelf-dev \
	zlib1g-dev libyaml-dev libcap-dev libseccomp-dev bpftool binutils \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# vmlinux.h is committed: the image builds on any host, CO-RE adapts it
RUN make clean && make all
# the runtime tree: the stripped binary, then every object ldd names (the
# loader included) at the path the binary asks for
RUN set -e; mkdir -p /rootfs/usr/local/bin /rootfs/etc/shellwatch \
		/rootfs/run/shellwatch /rootfs/tmp; \
	strip -o /rootfs/usr/local/bin/shellwatch build/shellwatch; \
	cp deploy/rules.yaml /rootfs/etc/shellwatch/rules.yaml; \
	for lib in $(ldd build/shellwatch | grep -o '/[^ ]*'); do \
		cp -L --parents "$lib" /rootfs; \
	done; \
	printf 'root:x:0:0:root:/:/nonexistent\n' > /rootfs/etc/passwd; \
	printf 'root:x:0:\n' > /rootfs/etc/group; \
	chmod 1777 /rootfs/tmp

FROM scratch
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="shellwatch" \
	org.opencontainers.image.description="eBPF sensor reporting every shell started on a Kubernetes node" \
	org.opencontainers.image.version="${VERSION}" \
	org.opencontainers.image.revision="${REVISION}" \
	org.opencontainers.image.licenses="LGPL-2.1 OR BSD-2-Clause" \
	org.opencontainers.image.base.name="scratch"
COPY --from=build /rootfs/ /
# the lock lives on a hostPath so that two pods on one node cannot both run
ENTRYPOINT ["/usr/local/bin/shellwatch", "--rules", "/etc/shellwatch/rules.yaml", \
	"--lock-file", "/run/shellwatch/shellwatch.lock", "--log-dir", "/var/log"]
