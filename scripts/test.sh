#!/usr/bin/env bash
# `npm test`: every test. Provisions what the tests need on a fresh machine (Debian's
# Chromium, the real-code corpora, the Neo4j test server), then runs type checks, the
# layering lint, unit and integration tests (vitest) and the browser e2e suite.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "provision"
bash scripts/provision-test-machine.sh

step "typecheck"
npm run --silent typecheck

step "lint (layering rules)"
npx eslint .

step "build (CLI bundle, Electron main/preload/renderer)"
node scripts/build-cli.mjs
npx electron-vite build >/dev/null

step "Neo4j test server"
eval "$(bash scripts/neo4j-test-server.sh start | grep -E '^NEO4J_(URI|USERNAME|PASSWORD)=' | sed 's/^/export /')"
started_neo4j=1
cleanup() { if [ -n "${started_neo4j:-}" ] && [ -z "${KEEP_NEO4J:-}" ]; then bash scripts/neo4j-test-server.sh stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

step "corpora (python3-django, golang-1.19-src)"
eval "$(bash scripts/fetch-corpus.sh django go | grep -E '^[a-z]+=' | sed 's/^\([a-z]*\)=/export REPOGRAPH_CORPUS_\U\1=/')"

reports=test-results/vitest
rm -rf "$reports" && mkdir -p "$reports"
json() { echo "--reporter=default --reporter=json --outputFile.json=$reports/$1.json"; }

step "unit and integration tests"
npx vitest run $(json unit)

step "browser end-to-end tests (Playwright, Debian Chromium)"
REPOGRAPH_E2E_SKIP_BUILD=1 npx vitest run --config vitest.e2e.config.ts $(json e2e)

step "reference accuracy against compiler ground truth (fails under the precision targets)"
bash scripts/accuracy-check.sh

step "summary"
node scripts/test-summary.mjs "$reports/unit.json" "$reports/e2e.json"
