#!/usr/bin/env bash
# Usage: listing-bench.sh [ITEMS]   (default 1000000)
# Measures the get_changes listing queries on a workspace of ITEMS items (ITEMS/1000 folders in the
# root, files under them) in a scratch database: a page of 500 of a full listing taken at a snapshot
# with 10 changes after it, and a listing of the 10 changes after a cursor. Prints each plan and
# pgbench's latency (one client, 10 s each). The SQL mirrors store/jdbc/JdbcListingSnapshot: keep
# them in step. Needs psql, pgbench and a JDK (the schema comes from the jar's --init-db); PGHOST/PGUSER as for psql (default 127.0.0.1, postgres).
set -euo pipefail
items=${1:-1000000}
folders=$((items / 1000))
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
db=syncservice_listing_bench_$$
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'dropdb --if-exists "$db"; rm -rf "$work"' EXIT
createdb "$db"
# The schema as the service builds it: its migrations, through --init-db.
[ -f "$root/target/syncservice.jar" ] || (cd "$root" && ./mvnw -B -q -pl syncservice -am package -DskipTests)
printf 'db.url=jdbc:postgresql://%s:5432/%s\ndb.user=%s\n' "$PGHOST" "$db" "$PGUSER" > "$work/config.properties"
java -jar "$root/target/syncservice.jar" --config "$work/config.properties" --init-db >/dev/null
ws=00000000-0000-0000-0000-0000000000aa
user=00000000-0000-0000-0000-0000000000bb
psql -q -v ON_ERROR_STOP=1 "$db" <<SQL
INSERT INTO users (user_id, email, name, password_hash, quota_limit_bytes)
    VALUES ('$user', 'bench@example.org', 'Bench', 'x', 1000000000000000);
INSERT INTO workspaces (workspace_id, owner_id, is_default, storage_backend, storage_container, latest_change_seq)
    VALUES ('$ws', '$user', true, 'S3', 'bench', 11);
INSERT INTO workspace_members (workspace_id, user_id, role, name) VALUES ('$ws', '$user', 'OWNER', 'Bench');
INSERT INTO items (item_id, workspace_id, parent_id, name, name_key, is_folder, depth, latest_version, status, change_seq)
    SELECT g, '$ws', NULL, 'folder-' || g, 'folder-' || g, true, 0, 1, 'NEW', 1 FROM generate_series(1, $folders) g;
INSERT INTO items (item_id, workspace_id, parent_id, name, name_key, is_folder, depth, latest_version, status,
                   change_seq, size_bytes, chunks)
    SELECT $folders + g, '$ws', 1 + g % $folders, 'file-' || g, 'file-' || g, false, 1, 1, 'NEW', 1, 10,
           ARRAY['chunk-' || g] FROM generate_series(1, $items - $folders) g;
INSERT INTO item_versions (item_id, version, workspace_id, parent_id, name, is_folder, status, size_bytes, chunks,
                           change_seq)
    SELECT item_id, 1, workspace_id, parent_id, name, is_folder, status, size_bytes, chunks, 1 FROM items;
-- Ten commits after the first (sequence numbers 2 to 11), each changing one file.
UPDATE items SET latest_version = 2, status = 'CHANGED', change_seq = 1 + (item_id % 10) + 1
    WHERE item_id IN (SELECT $folders + g * ($items / 11) FROM generate_series(1, 10) g);
INSERT INTO item_versions (item_id, version, workspace_id, parent_id, name, is_folder, status, size_bytes, chunks,
                           change_seq)
    SELECT item_id, 2, workspace_id, parent_id, name, is_folder, status, size_bytes, chunks, change_seq
    FROM items WHERE latest_version = 2;
VACUUM ANALYZE items;
VACUUM ANALYZE item_versions;
SQL
columns="i.item_id, i.workspace_id, i.parent_id, i.name, i.is_folder, i.latest_version, i.status, i.mime_type,
 i.checksum, i.size_bytes, i.modified_at, i.chunks, i.change_seq, i.device_id, i.committed_at, i.depth"
version_columns="v.item_id, v.workspace_id, v.parent_id, v.name, v.is_folder, v.version, v.status, v.mime_type,
 v.checksum, v.size_bytes, v.modified_at, v.chunks, GREATEST(v.change_seq, i.tree_seq), v.device_id,
 v.committed_at, i.depth"
# listing SINCE SNAPSHOT DEPTH ITEM: the statement of one page of 500 (limit 501).
listing() {
  local unchanged changed
  if [ "$1" = 0 ]; then unchanged="NOT i.deleted"; changed="v.status <> 'DELETED'"
  else unchanged="i.change_seq > $1"; changed="GREATEST(v.change_seq, i.tree_seq) > $1"; fi
  echo "SELECT * FROM ((SELECT $columns FROM items i WHERE i.workspace_id = '$ws' AND i.change_seq <= $2
 AND i.tree_seq <= $2 AND $unchanged AND (i.depth, i.item_id) > ($3, $4) ORDER BY i.depth, i.item_id LIMIT 501)
 UNION ALL (SELECT $version_columns FROM items i CROSS JOIN LATERAL (SELECT * FROM item_versions v
 WHERE v.item_id = i.item_id AND v.change_seq <= $2 ORDER BY v.version DESC LIMIT 1) v
 WHERE i.workspace_id = '$ws' AND i.change_seq > $2 AND i.tree_seq <= $2 AND $changed
 AND (i.depth + 0, i.item_id) > ($3, $4) ORDER BY i.depth, i.item_id LIMIT 501)) listed
 ORDER BY depth, item_id LIMIT 501;"
}
listing 0 1 1 $((items / 2)) > "$work/full-page.sql"
listing 1 11 -1 0 > "$work/after-cursor.sql"
for case in full-page after-cursor; do
  echo "== $case ($items items)"
  psql -q "$db" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $(cat "$work/$case.sql")"
  pgbench -n -c 1 -T 10 -f "$work/$case.sql" "$db" 2>/dev/null | grep -E "latency average|tps"
  pgbench -n -c 1 -T 5 -l --log-prefix="$work/$case" -f "$work/$case.sql" "$db" >/dev/null 2>&1
  sort -n -k3 "$work/$case".* | awk '{v[NR]=$3} END {printf "p50 %.2f ms, p99 %.2f ms (%d runs)\n",
    v[int(NR*0.5)+1]/1000, v[int(NR*0.99)+1]/1000, NR}'
done
