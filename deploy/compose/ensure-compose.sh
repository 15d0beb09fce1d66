#!/usr/bin/env bash
# Makes Docker Compose usable on a machine that has no Compose (and possibly no Docker engine), enough for
# `config`, which validates and normalises docker-compose.yml without talking to an engine.
#
#   cmd=$(bash deploy/compose/ensure-compose.sh)   # stdout: ONE line, the command to use; progress on stderr
#   $cmd -f docker-compose.yml config -q
#
# Printed command, in order of preference:
#   "docker compose"          the docker CLI has a working Compose v2 plugin (already, or installed now)
#   "/abs/path/docker-compose"  no docker CLI: the same Compose v2 binary, run standalone
#   "docker-compose"          fallback when Go cannot build Compose: Debian's docker-compose 1.29 (apt)
#
# How Compose v2 is obtained: its source comes from the Go module proxy (github.com/docker/compose/v2) and is
# built with the local `go` as the main module. (`go install …/cmd@version` is refused: compose's go.mod has
# `exclude` directives.) The binary is cached in $AXIS_CACHE_DIR (default ~/.cache/axis-local), so only the
# first run on a machine builds it (~3.5 min on 2 cores, ~0.5 GB of modules); it is then installed as
# ${DOCKER_CONFIG:-~/.docker}/cli-plugins/docker-compose. Later runs take well under a second.
#
# Environment: AXIS_COMPOSE_VERSION (default below), AXIS_CACHE_DIR, DOCKER_CONFIG,
#              AXIS_COMPOSE_IMPL=v1 forces the Debian fallback.
set -euo pipefail

COMPOSE_VERSION="${AXIS_COMPOSE_VERSION:-v2.40.3}"
COMPOSE_MODULE="github.com/docker/compose/v2"
CACHE_DIR="${AXIS_CACHE_DIR:-$HOME/.cache/axis-local}"
CACHED_BIN="$CACHE_DIR/docker-compose-$COMPOSE_VERSION-linux-$(uname -m)"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"

log() { printf 'ensure-compose: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# A command is usable when it runs `version`; config needs no engine, so neither does this check.
plugin_works() { have docker && docker compose version >/dev/null 2>&1; }

found() { # $1 = command to print, $2 = what happened
  log "$2 ($SECONDS s)"
  printf '%s\n' "$1"
  exit 0
}

if [[ "${AXIS_COMPOSE_IMPL:-}" != v1 ]]; then
  if plugin_works; then
    found "docker compose" "docker compose $(docker compose version --short 2>/dev/null) is available"
  fi

  mkdir -p "$CACHE_DIR"
  # Two runs at once (parallel jest workers, two CI jobs) must not build twice or install half a file.
  exec 9>"$CACHE_DIR/.docker-compose.lock"
  if have flock; then flock 9; fi
  if plugin_works; then
    found "docker compose" "docker compose $(docker compose version --short 2>/dev/null) is available"
  fi

  if [[ ! -x "$CACHED_BIN" ]] || ! "$CACHED_BIN" version >/dev/null 2>&1; then
    if have go; then
      log "building Docker Compose $COMPOSE_VERSION from the Go module proxy with $(go version | cut -d' ' -f3) (first run on this machine: a few minutes)"
      build_dir="$(mktemp -d)"
      trap 'rm -rf "$build_dir"' EXIT
      # Our own GOFLAGS: a caller's -mod=vendor or similar must not leak into this build.
      export GOFLAGS="-buildvcs=false"
      src="$(cd "$build_dir" && go mod download -json "$COMPOSE_MODULE@$COMPOSE_VERSION" |
        sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')" || src=""
      if [[ -n "$src" && -d "$src" ]]; then
        cp -R "$src" "$build_dir/src"
        chmod -R u+w "$build_dir/src"
        if (cd "$build_dir/src" && go build -trimpath \
          -ldflags "-s -w -X $COMPOSE_MODULE/internal.Version=$COMPOSE_VERSION" \
          -o "$build_dir/docker-compose" ./cmd) >&2; then
          mv -f "$build_dir/docker-compose" "$CACHED_BIN.tmp"
          mv -f "$CACHED_BIN.tmp" "$CACHED_BIN"
          log "built $CACHED_BIN in $SECONDS s"
        else
          log "go build of Docker Compose $COMPOSE_VERSION failed"
        fi
      else
        log "could not download $COMPOSE_MODULE@$COMPOSE_VERSION from the Go module proxy"
      fi
    else
      log "no Go toolchain: cannot build Docker Compose v2"
    fi
  else
    log "using the cached build $CACHED_BIN"
  fi

  if [[ -x "$CACHED_BIN" ]] && "$CACHED_BIN" version >/dev/null 2>&1; then
    if have docker; then
      if mkdir -p "$PLUGIN_DIR" && install -m 0755 "$CACHED_BIN" "$PLUGIN_DIR/docker-compose.tmp" &&
        mv -f "$PLUGIN_DIR/docker-compose.tmp" "$PLUGIN_DIR/docker-compose" && plugin_works; then
        found "docker compose" "installed Docker Compose $COMPOSE_VERSION as $PLUGIN_DIR/docker-compose"
      fi
      log "could not install $PLUGIN_DIR/docker-compose as a docker CLI plugin"
    fi
    found "$CACHED_BIN" "no usable docker CLI plugin: using $CACHED_BIN standalone"
  fi
  log "falling back to Debian's docker-compose (v1)"
fi

# Fallback: Debian's Compose v1 (Python). `config` validates the same file but prints YAML only.
if have docker-compose && docker-compose version >/dev/null 2>&1; then
  found "docker-compose" "docker-compose $(docker-compose version --short 2>/dev/null) is available"
fi
if have apt-get && [[ "$(id -u)" == 0 ]]; then
  log "installing Debian's docker-compose package"
  # No recommends: they would pull in the docker.io engine, which `config` does not need.
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose; } >&2
  if docker-compose version >/dev/null 2>&1; then
    found "docker-compose" "installed docker-compose $(docker-compose version --short 2>/dev/null)"
  fi
fi
log "no Docker Compose available: install Go (to build Compose v2) or the docker-compose package"
exit 1
