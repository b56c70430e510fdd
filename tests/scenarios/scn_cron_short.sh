# a cron-like job: one short sh -c in a pod whose container is removed at once
SCN_DESCRIPTION='CronJob-like pod: the container runs one short sh -c and is deleted right after it exits.'
scenario() {
	CID=$(ctr_id)
	ctr_start "$CID" /bin/sh -c 'echo backup done; exit 0'
	sleep 0.5
	ctr_rm "$CID"
	expect exec k8s.pod.name=web-5d8f process.executable.name=sh entry=container-main process.command_line='/bin/sh -c echo backup done; exit 0'
}
scenario_cleanup() { :; }
