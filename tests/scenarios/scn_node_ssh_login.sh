# a node shell from an SSH-like session: a login uid, a new session
SCN_DESCRIPTION='A shell on the node itself, as an SSH login gives one: the audit login uid set to 1000, a new session, bash -l.'
scenario() {
	mkdir -p "/sys/fs/cgroup/unified$own/$TOP/system.slice/ssh.service"
	sh -c "echo \$\$ >/sys/fs/cgroup/unified$own/$TOP/system.slice/ssh.service/cgroup.procs && echo 1000 >/proc/self/loginuid && exec setsid bash -l -c 'id >/dev/null; exit 0'" </dev/null
	expect exec scope=host process.executable.name=bash process.audit.login_uid=1000
}
scenario_cleanup() { :; }
