-- Press coverage: articles with their analysis, feeds with their polling state, feed items seen.
CREATE TABLE news_articles (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,              -- "link", "file", "demo" or "feed:<feed url>"
    url TEXT,                          -- the page read (after redirects), if any
    title TEXT NOT NULL,
    outlet TEXT,                       -- the outlet that wrote it (kept across reposts)
    site_name TEXT,                    -- the site it was read on, when different
    author TEXT,
    published TEXT,                    -- YYYY-MM-DD, if known
    language TEXT NOT NULL CHECK (language IN ('fr', 'en')),
    body TEXT NOT NULL,
    analysis TEXT NOT NULL,            -- JSON: summary, figures, quotes, entities, tone
    signature TEXT NOT NULL,           -- JSON: MinHash signature for near-copy detection
    content_hash TEXT NOT NULL UNIQUE, -- SHA-256 of the normalised body: exact copies stored once
    story_id INTEGER NOT NULL,         -- copies of one story share the id of its first article
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL             -- ISO 8601, UTC
);
CREATE INDEX news_articles_added_at ON news_articles(added_at);
CREATE INDEX news_articles_source ON news_articles(source);
CREATE INDEX news_articles_story ON news_articles(story_id);

CREATE TABLE news_feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT,                 -- ISO 8601, UTC; NULL: at the next poll
    last_error TEXT,                   -- catalog key of the last failure
    last_polled TEXT,
    disabled_at TEXT                   -- set after too many failures in a row
);

CREATE TABLE news_feed_items (
    feed_url TEXT NOT NULL,
    guid TEXT NOT NULL,
    link TEXT,
    title TEXT NOT NULL,
    kept INTEGER NOT NULL,             -- 1 kept by the keyword filter, 0 dropped
    reason TEXT NOT NULL,              -- JSON: catalog key and parameters of the decision
    article_id INTEGER REFERENCES news_articles(id) ON DELETE SET NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (feed_url, guid)
);
