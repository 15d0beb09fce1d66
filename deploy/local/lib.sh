# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts that source this file
# Shared helpers for deploy/local/up.sh, down.sh and kafka-cli.sh. Sourced, not run.
#
# Conventions: every progress message goes to stderr; the callers keep stdout for
# the `export NAME=value` lines only.

LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
STATE_DIR=${AXIS_STATE_DIR:-$LOCAL_DIR/.state}
KAFKA_LIB_DIR=${AXIS_KAFKA_LIB_DIR:-$LOCAL_DIR/.kafka/lib}
CACHE_DIR=${AXIS_CACHE_DIR:-${HOME:-/root}/.cache/axis-local}
# machine-wide folder: lock file, and PostgreSQL state when the checkout is not
# reachable by the `postgres` OS user (e.g. a CI clone in a 0700 mktemp folder)
GLOBAL_DIR=${AXIS_GLOBAL_DIR:-/var/tmp/axis-local}

HOST=127.0.0.1
PG_PORT=${AXIS_PG_PORT:-5432}
PG_USER=axis
PG_PASSWORD=axis
PG_DB=axis
KAFKA_PORT=${AXIS_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${AXIS_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
KAFKA_START_TIMEOUT=${AXIS_KAFKA_TIMEOUT:-90}
KAFKA_STOP_TIMEOUT=${AXIS_KAFKA_STOP_TIMEOUT:-60}

KAFKA_STATE="$STATE_DIR/kafka"
KAFKA_PID_FILE="$KAFKA_STATE/kafka.pid"

TOOL_JAVA_OPTS=(-Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
  -Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOCAL_DIR/kafka/tools-log4j2.properties")

log() { printf '[axis-local] %s\n' "$*" >&2; }
die() {
  printf '[axis-local] ERROR: %s\n' "$*" >&2
  exit 1
}

APT_UPDATED=0
apt_install() {
  log "installing Debian packages: $*"
  if [[ $APT_UPDATED == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

# need_cmd COMMAND DEBIAN_PACKAGE
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || die "'$1' is still missing after installing $2"
}

# Serialise concurrent up/down runs on this machine (ports are machine-wide).
# The lock lives on fd 9; every daemon we launch closes fd 9 (and fd 3, the
# caller's stdout) so it neither holds the lock nor a caller's `$(...)` open.
take_lock() {
  mkdir -p "$GLOBAL_DIR"
  exec 9>"$GLOBAL_DIR/lock"
  if ! flock -w 600 9; then
    die "another deploy/local script has held $GLOBAL_DIR/lock for 10 minutes"
  fi
}

port_open() { # PORT -> 0 if something accepts TCP connections on 127.0.0.1:PORT
  # shellcheck disable=SC2016 # expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null
}

listener_pid() { # PORT -> pid of the process listening on 127.0.0.1/0.0.0.0:PORT (empty if unknown)
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

pid_cmdline() { # PID -> its command line, NUL bytes as spaces
  { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null || true
}

path_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# ---------------------------------------------------------------- PostgreSQL

pg_bin_dir() { # newest /usr/lib/postgresql/*/bin that has a server, empty if none
  local p
  p=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sort -V | tail -n1)
  [[ -n $p ]] && dirname "$p"
  return 0
}

psql_client() { # a psql binary, empty if none
  if command -v psql >/dev/null 2>&1; then
    command -v psql
  else
    local b
    b=$(pg_bin_dir)
    [[ -n $b && -x $b/psql ]] && echo "$b/psql"
  fi
  return 0
}

pg_login_ok() { # PORT [HOST_OR_SOCKET_DIR] -> 0 if the product credentials work there
  local psql
  psql=$(psql_client)
  [[ -n $psql ]] || return 1
  [[ $(PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$psql" -X -w -A -t -q \
    -h "${2:-$HOST}" -p "$1" -U "$PG_USER" -d "$PG_DB" -c 'select 1' </dev/null 2>/dev/null) == 1 ]]
}

# The Unix socket directory where the product credentials work for the server on PORT, empty if
# none: this checkout's own socket first, then any other server socket listening for that port.
pg_socket_dir() { # PORT
  local dir candidates=()
  candidates+=("$(pg_state_dir lookup)/run")
  if command -v ss >/dev/null 2>&1; then
    while read -r dir; do candidates+=("$dir"); done < <(ss -xlnH 2>/dev/null | awk -v s="/.s.PGSQL.$1" 'index($5, s) { print substr($5, 1, length($5) - length(s)) }')
  fi
  for dir in "${candidates[@]}"; do
    [[ -S $dir/.s.PGSQL.$1 ]] && pg_login_ok "$1" "$dir" && {
      printf '%s\n' "$dir"
      return 0
    }
  done
  return 0
}

# Where this checkout keeps its cluster: $STATE_DIR/postgres, or (when the
# postgres user cannot reach the checkout, or the socket path would be too
# long) $GLOBAL_DIR/<hash of $STATE_DIR>/postgres with $STATE_DIR/postgres as a
# symlink to it. Prints the directory; with "create" creates it.
pg_state_dir() {
  local want="$STATE_DIR/postgres" mode=${1:-lookup} fb
  fb="$GLOBAL_DIR/$(path_hash "$STATE_DIR")/postgres"
  if [[ -L $want ]]; then
    readlink -f "$want"
    return 0
  fi
  if [[ $mode != create ]]; then
    if [[ -d $want ]]; then echo "$want"; else echo "$fb"; fi
    return 0
  fi
  mkdir -p "$STATE_DIR"
  if [[ -d $want && -f $want/data/PG_VERSION ]]; then
    echo "$want"
    return 0
  fi
  # socket path "$want/run/.s.PGSQL.NNNNN" must stay below 107 bytes
  if ((${#want} <= 80)) && mkdir -p "$want" && chown postgres:postgres "$want" 2>/dev/null &&
    runuser -u postgres -- test -w "$want" -a -x "$want" 2>/dev/null; then
    echo "$want"
    return 0
  fi
  rmdir "$want" 2>/dev/null || true
  log "the 'postgres' OS user cannot use $want; keeping the cluster in $fb (linked from $want)"
  mkdir -p "$fb"
  chmod 755 "$GLOBAL_DIR" "$(dirname "$fb")"
  chown postgres:postgres "$fb"
  printf '%s\n' "$STATE_DIR" >"$(dirname "$fb")/owner"
  ln -sfn "$fb" "$want"
  echo "$fb"
}

# DATADIR -> postmaster pid if that very cluster runs, else empty. The postmaster
# runs with its data directory as cwd; checking that (not just the pid) keeps a
# copied folder (cp -r of a live checkout) from claiming another cluster's process.
pg_pid_of_datadir() {
  local f="$1/postmaster.pid" pid real
  [[ -f $f ]] || return 0
  pid=$(head -n1 "$f" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  [[ $(cat "/proc/$pid/comm" 2>/dev/null || true) == postgres ]] || return 0
  real=$(readlink -f "$1")
  if [[ $(readlink -f "/proc/$pid/cwd" 2>/dev/null || true) == "$real" ]]; then echo "$pid"; fi
  return 0
}

as_postgres() { # run a command as the postgres OS user from a directory it can read
  (cd / && runuser -u postgres -- "$@")
}

# ---------------------------------------------------------------- Kafka

pom_hash() { sha256sum "$LOCAL_DIR/kafka/pom.xml" | cut -c1-16; }

# Make sure $KAFKA_LIB_DIR holds the jars of kafka/pom.xml: reuse them, else copy
# them from $CACHE_DIR, else resolve them with Maven (and fill the cache).
ensure_kafka_jars() {
  local want cache tmp
  want=$(pom_hash)
  if [[ -f $KAFKA_LIB_DIR/.complete && $(<"$KAFKA_LIB_DIR/.complete") == "$want" ]]; then
    return 0
  fi
  need_cmd java openjdk-17-jre-headless
  cache="$CACHE_DIR/kafka-lib-$want"
  tmp="$KAFKA_LIB_DIR.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$KAFKA_LIB_DIR")"
  if [[ -f $cache/.complete ]]; then
    log "copying Kafka jars from cache $cache"
    cp -r "$cache" "$tmp"
  else
    need_cmd mvn maven
    log "resolving Kafka jars with Maven (first run only; ~50 MB from Maven Central)"
    local mvnlog
    mvnlog="$(dirname "$KAFKA_LIB_DIR")/mvn.log"
    if ! mvn -B -q -Dstyle.color=never -f "$LOCAL_DIR/kafka/pom.xml" \
      dependency:copy-dependencies -DoutputDirectory="$tmp" </dev/null >"$mvnlog" 2>&1; then
      tail -n 40 "$mvnlog" >&2 || true
      rm -rf "$tmp"
      die "mvn could not resolve $LOCAL_DIR/kafka/pom.xml (full log: $mvnlog)"
    fi
    compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "Maven produced no kafka_2.13 jar in $tmp"
    echo "$want" >"$tmp/.complete"
    # best effort: keep a copy outside the checkout for fresh clones / CI
    if mkdir -p "$CACHE_DIR" 2>/dev/null && cp -r "$tmp" "$cache.tmp.$$" 2>/dev/null; then
      rm -rf "$cache"
      mv "$cache.tmp.$$" "$cache" || rm -rf "$cache.tmp.$$"
    fi
  fi
  rm -rf "$KAFKA_LIB_DIR"
  mv "$tmp" "$KAFKA_LIB_DIR"
}

kafka_tool() { # CLASS ARGS... : run a Kafka CLI class from the jars
  java "${TOOL_JAVA_OPTS[@]}" -cp "$KAFKA_LIB_DIR/*" "$@"
}

kafka_answers() { # PORT -> 0 if a broker there answers a metadata request
  port_open "$1" || return 1
  timeout 30 java "${TOOL_JAVA_OPTS[@]}" -cp "$KAFKA_LIB_DIR/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$HOST:$1" --command-config "$LOCAL_DIR/kafka/check-client.properties" \
    --list </dev/null >/dev/null 2>&1
}

is_axis_kafka_pid() { # PID -> 0 if it is a broker started by deploy/local
  local c
  c=$(pid_cmdline "$1")
  [[ $c == *-Daxis.local.state=* && $c == *kafka.Kafka* ]]
}

own_kafka_pid() { # pid of the broker started from this checkout's state, empty if not running
  local pid
  [[ -f $KAFKA_PID_FILE ]] || return 0
  pid=$(head -n1 "$KAFKA_PID_FILE" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if is_axis_kafka_pid "$pid" && [[ $(pid_cmdline "$pid") == *"-Daxis.local.state=$KAFKA_STATE "* ]]; then
    echo "$pid"
  fi
  return 0
}

kafka_log_tail() {
  local f
  for f in "$KAFKA_STATE/logs/stdout.log" "$KAFKA_STATE/logs/server.log"; do
    if [[ -f $f ]]; then
      log "---- last lines of $f ----"
      tail -n 40 "$f" >&2 || true
    fi
  done
}
