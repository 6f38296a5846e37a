-- Groups of users (docs/design.md, "Groups"): a group belongs to the user who made it, and only
-- they manage it. A workspace shared with a group holds a grant to it; each member of the group
-- holds the workspace as an ordinary workspace_members row, with granted_directly false when only
-- a grant put it there, so that a member leaving the group loses it unless they hold it another way.
CREATE TABLE user_groups (
    group_id   uuid        PRIMARY KEY,
    owner_id   uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
);

CREATE TABLE group_members (
    group_id uuid        NOT NULL REFERENCES user_groups (group_id) ON DELETE CASCADE,
    user_id  uuid        NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE workspace_group_grants (
    workspace_id uuid NOT NULL REFERENCES workspaces (workspace_id) ON DELETE CASCADE,
    group_id     uuid NOT NULL REFERENCES user_groups (group_id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('WRITER', 'READER')),
    PRIMARY KEY (workspace_id, group_id)
);
CREATE INDEX workspace_group_grants_by_group ON workspace_group_grants (group_id);

ALTER TABLE workspace_members ADD COLUMN granted_directly boolean NOT NULL DEFAULT true;

INSERT INTO schema_version (version, description) VALUES (6, 'groups');
