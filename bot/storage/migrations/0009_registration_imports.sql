-- Registration imports: every roster or sign-up import (when, who, which file, what changed), and
-- the registration data as they were just before the last one, so that it can be undone exactly.

CREATE TABLE registration_imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('roster', 'signups')),
    at TEXT NOT NULL,                   -- ISO 8601, UTC
    actor TEXT NOT NULL,
    filename TEXT NOT NULL,
    rows INTEGER NOT NULL,
    summary TEXT NOT NULL,              -- JSON: counts of what changed
    undoable INTEGER NOT NULL DEFAULT 0, -- 1 for the import the import_before_* tables precede
    undone_at TEXT,
    undone_by TEXT
);
CREATE INDEX registration_imports_kind ON registration_imports(kind, id);

-- The tables as they were before the last import (same columns, same order: a migration that adds
-- a column to one of the four tables adds it here too).
CREATE TABLE import_before_signups AS SELECT * FROM signups WHERE 0;
CREATE TABLE import_before_officers AS SELECT * FROM officers WHERE 0;
CREATE TABLE import_before_status_history AS SELECT * FROM status_history WHERE 0;
CREATE TABLE import_before_rejected_matches AS SELECT * FROM rejected_matches WHERE 0;
