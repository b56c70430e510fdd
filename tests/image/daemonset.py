#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Turn the DaemonSet's pod into `podman run` arguments, one per line.

The image test runs the image exactly as deploy/daemonset.yaml says: host
namespaces, security context, capabilities, seccomp, memory limit, volumes,
environment. A field this does not know stops it, so that a change to the
manifest cannot go untested. Host paths can be moved (--host-path SRC=DST)
so that the test keeps its files to itself; --drop-cap and --default-seccomp
take one grant away for the missing-grant checks.
"""
import argparse
import re
import os
import sys

import yaml

POD_KEYS = {"hostPID", "hostNetwork", "hostIPC", "dnsPolicy",
            "priorityClassName", "tolerations", "containers", "volumes",
            "terminationGracePeriodSeconds", "serviceAccountName",
            "nodeSelector", "automountServiceAccountToken"}
CONTAINER_KEYS = {"name", "image", "imagePullPolicy", "env",
                  "securityContext", "resources", "volumeMounts", "args",
                  "command", "livenessProbe", "readinessProbe",
                  "startupProbe", "ports"}
SECURITY_KEYS = {"privileged", "allowPrivilegeEscalation",
                 "readOnlyRootFilesystem", "capabilities", "seccompProfile",
                 "runAsUser", "runAsGroup", "runAsNonRoot"}


def fail(msg):
    sys.exit("daemonset.py: deploy/daemonset.yaml: " + msg)


def check_keys(what, obj, known):
    unknown = set(obj) - known
    if unknown:
        fail("%s has fields this test does not run: %s"
             % (what, ", ".join(sorted(unknown))))


def memory(q):
    units = {"Ki": "k", "Mi": "m", "Gi": "g"}
    for suffix, unit in units.items():
        if q.endswith(suffix):
            return q[:-len(suffix)] + unit
    if q.isdigit():
        return q + "b"
    fail("memory limit %r is not in Ki, Mi or Gi" % q)


def pod_of(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    sets = [d for d in docs if d.get("kind") == "DaemonSet"]
    if len(sets) != 1:
        fail("expected one DaemonSet, found %d" % len(sets))
    return sets[0]["spec"]["template"]["spec"]


def security_args(sc, opts):
    check_keys("securityContext", sc, SECURITY_KEYS)
    args = []
    if sc.get("privileged"):
        args.append("--privileged")
    if sc.get("allowPrivilegeEscalation") is False:
        args += ["--security-opt", "no-new-privileges"]
    if sc.get("readOnlyRootFilesystem"):
        # the kubelet adds no tmpfs on a read-only root; podman would
        args += ["--read-only", "--read-only-tmpfs=false"]
    if "runAsUser" in sc:
        user = str(sc["runAsUser"])
        if "runAsGroup" in sc:
            user += ":%s" % sc["runAsGroup"]
        args += ["--user", user]
    caps = sc.get("capabilities", {})
    check_keys("capabilities", caps, {"add", "drop"})
    for cap in caps.get("drop", []):
        args += ["--cap-drop", cap.lower()]
    added = caps.get("add", [])
    for cap in opts.drop_cap:
        if cap not in added:
            fail("--drop-cap %s: the DaemonSet does not add it" % cap)
    for cap in added:
        if cap not in opts.drop_cap:
            args += ["--cap-add", "CAP_" + cap]
    seccomp = sc.get("seccompProfile", {}).get("type", "RuntimeDefault")
    if seccomp == "Unconfined" and not opts.default_seccomp:
        args += ["--security-opt", "seccomp=unconfined"]
    elif seccomp not in ("Unconfined", "RuntimeDefault"):
        fail("seccompProfile %s is not run by this test" % seccomp)
    return args


def volume_args(c, pod, opts):
    moved = dict(kv.split("=", 1) for kv in opts.host_path)
    maps = dict(kv.split("=", 1) for kv in opts.config_map)
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    args, used = [], set()
    for m in c.get("volumeMounts", []):
        v = volumes.get(m["name"])
        if v is None:
            fail("volumeMount %s has no volume" % m["name"])
        ro = m.get("readOnly", False)
        if "hostPath" in v:
            src = v["hostPath"]["path"]
            src = moved.get(src, src)
            if v["hostPath"].get("type") == "DirectoryOrCreate":
                os.makedirs(src, exist_ok=True)
        elif "configMap" in v:
            name = v["configMap"]["name"]
            if name not in maps:
                fail("configMap %s: give --config-map %s=DIR" % (name, name))
            src, ro = maps[name], True
        else:
            fail("volume %s: only hostPath and configMap are run" % v["name"])
        used.add(src)
        args += ["-v", "%s:%s%s" % (src, m["mountPath"], ":ro" if ro else "")]
    for src in moved.values():
        if src not in used:
            fail("--host-path to %s: no volume uses it" % src)
    return args


def env_args(c, opts):
    fields = dict(kv.split("=", 1) for kv in opts.field)
    args = []
    for e in c.get("env", []):
        if "value" in e:
            value = str(e["value"])
        else:
            ref = e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
            if ref not in fields:
                fail("env %s: give --field %s=VALUE" % (e["name"], ref))
            value = fields[ref]
        args += ["--env", "%s=%s" % (e["name"], value)]
    return args


def env_values(c, opts):
    """the container's env as NAME -> value, for $(NAME) in args"""
    fields = dict(kv.split("=", 1) for kv in opts.field)
    values = {}
    for e in c.get("env", []):
        if "value" in e:
            values[e["name"]] = str(e["value"])
        else:
            ref = e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
            values[e["name"]] = fields.get(ref, "")
    return values


