#!/usr/bin/env bash
# Usage: backup.sh --config FILE --to DIR [-- STORAGE-COPY-COMMAND...]
#
# Backs the service up in the order docs/backup.md explains: first the database (pg_dump -Fc of
# db.url, consistent while the service runs), then the storage (the command after --, which copies
# the chunk store: rclone sync ..., swift download ..., lftp -e 'mirror ...'), then the
# configuration file and every file its *-file keys name (the secrets). Fails when the storage copy
# ended later than retention.chunk-grace after the dump began: chunks the dump references may then
# be missing from it.
#
# The database password comes from db.password-file (or db.password) of the config, through a
# temporary PGPASSFILE (mode 0600) that is removed at the end: never on a command line. DIR is
# created with mode 0700 and must not exist yet. Exit codes: 0 done, 1 a step failed, 2 wrong
# command line.
set -euo pipefail

usage() { sed -n '2,2s/^# //p' "$0" >&2; exit 2; }
config='' to=''
while [ $# -gt 0 ]; do
  case $1 in
    --config) config=${2:-}; shift 2 || usage ;;
    --to) to=${2:-}; shift 2 || usage ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done
[ -n "$config" ] && [ -n "$to" ] || usage
[ -r "$config" ] || { echo "backup.sh: cannot read the config file $config" >&2; exit 2; }
[ ! -e "$to" ] || { echo "backup.sh: $to exists already: give a new directory" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/db-settings.sh
. "$here/db-settings.sh"
read_db_settings "$config"

install -d -m 0700 "$to"
pgpass_for "$to"
trap 'rm -f "$to/.pgpass"' EXIT

began=$(date +%s)
echo "backup.sh: dumping database $DB_NAME at $DB_HOST:$DB_PORT"
pg_dump -Fc -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$DB_NAME" -f "$to/syncservice.dump"

if [ $# -gt 0 ]; then
  echo "backup.sh: copying the storage: $1 ..."
  "$@"
  took=$(( $(date +%s) - began ))
  grace=$(grace_seconds "$config")
  # With a grace of 0 a chunk may go the moment its last reference does: no copy is safe then.
  if [ "$took" -ge "$grace" ]; then
    echo "backup.sh: the storage copy ended ${took}s after the dump began, not within retention.chunk-grace" \
         "(${grace}s): chunks the dump references may be missing from it; take the backup again, or raise" \
         "retention.chunk-grace" >&2
    exit 1
  fi
else
  echo "backup.sh: no storage copy command given: copy the chunk store now, within retention.chunk-grace" >&2
fi

install -d -m 0700 "$to/conf"
cp -p "$config" "$to/conf/"
grep -E '^[[:space:]]*[a-z0-9.-]+-file[[:space:]]*=' "$config" | sed -E 's/^[^=]*=[[:space:]]*//' | while read -r secret; do
  cp -p "$secret" "$to/conf/"
done
echo "backup.sh: done in $(( $(date +%s) - began ))s: $to"
