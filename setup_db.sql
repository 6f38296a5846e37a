-- syncservice metadata schema, version 6: the whole current schema in one script, for psql users
-- (psql -v ON_ERROR_STOP=1 -f setup_db.sql DBNAME). The service itself builds and upgrades the
-- schema with the versioned migrations in syncservice/src/main/resources/org/syncservice/server/
-- store/jdbc/migration (java -jar syncservice.jar --init-db); a new migration comes with the same
-- change here, idempotently, and its row in schema_version (SetupScriptMatchesMigrationsTest
-- compares what both build). --init-db runs this script on a database it built before migrations
-- existed, then baselines the migration history at the version schema_version records.
--
-- Safe to apply again and again (every statement is IF NOT EXISTS); concurrent appliers serialise
-- on an advisory lock.
--
-- Conventions: ids of users, devices and workspaces are UUIDs; item ids come from a sequence.
-- Times are timestamptz. Wire (protobuf) messages are never stored: stored answers and
-- notifications are rebuilt from the rows they refer to.

BEGIN;

SELECT pg_advisory_xact_lock(7205834211);

CREATE TABLE IF NOT EXISTS schema_version (
    version     integer     PRIMARY KEY,
    description text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS users (
    user_id           uuid        PRIMARY KEY,
    -- Stored lower-cased; logins compare lower-cased.
    email             text        NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    -- "pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>"
    password_hash     text        NOT NULL,
    quota_limit_bytes bigint      NOT NULL CHECK (quota_limit_bytes >= 0),
    -- Bytes of the latest versions of the live files in the workspaces the user owns.
    quota_used_bytes  bigint      NOT NULL DEFAULT 0 CHECK (quota_used_bytes >= 0),
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS devices (
    device_id               uuid        PRIMARY KEY,
    user_id                 uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    name                    text        NOT NULL,
    os                      text        NOT NULL DEFAULT '',
    app_version             text        NOT NULL DEFAULT '',
    -- SHA-256 of the current device token; the token itself is never stored.
    token_hash              bytea       UNIQUE,
    -- The login request that registered the device, so a retried registration finds it again.
    registration_request_id text,
    last_ip                 text,
    last_seen_at            timestamptz,
    registered_at           timestamptz NOT NULL DEFAULT now(),
    -- Set when the device is unregistered or revoked; its token_hash is cleared at the same time.
    revoked_at              timestamptz,
    UNIQUE (user_id, registration_request_id)
);
CREATE INDEX IF NOT EXISTS devices_by_user ON devices (user_id);

CREATE TABLE IF NOT EXISTS workspaces (
    workspace_id      uuid        PRIMARY KEY,
    owner_id          uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    -- Each user has exactly one default (personal) workspace.
    is_default        boolean     NOT NULL DEFAULT false,
    is_shared         boolean     NOT NULL DEFAULT false,
    is_encrypted      boolean     NOT NULL DEFAULT false,
    storage_backend   text        NOT NULL CHECK (storage_backend IN ('SWIFT', 'S3', 'FTP')),
    storage_container text        NOT NULL,
    storage_prefix    text        NOT NULL DEFAULT '',
    -- The workspace's change sequence: every commit takes latest_change_seq + 1 under the row lock,
    -- so the numbers of one workspace are gapless and a device can detect a missed notification.
    latest_change_seq bigint      NOT NULL DEFAULT 0 CHECK (latest_change_seq >= 0),
    -- Tombstones committed at or below this sequence may have been purged: older cursors expire.
    purged_up_to_seq  bigint      NOT NULL DEFAULT 0 CHECK (purged_up_to_seq >= 0),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS workspaces_one_default_per_owner ON workspaces (owner_id) WHERE is_default;

CREATE TABLE IF NOT EXISTS workspace_members (
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    user_id      uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role         text        NOT NULL CHECK (role IN ('OWNER', 'MEMBER')),
    -- The member's own name and mount point for the workspace.
    name         text        NOT NULL,
    mount_point  text        NOT NULL DEFAULT '',
    joined_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX IF NOT EXISTS workspace_members_by_user ON workspace_members (user_id);

-- The latest state of every item, tombstones included. History is in item_versions.
CREATE TABLE IF NOT EXISTS items (
    item_id        bigint      PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
    workspace_id   uuid        NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    -- NULL: the workspace's root. Checked at commit time: one commit may move an item into a
    -- folder that the same commit creates.
    parent_id      bigint      REFERENCES items (item_id) DEFERRABLE INITIALLY DEFERRED,
    name           text        NOT NULL,
    -- The name as compared for uniqueness within a folder (normalised, case-folded).
    name_key       text        NOT NULL,
    is_folder      boolean     NOT NULL,
    -- 0 for an item in the root, parent's depth + 1 otherwise; kept up to date on moves, so
    -- listings ordered by depth put parents before children.
    depth          integer     NOT NULL CHECK (depth >= 0),
    latest_version bigint      NOT NULL CHECK (latest_version >= 1),
    status         text        NOT NULL CHECK (status IN ('NEW', 'CHANGED', 'RENAMED', 'MOVED', 'DELETED')),
    deleted        boolean     NOT NULL DEFAULT false,
    mime_type      text        NOT NULL DEFAULT '',
    checksum       text        NOT NULL DEFAULT '',
    size_bytes     bigint      NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    modified_at    timestamptz,
    chunks         text[]      NOT NULL DEFAULT '{}',
    -- The change sequence of the latest version: what getChanges pages by.
    change_seq     bigint      NOT NULL,
    device_id      uuid,
    committed_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (deleted = (status = 'DELETED'))
);
-- No two live items with the same name in one folder.
CREATE UNIQUE INDEX IF NOT EXISTS items_live_name_in_folder
    ON items (workspace_id, COALESCE(parent_id, 0), name_key) WHERE NOT deleted;
-- getChanges after a cursor: the items of a workspace changed after a sequence number.
CREATE INDEX IF NOT EXISTS items_by_change ON items (workspace_id, change_seq);
-- getChanges pages, full and after a cursor: the items of a workspace in (depth, item id) order,
-- parents before children, tombstones included. A page of a full listing walks it from its
-- position past the few tombstones (retention keeps them for a while only); a page after a cursor
-- walks it when most items changed since (a long catch-up), so that each page costs its own items
-- and not every change since the cursor, and takes items_by_change when few did (the listing is
-- planned for its parameters). It replaces an index of live items only, which could serve full
-- listings alone and left long catch-ups to sort every change since the cursor on every page.
CREATE INDEX IF NOT EXISTS items_by_depth ON items (workspace_id, depth, item_id);
DROP INDEX IF EXISTS items_live_by_depth;
-- Listing a folder's children (folder deletes, cycle checks).
CREATE INDEX IF NOT EXISTS items_by_parent ON items (parent_id) WHERE parent_id IS NOT NULL;

-- Every version of every item: the full history, with each version's chunk list in order.
CREATE TABLE IF NOT EXISTS item_versions (
    item_id      bigint      NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    version      bigint      NOT NULL CHECK (version >= 1),
    workspace_id uuid        NOT NULL,
    parent_id    bigint,
    name         text        NOT NULL,
    is_folder    boolean     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('NEW', 'CHANGED', 'RENAMED', 'MOVED', 'DELETED')),
    mime_type    text        NOT NULL DEFAULT '',
    checksum     text        NOT NULL DEFAULT '',
    size_bytes   bigint      NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
    modified_at  timestamptz,
    chunks       text[]      NOT NULL DEFAULT '{}',
    change_seq   bigint      NOT NULL,
    device_id    uuid,
    request_id   text,
    committed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, version)
);
-- Rebuilding a commit's notification: the versions one change sequence number wrote.
CREATE INDEX IF NOT EXISTS item_versions_by_change ON item_versions (workspace_id, change_seq);

-- Stored answers, so that a retried request (same device, same request id) is answered again
-- without being applied twice. One row per request, one per item of a commit.
CREATE TABLE IF NOT EXISTS request_log (
    device_id    uuid        NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    request_id   text        NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
    operation    text        NOT NULL,
    workspace_id uuid,
    -- SHA-256 of the request's operation body: the same id with another body is refused.
    request_hash bytea       NOT NULL,
    -- The change sequence the request took; 0 when it stored nothing.
    change_seq   bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, request_id)
);
CREATE INDEX IF NOT EXISTS request_log_by_age ON request_log (created_at);

CREATE TABLE IF NOT EXISTS request_log_items (
    device_id        uuid     NOT NULL,
    request_id       text     NOT NULL,
    position         integer  NOT NULL CHECK (position >= 0),
    item_id          bigint,
    temp_id          text,
    outcome          text     NOT NULL CHECK (outcome IN ('COMMITTED', 'ALREADY_COMMITTED', 'CONFLICT', 'REJECTED')),
    -- The version the answer showed: the stored one, the server's latest on a conflict, or the
    -- item holding the name on NAME_TAKEN (hence an item id of its own).
    shown_item_id    bigint,
    shown_version    bigint,
    reject_reason    text,
    message          text,
    PRIMARY KEY (device_id, request_id, position),
    FOREIGN KEY (device_id, request_id) REFERENCES request_log (device_id, request_id) ON DELETE CASCADE
);

-- The latest change sequence each device reported having applied, per workspace.
CREATE TABLE IF NOT EXISTS device_cursors (
    device_id    uuid        NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    workspace_id uuid        NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    change_seq   bigint      NOT NULL CHECK (change_seq >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, workspace_id)
);

-- Transactional outbox: written in the transaction of the change it announces, published after
-- commit, then marked. Rows refer to what happened; the notification is rebuilt from them.
CREATE TABLE IF NOT EXISTS outbox (
    outbox_id     bigint      PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
    kind          text        NOT NULL CONSTRAINT outbox_kind_check CHECK (kind IN ('COMMIT', 'WORKSPACE_SHARED',
                                   'WORKSPACE_UNSHARED', 'WORKSPACE_RENAMED', 'MEMBERS_CHANGED', 'DEVICE_REVOKED',
                                   'WORKSPACE_CREATED', 'DEVICE_REGISTERED')),
    workspace_id  uuid,
    user_id       uuid,
    device_id     uuid,
    change_seq    bigint,
    request_id    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    published_at  timestamptz
);
-- A row the broker refused (or that could not be rebuilt) notifications.outbox-max-attempts
-- times is set aside: publishers skip it until an operator replays it (replay-outbox).
-- last_error says why its last attempt failed.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS set_aside_at timestamptz;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS last_error text;
-- A publisher leases the rows it publishes until claimed_until, with no transaction open while it
-- waits for the broker; rows whose lease ran out (their publisher died) are taken by another.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS claimed_until timestamptz;
-- Databases created before WORKSPACE_CREATED and DEVICE_REGISTERED get the wider kind check.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'outbox'::regclass
                   AND conname = 'outbox_kind_check' AND pg_get_constraintdef(oid) LIKE '%DEVICE_REGISTERED%') THEN
        ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_kind_check;
        ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('COMMIT', 'WORKSPACE_SHARED',
            'WORKSPACE_UNSHARED', 'WORKSPACE_RENAMED', 'MEMBERS_CHANGED', 'DEVICE_REVOKED', 'WORKSPACE_CREATED',
            'DEVICE_REGISTERED'));
    END IF;
