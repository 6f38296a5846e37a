-- A migration of a later version than this build ships, for the tests of a schema one migration behind.
ALTER TABLE users ADD COLUMN nickname text;
INSERT INTO schema_version (version, description) VALUES (999, 'a later version');
