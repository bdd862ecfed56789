#!/usr/bin/env bash
# Reference-accuracy check for CI: Repograph's REFERENCES edges against compiler ground truth
# on a TypeScript package (rxjs sources from npm), Repograph's own src, and Django (Debian's
# python3-django, indexed by scip-python). Fails when a precision target is missed.
# Downloads go to .cache/ (git-ignored) and are reused; the scip-python index is cached too.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$repo_root/.cache/accuracy"
mkdir -p "$cache"

rxjs_version=7.8.1
rxjs_src="$cache/rxjs-$rxjs_version/package/src"
if [[ ! -d "$rxjs_src" ]]; then
  (cd "$cache" && npm pack "rxjs@$rxjs_version" --silent >/dev/null)
  mkdir -p "$cache/rxjs-$rxjs_version"
  tar -xzf "$cache/rxjs-$rxjs_version.tgz" -C "$cache/rxjs-$rxjs_version"
  rm -f "$cache/rxjs-$rxjs_version.tgz"
fi

django_dir="$(bash "$repo_root/scripts/fetch-corpus.sh" django | sed -n 's/^django=//p')"
# The folder holding the `django` package, so that `from django.x import y` resolves inside it.
django_root="$(dirname "$django_dir")"

cd "$repo_root"
node scripts/accuracy.mjs "$rxjs_src" src --check --sample 5
node scripts/accuracy.mjs "$django_root" --only python --check --sample 5
