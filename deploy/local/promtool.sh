#!/usr/bin/env bash
# promtool, which tests/deploy/prometheus-rules.spec.ts runs on deploy/prometheus/ (check config,
# check rules, test rules): Debian's prometheus package ships it as /usr/bin/promtool. Installs it
# when missing; idempotent (~0 s when present, ~25 s to install: 22.5 MB of packages, 332 MB on disk, no recommends; plus an `apt-get update` if none ran yet).
# Progress on stderr.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
take_lock
apt_install prometheus
command -v promtool >/dev/null 2>&1 || die "promtool is still missing after installing Debian's prometheus package"
# Only promtool is wanted: on a machine with systemd the package also starts a Prometheus server
# on port 9090, which would take the port and scrape nothing useful.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl disable --now prometheus >&2 || log "could not stop the prometheus service the package started"
fi
log "promtool installed: $(promtool --version 2>&1 | head -n1)"
