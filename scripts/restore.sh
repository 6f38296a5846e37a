#!/usr/bin/env bash
# Usage: restore.sh --config FILE --from DIR
#
# Restores the database of a backup made by backup.sh (DIR/syncservice.dump) into the database
# db.url of FILE names, which must exist and be empty (createdb -O ROLE NAME), then, in this order:
# --init-db (checks the schema and migrates a backup of an older version) and new-epoch (every
# cursor handed out so far expires, and item ids move past any the lost history gave out), so
# that devices reconcile with the restored database instead of trusting what they hold (docs/backup.md).
# Start no instance on the database before this finished. The storage is not touched: put the
# chunks back first if the store was lost. pg_restore runs as db.user, which then owns what it
# restores; the password comes from the config through a temporary PGPASSFILE, never a command line.
# SYNCSERVICE_JAR points at another jar. Exit codes: 0 done, 1 a step failed, 2 wrong command line.
set -euo pipefail

usage() { sed -n '2,2s/^# //p' "$0" >&2; exit 2; }
config='' from=''
while [ $# -gt 0 ]; do
  case $1 in
    --config) config=${2:-}; shift 2 || usage ;;
    --from) from=${2:-}; shift 2 || usage ;;
    -h|--help) sed -n '2,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[ -n "$config" ] && [ -n "$from" ] || usage
[ -r "$config" ] || { echo "restore.sh: cannot read the config file $config" >&2; exit 2; }
[ -r "$from/syncservice.dump" ] || { echo "restore.sh: no $from/syncservice.dump" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/db-settings.sh
. "$here/db-settings.sh"
read_db_settings "$config"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pgpass_for "$work"

syncservice() {
  if [ -n "${SYNCSERVICE_CLASSPATH:-}" ]; then
    # The build's classes instead of the jar (the tests run the script before packaging).
    java -cp "$SYNCSERVICE_CLASSPATH" org.syncservice.server.Main --config "$config" "$@"
  else
    java -jar "${SYNCSERVICE_JAR:-$here/../target/syncservice.jar}" --config "$config" "$@"
  fi
}

tables=$(psql -X -v ON_ERROR_STOP=1 -Atq -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" \
  -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" != 0 ]; then
  echo "restore.sh: database $DB_NAME at $DB_HOST:$DB_PORT holds $tables tables: restore into a fresh one" \
       "(createdb -O $DB_USER NAME, then point db.url at it)" >&2
  exit 1
fi
echo "restore.sh: restoring $from/syncservice.dump into $DB_NAME at $DB_HOST:$DB_PORT"
pg_restore --exit-on-error --no-owner -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" "$from/syncservice.dump"
syncservice --init-db
syncservice new-epoch
echo "restore.sh: done; put the chunks back if the store was lost, then start the instances"
