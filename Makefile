# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# shellwatch: `make` builds build/shellwatch, `make run` runs it, `make test`
# runs every test. `make V=1` shows full commands.

# SAN=1: the sanitizer build (AddressSanitizer, UndefinedBehaviorSanitizer)
ifeq ($(SAN),1)
OUTPUT := build/san
else
OUTPUT := build
endif
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= gcc

ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
ifeq ($(filter vmlinux,$(MAKECMDGOALS))$(wildcard vmlinux/$(ARCH)/vmlinux.h),)
$(error unsupported ARCH '$(ARCH)': no vmlinux/$(ARCH)/vmlinux.h; on such a kernel run 'make vmlinux ARCH=$(ARCH)' first)
endif

ifeq ($(V),1)
Q :=
msg := @true
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
endif
INCLUDES := -I$(OUTPUT) -Iinclude -Iuser
LDLIBS := -lbpf -lelf -lz -lyaml -lcap -lseccomp -lm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) \
	-Ivmlinux/$(ARCH) -Iinclude -Ibpf -Wall -Werror

VERSION := $(shell cat VERSION)
CFLAGS += -DSHELLWATCH_VERSION='"$(VERSION)"'

# the daemon's objects go into one library, linked by the binary, the tests
# and the fuzzers; the compiler writes each object's header dependencies
USER_SRCS := $(wildcard user/*.c)
USER_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(USER_SRCS))
LIB_OBJS := $(filter-out $(OUTPUT)/user/main.o,$(USER_OBJS))
LIB := $(OUTPUT)/libshellwatch.a
# the objects that include the skeleton
SKEL_USERS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,\
	$(shell grep -l 'shellwatch\.skel\.h' user/*.c))
DEPFLAGS = -MMD -MP

UNIT_SRCS := $(wildcard tests/test_*.c) $(wildcard tests/helpers/*.c)
UNIT_OBJS := $(patsubst tests/%.c,$(OUTPUT)/tests/%.o,$(UNIT_SRCS))
INTEG_SRCS := $(wildcard tests/integration/*.c) $(wildcard tests/helpers/*.c)
INTEG_OBJS := $(patsubst tests/%.c,$(OUTPUT)/tests/%.o,$(INTEG_SRCS))

# criterion options for `make test`, e.g. CRITERION_OPTS=--verbose
CRITERION_OPTS ?=

.DELETE_ON_ERROR:
.PHONY: all run test unit integration deps-build deps-test clean vmlinux \
	fuzz fuzz-smoke bench image image-test image-test-if-podman install \
	install-test

all: $(OUTPUT)/shellwatch

deps-build:
	$(Q)scripts/deps.sh build

deps-test:
	$(Q)scripts/deps.sh test

$(OUTPUT) $(OUTPUT)/user $(OUTPUT)/tests $(OUTPUT)/tests/helpers $(OUTPUT)/tests/integration:
	$(Q)mkdir -p $@

$(OUTPUT)/shellwatch.bpf.o: bpf/shellwatch.bpf.c vmlinux/$(ARCH)/vmlinux.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OUTPUT)/shellwatch.skel.h: $(OUTPUT)/shellwatch.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name shellwatch_bpf > $@

$(SKEL_USERS): $(OUTPUT)/shellwatch.skel.h

# an object without its dependency file (one an older Makefile built) does
# not know its headers: a missing .d makes it out of date, and the compiler
# writes the .d again
DEP_FILES := $(sort $(patsubst %.o,%.d,$(USER_OBJS) $(UNIT_OBJS) $(INTEG_OBJS)))
$(DEP_FILES):

# the build-ids of the shells installed here, for user/fingerprint.c
$(OUTPUT)/shell_ids.h: scripts/shell-ids.sh | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)scripts/shell-ids.sh > $@

$(OUTPUT)/user/fingerprint.o $(OUTPUT)/fuzz/user/fingerprint.o: $(OUTPUT)/shell_ids.h

$(OUTPUT)/user/%.o: user/%.c $(OUTPUT)/user/%.d | $(OUTPUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $(INCLUDES) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/shellwatch: $(OUTPUT)/user/main.o $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(OUTPUT)/tests/%.o: tests/%.c $(OUTPUT)/tests/%.d | $(OUTPUT)/tests $(OUTPUT)/tests/helpers $(OUTPUT)/tests/integration
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(DEPFLAGS) $(INCLUDES) -Itests/helpers -c $< -o $@

# Criterion runs each test in a new process of the same binary: without
# PIE, static parameter tables hold the same addresses there
TEST_LDFLAGS := -no-pie

$(OUTPUT)/tests/unit: $(UNIT_OBJS) $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(TEST_LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

$(OUTPUT)/tests/integration-tests: $(INTEG_OBJS) $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $(TEST_LDFLAGS) $^ $(LDLIBS) -lcriterion -o $@

# people at a terminal get --format pretty, pipes JSON; ARGS may override
run: deps-build
	$(Q)$(MAKE) all
	$(Q)if [ -t 1 ]; then set -- --format pretty; fi; \
		./$(OUTPUT)/shellwatch "$$@" $(ARGS)

# the replay tests run the binary on the committed recordings
unit: $(OUTPUT)/tests/unit $(OUTPUT)/shellwatch
	$(call msg,TEST,unit $(if $(filter 1,$(SAN)),(sanitizers)))
	$(Q)SHELLWATCH=./$(OUTPUT)/shellwatch ./$(OUTPUT)/tests/unit $(CRITERION_OPTS)

# one test at a time: utilization is measured against an idle machine
# programs the integration tests run: setuid_exec stands in for sudo
$(OUTPUT)/tests/setuid_exec: tests/integration/progs/setuid_exec.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror $< -o $@

# threads_sh: a multi-threaded shell whose leader or threads end first
$(OUTPUT)/tests/threads_sh: tests/integration/progs/threads_sh.c | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -pthread $< -o $@

integration: $(OUTPUT)/shellwatch $(OUTPUT)/tests/integration-tests $(OUTPUT)/tests/setuid_exec \
	     $(OUTPUT)/tests/threads_sh
	$(call msg,TEST,integration $(if $(filter 1,$(SAN)),(sanitizers)))
	$(Q)SHELLWATCH=./$(OUTPUT)/shellwatch SHELLWATCH_SANITIZED=$(SAN) \
		SW_SETUID_EXEC=./$(OUTPUT)/tests/setuid_exec \
		SW_THREADS_SH=./$(OUTPUT)/tests/threads_sh \
		./$(OUTPUT)/tests/integration-tests --jobs 1 $(CRITERION_OPTS)

# every suite, then again under the sanitizers
test: deps-test
	$(Q)$(MAKE) unit
	$(Q)$(MAKE) integration
	$(Q)$(MAKE) SAN=1 unit
	$(Q)$(MAKE) SAN=1 integration
	$(Q)$(MAKE) fuzz-smoke
	$(Q)$(MAKE) install-test
	$(Q)$(MAKE) image-test-if-podman

# libFuzzer harnesses, linked against the daemon's library built for them
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 $(FUZZ_SAN) -D_GNU_SOURCE -I$(OUTPUT) -Iinclude -Iuser \
	-Itests/helpers
FUZZ_LIB_SRCS := $(filter-out user/main.c $(patsubst $(OUTPUT)/user/%.o,user/%.c,$(SKEL_USERS)),$(USER_SRCS))
FUZZ_LIB_OBJS := $(patsubst %.c,$(OUTPUT)/fuzz/%.o,$(FUZZ_LIB_SRCS))
FUZZ_LIB := $(OUTPUT)/fuzz/libshellwatch.a
FUZZ_BINS := $(patsubst %,$(OUTPUT)/fuzz/fuzz_%,$(FUZZ_TARGETS))
# seconds per target: `make fuzz` explores, `make test` runs the smoke pass
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 20

$(OUTPUT)/fuzz/%.o: %.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(DEPFLAGS) -c $< -o $@

$(FUZZ_LIB): $(FUZZ_LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/fuzz/fuzz_%: $(OUTPUT)/fuzz/tests/fuzz/fuzz_%.o $(FUZZ_LIB)
	$(call msg,FUZZER,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -lyaml -lz -lm -o $@

# run every harness for $(1) seconds from its committed corpus; new inputs
# go to a scratch copy, crashes to $(OUTPUT)/fuzz/<target>-crash-*
define run_fuzzers
	$(Q)set -e; for t in $(FUZZ_TARGETS); do \
		printf '  %-8s %s (%s s)\n' FUZZ $$t $(1); \
		rm -rf $(OUTPUT)/fuzz/corpus-$$t; \
		mkdir -p $(OUTPUT)/fuzz/corpus-$$t; \
		if ! $(OUTPUT)/fuzz/fuzz_$$t -max_total_time=$(1) -max_len=8192 \
			-artifact_prefix=$(OUTPUT)/fuzz/$$t- \
			$(OUTPUT)/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
			> $(OUTPUT)/fuzz/$$t.log 2>&1; then \
			tail -40 $(OUTPUT)/fuzz/$$t.log; \
			echo "fuzz: $$t failed; see $(OUTPUT)/fuzz/$$t.log" >&2; \
			exit 1; \
		fi; \
		grep -E '^Done|DONE' $(OUTPUT)/fuzz/$$t.log | tail -1 | sed 's/^/           /'; \
	done
endef

fuzz: $(FUZZ_BINS)
	$(call run_fuzzers,$(FUZZ_SECONDS))

fuzz-smoke: $(FUZZ_BINS)
	$(call run_fuzzers,$(FUZZ_SMOKE_SECONDS))

# the benchmark: root, an idle machine, about 6 minutes; never part of test
bench:
	$(Q)scripts/deps.sh bench
	$(Q)$(MAKE) all
	$(Q)bash tests/bench/run.sh

# the runtime image, shellwatch:$(VERSION), with podman or docker
# (ENGINE=...); without a registry, debian:12 comes from debootstrap, cached
# in build/image. ENGINE_FLAGS go before the engine's command, BUILD_FLAGS to
# its build; the defaults fit this kind of host (see README, The image).
ifeq ($(shell scripts/image.sh engine 2>/dev/null),podman)
ENGINE_FLAGS ?= --runtime runc --cgroup-manager cgroupfs --events-backend file
IMAGE_CGROUP := $(shell sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)
BUILD_FLAGS ?= --pull=never --network host --ulimit nofile=1024:1024 \
	--ulimit nproc=1024:1024 \
	$(if $(IMAGE_CGROUP),--cgroup-parent $(IMAGE_CGROUP)/shellwatch-build)
endif
export ENGINE_FLAGS BUILD_FLAGS

image:
	$(Q)scripts/image.sh bases
	$(Q)scripts/image.sh build

# the image run as deploy/daemonset.yaml runs it (podman, root, loads BPF)
image-test: image
	$(call msg,TEST,image)
	$(Q)python3 tests/image/image_test.py

# `make test` runs the image test where podman is (scripts/deps.sh test
# installs it)
image-test-if-podman:
	$(Q)if command -v podman >/dev/null 2>&1; then $(MAKE) image-test; \
	else echo "  SKIP     image test: no podman"; fi

# install: `make install PREFIX=/usr DESTDIR=/tmp/pkg`. The binary (stripped
# with STRIP=1), shellwatch(8), the default rules (kept when the rules file
# in SYSCONFDIR exists already; DATADIR always has the shipped ones) and a
# systemd unit for nodes without Kubernetes
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@DATADIR@|$(DATADIR)|g' -e 's|@VERSION@|$(VERSION)|g'

install: $(OUTPUT)/shellwatch
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(DATADIR)/shellwatch $(DESTDIR)$(SYSCONFDIR)/shellwatch \
		$(DESTDIR)$(UNITDIR)
	$(Q)$(INSTALL) -m 0755 $(if $(filter 1,$(STRIP)),-s) $(OUTPUT)/shellwatch \
		$(DESTDIR)$(SBINDIR)/shellwatch
	$(Q)$(SUBST) doc/shellwatch.8 > $(DESTDIR)$(MANDIR)/man8/shellwatch.8
	$(Q)chmod 0644 $(DESTDIR)$(MANDIR)/man8/shellwatch.8
	$(Q)$(INSTALL) -m 0644 deploy/rules.yaml $(DESTDIR)$(DATADIR)/shellwatch/rules.yaml
	$(Q)[ -e $(DESTDIR)$(SYSCONFDIR)/shellwatch/rules.yaml ] || \
		$(INSTALL) -m 0644 deploy/rules.yaml $(DESTDIR)$(SYSCONFDIR)/shellwatch/rules.yaml
	$(Q)$(SUBST) deploy/shellwatch.service.in > $(DESTDIR)$(UNITDIR)/shellwatch.service
	$(Q)chmod 0644 $(DESTDIR)$(UNITDIR)/shellwatch.service

# `make install DESTDIR=...` into a scratch tree, checked file by file
install-test: $(OUTPUT)/shellwatch
	$(call msg,TEST,install)
	$(Q)sh tests/install/install_test.sh

# regenerate the committed vmlinux.h from the running kernel's BTF
vmlinux:
	$(call msg,GEN,vmlinux/$(ARCH)/vmlinux.h)
	$(Q)mkdir -p vmlinux/$(ARCH)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/$(ARCH)/vmlinux.h

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/*.d $(OUTPUT)/user/*.d $(OUTPUT)/tests/*.d \
	$(OUTPUT)/tests/*/*.d $(addsuffix .d,$(basename $(FUZZ_LIB_OBJS))) \
	$(OUTPUT)/fuzz/tests/fuzz/*.d)
