# a fileless shell: busybox copied into a memfd and exec'd from it as sh
SCN_DESCRIPTION='A shell with no file: busybox copied into an anonymous memory file (memfd_create) and executed from it (fexecve) as sh in a pod, busy for a few seconds: reported as fileless with the memfd as its executable and the shell from argv[0]; the original mstats search, which goes by executable name, does not see it.'
scenario() {
	CID=$(ctr_id)
	SCN_ROOT=$WORK/root
	cp -a "$ROOTFS/rootfs" "$SCN_ROOT"
	${CC:-cc} -O2 -static -o "$SCN_ROOT/bin/memexec" "$here/memexec.c"
	# the container's main process is no shell: sleep
	ctr_start "$CID" /bin/sleep 600
	ctr_exec "$CID" /bin/memexec /bin/busybox sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done' </dev/null >/dev/null 2>&1
	expect exec k8s.pod.name=web-5d8f process.executable.name=4 process.executable.path=/memfd:payload process.executable.fileless=true shell.name=sh shell.matched_by=argv0
	expect mstats-absent k8s.node.name=worker-1
}
scenario_cleanup() { ctr_rm "$CID"; }
