#!/bin/bash
# SPDX-License-Identifier: MIT
# t0000-basic.sh: the hub: help, version, unknown commands, exit codes, stdout checks.
test_description='pfold hub basics'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'pfold --version prints the version' '
	"$PFOLD" --version >out &&
	grep -q "^pfold version [0-9]" out
'

test_expect_success 'pfold --help lists every command' '
	"$PFOLD" --help >out &&
	grep -q "^   dump " out &&
	grep -q "^   help " out
'

test_expect_success 'no command is a usage error (exit 2)' '
	test_expect_code 2 "$PFOLD" 2>err &&
	grep -q "^usage: pfold" err
'

test_expect_success 'an unknown command exits 2 with one line' '
	test_must_fail "$PFOLD" frobnicate 2>err &&
	test_line_count = 1 err &&
	grep -q "^pfold: .frobnicate. is not a pfold command" err
'

test_expect_success 'pfold help CMD and pfold CMD --help print the same page' '
	"$PFOLD" help dump >a &&
	"$PFOLD" dump --help >b &&
	test_cmp a b &&
	grep -q "^usage: pfold dump" a
'

test_expect_success 'an unknown option exits 2 and shows the usage' '
	test_must_fail "$PFOLD" dump --no-such-option 2>err &&
	grep -q "unknown option" err &&
	grep -q "^usage: pfold dump" err
'

test_expect_success 'output to a full device is an error, not a success' '
	test -w /dev/full || exit 0
	test_must_fail "$PFOLD" --help >/dev/full 2>err &&
	grep -q "write error" err
'

test_expect_success 'README and .ci/run run the same test command' '
	readme_cmd=$(awk "/^<!-- test-command -->/ { on = 1; next } on && /^\`\`\`/ { if (++fence == 2) exit; next } on" "$abs_top_srcdir/README.md") &&
	test -n "$readme_cmd" &&
	grep -qxF "$readme_cmd" "$abs_top_srcdir/.ci/run"
'

test_done
