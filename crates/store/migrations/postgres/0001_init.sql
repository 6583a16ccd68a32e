-- Contacts and the audit log (PostgreSQL). Never edit this file once applied:
-- sqlx checksums it. Change the schema with a new numbered migration.

-- A federal contact as it was recorded. The scenario and the decision are the
-- caller's JSON (trustgate_api::Scenario / Decision), kept as given.
CREATE TABLE contacts (
    id                    BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                  TEXT    NOT NULL CHECK (kind IN ('detainer', 'administrative-warrant', 'notification-request', 'information-request', 'access-request', 'assistance-request', 'property-use-request', 'fingerprint-transmission')),
    channel               TEXT    NOT NULL CHECK (channel IN ('fax', 'email', 'phone', 'in-person', 'ncic', 'portal')),
    receiving_unit        TEXT    NOT NULL,
    scenario              TEXT    NOT NULL,   -- JSON
    decision              TEXT    NOT NULL,   -- JSON, the engine's answer at that moment
    acts_done             TEXT    NOT NULL,   -- JSON array of act keys
    compliance_exception  BOOLEAN NOT NULL,
    created_by            TEXT    NOT NULL,
    created_ms            BIGINT  NOT NULL
);

-- One row per act done that the decision prohibits. No delete path.
CREATE TABLE compliance_exceptions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id    BIGINT NOT NULL REFERENCES contacts(id),
    act           TEXT   NOT NULL,
    flagged_ms    BIGINT NOT NULL,
    UNIQUE (contact_id, act)
);

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY CHECK (seq >= 0),
    time_ms     BIGINT NOT NULL,
    actor       TEXT   NOT NULL,
    action      TEXT   NOT NULL,
    object      TEXT   NOT NULL,
    detail      TEXT   NOT NULL,
    chain_hash  BYTEA  NOT NULL CHECK (length(chain_hash) = 32),
    leaf_hash   BYTEA  NOT NULL CHECK (length(leaf_hash) = 32)
);

-- One row: what LogHead::from_parts needs. Locked FOR UPDATE and updated in
-- every audited transaction.
CREATE TABLE audit_head (
    id          INT    PRIMARY KEY CHECK (id = 1),
    size        BIGINT NOT NULL CHECK (size >= 0),
    chain_head  BYTEA  NOT NULL CHECK (length(chain_head) = 32),
    frontier    BYTEA  NOT NULL            -- size.count_ones() hashes of 32 bytes, concatenated
);
INSERT INTO audit_head VALUES (1, 0, decode(repeat('00', 32), 'hex'), ''::bytea);

-- The log and the exceptions are append-only from the application's side too.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE FUNCTION compliance_exceptions_kept() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'compliance exceptions are never deleted'; END $$;
CREATE TRIGGER compliance_exceptions_no_delete BEFORE DELETE ON compliance_exceptions
    FOR EACH ROW EXECUTE FUNCTION compliance_exceptions_kept();
CREATE TRIGGER compliance_exceptions_no_truncate BEFORE TRUNCATE ON compliance_exceptions
    FOR EACH STATEMENT EXECUTE FUNCTION compliance_exceptions_kept();
