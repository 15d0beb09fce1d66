#!/usr/bin/env bash
# Start the services the tests need (PostgreSQL, Kafka in KRaft mode), without
# Docker, and print their connection settings as `export NAME=value` lines.
#
#   deploy/local/up.sh                  progress on stderr, settings on stdout
#   eval "$(deploy/local/up.sh --env)"  only the export lines on stdout
#   deploy/local/up.sh --only kafka     just one service (postgres | kafka)
#
# Idempotent: a service that already answers on its port (started from this
# checkout or any other) with the expected credentials is reused as it is.
# See deploy/local/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

ENV_ONLY=0
ONLY=""
while (($#)); do
  case $1 in
    --env) ENV_ONLY=1 ;;
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

# fd 3 = the caller's stdout, for the export lines only; everything else -> stderr
exec 3>&1 1>&2

[[ $(id -u) == 0 ]] || die "run as root (PostgreSQL is run as the 'postgres' OS user via runuser)"
take_lock

# ---------------------------------------------------------------- PostgreSQL

pg_bootstrap() { # PGBIN SOCKDIR: create role and database (idempotent)
  local bin=$1 sock=$2
  as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$PG_PORT" -d postgres <<SQL 9>&- 3>&-
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', '$PG_USER', '$PG_PASSWORD')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') \gexec
ALTER ROLE "$PG_USER" LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DB', '$PG_USER')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB') \gexec
SQL
}

# The product's role may log in over the Unix socket with its password (the first matching line
# wins, so it goes above initdb's `local all all peer`). On one machine the socket is cheaper than
# loopback TCP for every query; the printed DATABASE_URL uses it. 0 if pg_hba.conf already had it.
pg_allow_socket_login() { # DATADIR
  local hba=$1/pg_hba.conf line="local   all             $PG_USER                                    scram-sha-256"
  grep -qxF "$line" "$hba" && return 1
  sed -i "0,/^local/s//$line\n&/" "$hba"
  grep -qxF "$line" "$hba" || printf '%s\n' "$line" >>"$hba"
  chown postgres:postgres "$hba" # sed -i wrote a new file, as root
  chmod 600 "$hba"
  return 0
}

