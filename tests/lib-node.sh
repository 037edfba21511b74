# SPDX-License-Identifier: MIT
# lib-node.sh: npm packages for the browser and export tests, installed once into the build tree.
#
# node_install PKG...: make PKG... importable from $NODE_CACHE/node_modules
# (npm install into a cache directory of the build tree: no global install,
# nothing in the source tree; NODE_PATH points there). Call it as
# why=$(node_install ...) || test_skip_all "$why". Returns 1, with the reason on
# stdout, when node, npm or the registry is not available.
NODE_CACHE="$abs_top_builddir/tests/node-cache"
NODE_PATH="$NODE_CACHE/node_modules"
export NODE_PATH

node_install() {
	command -v node >/dev/null 2>&1 || { echo "node is not installed"; return 1; }
	need=
	for p in "$@"; do
		[ -f "$NODE_CACHE/node_modules/$p/package.json" ] || need="$need $p"
	done
	[ -z "$need" ] && return 0
	command -v npm >/dev/null 2>&1 || { echo "npm is not installed"; return 1; }
	mkdir -p "$NODE_CACHE" || return 1
	[ -f "$NODE_CACHE/package.json" ] || echo '{"private": true}' >"$NODE_CACHE/package.json"
	# shellcheck disable=SC2086
	if ! (cd "$NODE_CACHE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 \
		npm install --no-audit --no-fund --silent $need) >"$NODE_CACHE/npm.log" 2>&1; then
		echo "npm install$need failed (offline?): $(tail -n 1 "$NODE_CACHE/npm.log")"
		return 1
	fi
	return 0
}
