# Shared by the browser tests: the tools they need, and playwright-core
# from the npm registry (pinned in package-lock.json), installed once per
# build tree into $NODE_DIR with `npm ci` and again only when the lock file
# changes.

# browser_setup: skips (77) without chromium, node, npm, lighttpd, openssl
# or runit's sv; installs playwright-core; sets NODE_DIR
browser_setup() {
	for tool in /usr/bin/chromium node npm lighttpd openssl sv; do
		command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/install-deps installs it)"; exit 77; }
	done
	NODE_DIR=$BUILD_DIR/tests/web-node
	if ! cmp -s "$SOURCE_DIR/tests/web/package-lock.json" "$NODE_DIR/package-lock.json" ||
		[ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ]; then
		rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
		cp "$SOURCE_DIR/tests/web/package.json" "$SOURCE_DIR/tests/web/package-lock.json" "$NODE_DIR/"
		(cd "$NODE_DIR" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error) ||
			fail "npm ci of tests/web/package-lock.json (playwright-core) failed"
	fi
}
