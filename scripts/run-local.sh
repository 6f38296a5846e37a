#!/usr/bin/env bash
# Runs syncservice against the PostgreSQL and RabbitMQ of this machine (127.0.0.1, default ports):
# builds the jar if needed, creates the database if missing, applies the schema, starts a local S3
# store (scripts/s3proxy-local.sh, under target/local-s3) unless something listens on 127.0.0.1:8081
# already, then runs the service in the foreground (Ctrl-C stops it cleanly).
#
# Environment: SYNCSERVICE_DB (database name, default syncservice), PGUSER (role, default postgres),
# SYNCSERVICE_CONFIG (use this config file instead of generating one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

jar=target/syncservice.jar
if [ ! -f "$jar" ]; then
  ./mvnw -B -q package -DskipTests
fi

config=${SYNCSERVICE_CONFIG:-}
if [ -z "$config" ]; then
  database=${SYNCSERVICE_DB:-syncservice}
  role=${PGUSER:-postgres}
  if ! psql -h 127.0.0.1 -U "$role" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    createdb -h 127.0.0.1 -U "$role" "$database"
  fi
  config=target/local.properties
  {
    echo "# Written by scripts/run-local.sh: the defaults, on this machine's servers."
    echo "db.url=jdbc:postgresql://127.0.0.1:5432/$database"
    echo "db.user=$role"
  } > "$config"
fi

if [ -z "${SYNCSERVICE_CONFIG:-}" ] && ! curl -s -o /dev/null http://127.0.0.1:8081/; then
  scripts/s3proxy-local.sh start "$root/target/local-s3" >/dev/null
  trap 'scripts/s3proxy-local.sh stop "$root/target/local-s3"' EXIT
fi

java -jar "$jar" --config "$config" --init-db
java -jar "$jar" --config "$config"
