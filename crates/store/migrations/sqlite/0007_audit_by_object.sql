-- A record's own audit trail (who recorded, read, fulfilled, explained it),
-- shown on its page: entries are found by the object they concern.
-- Never edit this file once applied: add a new numbered migration.

CREATE INDEX audit_log_by_object ON audit_log (object, seq);
