#!/usr/bin/env bash
# The whole test suite: build (type check), lint, then unit, integration and system tests in one
# jest run. Starts PostgreSQL and Kafka through deploy/local/up.sh unless DATABASE_URL and
# KAFKA_BROKERS already point at running ones. Prints how long each phase took.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

phase() {
  local name=$1
  shift
  local started=$SECONDS
  echo "==> ${name}"
  "$@"
  echo "==> ${name}: $((SECONDS - started)) s"
}

if [[ -z ${DATABASE_URL:-} || -z ${KAFKA_BROKERS:-} ]]; then
  started=$SECONDS
  echo "==> services (deploy/local/up.sh)"
  eval "$(bash deploy/local/up.sh --env)"
  echo "==> services: $((SECONDS - started)) s"
fi
export DATABASE_URL KAFKA_BROKERS

phase build npm run -s build
phase lint npx eslint .
phase tests npx jest --ci "$@"
