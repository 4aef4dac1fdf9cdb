-- Reminders: what the bot learns of each Discord user it nudges. The language of their last
-- interaction with the bot (Discord gives a user's locale only then), so that their next nudges
-- are in it; and the DM channel once opened, so that a resume or a later campaign opens none again.
CREATE TABLE reminder_locales (
    discord_user_id INTEGER PRIMARY KEY,
    locale TEXT NOT NULL CHECK (locale IN ('fr', 'en')),
    seen_at TEXT NOT NULL
);

CREATE TABLE reminder_dm_channels (
    discord_user_id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL
);
