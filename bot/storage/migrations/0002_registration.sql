-- Registration: the officers' roster, the platform's sign-ups, each officer's status and its history.

CREATE TABLE signups (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,           -- the platform's id, else the normalised e-mail
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    department TEXT,                    -- INSEE code from the postcode; NULL when unknown
    signed_up_at TEXT,                  -- ISO 8601, UTC
    imported_at TEXT NOT NULL
);

CREATE TABLE officers (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,           -- the roster's identifier (or one derived from the name)
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL,           -- INSEE code
    email TEXT NOT NULL DEFAULT '',
    discord_user_id INTEGER UNIQUE,
    discord_username TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '', -- folded name, key and department, for autocomplete
    status TEXT NOT NULL DEFAULT 'unregistered'
        CHECK (status IN ('registered', 'probable', 'self_declared', 'unregistered')),
    status_since TEXT,                  -- when the current status became true; NULL: never changed
    status_source TEXT NOT NULL DEFAULT '',
    status_actor TEXT NOT NULL DEFAULT '',
    signup_id INTEGER REFERENCES signups(id) ON DELETE SET NULL,
    confidence REAL NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT 'none',
    self_declared_at TEXT,
    confirmed_at TEXT,                  -- an organiser said yes
    confirmed_by TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX officers_department ON officers(department, status);

CREATE TABLE status_history (
    id INTEGER PRIMARY KEY,
    officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
    effective_at TEXT NOT NULL,         -- when it became true (the sign-up date when known)
    recorded_at TEXT NOT NULL,
    status TEXT NOT NULL,
    previous TEXT NOT NULL,
    source TEXT NOT NULL,               -- signups | review | self | roster
    actor TEXT NOT NULL,
    signup_id INTEGER REFERENCES signups(id) ON DELETE SET NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX status_history_officer ON status_history(officer_id, effective_at);
CREATE INDEX status_history_effective ON status_history(effective_at);

CREATE TABLE rejected_matches (
    officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
    signup_id INTEGER NOT NULL REFERENCES signups(id) ON DELETE CASCADE,
    rejected_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (officer_id, signup_id)
);
