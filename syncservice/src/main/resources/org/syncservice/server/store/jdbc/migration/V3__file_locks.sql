-- File locks (docs/protocol.md, lock_item and unlock_item): at most one lock per file. A lock whose
-- expires_at has passed counts as none: the next lock_item of the file replaces its row, else it
-- stays (one row per file at most, so they cannot outgrow the items). The holder is a device of a
-- user; purging the item, or deleting the workspace, the user or the device removes the lock.
CREATE TABLE item_locks (
    item_id           bigint      PRIMARY KEY REFERENCES items (item_id) ON DELETE CASCADE,
    workspace_id      uuid        NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    holder_user_id    uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    holder_device_id  uuid        NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
    reason            text        NOT NULL DEFAULT '' CHECK (length(reason) <= 256),
    locked_at         timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL CHECK (expires_at > locked_at)
);
-- A commit reads the live locks of its workspace; listings join them per item (the primary key).
CREATE INDEX item_locks_by_workspace ON item_locks (workspace_id, expires_at);

-- Lock and unlock events: the outbox row carries the lock as it was, since an unlock leaves no
-- lock row to rebuild the event from. lock_end is NULL for a lock (or a renewal), else how it
-- ended: UNLOCKED by its holder, BROKEN by the workspace's owner, RELEASED or DELETED by the
-- holder's commit.
ALTER TABLE outbox ADD COLUMN item_id bigint;
ALTER TABLE outbox ADD COLUMN lock_reason text;
ALTER TABLE outbox ADD COLUMN lock_taken_at timestamptz;
ALTER TABLE outbox ADD COLUMN lock_expires_at timestamptz;
ALTER TABLE outbox ADD COLUMN lock_end text CHECK (lock_end IN ('UNLOCKED', 'BROKEN', 'RELEASED', 'DELETED'));
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('COMMIT', 'WORKSPACE_SHARED',
    'WORKSPACE_UNSHARED', 'WORKSPACE_RENAMED', 'MEMBERS_CHANGED', 'DEVICE_REVOKED', 'WORKSPACE_CREATED',
    'DEVICE_REGISTERED', 'ITEM_LOCKED', 'ITEM_UNLOCKED'));

INSERT INTO schema_version (version, description) VALUES (3, 'file locks');
