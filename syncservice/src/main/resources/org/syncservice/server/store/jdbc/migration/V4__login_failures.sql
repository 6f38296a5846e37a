-- syncservice metadata schema, version 3: failed password attempts per account, shared by every
-- instance, so that N instances allow no more attempts than one (docs/design.md, "Login
-- throttling"). The account (normalised email, or the user at change_password) is stored as its
-- SHA-256, so no guessed email address is kept. A row goes with the account's next success, or
-- after twice auth.login-max-delay without a failure.
CREATE TABLE login_failures (
    account_hash     bytea       PRIMARY KEY CHECK (length(account_hash) = 32),
    failures         integer     NOT NULL CHECK (failures >= 0),
    last_failure_at  timestamptz NOT NULL,
    -- The account's next attempt is refused before this.
    not_before       timestamptz NOT NULL
);
CREATE INDEX login_failures_by_age ON login_failures (last_failure_at);

INSERT INTO schema_version (version, description) VALUES (4, 'login failures');
