#!/bin/sh
# SPDX-License-Identifier: MIT
# man-to-html.sh: renders one man page source as HTML (the same source as the man page).
if command -v mandoc >/dev/null 2>&1; then
	exec mandoc -man -Thtml "$1"
fi
exec groff -man -Thtml "$1"