def expand(arg, values):
    """$(NAME) of a defined variable becomes its value, as the kubelet does;
    $$ is a literal $, and an undefined $(NAME) stays as it is"""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else
                  values.get(m.group(1), m.group(0)), arg)


def probe_command(path):
    """the container's exec liveness probe command, or None"""
    c = pod_of(path)["containers"][0]
    probe = c.get("livenessProbe")
    if probe is None:
        return None
    if "exec" not in probe:
        fail("livenessProbe: only exec probes are run")
    return [str(a) for a in probe["exec"]["command"]]


def run_args(argv):
    """the `podman run` arguments for argv (this script's options)"""
    ap = argparse.ArgumentParser(prog="daemonset.py")
    ap.add_argument("manifest")
    ap.add_argument("--image", required=True,
                    help="the image the DaemonSet must name")
    ap.add_argument("--host-path", action="append", default=[],
                    help="SRC=DST: mount DST where the manifest says SRC")
    ap.add_argument("--config-map", action="append", default=[],
                    help="NAME=DIR: the directory standing for a ConfigMap")
    ap.add_argument("--field", action="append", default=[],
                    help="PATH=VALUE: a downward API field's value")
    ap.add_argument("--drop-cap", action="append", default=[],
                    help="leave out one capability the manifest adds")
    ap.add_argument("--default-seccomp", action="store_true",
                    help="the runtime's default seccomp profile instead")
    opts = ap.parse_args(argv)

    pod = pod_of(opts.manifest)
    check_keys("pod spec", pod, POD_KEYS)
    if len(pod["containers"]) != 1:
        fail("expected one container")
    c = pod["containers"][0]
    check_keys("container", c, CONTAINER_KEYS)
    if c["image"] != opts.image:
        fail("image is %s, the build makes %s" % (c["image"], opts.image))

    args = []
    if pod.get("hostPID"):
        args += ["--pid", "host"]
    if pod.get("hostIPC"):
        args += ["--ipc", "host"]
    # never podman's bridge: it would add interfaces and iptables chains to
    # the build machine; the sensor opens no socket of its own
    args += ["--network", "host" if pod.get("hostNetwork") else "none"]
    if "terminationGracePeriodSeconds" in pod:
        args += ["--stop-timeout", str(pod["terminationGracePeriodSeconds"])]
    args += security_args(c.get("securityContext", {}), opts)
    limits = c.get("resources", {}).get("limits", {})
    check_keys("resources.limits", limits, {"memory", "cpu"})
    if "memory" in limits:
        args += ["--memory", memory(limits["memory"]), "--memory-swap",
                 memory(limits["memory"])]
    if "cpu" in limits:
        cpu = str(limits["cpu"])
        args += ["--cpus", str(int(cpu[:-1]) / 1000 if cpu.endswith("m")
                               else cpu)]
    args += volume_args(c, pod, opts)
    args += env_args(c, opts)
    if "command" in c:
        args += ["--entrypoint", c["command"][0]]
    args.append(opts.image)
    values = env_values(c, opts)
    args += [expand(str(a), values)
             for a in c.get("command", [])[1:] + c.get("args", [])]
    return args


if __name__ == "__main__":
    print("\n".join(run_args(sys.argv[1:])))
