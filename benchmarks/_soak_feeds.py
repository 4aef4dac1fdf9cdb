"""The press side of the soak: RSS feeds and article pages served on 127.0.0.1 (standard library).

Each feed ``/feed/<n>.xml`` shows ``per_poll`` more items every time it is fetched (the latest
``KEPT_ITEMS`` of them, newest first), so that every poll of the bot finds new articles; an item's
summary is short, so the bot fetches its page ``/article/<id>.html``. Pages for ``/news ajouter``
are ``/page/<id>.html``, from another part of the bundled articles. The texts are the OrangeSum
articles of ``benchmarks/data/orangesum`` (CC BY-SA 4.0, see its ``LICENSE.txt``); past their
number they come round again with a line that tells them apart.
"""

from __future__ import annotations

import html
import re
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ARTICLES = Path(__file__).resolve().parent / "data" / "orangesum" / "source_documents.txt"
KEPT_ITEMS = 20  # items a feed lists at most, as real feeds keep their latest ones
OUTLETS = ("La Gazette du Port", "Le Courrier des Monts", "L'Écho des Plaines", "Ouest Local")
FEED_ROUTE = re.compile(r"^/feed/(\d+)\.xml$")
PAGE_ROUTE = re.compile(r"^/(article|page)/(\d+)\.html$")


def load_articles(path: Path = ARTICLES) -> list[str]:
    """The bundled articles, one a line."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (a free port); also a context manager."""

    def __init__(self, *, feeds: int = 4, per_poll: int = 4) -> None:
        self.feeds = feeds
        self.per_poll = per_poll
        self.texts = load_articles()
        self.lock = threading.Lock()
        self.fetches: Counter[str] = Counter()  # "feed", "article", "page", "missing"
        self._served_items = [0] * feeds
        self._pages = 0
        self._started = datetime.now(UTC)
        server = self
        # Feed items take the first half of the articles, /news ajouter pages the second half.
        self._half = len(self.texts) // 2

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._answer(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def feed_urls(self) -> list[str]:
        return [f"{self.base}/feed/{n}.xml" for n in range(self.feeds)]

    def next_page_url(self) -> str:
        """A page not given before, for ``/news ajouter lien:``."""
        with self.lock:
            self._pages += 1
            return f"{self.base}/page/{self._pages}.html"

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ----- content
    def _text(self, kind: str, number: int) -> tuple[str, str, str]:
        """(title, outlet, body paragraphs) of an article or a page."""
        half = self._half
        offset = 0 if kind == "article" else half
        text = self.texts[offset + number % half]
        sentences = re.split(r"(?<=[.!?])\s+", text)
        title = " ".join(sentences[0].split()[:14]).rstrip(".,;:") or f"Article {number}"
        round_ = number // half
        if round_:
            sentences.insert(0, f"Édition {round_ + 1}, mise à jour numéro {number}.")
            title = f"{title} ({round_ + 1})"
        outlet = OUTLETS[number % len(OUTLETS)]
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        return title, outlet, "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)

    def _page(self, kind: str, number: int) -> bytes:
        title, outlet, body = self._text(kind, number)
        return (
            "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>"
            f"<meta property='og:site_name' content='{html.escape(outlet, quote=True)}'>"
            f"</head><body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>"
        ).encode()

    def _feed(self, feed: int) -> bytes:
        with self.lock:
            self._served_items[feed] += self.per_poll
            shown = self._served_items[feed]
        items = []
        for index in range(shown - 1, max(shown - KEPT_ITEMS, 0) - 1, -1):
            number = index * self.feeds + feed
            title, _, _ = self._text("article", number)
            when = format_datetime(self._started + timedelta(minutes=index))
            link = f"{self.base}/article/{number}.html"
            items.append(
                f"<item><title>{html.escape(title)}</title><link>{link}</link>"
                f"<guid>{link}</guid><pubDate>{when}</pubDate>"
                f"<description>{html.escape(title)}</description></item>"
            )
        return (
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{html.escape(OUTLETS[feed % len(OUTLETS)])}</title>"
            f"<link>{self.base}/</link><description>Flux {feed}</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        if (match := FEED_ROUTE.match(path)) and int(match[1]) < self.feeds:
            kind, body, content_type = "feed", self._feed(int(match[1])), "application/rss+xml"
        elif match := PAGE_ROUTE.match(path):
            kind, content_type = match[1], "text/html; charset=utf-8"
            body = self._page(match[1], int(match[2]))
        else:
            kind, body, content_type = "missing", b"not found", "text/plain"
        with self.lock:
            self.fetches[kind] += 1
        handler.send_response(404 if kind == "missing" else 200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