start_postgres() {
  local bin pgs data sock pid lpid t0=$SECONDS
  if pg_login_ok "$PG_PORT"; then
    pgs=$(pg_state_dir lookup)
    if [[ -n $(pg_pid_of_datadir "$pgs/data") ]]; then
      log "PostgreSQL already running on $HOST:$PG_PORT (cluster $pgs/data)"
      # A cluster started by an older up.sh: let the role in over the socket too.
      if pg_allow_socket_login "$pgs/data"; then
        as_postgres "$(pg_bin_dir)/psql" -X -q -h "$pgs/run" -p "$PG_PORT" -d postgres -c 'SELECT pg_reload_conf()' >/dev/null 9>&- 3>&- ||
          log "could not reload PostgreSQL's pg_hba.conf; DATABASE_URL stays on TCP"
      fi
    else
      log "PostgreSQL already answering on $HOST:$PG_PORT with the axis credentials; reusing it"
    fi
    return 0
  fi

  bin=$(pg_bin_dir)
  if [[ -z $bin ]]; then
    apt_install postgresql
    bin=$(pg_bin_dir)
    [[ -n $bin ]] || die "no /usr/lib/postgresql/*/bin/postgres after installing postgresql"
    # Debian's package may have started its own 'main' cluster; it must not hold our port
    if command -v pg_lsclusters >/dev/null 2>&1; then
      pg_lsclusters --no-header 2>/dev/null | while read -r ver name port status _; do
        if [[ $status == online* && $port == "$PG_PORT" ]]; then
          log "stopping Debian's just-installed cluster $ver/$name on port $port"
          pg_ctlcluster "$ver" "$name" stop 9>&- 3>&- || true
        fi
      done
    fi
  fi

  pgs=$(pg_state_dir create)
  data="$pgs/data"
  sock="$pgs/run"
  pid=$(pg_pid_of_datadir "$data")

  if [[ -z $pid ]] && port_open "$PG_PORT"; then
    lpid=$(listener_pid "$PG_PORT")
    die "port $PG_PORT is already served by another process${lpid:+ (pid $lpid: $(pid_cmdline "$lpid"))}," \
      "and '$PG_USER'/'$PG_PASSWORD' cannot log in to database '$PG_DB' there." \
      "Stop it (for Debian's own cluster: pg_ctlcluster <version> main stop) or choose another port with AXIS_PG_PORT=..."
  fi

  if [[ ! -f $data/PG_VERSION ]]; then
    log "initialising PostgreSQL cluster in $data"
    rm -rf "$data"
    mkdir -p "$data" "$sock"
    chown postgres:postgres "$data" "$sock"
    chmod 700 "$data"
    as_postgres "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 >"$pgs/initdb.log" 2>&1 9>&- 3>&- ||
      {
        cat "$pgs/initdb.log" >&2
        die "initdb failed"
      }
    echo "include_if_exists = 'axis-local.conf'" >>"$data/postgresql.conf"
  fi
  pg_allow_socket_login "$data" || true
  mkdir -p "$sock"
  chown postgres:postgres "$sock"
  # rewritten on every start so port overrides apply; also marks the cluster as ours
  cat >"$data/axis-local.conf" <<CONF
# written by deploy/local/up.sh on every start; edit the script, not this file
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = '$sock'
max_connections = 200
shared_buffers = 256MB
fsync = on
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  chown postgres:postgres "$data/axis-local.conf"

  if [[ -n $pid ]]; then
    log "PostgreSQL (pid $pid) runs but does not answer on $HOST:$PG_PORT as expected; restarting it"
    as_postgres "$bin/pg_ctl" -D "$data" -l "$pgs/postgres.log" -w -t 60 -m fast restart >/dev/null 9>&- 3>&- ||
      {
        tail -n 30 "$pgs/postgres.log" >&2 || true
        die "pg_ctl restart failed (log: $pgs/postgres.log)"
      }
  else
    # a postmaster.pid whose pid now belongs to something else would block the start
    if [[ -f $data/postmaster.pid ]]; then
      log "removing stale $data/postmaster.pid"
      rm -f "$data/postmaster.pid"
    fi
    log "starting PostgreSQL on $HOST:$PG_PORT"
    as_postgres "$bin/pg_ctl" -D "$data" -l "$pgs/postgres.log" -w -t 60 start >/dev/null 9>&- 3>&- ||
      {
        tail -n 30 "$pgs/postgres.log" >&2 || true
        die "pg_ctl start failed (log: $pgs/postgres.log)"
      }
  fi
  "$bin/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 30 || die "pg_isready: PostgreSQL does not accept connections on $HOST:$PG_PORT"
  pg_bootstrap "$bin" "$sock"
  pg_login_ok "$PG_PORT" || die "PostgreSQL is up but '$PG_USER' cannot log in to '$PG_DB' on $HOST:$PG_PORT"
  log "PostgreSQL ready on $HOST:$PG_PORT after $((SECONDS - t0))s (state: $pgs)"
}

