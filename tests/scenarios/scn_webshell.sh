# a web server in a pod runs sh for each request: the webshell pattern
SCN_DESCRIPTION='Webshell: busybox httpd in a pod runs a CGI shell script per request, which runs sh -c with the command from the query string.'
scenario() {
	CID=$(ctr_id)
	port=$((30000 + $$ % 10000))
	ctr_start "$CID" /bin/sh -c "mkdir -p /tmp/www/cgi-bin && printf '#!/bin/sh\necho Content-Type: text/plain; echo; sh -c \"\$QUERY_STRING\"\n' >/tmp/www/cgi-bin/run && chmod +x /tmp/www/cgi-bin/run && exec httpd -f -p 127.0.0.1:$port -h /tmp/www"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		busybox wget -q -O /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
		sleep 0.2
	done
	busybox wget -q -O /dev/null "http://127.0.0.1:$port/cgi-bin/run?id" || true
	busybox wget -q -O /dev/null "http://127.0.0.1:$port/cgi-bin/run?uname" || true
	expect exec k8s.pod.name=web-5d8f process.executable.name=sh shell.script=true
	# busybox sh runs its sh applet through /proc/self/exe: named exe
	expect exec k8s.pod.name=web-5d8f process.executable.name=exe shell.name=sh process.command_line='sh -c id'
}
scenario_cleanup() { ctr_rm "$CID"; }
