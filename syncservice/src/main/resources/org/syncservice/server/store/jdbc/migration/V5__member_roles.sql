-- Member roles (docs/protocol.md, "Roles"): OWNER, WRITER (what MEMBER meant: reads and writes)
-- and READER (reads only). Every existing MEMBER row becomes WRITER, so nobody loses a right.
ALTER TABLE workspace_members DROP CONSTRAINT workspace_members_role_check;
UPDATE workspace_members SET role = 'WRITER' WHERE role = 'MEMBER';
ALTER TABLE workspace_members ADD CONSTRAINT workspace_members_role_check
    CHECK (role IN ('OWNER', 'WRITER', 'READER'));

-- A member's role changed (change_member_role): an event to every member, as MEMBERS_CHANGED is.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('COMMIT', 'WORKSPACE_SHARED',
    'WORKSPACE_UNSHARED', 'WORKSPACE_RENAMED', 'MEMBERS_CHANGED', 'DEVICE_REVOKED', 'WORKSPACE_CREATED',
    'DEVICE_REGISTERED', 'ITEM_LOCKED', 'ITEM_UNLOCKED', 'PERMISSIONS_CHANGED'));

INSERT INTO schema_version (version, description) VALUES (5, 'member roles');
