#!/usr/bin/env bash
# Runs the benchmark.
#
#   scripts/bench.sh [--config FILE] [benchmark options...]
#
# With --config, drives the service that runs with that config (it must be running). Without it,
# creates a fresh database (SYNCSERVICE_BENCH_DB, default syncservice_bench) on this machine's
# PostgreSQL, starts a local S3 store (scripts/s3proxy-local.sh) and one service instance on them
# with -Xmx256m, populates it, drives it, and reports the instance's CPU time and heap.
# SYNCSERVICE_BENCH_SETTINGS adds config lines for that instance (e.g. "amqp.consumers=8");
# SYNCSERVICE_BENCH_INSTANCES=N starts N instances on the same database and queue (default 1).
# SYNCSERVICE_BENCH_BASELINE=1 starts the ideal minimal service instead (one transaction and one
# reply per commit, nothing else; run it with --listeners 0): the same machine's ceiling.
# SYNCSERVICE_JAVA_OPTS and SYNCSERVICE_BENCH_JAVA_OPTS add JVM options (a profiler agent, say) to
# the service instances and to the load generator.
# Benchmark options: see --help of the jar.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  # The comment above, then the load generator's own options (when it is built; nothing is run).
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
  if [ -f bench/target/syncservice-bench.jar ]; then
    java -jar bench/target/syncservice-bench.jar --help
  else
    echo "(build first, ./mvnw -B -q install -DskipTests, to list the benchmark options)"
  fi
  exit 0
fi

if [ ! -f target/syncservice.jar ] || [ ! -f bench/target/syncservice-bench.jar ]; then
  ./mvnw -B -q install -DskipTests
fi

if [ "${1:-}" = "--config" ]; then
  exec java -jar bench/target/syncservice-bench.jar "$@"
fi

database=${SYNCSERVICE_BENCH_DB:-syncservice_bench}
role=${PGUSER:-postgres}
dropdb -h 127.0.0.1 -U "$role" --if-exists "$database"
createdb -h 127.0.0.1 -U "$role" "$database"
config=$(mktemp --suffix=.properties)
vhost=/
s3dir=$(mktemp -d)
s3port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'rm -f "$config"; scripts/s3proxy-local.sh stop "$s3dir"; [ "$vhost" = / ] || rabbitmqctl delete_vhost "$vhost" >/dev/null 2>&1' EXIT
scripts/s3proxy-local.sh start "$s3dir" "$s3port" >/dev/null
# A virtual host of the run's own where this machine's rabbitmqctl allows it: deleting it at the end
# removes every queue and exchange the run declared, so runs do not accumulate broker state. The
# service and the load generator connect as the default broker user (guest).
if rabbitmqctl add_vhost "bench-$$" >/dev/null 2>&1; then
  vhost="bench-$$"
  rabbitmqctl set_permissions -p "$vhost" guest '.*' '.*' '.*' >/dev/null
fi
cat > "$config" <<CONFIG
amqp.virtual-host=$vhost
storage.s3.endpoint=http://127.0.0.1:$s3port
db.url=jdbc:postgresql://127.0.0.1:5432/$database
db.user=$role
amqp.request-queue=bench.requests.$$
amqp.notification-exchange=bench.notifications.$$
notifications.device-queue-ttl=5m
${SYNCSERVICE_BENCH_SETTINGS:-}
CONFIG
java -jar target/syncservice.jar --config "$config" --init-db >/dev/null
instances=${SYNCSERVICE_BENCH_INSTANCES:-1}
services=()
logs=()
instance_configs=()
ports=()
for i in $(seq "$instances"); do
  log=$(mktemp --suffix=.log)
  # Each instance serves its metrics on a port of its own, read at the end for the batch sizes.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  instance_config=$(mktemp --suffix=.properties)
  { cat "$config"; echo "http.port=$port"; } >"$instance_config"
  if [ -n "${SYNCSERVICE_BENCH_BASELINE:-}" ]; then
    # The ideal minimal service in place of the service: the same machine's ceiling (MinimalService).
    java -Xmx256m ${SYNCSERVICE_JAVA_OPTS:-} -cp bench/target/syncservice-bench.jar \
      org.syncservice.bench.MinimalService "$instance_config" >"$log" 2>&1 &
  else
    java -Xmx256m ${SYNCSERVICE_JAVA_OPTS:-} -jar target/syncservice.jar --config "$instance_config" >"$log" 2>&1 &
  fi
  services+=("$!")
  logs+=("$log")
  ports+=("$port")
  instance_configs+=("$instance_config")
