# a #! script run in the pod
SCN_DESCRIPTION='A #!/bin/sh script written to /tmp of a pod and run there.'
scenario() {
	CID=$(ctr_id)
	ctr_start "$CID" /bin/sh -c 'sleep 600'
	ctr_exec "$CID" /bin/sh -c 'printf "#!/bin/sh\necho run\n" >/tmp/job.sh && chmod +x /tmp/job.sh && /tmp/job.sh; exit 0' </dev/null >/dev/null 2>&1
	expect exec k8s.pod.name=web-5d8f process.executable.name=sh shell.script=true process.script.path=/tmp/job.sh
}
scenario_cleanup() { ctr_rm "$CID"; }
