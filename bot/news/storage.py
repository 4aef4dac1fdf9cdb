"""Press articles, feeds and feed items: the only module that speaks SQL for the news feature.

Rows come back as the domain types of :mod:`bot.news.models`, one per table.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from typing import Any

from bot.news.digest import DigestSnapshot
from bot.news.language import Language
from bot.news.models import (
    Analysis,
    Article,
    Document,
    Entities,
    FeedItemRecord,
    FeedState,
    Figure,
    KeywordDecision,
    Message,
    OutletStat,
    Quote,
    Tone,
    ToneLabel,
)
from bot.storage.database import Database, Transaction

_ARTICLE_COLUMNS = (
    "id, source, url, title, outlet, site_name, author, published, language, body, analysis, "
    "signature, story_id, added_at"
)


def analysis_to_json(analysis: Analysis) -> str:
    return json.dumps(
        {
            "language": analysis.language,
            "sentences": list(analysis.sentences),
            "summary": list(analysis.summary),
            "figures": [[f.value, f.text, f.sentence] for f in analysis.figures],
            "quotes": [[q.text, q.speaker, q.sentence] for q in analysis.quotes],
            "people": list(analysis.entities.people),
            "organisations": list(analysis.entities.organisations),
            "tone": [analysis.tone.label, analysis.tone.score, list(analysis.tone.evidence)],
        },
        ensure_ascii=False,
    )


def analysis_from_json(text: str) -> Analysis:
    data: dict[str, Any] = json.loads(text)
    label, score, evidence = data["tone"]
    return Analysis(
        language=Language(data["language"]),
        sentences=tuple(data["sentences"]),
        summary=tuple(data["summary"]),
        figures=tuple(Figure(float(v), t, s) for v, t, s in data["figures"]),
        quotes=tuple(Quote(t, sp, s) for t, sp, s in data["quotes"]),
        entities=Entities(tuple(data["people"]), tuple(data["organisations"])),
        tone=Tone(ToneLabel(label), float(score), tuple(evidence)),
    )


def _article(row: sqlite3.Row) -> Article:
    document = Document(
        title=row["title"],
        text=row["body"],
        language=Language(row["language"]),
        outlet=row["outlet"],
        site_name=row["site_name"],
        author=row["author"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        url=row["url"],
    )
    return Article(
        id=row["id"],
        source=row["source"],
        document=document,
        analysis=analysis_from_json(row["analysis"]),
        added_at=datetime.fromisoformat(row["added_at"]),
        story_id=row["story_id"],
        fingerprint=tuple(json.loads(row["signature"])),
    )


def _feed_item(row: sqlite3.Row) -> FeedItemRecord:
    reason: dict[str, Any] = json.loads(row["reason"])
    return FeedItemRecord(
        feed_url=row["feed_url"],
        guid=row["guid"],
        link=row["link"],
        title=row["title"],
        decision=KeywordDecision(bool(row["kept"]), reason["key"], dict(reason["params"])),
        article_id=row["article_id"],
        seen_at=datetime.fromisoformat(row["seen_at"]),
    )


# A failure stored before reasons kept their parameters: only its catalog key is known.
UNRECORDED_ERROR = "news.feed.error_unrecorded"


def _message_payload(message: Message) -> dict[str, Any]:
    params = {
        name: {"message": _message_payload(value)} if isinstance(value, Message) else value
        for name, value in message.params.items()
    }
    return {"key": message.key, "params": params}


def _message_json(message: Message | None) -> str | None:
    """A message as JSON; a parameter that is itself a message is kept as one."""
    if message is None:
        return None
    return json.dumps(_message_payload(message), ensure_ascii=False, default=str)


def _message_from(data: dict[str, Any]) -> Message:
    params = {
        name: _message_from(value["message"])
        if isinstance(value, dict) and set(value) == {"message"}
        else value
        for name, value in dict(data["params"]).items()
    }
    return Message(data["key"], params)


def _message(value: str | None) -> Message | None:
    if not value:
        return None
    if not value.startswith("{"):  # a bare key: its parameters were never stored
        return Message(UNRECORDED_ERROR)
    return _message_from(json.loads(value))


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class NewsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # --- articles ---------------------------------------------------------------------------

    @staticmethod
    async def insert_article(
        tx: Transaction,
        *,
        source: str,
        document: Document,
        analysis: Analysis,
        signature: tuple[int, ...],
        content_hash: str,
        story_id: int | None,
        added_by: str,
        added_at: datetime,
    ) -> int:
        """Insert inside the caller's transaction; a new story takes the article's own id."""
        article_id = await tx.insert(
            "INSERT INTO news_articles (source, url, title, outlet, site_name, author, published, "
            "language, body, analysis, signature, content_hash, story_id, added_by, added_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (
                source,
                document.url,
                document.title,
                document.outlet,
                document.site_name,
                document.author,
                document.published.isoformat() if document.published else None,
                document.language,
                document.text,
                analysis_to_json(analysis),
                json.dumps(list(signature)),
                content_hash,
                added_by,
                added_at.isoformat(),
            ),
        )
        await tx.execute(
            "UPDATE news_articles SET story_id = ? WHERE id = ?",
            (story_id or article_id, article_id),
        )
        return article_id

    async def id_by_hash(self, content_hash: str) -> int | None:
        row = await self._db.fetchone(
            "SELECT id FROM news_articles WHERE content_hash = ?", (content_hash,)
        )
        return int(row["id"]) if row else None

    async def signatures(self) -> list[tuple[int, int, tuple[int, ...]]]:
        """(article id, story id, signature) of every article."""
        rows = await self._db.fetchall("SELECT id, story_id, signature FROM news_articles")
        return [(r["id"], r["story_id"], tuple(json.loads(r["signature"]))) for r in rows]

    async def get(self, article_id: int) -> Article | None:
        row = await self._db.fetchone(
            f"SELECT {_ARTICLE_COLUMNS} FROM news_articles WHERE id = ?", (article_id,)
        )
        return _article(row) if row else None

    async def list_articles(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        outlet: str | None = None,
        limit: int = -1,
        offset: int = 0,
    ) -> list[Article]:
        """Articles added in [since, until), newest first, of one ``outlet`` if given."""
        where, params = self._filters(since, until, outlet)
        rows = await self._db.fetchall(
            f"SELECT {_ARTICLE_COLUMNS} FROM news_articles {where} "
            "ORDER BY added_at DESC, id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_article(r) for r in rows]

    async def story(self, story_id: int) -> list[Article]:
        rows = await self._db.fetchall(
            f"SELECT {_ARTICLE_COLUMNS} FROM news_articles WHERE story_id = ? ORDER BY id",
            (story_id,),
        )
        return [_article(r) for r in rows]

    async def count(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        outlet: str | None = None,
    ) -> int:
        where, params = self._filters(since, until, outlet)
        row = await self._db.fetchone(f"SELECT COUNT(*) FROM news_articles {where}", params)
        return int(row[0]) if row else 0

    @staticmethod
    def _filters(
        since: datetime | None, until: datetime | None, outlet: str | None
    ) -> tuple[str, list[str]]:
        clauses: list[str] = []
        params: list[str] = []
        if since is not None:
            clauses.append("added_at >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("added_at < ?")
            params.append(until.isoformat())
        if outlet:
            clauses.append("outlet = ?")
            params.append(outlet)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    async def outlets(self) -> list[OutletStat]:
        """Every outlet with its articles, most first (None: articles whose outlet is unknown)."""
        rows = await self._db.fetchall(
            "SELECT outlet, COUNT(*) AS n, MAX(added_at) AS last FROM news_articles "
            "GROUP BY outlet ORDER BY n DESC, outlet IS NULL, outlet"
        )
        return [OutletStat(r["outlet"], r["n"], datetime.fromisoformat(r["last"])) for r in rows]

    @staticmethod
    async def delete_article(tx: Transaction, article_id: int) -> int:
        return await tx.execute("DELETE FROM news_articles WHERE id = ?", (article_id,))

    @staticmethod
    async def delete_outlet(tx: Transaction, outlet: str) -> int:
        return await tx.execute("DELETE FROM news_articles WHERE outlet = ?", (outlet,))

    # --- digests posted ---------------------------------------------------------------------

    @staticmethod
    async def record_digest(
        tx: Transaction,
        kind: str,
        outlet: str | None,
        posted_at: datetime,
        snapshot: DigestSnapshot,
    ) -> int:
        return await tx.insert(
            "INSERT INTO news_digests (kind, outlet, posted_at, period_start, period_end, "
            "snapshot) VALUES (?, ?, ?, ?, ?, ?)",
            (
                kind,
                outlet,
                posted_at.isoformat(),
                snapshot.start.isoformat(),
                snapshot.end.isoformat(),
                snapshot.to_json(),
            ),
        )

    async def last_digest(self, kinds: tuple[str, ...]) -> DigestSnapshot | None:
        """The snapshot of the last digest of one of ``kinds`` covering every outlet."""
        marks = ", ".join("?" * len(kinds))
        row = await self._db.fetchone(
            f"SELECT snapshot FROM news_digests WHERE kind IN ({marks}) AND outlet IS NULL "
            "ORDER BY posted_at DESC, id DESC LIMIT 1",
            kinds,
        )
        return DigestSnapshot.from_json(row["snapshot"]) if row else None

    # --- feeds ------------------------------------------------------------------------------

    async def feed(self, url: str) -> FeedState:
        row = await self._db.fetchone("SELECT * FROM news_feeds WHERE url = ?", (url,))
        if row is None:
            return FeedState(url)
        return FeedState(
            url=row["url"],
            etag=row["etag"],
            last_modified=row["last_modified"],
            failures=row["failures"],
            next_attempt=_dt(row["next_attempt"]),
            last_error=_message(row["last_error"]),
            last_polled=_dt(row["last_polled"]),
            disabled_at=_dt(row["disabled_at"]),
        )

    async def feeds(self) -> list[FeedState]:
        rows = await self._db.fetchall("SELECT url FROM news_feeds ORDER BY url")
        return [await self.feed(r["url"]) for r in rows]

    @staticmethod
    async def save_feed(tx: Transaction, state: FeedState) -> None:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        await tx.execute(
            "INSERT INTO news_feeds (url, etag, last_modified, failures, next_attempt, last_error, "
            "last_polled, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, failures = excluded.failures, "
            "next_attempt = excluded.next_attempt, last_error = excluded.last_error, "
            "last_polled = excluded.last_polled, disabled_at = excluded.disabled_at",
            (
                state.url,
                state.etag,
                state.last_modified,
                state.failures,
                iso(state.next_attempt),
                _message_json(state.last_error),
                iso(state.last_polled),
                iso(state.disabled_at),
            ),
        )

    async def item_decisions(self) -> dict[str, tuple[int, int]]:
        """Per feed: how many items the keyword filter kept and dropped."""
        rows = await self._db.fetchall(
            "SELECT feed_url, SUM(kept) AS kept, SUM(1 - kept) AS dropped "
            "FROM news_feed_items GROUP BY feed_url"
        )
        return {r["feed_url"]: (int(r["kept"]), int(r["dropped"])) for r in rows}

    async def seen_guids(self, feed_url: str) -> set[str]:
        rows = await self._db.fetchall(
            "SELECT guid FROM news_feed_items WHERE feed_url = ?", (feed_url,)
        )
        return {r["guid"] for r in rows}

    @staticmethod
    async def record_item(tx: Transaction, item: FeedItemRecord) -> None:
        reason = {"key": item.decision.key, "params": item.decision.params}
        await tx.execute(
            "INSERT OR REPLACE INTO news_feed_items (feed_url, guid, link, title, kept, reason, "
            "article_id, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.feed_url,
                item.guid,
                item.link,
                item.title,
                int(item.decision.kept),
                json.dumps(reason, ensure_ascii=False),
                item.article_id,
                item.seen_at.isoformat(),
            ),
        )

    async def feed_items(self, feed_url: str) -> list[FeedItemRecord]:
        rows = await self._db.fetchall(
            "SELECT feed_url, guid, link, title, kept, reason, article_id, seen_at "
            "FROM news_feed_items WHERE feed_url = ? ORDER BY seen_at, guid",
            (feed_url,),
        )
        return [_feed_item(r) for r in rows]
