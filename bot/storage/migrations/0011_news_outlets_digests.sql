-- Press coverage: every article names its outlet, and the digests posted are remembered.

-- Articles stored before outlets were always named (a link or a feed item whose page named no
-- outlet) take their site's domain, as new ones do: "https://www.exemple.fr:8080/a" → "exemple.fr".
CREATE TEMP TABLE news_outlet_backfill AS
    SELECT id, lower(substr(url, instr(url, '://') + 3)) AS host
    FROM news_articles
    WHERE (outlet IS NULL OR trim(outlet) = '') AND url LIKE '%://%';
UPDATE news_outlet_backfill SET host = substr(host, 1, instr(host, '/') - 1)
    WHERE instr(host, '/') > 0;
UPDATE news_outlet_backfill SET host = substr(host, 1, instr(host, '?') - 1)
    WHERE instr(host, '?') > 0;
UPDATE news_outlet_backfill SET host = substr(host, 1, instr(host, '#') - 1)
    WHERE instr(host, '#') > 0;
UPDATE news_outlet_backfill SET host = substr(host, instr(host, '@') + 1)
    WHERE instr(host, '@') > 0;
UPDATE news_outlet_backfill SET host = substr(host, 1, instr(host, ':') - 1)
    WHERE instr(host, ':') > 0 AND host NOT LIKE '[%';
UPDATE news_outlet_backfill SET host = substr(host, 5) WHERE host LIKE 'www.%';
UPDATE news_articles
    SET outlet = (SELECT host FROM news_outlet_backfill b WHERE b.id = news_articles.id)
    WHERE id IN (SELECT id FROM news_outlet_backfill WHERE host <> '');
DROP TABLE news_outlet_backfill;
UPDATE news_articles SET outlet = NULL WHERE trim(outlet) = '';
CREATE INDEX news_articles_outlet ON news_articles(outlet);

-- The digests posted (scheduled to NEWS_CHANNEL_ID, or /news synthese answered publicly): what
-- each covered, so that the next one says what changed since.
CREATE TABLE news_digests (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'command')),
    outlet TEXT,                       -- the one outlet it was limited to, if any
    posted_at TEXT NOT NULL,           -- ISO 8601, UTC
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    snapshot TEXT NOT NULL             -- JSON: bot.news.digest.DigestSnapshot
);
CREATE INDEX news_digests_kind ON news_digests(kind, id);