END $$;
-- The rows publishers claim: pending and not set aside (replaces outbox_pending, which also
-- covered set-aside rows).
CREATE INDEX IF NOT EXISTS outbox_publishable ON outbox (outbox_id) WHERE published_at IS NULL AND set_aside_at IS NULL;
DROP INDEX IF EXISTS outbox_pending;
CREATE INDEX IF NOT EXISTS outbox_set_aside ON outbox (outbox_id) WHERE set_aside_at IS NOT NULL AND published_at IS NULL;
-- Pruning published rows older than notifications.outbox-retention.
CREATE INDEX IF NOT EXISTS outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- The change sequence at which an item's place in the tree last changed: its own parent changed
-- (a move, a restore into another folder) or an ancestor's did; 0 when it never moved since it was
-- created. A folder move sets it, and change_seq, on the whole subtree, whose depths change with
-- it: a listing defers items whose place changed after it began (docs/design.md, getChanges).
ALTER TABLE items ADD COLUMN IF NOT EXISTS tree_seq bigint NOT NULL DEFAULT 0;

-- The secret that authenticates getChanges cursors, and the epoch of the database's history that
-- every cursor carries. One row, made with the database (a recreated database gets a new secret
-- and epoch, so no old cursor verifies); the admin command new-epoch draws a new epoch after a
-- backup is restored, so cursors handed out before expire instead of skipping what was lost.
CREATE TABLE IF NOT EXISTS cursor_keys (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    secret     bytea       NOT NULL CHECK (length(secret) >= 32),
    epoch      bigint      NOT NULL CHECK (epoch > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    epoch_at   timestamptz NOT NULL DEFAULT now()
);
-- gen_random_uuid() is core since PostgreSQL 13 (no pgcrypto needed): two of them give 244 random
-- bits of secret, and 60 random bits of one give the epoch.
INSERT INTO cursor_keys (secret, epoch)
    SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'),
           ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 15))::bit(60)::bigint + 1
    ON CONFLICT (singleton) DO NOTHING;

