#!/usr/bin/env bash
# Stop the services started by deploy/local/up.sh. Safe to run when they are down.
#
#   deploy/local/down.sh                 stop Kafka and PostgreSQL, keep their data
#   deploy/local/down.sh --only kafka    just one service (postgres | kafka), e.g. for a fault test
#   deploy/local/down.sh --purge         also delete the state (data, logs); keeps the jar cache
#   deploy/local/down.sh --force         also stop deploy/local services on the ports that were
#                                        started from ANOTHER checkout (default: leave them)
#
# See deploy/local/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

PURGE=0
FORCE=0
ONLY=""
while (($#)); do
  case $1 in
    --purge) PURGE=1 ;;
    --force) FORCE=1 ;;
    --only)
      [[ $# -ge 2 ]] || {
        usage >&2
        exit 2
      }
      ONLY=$2
      shift
      ;;
    --only=*) ONLY=${1#--only=} ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "unknown argument: $1" >&2
      usage >&2
      exit 2
      ;;
  esac
  shift
done
case $ONLY in
  "" | postgres | kafka) ;;
  pg | postgresql) ONLY=postgres ;;
  *)
    echo "--only takes postgres or kafka, not '$ONLY'" >&2
    exit 2
    ;;
esac
want() { [[ -z $ONLY || $ONLY == "$1" ]]; }

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
exec 3>&1 1>&2

[[ $(id -u) == 0 ]] || die "run as root"
take_lock

stop_pid() { # PID NAME TIMEOUT: SIGTERM, wait, SIGKILL
  local pid=$1 name=$2 timeout=$3 deadline
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      log "$name (pid $pid) still running after ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.2
  done
}

stop_kafka() {
  local pid lpid
  pid=$(own_kafka_pid)
  if [[ -z $pid ]]; then
    lpid=$(listener_pid "$KAFKA_PORT")
    if [[ -n $lpid ]] && is_axis_kafka_pid "$lpid"; then
      if [[ $FORCE == 1 ]]; then
        pid=$lpid
      else
        log "Kafka on $HOST:$KAFKA_PORT (pid $lpid) was started from another checkout" \
          "($(pid_cmdline "$lpid" | grep -o -- '-Daxis.local.state=[^ ]*' | cut -d= -f2)); leaving it running (use --force to stop it)"
      fi
    elif [[ -n $lpid ]]; then
      log "port $KAFKA_PORT is served by pid $lpid, which deploy/local did not start; leaving it alone"
    fi
  fi
  if [[ -n $pid ]]; then
    stop_pid "$pid" Kafka "$KAFKA_STOP_TIMEOUT"
    log "Kafka stopped"
  else
    log "Kafka (this checkout's) is not running"
  fi
  rm -f "$KAFKA_PID_FILE"
}

stop_pg_datadir() { # DATADIR
  local data=$1 bin pid
  bin=$(pg_bin_dir)
  pid=$(pg_pid_of_datadir "$data")
  [[ -n $pid ]] || return 0
  if [[ -n $bin ]] && as_postgres "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 9>&- 3>&-; then
    log "PostgreSQL stopped ($data)"
  else
    stop_pid "$pid" PostgreSQL 60
  fi
}

stop_postgres() {
  local pgs lpid ldir
  pgs=$(pg_state_dir lookup)
  if [[ -n $(pg_pid_of_datadir "$pgs/data") ]]; then
    log "stopping PostgreSQL ($pgs/data)"
    stop_pg_datadir "$pgs/data"
    return 0
  fi
  lpid=$(listener_pid "$PG_PORT")
  if [[ -n $lpid ]]; then
    ldir=$(readlink -f "/proc/$lpid/cwd" 2>/dev/null || true)
    if [[ -n $ldir && -f $ldir/axis-local.conf ]]; then
      if [[ $FORCE == 1 ]]; then
        log "stopping PostgreSQL started from another checkout ($ldir)"
        stop_pg_datadir "$ldir"
        return 0
      fi
      log "PostgreSQL on $HOST:$PG_PORT was started from another checkout ($ldir); leaving it running (use --force to stop it)"
    else
      log "port $PG_PORT is served by pid $lpid, which deploy/local did not start; leaving it alone"
    fi
  fi
  log "PostgreSQL (this checkout's) is not running"
}

purge() {
  local pgs
  if want kafka; then
    log "deleting Kafka state $KAFKA_STATE"
    rm -rf "$KAFKA_STATE"
  fi
  if want postgres; then
    pgs=$(pg_state_dir lookup)
    if [[ -n $(pg_pid_of_datadir "$pgs/data") ]]; then
      die "PostgreSQL still runs from $pgs; not deleting it"
    fi
    log "deleting PostgreSQL state $pgs"
    rm -rf "$pgs"
    if [[ $pgs == "$GLOBAL_DIR"/* ]]; then
      rm -rf "$(dirname "$pgs")"
    fi
    rm -rf "$STATE_DIR/postgres"
  fi
  rmdir "$STATE_DIR" 2>/dev/null || true
}

if want kafka; then stop_kafka; fi
if want postgres; then stop_postgres; fi
if [[ $PURGE == 1 ]]; then purge; fi
log "done"
