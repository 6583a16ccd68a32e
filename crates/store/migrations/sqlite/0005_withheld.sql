-- Why part of what a contact gave ICE cannot be publicly disclosed, if it
-- cannot (2.129.060 (e)): a key of trustgate_report::WITHHOLDING_GROUNDS
-- (investigatory, statute, privacy: G.L. c. 4, § 7, cl. 26). Such a record
-- leaves (e)'s total and is counted under its ground instead.
-- Never edit this file once applied: add a new numbered migration.

ALTER TABLE contacts ADD COLUMN withheld TEXT;