-- Retention (docs/retention.md). Purging expired tombstones: per workspace, oldest first. Only
-- tombstones are in it, so commits that change live items never touch it.
CREATE INDEX IF NOT EXISTS items_tombstones_by_age ON items (workspace_id, committed_at) WHERE deleted;

-- How far each workspace's history has been walked for superseded versions (their change
-- sequence order is the order they were superseded in). Apart from workspaces, so that the
-- purge never updates the row every commit locks for longer than its batch.
CREATE TABLE IF NOT EXISTS retention_progress (
    workspace_id             uuid   PRIMARY KEY REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    versions_walked_to_seq   bigint NOT NULL DEFAULT 0 CHECK (versions_walked_to_seq >= 0)
);

-- Chunks that a purged version or tombstone referenced: candidates for removal from storage,
-- removed only after retention.chunk-grace and only if no kept version of the same storage
-- location references them then. Keyed by location, not workspace: a chunk is an object there.
CREATE TABLE IF NOT EXISTS chunk_garbage (
    storage_backend     text        NOT NULL CHECK (storage_backend IN ('SWIFT', 'S3', 'FTP')),
    storage_container   text        NOT NULL,
    storage_prefix      text        NOT NULL,
    chunk               text        NOT NULL,
    unreferenced_since  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (storage_backend, storage_container, storage_prefix, chunk)
);
CREATE INDEX IF NOT EXISTS chunk_garbage_by_age ON chunk_garbage (unreferenced_since);

