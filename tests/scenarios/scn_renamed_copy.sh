# a shell run through a link with another name, from /tmp of the container
SCN_DESCRIPTION='A busybox copy named sh in /tmp of a pod, run through a link named kworker: reported with the link name as executable name and the real shell in shell.name.'
scenario() {
	CID=$(ctr_id)
	ctr_start "$CID" /bin/sh -c 'sleep 600'
	ctr_exec "$CID" /bin/sh -c 'cp /bin/busybox /tmp/sh && ln -s sh /tmp/kworker && cd /tmp && ./kworker -c ": renamed"; exit 0' </dev/null >/dev/null 2>&1
	expect exec k8s.pod.name=web-5d8f process.executable.name=kworker shell.name=sh shell.matched_by=binary
}
scenario_cleanup() { ctr_rm "$CID"; }