done
stop_service() {
  for service in "${services[@]}"; do kill -TERM "$service" 2>/dev/null || true; done
  for service in "${services[@]}"; do wait "$service" 2>/dev/null || true; done
  rm -f "$config" "${instance_configs[@]}"
  scripts/s3proxy-local.sh stop "$s3dir"
  rm -rf "$s3dir"
  if [ "$vhost" != / ]; then rabbitmqctl delete_vhost "$vhost" >/dev/null 2>&1 || true; fi
}
trap stop_service EXIT
for log in "${logs[@]}"; do
  # The one line an instance logs once it serves (the minimal service prints the same words).
  for _ in $(seq 60); do grep -q " ready: queue " "$log" && break; sleep 0.5; done
  grep -q " ready: queue " "$log" || { echo "bench: the service did not start; see $log" >&2; exit 1; }
done

# CPU ticks (user and system) of each instance, one line each, in the order of services.
instance_ticks() {
  for service in "${services[@]}"; do awk '{print $14 + $15}' "/proc/$service/stat"; done
}
# What the database did besides serving (checkpoints, WAL volume, autovacuum), to tell apart runs
# of one build that measure differently.
database_activity() {
  psql -h 127.0.0.1 -U "$role" -d "$database" -AtF' ' -c "SELECT
    (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
    pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
    (SELECT COALESCE(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_user_tables),
    (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())" 2>/dev/null \
    || echo "0 0 0 0"
}
hz=$(getconf CLK_TCK)
# Figures differ severalfold between machines of the same size (docs/performance.md): say which one.
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores," \
  "Meltdown: $(cat /sys/devices/system/cpu/vulnerabilities/meltdown 2>/dev/null || echo unknown)," \
  "PCID: $(grep -qw pcid /proc/cpuinfo && echo yes || echo no)"
read -r checkpoints_before wal_before autovacuum_before transactions_before < <(database_activity)
mapfile -t before_each < <(instance_ticks)
started=$(date +%s.%N)
java ${SYNCSERVICE_BENCH_JAVA_OPTS:-} -jar bench/target/syncservice-bench.jar --config "$config" "$@"
mapfile -t after_each < <(instance_ticks)
ended=$(date +%s.%N)
read -r checkpoints_after wal_after autovacuum_after transactions_after < <(database_activity)
echo "database during the run (setup included): $((checkpoints_after - checkpoints_before)) checkpoint(s)," \
  "$(( (wal_after - wal_before) / 1048576 )) MiB of WAL, $((transactions_after - transactions_before)) transactions," \
  "$((autovacuum_after - autovacuum_before)) autovacuum/autoanalyze run(s)"
total_ticks=0
for i in "${!services[@]}"; do total_ticks=$((total_ticks + after_each[i] - before_each[i])); done
echo "service ($instances instance(s)): $(awk -v t="$total_ticks" -v hz="$hz" -v s="$started" -v e="$ended" \
  'BEGIN { printf "%.1f CPU seconds over %.1f s (%.0f%% of one core, setup included)", t / hz, e - s, 100 * t / hz / (e - s) }')"
# Each instance's CPU over the run (with several, it shows which serve and which stand by: the
# consumer priorities, docs/design.md), and its mean sizes since start (warm-up included): the cost
# per commit falls as groups and passes grow.
for i in "${!ports[@]}"; do
  port=${ports[i]}
  cpu=$(awk -v t=$((after_each[i] - before_each[i])) -v hz="$hz" 'BEGIN { printf "%.1f", t / hz }')
  curl -fsS "http://127.0.0.1:$port/metrics" | awk -v port="$port" -v cpu="$cpu" '
    /^syncservice_commit_group_size_commits_count / { groups = $2 }
    /^syncservice_commit_group_size_commits_sum / { commits = $2 }
    /^syncservice_outbox_pass_size_notifications_count / { passes = $2 }
    /^syncservice_outbox_pass_size_notifications_sum / { published = $2 }
    END { printf "instance on port %s: %s CPU seconds; %d commit groups of %.1f commits; %d outbox passes of %.1f notifications\n",
      port, cpu, groups, groups ? commits / groups : 0, passes, passes ? published / passes : 0 }' || true
done
for service in "${services[@]}"; do
  echo "service $service heap: $(jcmd "$service" GC.heap_info 2>/dev/null | grep -m1 -E 'heap|garbage-first' | sed 's/^ *//')"
  echo "service $service peak resident memory: $(grep VmHWM "/proc/$service/status" | awk '{print $2 " " $3}')"
done
