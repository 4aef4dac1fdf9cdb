-- Registration data changes: a number moved by every transaction that writes the roster, sign-ups,
-- statuses or rejections, so that a cache of what is read from them (the figures of /progression)
-- can tell it is stale by reading one row, whichever process wrote.

CREATE TABLE registration_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO registration_revision (id, revision) VALUES (1, 0);