# Remove machine-wide fallback folders whose checkout has disappeared (e.g. old CI clones).
gc_fallback_dirs() {
  local d owner
  for d in "$GLOBAL_DIR"/*/; do
    [[ -f $d/owner ]] || continue
    owner=$(<"$d/owner")
    [[ -n $owner && ! -e $(dirname "$owner") ]] || continue
    [[ -z $(pg_pid_of_datadir "$d/postgres/data") ]] || continue
    log "removing leftover state $d (its checkout $owner is gone)"
    rm -rf "$d"
  done
}

# ---------------------------------------------------------------- Kafka

write_kafka_config() {
  mkdir -p "$KAFKA_STATE/data" "$KAFKA_STATE/logs"
  cat >"$KAFKA_STATE/server.properties" <<PROPS
# written by deploy/local/up.sh on every start; edit the script, not this file
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_STATE/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.recovery.threads.per.data.dir=1
PROPS
}

wait_for_kafka() { # PID
  local pid=$1 deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      kafka_log_tail
      die "Kafka (pid $pid) exited during startup"
    fi
    if kafka_answers "$KAFKA_PORT"; then
      return 0
    fi
    sleep 1
  done
  kafka_log_tail
  die "Kafka (pid $pid) did not answer a metadata request on $HOST:$KAFKA_PORT within ${KAFKA_START_TIMEOUT}s"
}

start_kafka() {
  local pid lpid cluster_id t0=$SECONDS
  need_cmd java openjdk-17-jre-headless
  ensure_kafka_jars
  pid=$(own_kafka_pid)

  if kafka_answers "$KAFKA_PORT"; then
    if [[ -n $pid ]]; then
      log "Kafka already running on $HOST:$KAFKA_PORT (pid $pid, state $KAFKA_STATE)"
    else
      log "a Kafka broker already answers on $HOST:$KAFKA_PORT; reusing it"
    fi
    return 0
  fi

  if [[ -n $pid ]]; then
    log "Kafka (pid $pid) is still starting; waiting"
    wait_for_kafka "$pid"
    log "Kafka ready on $HOST:$KAFKA_PORT after $((SECONDS - t0))s"
    return 0
  fi

  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      lpid=$(listener_pid "$p")
      die "port $p is taken by another process${lpid:+ (pid $lpid: $(pid_cmdline "$lpid"))} that does not answer" \
        "as a Kafka broker. Stop it, or choose other ports with AXIS_KAFKA_PORT=... (controller: AXIS_KAFKA_CONTROLLER_PORT, default port+1)"
    fi
  done

  write_kafka_config
  if [[ ! -f $KAFKA_STATE/data/meta.properties ]]; then
    # base64url of 16 random bytes; one in 64 starts with '-', which the tool would read as an option
    cluster_id=-
    while [[ $cluster_id == -* ]]; do cluster_id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); done
    log "formatting Kafka storage in $KAFKA_STATE/data (cluster id $cluster_id)"
    kafka_tool kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" \
      -c "$KAFKA_STATE/server.properties" </dev/null >"$KAFKA_STATE/logs/format.log" 2>&1 9>&- 3>&- ||
      {
        cat "$KAFKA_STATE/logs/format.log" >&2
        die "kafka storage format failed"
      }
  fi

  log "starting Kafka on $HOST:$KAFKA_PORT (controller $HOST:$KAFKA_CONTROLLER_PORT)"
  rm -f "$KAFKA_PID_FILE"
  # shellcheck disable=SC2086,SC2016 # AXIS_KAFKA_JAVA_OPTS is a list of JVM options; $$/$0/$@ belong to the inner bash
  (cd "$KAFKA_STATE" && exec setsid bash -c 'echo $$ >"$0"; exec nohup "$@"' "$KAFKA_PID_FILE" \
    java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Daxis.local.state=$KAFKA_STATE" \
    "-Dkafka.logs.dir=$KAFKA_STATE/logs" "-Dlog4j2.configurationFile=$LOCAL_DIR/kafka/log4j2.properties" \
    ${AXIS_KAFKA_JAVA_OPTS:-} -cp "$KAFKA_LIB_DIR/*" kafka.Kafka "$KAFKA_STATE/server.properties" \
    </dev/null >>"$KAFKA_STATE/logs/stdout.log" 2>&1 9>&- 3>&-) &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $KAFKA_PID_FILE ]] && break
    sleep 0.1
  done
  pid=$(head -n1 "$KAFKA_PID_FILE" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || die "Kafka did not start (no pid in $KAFKA_PID_FILE)"
  wait_for_kafka "$pid"
  log "Kafka ready on $HOST:$KAFKA_PORT after $((SECONDS - t0))s (pid $pid, state $KAFKA_STATE)"
}

# ---------------------------------------------------------------- main

T0=$SECONDS
exports=()
if want postgres; then
  start_postgres
  gc_fallback_dirs
  socket_dir=""
  [[ ${AXIS_PG_SOCKET:-1} == 0 ]] || socket_dir=$(pg_socket_dir "$PG_PORT")
  if [[ -n $socket_dir ]]; then
    exports+=("export DATABASE_URL='postgres://$PG_USER:$PG_PASSWORD@/$PG_DB?host=$socket_dir&port=$PG_PORT'")
  else
    exports+=("export DATABASE_URL=postgres://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$PG_DB")
  fi
fi
if want kafka; then
  start_kafka
  exports+=("export KAFKA_BROKERS=$HOST:$KAFKA_PORT")
fi
log "all requested services are up (${SECONDS}s; $((SECONDS - T0))s after the lock)"
if [[ $ENV_ONLY == 0 ]]; then
  echo "# connection settings (eval \"\$(deploy/local/up.sh --env)\" to load them):" >&3
fi
printf '%s\n' "${exports[@]}" >&3
