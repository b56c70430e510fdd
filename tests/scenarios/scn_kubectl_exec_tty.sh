# kubectl exec -it: an interactive busybox sh through the runtime, on a pty
SCN_DESCRIPTION='kubectl exec -it into a pod: runc exec -t gives busybox sh a pty inside the container; the shell runs a few commands typed on it.'
scenario() {
	CID=$(ctr_id)
	ctr_start "$CID" /bin/sh -c 'sleep 600'
	(printf 'id\n'; sleep 1; printf 'ls /\n'; sleep 1; printf 'exit\n') |
		script -qec "runc --root $WORK/runc exec -t $CID /bin/sh" /dev/null >/dev/null
	expect exec k8s.pod.name=web-5d8f k8s.namespace.name=shop k8s.container.name=app process.executable.name=sh entry=runtime-exec shell.name=sh process.interactive=true
	expect exec process.executable.name=sh entry=container-main
	expect mstats process.executable.name=sh k8s.node.name=worker-1 k8s.cluster.name=lab-cluster
}
scenario_cleanup() { ctr_rm "$CID"; }
