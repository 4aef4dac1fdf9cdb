-- Incremental registration work: a revision of the sign-ups alone (a cached index of them stays
-- valid while officers change), and the undo of the last import kept as what it changes rather
-- than whole copies of the tables.

ALTER TABLE registration_revision ADD COLUMN signups INTEGER NOT NULL DEFAULT 0;

-- JSON {"signups": id, "status_history": id}: the highest ids before the import, when the
-- import_before_* tables hold only the rows it changed (every officer and rejection, the
-- sign-ups it updated, the history of the officers it removed). NULL: whole copies (older
-- imports).
ALTER TABLE registration_imports ADD COLUMN undo_marks TEXT;

-- The last sign-up file imported (a digest of its bytes and of how it was read) and the sign-ups
-- revision it left: the same file again, the sign-ups unchanged since, changes nothing.
ALTER TABLE registration_revision ADD COLUMN signups_file TEXT;
ALTER TABLE registration_revision ADD COLUMN signups_file_at INTEGER;

-- An undo puts rows back by id; a sign-up removed sets to NULL what refers to it.
CREATE INDEX import_before_officers_id ON import_before_officers(id);
CREATE INDEX import_before_signups_id ON import_before_signups(id);
CREATE INDEX officers_signup ON officers(signup_id);
CREATE INDEX status_history_signup ON status_history(signup_id);
