-- Enrolment: an administrator issues a one-time code for an account, and
-- the person sets their own password and authenticator with it, so no
-- administrator ever knows another's credentials. Only the code's SHA-256
-- is kept; it expires, and works once.
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE accounts ADD COLUMN enrolment_hash BYTEA;
ALTER TABLE accounts ADD COLUMN enrolment_expires_ms BIGINT;
