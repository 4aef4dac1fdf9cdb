-- Members asking to be linked to an officer: a member not linked whose Discord username is the one
-- the roster gives an officer not linked yet. A username can pass to someone else, so the link is
-- made only when an organiser confirms (/verification); refusing deletes the request.
CREATE TABLE link_requests (
    id INTEGER PRIMARY KEY,
    officer_id INTEGER NOT NULL REFERENCES officers(id) ON DELETE CASCADE,
    discord_user_id INTEGER NOT NULL,
    requested_at TEXT NOT NULL,         -- ISO 8601, UTC
    UNIQUE (officer_id, discord_user_id)
);
CREATE INDEX link_requests_member ON link_requests(discord_user_id);
