# shellwatch image: the sensor and its default rules, for the DaemonSet in
# deploy/daemonset.yaml. Build from the repository root:
#   docker build -t shellwatch:0.1.0 .
FROM debian:12 AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
	clang llvm make gcc libc6-dev pkg-config libbpf-dev libelf-dev \
	zlib1g-dev libyaml-dev libcap-dev libseccomp-dev bpftool ca-certificates \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# vmlinux.h is committed: the image builds on any host, CO-RE adapts it
RUN make clean && make all

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
	libbpf1 libelf1 zlib1g libyaml-0-2 libcap2 libseccomp2 \
	&& rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/shellwatch /usr/local/bin/shellwatch
COPY deploy/rules.yaml /etc/shellwatch/rules.yaml
# the lock lives on a hostPath so that two pods on one node cannot both run
ENTRYPOINT ["/usr/local/bin/shellwatch", "--rules", "/etc/shellwatch/rules.yaml", \
	"--lock-file", "/run/shellwatch/shellwatch.lock", "--log-dir", "/var/log"]