-- File locks (docs/protocol.md, lock_item and unlock_item): at most one lock per file. A lock whose
-- expires_at has passed counts as none: the next lock_item of the file replaces its row, else it
-- stays (one row per file at most, so they cannot outgrow the items). The holder is a device of a
-- user; purging the item, or deleting the workspace, the user or the device removes the lock.
CREATE TABLE IF NOT EXISTS item_locks (
    item_id           bigint      PRIMARY KEY REFERENCES items (item_id) ON DELETE CASCADE,
    workspace_id      uuid        NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    holder_user_id    uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    holder_device_id  uuid        NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    reason            text        NOT NULL DEFAULT '' CHECK (length(reason) <= 256),
    locked_at         timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL CHECK (expires_at > locked_at)
);
-- A commit reads the live locks of its workspace; listings join them per item (the primary key).
CREATE INDEX IF NOT EXISTS item_locks_by_workspace ON item_locks (workspace_id, expires_at);

-- Lock and unlock events: the outbox row carries the lock as it was, since an unlock leaves no
-- lock row to rebuild the event from. lock_end is NULL for a lock (or a renewal), else how it
-- ended: UNLOCKED by its holder, BROKEN by the workspace's owner, RELEASED or DELETED by the
-- holder's commit.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS item_id bigint;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lock_reason text;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lock_taken_at timestamptz;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lock_expires_at timestamptz;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS lock_end text
    CHECK (lock_end IN ('UNLOCKED', 'BROKEN', 'RELEASED', 'DELETED'));
-- Databases created before ITEM_LOCKED and ITEM_UNLOCKED get the wider kind check.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'outbox'::regclass
                   AND conname = 'outbox_kind_check' AND pg_get_constraintdef(oid) LIKE '%ITEM_UNLOCKED%') THEN
        ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_kind_check;
        ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('COMMIT', 'WORKSPACE_SHARED',
            'WORKSPACE_UNSHARED', 'WORKSPACE_RENAMED', 'MEMBERS_CHANGED', 'DEVICE_REVOKED', 'WORKSPACE_CREATED',
            'DEVICE_REGISTERED', 'ITEM_LOCKED', 'ITEM_UNLOCKED'));
    END IF;
