-- Reminders: the campaigns, their delivery ledger, closed DMs, exemptions, snoozes and settings
-- changed at run time. Times are ISO 8601 in UTC.
CREATE TABLE reminder_campaigns (
    id INTEGER PRIMARY KEY,
    step_days INTEGER NOT NULL,          -- the ladder step, days before the deadline
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL,            -- discord:<id>, schedule, cli
    state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'done')),
    label TEXT NOT NULL DEFAULT '',      -- '' or 'late' (a scheduled run made after its time)
    finished_at TEXT
);

CREATE TABLE reminder_deliveries (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES reminder_campaigns (id) ON DELETE CASCADE,
    officer_key TEXT NOT NULL,
    first_name TEXT NOT NULL,
    department TEXT NOT NULL,
    locale TEXT NOT NULL,
    step_days INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('dm', 'channel', 'unreachable')),
    discord_user_id INTEGER,
    channel_id INTEGER,                  -- the department channel, when sent there
    fallback_channel_id INTEGER,         -- where a refused DM goes instead
    nonce TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed')),
    failure TEXT,
    message_id INTEGER,
    sent_at TEXT,
    fallback INTEGER NOT NULL DEFAULT 0  -- 1: the DM was refused and the channel was used
);
CREATE INDEX reminder_deliveries_campaign ON reminder_deliveries (campaign_id, state);
CREATE INDEX reminder_deliveries_officer ON reminder_deliveries (officer_key, step_days);

CREATE TABLE reminder_closed_dms (
    discord_user_id INTEGER PRIMARY KEY,
    since TEXT NOT NULL
);

CREATE TABLE reminder_exemptions (
    officer_key TEXT PRIMARY KEY,
    until TEXT NOT NULL,                 -- a date, YYYY-MM-DD, included
    reason TEXT NOT NULL,
    by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE reminder_snoozes (
    id INTEGER PRIMARY KEY,
    officer_key TEXT NOT NULL,
    until TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX reminder_snoozes_officer ON reminder_snoozes (officer_key);

CREATE TABLE reminder_settings (
    name TEXT PRIMARY KEY,               -- 'schedule': the cron set with /relance calendrier
    value TEXT NOT NULL
);
