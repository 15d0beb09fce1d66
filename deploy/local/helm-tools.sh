#!/usr/bin/env bash
# helm and kubeconform, and offline Kubernetes JSON schemas for kubeconform, which
# tests/deploy/helm-chart.spec.ts uses to lint, render and validate deploy/helm/axis-scim.
#
#   bash deploy/local/helm-tools.sh      # then: deploy/local/.tools/bin/{helm,kubeconform}
#                                        #       deploy/local/.tools/kubernetes-json-schema/<k8s version>/
#
# Both tools are built with the local `go` from the Go module proxy (`go install`; no release
# downloads), once per machine: the binaries are cached in $CACHE_DIR (~/.cache/axis-local) and copied
# into the git-ignored deploy/local/.tools/ of each checkout. The schemas are converted by
# kubernetes-json-schemas.js from api/openapi-spec/swagger.json of the k8s.io/kubernetes module (the
# Kubernetes source, also from the module proxy), as kubeconform cannot download its usual ones here.
# Idempotent: ~0 s when everything is present; cold (empty Go caches) see deploy/local/README.md.
# Progress on stderr.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HELM_VERSION=v4.3.2
KUBECONFORM_VERSION=v0.7.0
# The Kubernetes release whose API the schemas describe.
KUBERNETES_VERSION=v1.36.3

TOOLS_DIR=${AXIS_TOOLS_DIR:-$LOCAL_DIR/.tools}
BIN_DIR="$TOOLS_DIR/bin"
SCHEMA_DIR="$TOOLS_DIR/kubernetes-json-schema/$KUBERNETES_VERSION"
CONVERTER="$LOCAL_DIR/kubernetes-json-schemas.js"
# What a complete install holds; a change of a version or of the converter redoes it.
WANT="helm=$HELM_VERSION kubeconform=$KUBECONFORM_VERSION kubernetes=$KUBERNETES_VERSION converter=$(sha256sum "$CONVERTER" | cut -c1-16)"
STAMP="$TOOLS_DIR/.complete"

complete() { [[ -f $STAMP && $(<"$STAMP") == "$WANT" && -x $BIN_DIR/helm && -x $BIN_DIR/kubeconform ]]; }

complete && exit 0
take_lock
complete && exit 0
need_cmd go golang-go

# Our own GOFLAGS: a caller's -mod=vendor or similar must not leak into these builds.
export GOFLAGS=-buildvcs=false

# go_tool NAME PACKAGE@VERSION: the binary, built once per machine into $CACHE_DIR, copied to $BIN_DIR.
go_tool() {
  local name=$1 package=$2 cached="$CACHE_DIR/go-tools/$1-${2##*@}" started=$SECONDS
  if [[ ! -x $cached ]]; then
    log "building $package with $(go version | cut -d' ' -f3) (first run on this machine: minutes)"
    local gobin
    gobin=$(mktemp -d)
    GOBIN=$gobin go install "$package" >&2 || die "go install $package failed"
    mkdir -p "$(dirname "$cached")"
    mv -f "$gobin/$name" "$cached.tmp.$$"
    mv -f "$cached.tmp.$$" "$cached"
    rm -rf "$gobin"
    log "built $name in $((SECONDS - started)) s"
  fi
  mkdir -p "$BIN_DIR"
  install -m 0755 "$cached" "$BIN_DIR/$name"
}

go_tool helm "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
go_tool kubeconform "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"

log "converting the OpenAPI document of Kubernetes $KUBERNETES_VERSION to JSON schemas"
mkdir -p "$TOOLS_DIR"
module_dir=$(cd "$TOOLS_DIR" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p') || true
[[ -n $module_dir && -f $module_dir/api/openapi-spec/swagger.json ]] ||
  die "could not download k8s.io/kubernetes@$KUBERNETES_VERSION from the Go module proxy"
node "$CONVERTER" "$module_dir/api/openapi-spec/swagger.json" "$SCHEMA_DIR"

printf '%s\n' "$WANT" >"$STAMP"
log "helm $HELM_VERSION, kubeconform $KUBECONFORM_VERSION and the Kubernetes $KUBERNETES_VERSION schemas are in $TOOLS_DIR"
