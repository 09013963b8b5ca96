#!/usr/bin/env bash
# Builds (or reuses) etcd, kube-apiserver and the 1Password operator, then runs
# this package's suites against them, one file at a time (each starts its own
# API servers and operators). A build that fails fails the tests: they never
# skip. Extra arguments go to `backstage-cli package test` (e.g. a file name).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! "$here/build.sh"; then
  echo "real-cluster: the real components could not be built; their suites cannot run" >&2
  exit 1
fi
cd "$here/.."
export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--experimental-vm-modules"
exec yarn backstage-cli package test --runInBand "$@"
