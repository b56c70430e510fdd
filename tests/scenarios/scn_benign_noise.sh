# liveness probes and a node health script, suppressed by rules
SCN_DESCRIPTION='Benign noise: exec liveness probes (sh -c test -f /tmp/healthy) into a pod and a node health-check script; the rules file of the scenario suppresses them, so no exec record and no window is written for them.'
SCN_ARGS="--rules $here/noise-rules.yaml"
scenario() {
	CID=$(ctr_id)
	ctr_start "$CID" /bin/sh -c 'touch /tmp/healthy; sleep 600'
	for i in 1 2 3; do
		ctr_exec "$CID" /bin/sh -c 'test -f /tmp/healthy' </dev/null >/dev/null 2>&1 || true
	done
	mkdir -p "/sys/fs/cgroup/unified$own/$TOP/system.slice/node-health.service"
	sh -c "echo \$\$ >/sys/fs/cgroup/unified$own/$TOP/system.slice/node-health.service/cgroup.procs && exec sh -c ': node-health-check disk'" </dev/null
	expect exec-absent process.command_line='/bin/sh -c test -f /tmp/healthy'
	expect exec-absent process.command_line='sh -c : node-health-check disk'
	expect exec process.executable.name=sh entry=container-main
}
scenario_cleanup() { ctr_rm "$CID"; }
