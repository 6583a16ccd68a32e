-- Audit entries of format 2 commit to the content of the record they
-- concern (trustgate_audit::State): the SHA-256 digest of the record's
-- canonical content as the entry left it ('after'), as it read it ('read'),
-- or of what a list or report returned ('returned'); 'none' for entries
-- about no one record. The digest is part of the entry's hashed bytes.
-- Entries written before this migration are format 1: their columns stay
-- NULL and their bytes unchanged, so the log still verifies.
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE audit_log ADD COLUMN format BIGINT NOT NULL DEFAULT 1 CHECK (format IN (1, 2));
ALTER TABLE audit_log ADD COLUMN state  TEXT CHECK (state IN ('none', 'after', 'read', 'returned'));
ALTER TABLE audit_log ADD COLUMN record TEXT;
ALTER TABLE audit_log ADD COLUMN digest BYTEA CHECK (digest IS NULL OR length(digest) = 32);

-- A record's digest is computed from all its rows, found by the record:
-- by the writer after each change, and by `audit verify` for every record.
CREATE INDEX reimbursements_by_contact ON reimbursements (contact_id, id);
CREATE INDEX exception_explanations_by_exception ON exception_explanations (exception_id, id);
