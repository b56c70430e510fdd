#!/bin/sh
# Print the ELF build-ids of the shells installed on this machine as C
# initialisers for user/fingerprint.c: { SW_FAM_x, length, { bytes } },
# A shell that is not installed is left out; the content markers still
# recognise its family.
set -eu

for entry in \
	BASH:bash DASH:dash ZSH:zsh ZSH:zsh-static KSH93:ksh93 MKSH:mksh \
	LKSH:lksh POSH:posh YASH:yash TCSH:tcsh CSH:bsd-csh FISH:fish \
	SASH:sash RC:rc BUSYBOX:busybox TOYBOX:toybox \
	LD_GLIBC:/lib64/ld-linux-x86-64.so.2 LD_GLIBC:/lib/ld-linux-aarch64.so.1
do
	fam=${entry%%:*}
	name=${entry#*:}
	case "$name" in
	/*) path=$name ;;
	*) path=$(command -v "$name" 2>/dev/null || true) ;;
	esac
	[ -n "$path" ] && [ -e "$path" ] || continue
	path=$(readlink -f "$path")
	id=$(LC_ALL=C readelf -n "$path" 2>/dev/null |
		sed -n 's/^ *Build ID: *\([0-9a-f]*\)$/\1/p' | head -n 1)
	[ -n "$id" ] || continue
	bytes=$(printf '%s' "$id" | sed 's/\(..\)/0x\1, /g; s/, $//')
	printf '\t{ SW_FAM_%s, %d, { %s } }, /* %s */\n' \
		"$fam" $((${#id} / 2)) "$bytes" "$path"
done
