#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The image test: the shellwatch image run as the DaemonSet runs it.

Checks the image (size, labels, no shell or package manager, a stripped
binary), then runs it with deploy/daemonset.yaml's pod settings
(daemonset.py) under podman with runc, in the host's cgroup namespace and in
a private one, and checks what it reports of shells on the host and in real
containers, started before it and after, the lock, SIGTERM, and one clear
error per missing grant. Run by `make image-test` after `make image`; root.

Every wait is for a record or an exit, with a deadline.
"""
import errno
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import daemonset  # noqa: E402

VERSION = open(os.path.join(ROOT, "VERSION")).read().strip()
IMAGE = "shellwatch:" + VERSION
BASE = "debian:12"
MAX_IMAGE_BYTES = 16 * 1000 * 1000
PODMAN = ["podman"] + shlex.split(os.environ.get("ENGINE_FLAGS", ""))
TAG = "sw-image-%d" % os.getpid()
# seconds
START_TIMEOUT = 30
RECORD_TIMEOUT = 10
STOP_TIMEOUT = 10

failures = []


def say(msg):
    print("           " + msg, flush=True)


def check(ok, what, expected, got):
    if ok:
        say("ok   " + what)
    else:
        say("FAIL %s: expected %s, got %s" % (what, expected, got))
        failures.append(what)
    return ok


def podman(*args, check_rc=True, **kw):
    p = subprocess.run(PODMAN + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, **kw)
    if check_rc and p.returncode:
        raise RuntimeError("podman %s: exit %d: %s"
                           % (" ".join(args), p.returncode, p.stderr.strip()))
    return p.stdout


def own_cgroup():
    """the v1 memory cgroup podman's cgroupfs manager works in, else v2's"""
    v2 = None
    with open("/proc/self/cgroup") as f:
        for line in f:
            hid, ctrls, path = line.rstrip("\n").split(":", 2)
            if "memory" in ctrls.split(","):
                return path
            if hid == "0":
                v2 = path
    return v2


OWN = own_cgroup()
PARENT = OWN.rstrip("/") + "/" + TAG
# podman on this kind of host: runc (crun refuses hybrid cgroups), cgroups
# below the test's own, hard limits it may not raise
RUN_FLAGS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
             "--cgroup-parent", PARENT, "--pull=never"]


class Sensor:
    """one run of the image, as the DaemonSet runs it"""

    def __init__(self, work, name, ds_opts=(), podman_opts=()):
        self.name = "%s-%s" % (TAG, name)
        self.out_path = os.path.join(work, name + ".out")
        self.err_path = os.path.join(work, name + ".err")
        args = daemonset.run_args([
            os.path.join(ROOT, "deploy", "daemonset.yaml"),
            "--image", IMAGE,
            "--config-map", "shellwatch-rules=" + os.path.join(work, "rules"),
            "--host-path", "/run/shellwatch=" + os.path.join(work, "run"),
            "--host-path", "/var/log=" + os.path.join(work, "log"),
            "--field", "spec.nodeName=image-test-node",
            # --metrics binds the pod IP: loopback here, never another address
            "--field", "status.podIP=127.0.0.1",
        ] + list(ds_opts))
        cmd = (PODMAN + ["run", "--rm", "--name", self.name] + RUN_FLAGS +
               list(podman_opts) + args)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=open(self.out_path, "w"),
                                     stderr=open(self.err_path, "w"))
        self.seen = 0

    def records(self):
        with open(self.out_path) as f:
            lines = f.read().split("\n")
        # a last line without its newline is still being written
        return [json.loads(line) for line in lines[:-1] if line]

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def wait_record(self, pred, timeout, what):
        """the first record pred accepts; None after timeout"""
        deadline = time.monotonic() + timeout
        while True:
            for r in self.records():
                if pred(r):
                    return r
            if self.proc.poll() is not None:
                # the last records may have landed with the exit
                for r in self.records():
                    if pred(r):
                        return r
                say("sensor %s exited %d waiting for %s: %s"
                    % (self.name, self.proc.returncode, what,
                       self.stderr().strip()))
                return None
            if time.monotonic() > deadline:
                say("no %s within %d s" % (what, timeout))
                return None
            time.sleep(0.05)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.proc.poll() is None:
            podman("kill", "--signal", "KILL", self.name, check_rc=False)
            self.wait_exit(STOP_TIMEOUT)


def host_shell():
    """a shell on the host, in a process group of its own, on no pipe of ours"""
    return subprocess.Popen(["sh", "-c", "sleep 600"],
                            stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def end_shell(p):
    """the shell and what it started (sh may not exec its last command)"""
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    p.wait()


def exec_of(pid):
    return lambda r: (r.get("type") == "exec" and
                      r.get("process", {}).get("pid") == pid)


def start_container(name, command):
    """a shell in a real container (runc); its id and host pid"""
    cid = podman("run", "-d", "--name", "%s-%s" % (TAG, name),
                 "--network", "host", *RUN_FLAGS, BASE,
                 "sh", "-c", command).strip()
    pid = int(podman("inspect", "--format", "{{.State.Pid}}", cid).strip())
    return cid, pid


def identity(r):
    c = r.get("container") or {}
    return {
        "scope": r.get("scope"),
        "container.id": c.get("id"),
        "container.runtime": c.get("runtime"),
        "cgroup.path": r.get("cgroup", {}).get("path"),
        "cgroup.v1_path": r.get("cgroup", {}).get("v1_path"),
    }


def check_container_shell(r, what, cid, pid, vpid=1):
    if not check(r is not None, what + ": reported", "an exec record",
                 "none"):
        return
    p = r["process"]
    check(p["pid"] == pid, what + ": host pid", pid, p["pid"])
    check(p.get("vpid") == vpid, what + ": pid in the container", vpid,
          p.get("vpid"))
    ident = identity(r)
    want = {"scope": "container", "container.id": cid,
            "container.runtime": "podman"}
    got = {k: ident[k] for k in want}
    check(got == want, what + ": identity", want, got)
    v1 = ident["cgroup.v1_path"] or ""
    check(v1.startswith(PARENT + "/") and cid in v1,
          what + ": cgroup below the test's", PARENT + "/...libpod-" + cid,
          v1)


def check_host_shell(r, what, pid):
    if not check(r is not None, what + ": reported", "an exec record",
                 "none"):
        return
    ident = identity(r)
    want = {"scope": "host", "container.id": None, "cgroup.v1_path": OWN}
    got = {k: ident[k] for k in want}
    check(got == want, what + ": identity", want, got)
    check(r["process"]["user"]["id"] == os.geteuid(), what + ": user",
          os.geteuid(), r["process"]["user"]["id"])


def check_image(work):
    size = int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE))
    check(size <= MAX_IMAGE_BYTES, "image size", "<= %d" % MAX_IMAGE_BYTES,
          size)
    labels = json.loads(podman("image", "inspect", "--format",
                               "{{json .Labels}}", IMAGE))
    for key, want in (("org.opencontainers.image.version", VERSION),
                      ("org.opencontainers.image.title", "shellwatch")):
        check(labels.get(key) == want, "label " + key, want, labels.get(key))
    check(labels.get("org.opencontainers.image.revision"),
          "label org.opencontainers.image.revision", "a revision", labels)
    cname = TAG + "-files"
    podman("create", "--name", cname, IMAGE)
    try:
        tar = os.path.join(work, "image.tar")
        with open(tar, "wb") as f:
            subprocess.run(PODMAN + ["export", cname], stdout=f, check=True)
        names = subprocess.run(["tar", "-tf", tar], stdout=subprocess.PIPE,
                               text=True, check=True).stdout.split()
        subprocess.run(["tar", "-xf", tar, "-C", work,
                        "usr/local/bin/shellwatch"], check=True)
    finally:
        podman("rm", cname, check_rc=False)
    files = [n for n in names if not n.endswith("/")]
    allowed = ("usr/local/bin/shellwatch", "etc/shellwatch/rules.yaml",
               "etc/passwd", "etc/group")
    others = [n for n in files if n not in allowed and not (
        n.startswith(("lib/", "lib64/", "usr/lib/")) and ".so" in n)]
    check(not others, "image holds the sensor, its libraries and rules only",
          "nothing else", others)
    sections = subprocess.run(["readelf", "-S", os.path.join(
        work, "usr/local/bin/shellwatch")], stdout=subprocess.PIPE,
        text=True, check=True).stdout
    check(".symtab" not in sections and ".debug_info" not in sections,
          "binary stripped", "no .symtab or .debug_info", "present")


def phase_host_cgroupns(work):
    """found at start and live, host and container; lock; SIGTERM"""
    say("-- host cgroup namespace")
    host0 = host_shell()
    cid0, pid0 = start_container("shell0", "sleep 600")
    s = Sensor(work, "host-ns", podman_opts=["--cgroupns", "host"])
    try:
        start = s.wait_record(lambda r: r.get("type") == "start",
                              START_TIMEOUT, "start record")
        if not check(start is not None, "sensor starts", "a start record",
                     s.stderr().strip()):
            return None
        say("started in %.1f s" % (time.monotonic() - s.started))
        found = {}
        r = s.wait_record(exec_of(host0.pid), RECORD_TIMEOUT,
                          "host shell found at start")
        check(r is not None and r["found_at_start"],
              "host shell found at start", "found_at_start", r)
        check_host_shell(r, "host shell found at start", host0.pid)
        r = s.wait_record(exec_of(pid0), RECORD_TIMEOUT,
                          "container shell found at start")
        check(r is not None and r["found_at_start"],
              "container shell found at start", "found_at_start", r)
        check_container_shell(r, "container shell found at start", cid0,
                              pid0)
        found["container"] = r

        host1 = host_shell()
        r = s.wait_record(exec_of(host1.pid), RECORD_TIMEOUT,
                          "live host shell")
        check(r is not None and not r.get("found_at_start", False), "live host shell",
              "found_at_start false", r)
        check_host_shell(r, "live host shell", host1.pid)
        end_shell(host1)
        cid1, pid1 = start_container("shell1", "sleep 600")
        r = s.wait_record(exec_of(pid1), RECORD_TIMEOUT,
                          "live container shell")
        check_container_shell(r, "live container shell", cid1, pid1)
        podman("rm", "-f", "-t", "0", cid1, check_rc=False)

        probe = daemonset.probe_command(
            os.path.join(ROOT, "deploy", "daemonset.yaml"))
        if probe:
            p = subprocess.run(PODMAN + ["exec", s.name] + probe,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            check(p.returncode == 0, "liveness probe %s" % " ".join(probe),
                  "exit 0", "exit %d: %s" % (p.returncode, p.stdout.strip()))

        # a second sensor on the node: the lock on the hostPath refuses it
        s2 = Sensor(work, "second")
        rc = s2.wait_exit(START_TIMEOUT)
        err = s2.stderr().strip()
        check(rc == 1 and "another shellwatch" in err and
              len(err.splitlines()) == 1,
              "second instance refused by the lock",
              "exit 1, one line naming the other shellwatch",
              "exit %s: %r" % (rc, err))
        check(not s2.records(), "second instance writes no record", "none",
              s2.records()[:1])

        t0 = time.monotonic()
        podman("kill", "--signal", "TERM", s.name)
        rc = s.wait_exit(STOP_TIMEOUT)
        took = time.monotonic() - t0
        recs = s.records()
        check(rc == 0 and recs and recs[-1].get("type") == "stop",
              "SIGTERM stops it cleanly", "exit 0 after a stop record",
              "exit %s, last %s" % (rc, recs[-1:] and recs[-1].get("type")))
        say("SIGTERM to exit: %.2f s" % took)
        found["cid"], found["pid"] = cid0, pid0
        return found
    finally:
        s.kill()
        end_shell(host0)


def phase_private_cgroupns(work, found_host_ns):
    """shells found at start carry the identity live execs have"""
    say("-- private cgroup namespace")
    if not found_host_ns:
        return
    cid0, pid0 = found_host_ns["cid"], found_host_ns["pid"]
    host2 = host_shell()
    s = Sensor(work, "private-ns", podman_opts=["--cgroupns", "private"])
    try:
        start = s.wait_record(lambda r: r.get("type") == "start",
                              START_TIMEOUT, "start record")
        if not check(start is not None, "sensor starts (private cgroupns)",
                     "a start record", s.stderr().strip()):
            return
        r = s.wait_record(exec_of(host2.pid), RECORD_TIMEOUT,
                          "host shell found at start")
        check_host_shell(r, "private cgroupns: host shell found at start",
                         host2.pid)
        found = s.wait_record(exec_of(pid0), RECORD_TIMEOUT,
                              "container shell found at start")
        check_container_shell(found,
                              "private cgroupns: container shell found at "
                              "start", cid0, pid0)
        # a live exec in the same container: the kernel's view of it
        ex = subprocess.Popen(PODMAN + ["exec", cid0, "sh", "-c",
                                        "echo $$; exec sleep 600"],
                              stdout=subprocess.PIPE, text=True)
        vpid = int(ex.stdout.readline())
        live = s.wait_record(
            lambda r: (r.get("type") == "exec" and
                       r.get("container", {}) and
                       r["container"].get("id") == cid0 and
                       r["process"].get("vpid") == vpid),
            RECORD_TIMEOUT, "live exec in the container")
        if check(found is not None and live is not None,
                 "private cgroupns: found and live records", "both",
                 (found is not None, live is not None)):
            check(identity(found) == identity(live),
                  "private cgroupns: found at start = live exec identity",
                  identity(live), identity(found))
        if found_host_ns["container"] and found:
            check(identity(found) == identity(found_host_ns["container"]),
                  "private cgroupns = host cgroupns identity",
                  identity(found_host_ns["container"]), identity(found))
        ex.kill()
    finally:
        s.kill()
        end_shell(host2)


# one grant taken away at a time, and the word its error must name
GRANTS = [
    (["--drop-cap", "BPF"], "CAP_BPF"),
    (["--drop-cap", "PERFMON"], "CAP_PERFMON"),
    (["--drop-cap", "SYS_PTRACE"], "CAP_SYS_PTRACE"),
    (["--drop-cap", "DAC_READ_SEARCH"], "CAP_DAC_READ_SEARCH"),
    (["--drop-cap", "SETPCAP"], "CAP_SETPCAP"),
    (["--default-seccomp"], "seccomp"),
]


def phase_grants(work):
    say("-- one grant missing at a time")
    for opts, word in GRANTS:
        s = Sensor(work, "no-" + word.lower(), ds_opts=opts)
        rc = s.wait_exit(START_TIMEOUT)
        if rc is None:
            s.kill()
        err = s.stderr().strip()
        check(rc == 1 and len(err.splitlines()) == 1 and word in err and
              "ring buffer" not in err and not s.records(),
              "without %s: one line naming it" % word,
              "exit 1, no record, one stderr line naming %s" % word,
              "exit %s, %d records: %r" % (rc, len(s.records()), err))


def cleanup():
    ids = podman("ps", "-a", "-q", "--filter", "name=^" + TAG,
                 check_rc=False).split()
    if ids:
        podman("rm", "-f", "-t", "0", *ids, check_rc=False)
    # the parent cgroup podman made in each hierarchy; conmon may still be
    # leaving its own below it
    dirs = []
    for h in [""] + os.listdir("/sys/fs/cgroup"):
        d = os.path.join("/sys/fs/cgroup", h, PARENT.lstrip("/"))
        if os.path.isdir(d):
            dirs += [sub for sub, _, _ in os.walk(d)]
    deadline = time.monotonic() + STOP_TIMEOUT
    for sub in sorted(dirs, reverse=True):
        while True:
            try:
                os.rmdir(sub)
                break
            except FileNotFoundError:
                break
            except OSError as e:
                if e.errno != errno.EBUSY or time.monotonic() > deadline:
                    say("cannot remove cgroup %s: %s" % (sub, e))
                    break
                time.sleep(0.05)


def main():
    if os.geteuid():
        sys.exit("image_test: run as root")
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="image-test.",
                                     dir=os.path.join(ROOT, "build")) as work:
        for d in ("rules", "run", "log"):
            os.makedirs(os.path.join(work, d))
        with open(os.path.join(ROOT, "deploy", "rules.yaml")) as src, \
                open(os.path.join(work, "rules", "rules.yaml"), "w") as dst:
            dst.write(src.read())
        try:
            check_image(work)
            found = phase_host_cgroupns(work)
            phase_private_cgroupns(work, found)
            phase_grants(work)
        finally:
            cleanup()
    say("%d failed; %.0f s" % (len(failures), time.monotonic() - t0))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
