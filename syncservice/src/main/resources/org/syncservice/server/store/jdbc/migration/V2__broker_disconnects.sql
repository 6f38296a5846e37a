-- syncservice metadata schema, version 2: the devices whose broker connections the service still
-- has to close (docs/design.md, "Revocation"). A row is written in the transaction that revokes a
-- device (unregister_device, revoke-device, delete-user) or signs it out (change_password,
-- reset-password), and removed once a sweep after the device's last broker token expired found
-- it with no connection left. No foreign key: delete-user removes the device row in the same
-- transaction that asks for its connections to be closed.
CREATE TABLE broker_disconnects (
    device_id     uuid        PRIMARY KEY,
    requested_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO schema_version (version, description) VALUES (2, 'broker disconnects');
