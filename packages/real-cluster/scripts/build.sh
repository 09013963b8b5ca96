#!/usr/bin/env bash
# Builds (or reuses) the real components the test world runs: etcd, kube-apiserver
# and the 1Password operator, each from its Go module through the wrapper modules
# in ../go. Everything Go writes (module cache, build cache, binaries) stays under
# <repo>/.cache/real so that a second run, and a CI machine the project had before,
# reuse it. A binary is rebuilt only when its wrapper module changed.
#
# Usage: build.sh [etcd|kube-apiserver|operator ...]   (default: all three)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cache="${REAL_CLUSTER_CACHE:-$repo/.cache/real}"
bin="$cache/bin"
mkdir -p "$bin"

# The Go toolchain's usual place, for shells that do not have it on PATH.
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
  echo "real-cluster: the Go toolchain (go) is not on PATH; it is needed to build etcd, kube-apiserver and the operator" >&2
  exit 3
fi

export GOMODCACHE="$cache/gomodcache"
export GOCACHE="$cache/gocache"
export GOPATH="$cache/gopath"
export GOFLAGS="-modcacherw -mod=mod"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

# name -> package the wrapper module builds
declare -A packages=(
  [etcd]=.
  [kube-apiserver]=k8s.io/kubernetes/cmd/kube-apiserver
  [operator]=github.com/1Password/onepassword-operator/cmd
)

build_one() {
  local name="$1" module="$here/../go/$1"
  local stamp_file="$bin/$name.stamp" stamp ldflags='-s -w'
  if [[ "$name" == kube-apiserver ]]; then
    # What /version reports: the release the wrapper module requires.
    local version major minor
    version="$(cd "$module" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
    [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "real-cluster: cannot read the k8s.io/kubernetes version ($version)" >&2; exit 1; }
    IFS=. read -r major minor _ <<<"${version#v}"
    ldflags+=" -X k8s.io/component-base/version.gitVersion=$version"
    ldflags+=" -X k8s.io/component-base/version.gitMajor=$major -X k8s.io/component-base/version.gitMinor=$minor"
    ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  fi
  stamp="$(cd "$module" && cat go.mod go.sum ./*.go 2>/dev/null | sha256sum | cut -d' ' -f1) $(go env GOVERSION) $ldflags"
  if [[ -x "$bin/$name" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]]; then
    echo "real-cluster: reusing $bin/$name"
    return
  fi
  local started=$SECONDS
  echo "real-cluster: building $name (cold builds take minutes; kube-apiserver is the largest)"
  (cd "$module" && go build -trimpath -ldflags="$ldflags" -o "$bin/$name.tmp" "${packages[$name]}")
  mv "$bin/$name.tmp" "$bin/$name"
  echo "$stamp" >"$stamp_file"
  echo "real-cluster: built $name in $((SECONDS - started)) s"
}

if [[ $# -eq 0 ]]; then set -- etcd operator kube-apiserver; fi
for name in "$@"; do
  [[ -n "${packages[$name]:-}" ]] || { echo "real-cluster: unknown component $name" >&2; exit 2; }
  build_one "$name"
done

# The operator's CRD and ClusterRole, from the module version the operator was built from.
operator_dir="$(cd "$here/../go/operator" && go list -m -f '{{.Dir}}' github.com/1Password/onepassword-operator)"
cp "$operator_dir/config/crd/bases/onepassword.com_onepassworditems.yaml" "$bin/onepassword.com_onepassworditems.yaml"
cp "$operator_dir/config/rbac/role.yaml" "$bin/operator-role.yaml"
chmod u+w "$bin"/*.yaml
