#!/bin/bash
# SPDX-License-Identifier: MIT
# t4051-flame-browser.sh: the flamegraph's script in headless Chromium: search, zoom, reset, hostile names.
test_description='flamegraph SVG in a browser'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-node.sh"

[ -x /usr/bin/chromium ] || test_skip_all "no /usr/bin/chromium (Debian package chromium)"
why=$(node_install playwright-core) || test_skip_all "$why"

test_expect_success 'draw the plain and the hostile graphs' '
	printf "main;hot;leaf 60\nmain;hot 15\nmain;cold;leaf 20\nmain;other 5\n" >plain.folded &&
	"$PFOLD" flame -i plain.folded -o plain.svg &&
	{
		echo "main;<script>alert(1)</script> 5" &&
		echo "main;\"&'"'"' 4" &&
		echo "main;<img src=x onerror=alert(2)> 3" &&
		echo "main;</title><script>alert(3)</script>;x 2" &&
		echo "main;javascript:alert(4) 1"
	} >hostile.folded &&
	"$PFOLD" flame -i hostile.folded -o hostile.svg
'

test_expect_success 'search, zoom and reset work; hostile names run no script' '
	timeout 120 node "$TEST_DIRECTORY/browser/flame-ui.mjs" "$PWD/plain.svg" "$PWD/hostile.svg" >tap &&
	cat tap &&
	! grep "^not ok" tap &&
	grep -q "^1\.\.20$" tap
'

test_done
