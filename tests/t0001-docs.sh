#!/bin/bash
# SPDX-License-Identifier: MIT
# t0001-docs.sh: every command has a man page, and every option of its --help is on the page.
test_description='man pages match the option tables'
. "$(dirname "$0")/test-lib.sh"

commands=$("$PFOLD" --help | sed -n 's/^   \([a-z][a-z-]*\) .*/\1/p')

test_expect_success 'the command list is not empty' '
	test -n "$commands"
'

for cmd in $commands; do
	case $cmd in help|version) continue ;; esac
	test_expect_success "pfold-$cmd has a man page with the fixed sections" '
		page="$abs_top_srcdir/doc/pfold-'$cmd'.1" &&
		test -f "$page" &&
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
			grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}$" "$page" || { echo "missing section $s"; exit 1; }
		done
	'
	test_expect_success "every option of pfold $cmd --help is documented" '
		page="$abs_top_srcdir/doc/pfold-'$cmd'.1" &&
		"$PFOLD" '$cmd' --help >help &&
		grep -o -- "--[a-z][a-z0-9-]*" help | sort -u >opts &&
		sed "s/\\\\//g" "$page" >plain &&
		missing= &&
		while read -r o; do
			grep -q -e "$o" plain || missing="$missing $o"
		done <opts &&
		if [ -n "$missing" ]; then echo "undocumented:$missing"; exit 1; fi
	'
done

test_done
