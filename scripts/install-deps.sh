#!/usr/bin/env bash
# Installs the workspace's dependencies when yarn.lock or a package.json changed
# since the last install (a no-op otherwise). Expects scripts/toolchain.sh sourced.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.install-stamp
fingerprint="$(node --version) $(cat yarn.lock package.json packages/*/package.json plugins/*/package.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
  exit 0
fi
echo "[install] installing dependencies (a fresh install takes a few minutes: better-sqlite3 compiles from source)" >&2
if [ -n "${CI:-}" ]; then
  yarn install --immutable
else
  yarn install
fi
echo "$fingerprint" > "$stamp"