END $$;

INSERT INTO schema_version (version, description) VALUES (1, 'initial schema')
    ON CONFLICT (version) DO NOTHING;
INSERT INTO schema_version (version, description) VALUES (3, 'file locks')
    ON CONFLICT (version) DO NOTHING;

-- Version 2. The devices whose broker connections the service still has to close (docs/design.md,
-- "Revocation"): written with a revocation or sign-out, removed once a sweep after the device's
-- last broker token expired found no connection left. No foreign key: delete-user removes the
-- device row in the transaction that asks for its connections to be closed.
CREATE TABLE IF NOT EXISTS broker_disconnects (
    device_id     uuid        PRIMARY KEY,
    requested_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO schema_version (version, description) VALUES (2, 'broker disconnects')
    ON CONFLICT (version) DO NOTHING;

-- Version 4. Failed password attempts per account, shared by every instance (docs/design.md,
-- "Login throttling"); the account is stored as its SHA-256, so no guessed email address is kept.
CREATE TABLE IF NOT EXISTS login_failures (
    account_hash     bytea       PRIMARY KEY CHECK (length(account_hash) = 32),
    failures         integer     NOT NULL CHECK (failures >= 0),
    last_failure_at  timestamptz NOT NULL,
    -- The account's next attempt is refused before this.
    not_before       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_age ON login_failures (last_failure_at);

INSERT INTO schema_version (version, description) VALUES (4, 'login failures')
    ON CONFLICT (version) DO NOTHING;

-- Version 5. Member roles: OWNER, WRITER (what MEMBER meant) and READER; MEMBER rows become
-- WRITER. PERMISSIONS_CHANGED outbox rows announce a role change to every member.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'workspace_members'::regclass
                   AND conname = 'workspace_members_role_check' AND pg_get_constraintdef(oid) LIKE '%READER%') THEN
        ALTER TABLE workspace_members DROP CONSTRAINT IF EXISTS workspace_members_role_check;
        UPDATE workspace_members SET role = 'WRITER' WHERE role = 'MEMBER';
        ALTER TABLE workspace_members ADD CONSTRAINT workspace_members_role_check
            CHECK (role IN ('OWNER', 'WRITER', 'READER'));
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'outbox'::regclass
                   AND conname = 'outbox_kind_check' AND pg_get_constraintdef(oid) LIKE '%PERMISSIONS_CHANGED%') THEN
        ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_kind_check;
        ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('COMMIT', 'WORKSPACE_SHARED',
            'WORKSPACE_UNSHARED', 'WORKSPACE_RENAMED', 'MEMBERS_CHANGED', 'DEVICE_REVOKED', 'WORKSPACE_CREATED',
            'DEVICE_REGISTERED', 'ITEM_LOCKED', 'ITEM_UNLOCKED', 'PERMISSIONS_CHANGED'));
    END IF;
END $$;

INSERT INTO schema_version (version, description) VALUES (5, 'member roles')
    ON CONFLICT (version) DO NOTHING;

-- Version 6. Groups of users, their members, workspaces' grants to them, and which member rows
-- a grant alone put there (granted_directly false).
CREATE TABLE IF NOT EXISTS user_groups (
    group_id   uuid        PRIMARY KEY,
    owner_id   uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
);

CREATE TABLE IF NOT EXISTS group_members (
    group_id uuid        NOT NULL REFERENCES user_groups (group_id) ON DELETE CASCADE,
    user_id  uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS group_members_by_user ON group_members (user_id);

CREATE TABLE IF NOT EXISTS workspace_group_grants (
    workspace_id uuid NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    group_id     uuid NOT NULL REFERENCES user_groups (group_id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('WRITER', 'READER')),
    PRIMARY KEY (workspace_id, group_id)
);
CREATE INDEX IF NOT EXISTS workspace_group_grants_by_group ON workspace_group_grants (group_id);

ALTER TABLE workspace_members ADD COLUMN IF NOT EXISTS granted_directly boolean NOT NULL DEFAULT true;

INSERT INTO schema_version (version, description) VALUES (6, 'groups')
    ON CONFLICT (version) DO NOTHING;

COMMIT;
