#!/usr/bin/env bash
# The browser the admin console's tests drive: Debian's chromium package at /usr/bin/chromium
# (playwright-core drives it; no browser download works on these machines). Installs it when
# missing; idempotent (~0 s when present). Progress on stderr.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
take_lock
apt_install chromium fonts-dejavu-core
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is still missing after installing Debian's chromium package"
log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
