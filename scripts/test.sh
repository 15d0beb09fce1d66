#!/usr/bin/env bash
# The whole test suite: build (type check), type check of the tests (jest only transpiles them),
# lint, then unit, integration, system and browser tests in one jest run. Starts PostgreSQL and Kafka through deploy/local/up.sh unless DATABASE_URL and
# KAFKA_BROKERS already point at running ones. Prints how long each phase took.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

phase() {
  local name=$1
  shift
  local started=$SECONDS rc=0
  echo "==> ${name}"
  "$@" || rc=$?
  echo "==> ${name}: $((SECONDS - started)) s"
  return "$rc"
}

if [[ -z ${DATABASE_URL:-} || -z ${KAFKA_BROKERS:-} ]]; then
  started=$SECONDS
  echo "==> services (deploy/local/up.sh)"
  eval "$(bash deploy/local/up.sh --env)"
  echo "==> services: $((SECONDS - started)) s"
fi
export DATABASE_URL KAFKA_BROKERS

# The admin console's tests drive Debian's chromium (installed here when missing).
phase browser bash deploy/local/browser.sh
# tests/deploy/prometheus-rules.spec.ts runs promtool from Debian's prometheus package (likewise).
phase promtool bash deploy/local/promtool.sh
# tests/deploy/helm-chart.spec.ts runs helm and kubeconform (built with go once per machine) on offline schemas.
phase helm-tools bash deploy/local/helm-tools.sh

phase build npm run -s build
phase typecheck-tests npx tsc --noEmit -p tsconfig.spec.json
phase lint npx eslint .
results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
phase tests npx jest --ci --json --outputFile="$results" "$@" || status=$?
# One plain closing line that any CI reader understands.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$results" || true
exit "$status"
