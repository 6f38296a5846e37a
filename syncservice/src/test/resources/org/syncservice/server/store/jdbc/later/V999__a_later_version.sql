-- A migration of a later version than this build ships, for the tests of a schema one migration behind.
ALTER TABLE users ADD COLUMN nickname text;
<<<<<<<< HEAD:syncservice/src/test/resources/org/syncservice/server/store/jdbc/later/V4__a_later_version.sql
INSERT INTO schema_version (version, description) VALUES (4, 'a later version');
========
INSERT INTO schema_version (version, description) VALUES (999, 'a later version');
>>>>>>>> revocation:syncservice/src/test/resources/org/syncservice/server/store/jdbc/later/V999__a_later_version.sql
