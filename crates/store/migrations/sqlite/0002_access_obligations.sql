-- Staff accounts, sessions and API tokens; obligations, routing and
-- explanations of compliance exceptions; reimbursements (SQLite).
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE contacts ADD COLUMN received_ms INTEGER;
ALTER TABLE compliance_exceptions ADD COLUMN routed_to TEXT NOT NULL DEFAULT 'city-manager'
    CHECK (routed_to IN ('professional-standards', 'superintendent', 'city-manager'));

-- The duties a contact's decision triggered for certain, as the law states them.
CREATE TABLE obligations (
    id              INTEGER PRIMARY KEY,
    contact_id      INTEGER NOT NULL REFERENCES contacts(id),
    obligation      TEXT    NOT NULL,   -- its id in the law pack
    law             TEXT    NOT NULL,
    duty            TEXT    NOT NULL,
    due             TEXT,               -- in the law's words
    fulfilled_ms    INTEGER,
    fulfilled_by    TEXT,
    fulfilment_note TEXT,
    CHECK ((fulfilled_ms IS NULL) = (fulfilled_by IS NULL))
) STRICT;
CREATE INDEX obligations_by_contact ON obligations (contact_id);
CREATE INDEX obligations_open ON obligations (contact_id) WHERE fulfilled_ms IS NULL;

CREATE TABLE exception_explanations (
    id            INTEGER PRIMARY KEY,
    exception_id  INTEGER NOT NULL REFERENCES compliance_exceptions(id),
    explanation   TEXT    NOT NULL,
    explained_by  TEXT    NOT NULL,
    at_ms         INTEGER NOT NULL
) STRICT;
CREATE TRIGGER exception_explanations_no_update BEFORE UPDATE ON exception_explanations
BEGIN SELECT RAISE(ABORT, 'explanations are never changed'); END;
CREATE TRIGGER exception_explanations_no_delete BEFORE DELETE ON exception_explanations
BEGIN SELECT RAISE(ABORT, 'explanations are never changed'); END;
CREATE TRIGGER compliance_exceptions_no_update BEFORE UPDATE ON compliance_exceptions
BEGIN SELECT RAISE(ABORT, 'compliance exceptions are never changed'); END;

-- Reimbursements received from the federal government, by case (2.129.060 (d)).
CREATE TABLE reimbursements (
    id            INTEGER PRIMARY KEY,
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    received_on   TEXT    NOT NULL,   -- YYYY-MM-DD
    reference     TEXT    NOT NULL,
    recorded_by   TEXT    NOT NULL,
    recorded_ms   INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
    username          TEXT    PRIMARY KEY,
    role              TEXT    NOT NULL CHECK (role IN ('officer', 'records-clerk', 'professional-standards', 'city-manager', 'school-staff', 'auditor', 'admin')),
    password_hash     TEXT    NOT NULL,   -- argon2id PHC string
    totp_secret       BLOB    NOT NULL,
    totp_last_step    INTEGER NOT NULL DEFAULT 0,   -- codes at or before it are refused (no replay)
    failures          INTEGER NOT NULL DEFAULT 0,   -- failed sign-ins since first_failure_ms
    first_failure_ms  INTEGER NOT NULL DEFAULT 0,
    locked_until_ms   INTEGER NOT NULL DEFAULT 0,
    created_by        TEXT    NOT NULL,
    created_ms        INTEGER NOT NULL
) STRICT;

-- Only the SHA-256 of a session token is kept.
CREATE TABLE sessions (
    token_hash    BLOB    PRIMARY KEY CHECK (length(token_hash) = 32),
    username      TEXT    NOT NULL REFERENCES accounts(username),
    created_ms    INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL,
    ended_ms      INTEGER
) STRICT;

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    token_hash    BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    name          TEXT    NOT NULL,
    scopes        TEXT    NOT NULL,   -- JSON array of permission names
    created_by    TEXT    NOT NULL,
    created_ms    INTEGER NOT NULL,
    revoked_ms    INTEGER
) STRICT;
