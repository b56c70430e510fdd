#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# `make install DESTDIR=...` into scratch trees: every file where PREFIX says,
# the paths inside the unit and the man page filled in, the man page naming
# every option --help lists, the operator's rules kept on a reinstall.
set -eu

cd "$(dirname "$0")/../.."
version=$(cat VERSION)
work=$(mktemp -d build/install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0

fail() {
	echo "           FAIL $*" >&2
	failed=$((failed + 1))
}

# file PATH MODE: PATH exists with octal MODE
file() {
	if [ ! -f "$1" ]; then
		fail "$1: not installed"
	elif [ "$(stat -c %a "$1")" != "$2" ]; then
		fail "$1: mode $(stat -c %a "$1"), want $2"
	fi
}

# has FILE TEXT: FILE holds the fixed string TEXT
has() {
	grep -qF -- "$2" "$1" || fail "$1: no '$2'"
}

check_tree() {
	root=$1 sbin=$2 etc=$3 share=$4 unit=$5
	file "$root$sbin/shellwatch" 755
	file "$root$share/man/man8/shellwatch.8" 644
	file "$root$share/shellwatch/rules.yaml" 644
	file "$root$etc/shellwatch/rules.yaml" 644
	file "$root$unit/shellwatch.service" 644
	cmp -s deploy/rules.yaml "$root$share/shellwatch/rules.yaml" ||
		fail "$root$share/shellwatch/rules.yaml differs from deploy/rules.yaml"
	got=$("$root$sbin/shellwatch" --version) || fail "shellwatch --version failed"
	[ "$got" = "shellwatch $version" ] ||
		fail "--version says '$got', want 'shellwatch $version'"
	has "$root$unit/shellwatch.service" \
		"ExecStart=$sbin/shellwatch --rules $etc/shellwatch/rules.yaml "
	has "$root$share/man/man8/shellwatch.8" "$etc/shellwatch/rules.yaml"
	has "$root$share/man/man8/shellwatch.8" "shellwatch $version"
	for f in "$root$unit/shellwatch.service" "$root$share/man/man8/shellwatch.8"; do
		if grep -q '@[A-Z]*@' "$f"; then
			fail "$f: placeholder left: $(grep -o '@[A-Z]*@' "$f" | head -1)"
		fi
	done
	# nothing outside the tree's prefix and configuration directory
	extra=$(cd "$root" && find . -type f | sed 's|^\.||' |
		grep -v -e "^$sbin/" -e "^$share/" -e "^$etc/" -e "^$unit/" || true)
	[ -z "$extra" ] || fail "installed outside the expected directories: $extra"
}

# PREFIX=/usr: configuration in /etc, stripped
make -s install DESTDIR="$PWD/$work/usr-tree" PREFIX=/usr STRIP=1
check_tree "$work/usr-tree" /usr/sbin /etc /usr/share /usr/lib/systemd/system
if readelf -S "$work/usr-tree/usr/sbin/shellwatch" | grep -q -e '\.symtab' -e '\.debug_info'; then
	fail "STRIP=1 left symbols in the binary"
fi

# the default PREFIX, /usr/local, keeps its configuration below it
make -s install DESTDIR="$PWD/$work/local-tree"
check_tree "$work/local-tree" /usr/local/sbin /usr/local/etc /usr/local/share \
	/usr/local/lib/systemd/system

# a reinstall keeps the operator's rules, refreshes the shipped ones
echo "# edited by the operator" >> "$work/usr-tree/etc/shellwatch/rules.yaml"
echo "# stale" >> "$work/usr-tree/usr/share/shellwatch/rules.yaml"
make -s install DESTDIR="$PWD/$work/usr-tree" PREFIX=/usr
grep -q "edited by the operator" "$work/usr-tree/etc/shellwatch/rules.yaml" ||
	fail "a reinstall replaced the operator's rules"
cmp -s deploy/rules.yaml "$work/usr-tree/usr/share/shellwatch/rules.yaml" ||
	fail "a reinstall did not refresh the shipped rules"

# the man page names every option --help lists, and each record type
man="$work/usr-tree/usr/share/man/man8/shellwatch.8"
opts=$("$work/usr-tree/usr/sbin/shellwatch" --help | grep -o -e '--[a-z][a-z-]*' | sort -u)
[ -n "$opts" ] || fail "--help lists no option"
for opt in $opts; do
	roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -q -- "$roff" "$man" || fail "shellwatch.8 does not document $opt"
done
for type in start exec window exit stats loss stop; do
	grep -qx ".B $type" "$man" || fail "shellwatch.8 does not describe the $type record"
done
for section in OPTIONS OUTPUT "EXIT STATUS" SIGNALS ENVIRONMENT FILES; do
	grep -qx ".SH $section" "$man" || fail "shellwatch.8 has no $section section"
done
# the options the unit passes are the binary's
for opt in $(grep '^ExecStart=' "$work/usr-tree/usr/lib/systemd/system/shellwatch.service" |
	grep -o -e '--[a-z][a-z-]*'); do
	echo "$opts" | grep -qx -- "$opt" || fail "the unit passes $opt, which --help does not list"
done
if command -v groff >/dev/null 2>&1; then
	warn=$(groff -man -ww -z "$man" 2>&1) || true
	[ -z "$warn" ] || fail "groff warns about shellwatch.8: $warn"
fi

if [ "$failed" -ne 0 ]; then
	echo "install test: $failed failed" >&2
	exit 1
fi
echo "           ok   make install: PREFIX=/usr and /usr/local, $(echo "$opts" | wc -l) options in shellwatch(8)"
