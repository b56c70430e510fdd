# busybox sh as the entrypoint of a minimal container, long enough for windows
SCN_DESCRIPTION='A minimal busybox container whose entrypoint is sh, looping for a few seconds; it is seen at its exec and in 10 s windows.'
scenario() {
	CID=$(ctr_id)
	ctr_start "$CID" /bin/sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 3'
	sleep 5
	expect exec k8s.pod.name=web-5d8f process.executable.name=sh entry=container-main shell.name=sh
	expect mstats process.executable.name=sh k8s.node.name=worker-1
}
scenario_cleanup() { ctr_rm "$CID"; }
