-- Who did the acts a contact records, when that is not who records it (a
-- badge number or a unit: staff, not the person the contact is about).
-- Personal data of a contact (name, date of birth, address), sealed with the
-- operator's data key (XChaCha20-Poly1305; the key never enters the
-- database). The key's id is kept beside the ciphertext for rotation.
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE contacts ADD COLUMN person_key TEXT;
ALTER TABLE contacts ADD COLUMN person_sealed BLOB;
ALTER TABLE contacts ADD COLUMN done_by TEXT;

-- An account an administrator has disabled (staff who left): it cannot sign
-- in, its sessions end, and it is kept for the audit log's sake.
ALTER TABLE accounts ADD COLUMN disabled_ms INTEGER;

-- When an obligation falls due, if the recorder knows (a release time, say);
-- the law's own words stay in `due`.
ALTER TABLE obligations ADD COLUMN due_ms INTEGER;
CREATE INDEX obligations_open_by_due ON obligations (due_ms) WHERE fulfilled_ms IS NULL;
