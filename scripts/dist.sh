#!/usr/bin/env bash
# `npm run dist`: desktop packages. electron-builder rebuilds better-sqlite3 for Electron's ABI
# inside node_modules, which would break the Node build the CLI and the tests load; the Node
# build is set aside first and put back afterwards, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
native=node_modules/better-sqlite3/build/Release/better_sqlite3.node
keep="$(mktemp -d)"
cp "$native" "$keep/"
restore() { cp "$keep/better_sqlite3.node" "$native"; rm -rf "$keep"; }
trap restore EXIT
npx electron-vite build
npx electron-builder "$@"
