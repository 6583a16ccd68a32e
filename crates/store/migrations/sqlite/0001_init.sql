-- Contacts and the audit log (SQLite). Never edit this file once applied:
-- sqlx checksums it. Change the schema with a new numbered migration.

-- A federal contact as it was recorded. The scenario and the decision are the
-- caller's JSON (trustgate_api::Scenario / Decision), kept as given.
CREATE TABLE contacts (
    id                    INTEGER PRIMARY KEY,
    kind                  TEXT    NOT NULL CHECK (kind IN ('detainer', 'administrative-warrant', 'notification-request', 'information-request', 'access-request', 'assistance-request', 'property-use-request', 'fingerprint-transmission')),
    channel               TEXT    NOT NULL CHECK (channel IN ('fax', 'email', 'phone', 'in-person', 'ncic', 'portal')),
    receiving_unit        TEXT    NOT NULL,
    scenario              TEXT    NOT NULL,   -- JSON
    decision              TEXT    NOT NULL,   -- JSON, the engine's answer at that moment
    acts_done             TEXT    NOT NULL,   -- JSON array of act keys
    compliance_exception  INTEGER NOT NULL CHECK (compliance_exception IN (0, 1)),
    created_by            TEXT    NOT NULL,
    created_ms            INTEGER NOT NULL
) STRICT;

-- One row per act done that the decision prohibits. No delete path.
CREATE TABLE compliance_exceptions (
    id            INTEGER PRIMARY KEY,
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    act           TEXT    NOT NULL,
    flagged_ms    INTEGER NOT NULL,
    UNIQUE (contact_id, act)
) STRICT;

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 0),
    time_ms     INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object      TEXT    NOT NULL,
    detail      TEXT    NOT NULL,
    chain_hash  BLOB    NOT NULL CHECK (length(chain_hash) = 32),
    leaf_hash   BLOB    NOT NULL CHECK (length(leaf_hash) = 32)
) STRICT;

-- One row: what LogHead::from_parts needs. Updated in every audited transaction.
CREATE TABLE audit_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    size        INTEGER NOT NULL CHECK (size >= 0),
    chain_head  BLOB    NOT NULL CHECK (length(chain_head) = 32),
    frontier    BLOB    NOT NULL            -- size.count_ones() hashes of 32 bytes, concatenated
) STRICT;
INSERT INTO audit_head VALUES (1, 0, zeroblob(32), x'');

-- The log and the exceptions are append-only from the application's side too.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER compliance_exceptions_no_delete BEFORE DELETE ON compliance_exceptions
BEGIN SELECT RAISE(ABORT, 'compliance exceptions are never deleted'); END;
