-- Registration at national scale (tens of thousands of officers): look-ups by key and by Discord
-- username as the queries write them (case-insensitive), and autocomplete in name order.

-- officer(key): "key = ? COLLATE NOCASE" cannot use the UNIQUE index, which compares bytes.
CREATE INDEX officers_key_nocase ON officers(key COLLATE NOCASE);

-- officer_by_username: the caller's own status before their Discord id is linked. The query also
-- asks "discord_user_id IS NULL": with the id in this index, SQLite prefers it to the UNIQUE index on
-- the id, where the unlinked officers (most of them) all share NULL.
CREATE INDEX officers_discord_username
    ON officers(discord_username COLLATE NOCASE, discord_user_id);

-- search and autocomplete: walked in the order of the answer, the filter read from the index
-- itself, so that a common prefix stops after the first page of matches instead of sorting the
-- whole roster; autocomplete reads nothing else (key, names and department are all here).
CREATE INDEX officers_name_search
    ON officers(last_name, first_name, key, department, search_text);
