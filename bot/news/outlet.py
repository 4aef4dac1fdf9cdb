"""Which press outlet wrote an article, even when we read it on a blog that reposted it.

An article's outlet is the one name every command uses (``/news liste``, ``sources``,
``synthese source:``, ``retirer cible:``): the outlet the page credits or its metadata names
(og:site_name, the publisher), else the feed's title, else the site's domain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

# Outlets recognised when a page names them on a line of their own or after "Source :".
KNOWN_OUTLETS: tuple[str, ...] = (
    "Le Parisien",
    "Aujourd'hui en France",
    "Le Monde",
    "Le Figaro",
    "Libération",
    "L'Express",
    "Le Point",
    "L'Obs",
    "Le Nouvel Observateur",
    "Les Echos",
    "La Croix",
    "L'Humanité",
    "Marianne",
    "Mediapart",
    "Rue89",
    "20 Minutes",
    "Ouest-France",
    "Sud Ouest",
    "La Dépêche du Midi",
    "Le Progrès",
    "La Voix du Nord",
    "Le Dauphiné libéré",
    "Le Télégramme",
    "Le Journal du Dimanche",
    "Le Canard enchaîné",
    "Europe 1",
    "RTL",
    "France Inter",
    "France Info",
    "Franceinfo",
    "BFMTV",
    "LCI",
    "TF1",
    "France 2",
    "France 3",
    "France 24",
    "AFP",
    "Reuters",
    "Associated Press",
    "Le HuffPost",
    "Slate",
    "Challenges",
    "L'Opinion",
    "Métro",
    "BBC",
    "BBC News",
    "The Guardian",
    "The Times",
    "Financial Times",
    "The New York Times",
    "The Washington Post",
    "The Independent",
    "The Telegraph",
    "CNN",
    "Politico",
    "Bloomberg",
    # The demo outlets shipped in bot/data/news/.
    "La Gazette du Val",
    "Le Courrier Civique",
    "Numérique Hebdo",
    "The Civic Ledger",
)

_SOURCE = re.compile(
    r"(?:^|[\s(\[])(?:source|sources|article paru dans|paru dans|publié dans|first published (?:in|by)|"
    r"originally published (?:in|by)|via)\s*:?\s*(?P<name>[A-ZÀ-Ý][\w'’ .-]{1,40}?)\s*(?:[).,\]]|$)",
    re.IGNORECASE | re.MULTILINE,
)


# Separators between a feed's outlet and the rest of its title: "Le Monde - À la une".
_TITLE_PARTS = re.compile(r"\s+[-–—|:·]\s+|\s*:\s+")


def outlet_key(name: str) -> str:
    """A name as compared with others: accents, case, apostrophes and spacing ignored."""
    folded = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore")
    return " ".join(folded.decode().lower().split())


_key = outlet_key
_BY_KEY = {_key(name): name for name in KNOWN_OUTLETS}


def known_outlet(line: str) -> str | None:
    """The outlet if ``line`` is only an outlet's name (with optional punctuation or "©")."""
    cleaned = line.strip(" \t-–—|©()[].:")
    return _BY_KEY.get(_key(cleaned))


def outlet_named_in(text: str) -> str | None:
    """An outlet that the text credits explicitly: "Source : Le Parisien", "(Le Parisien)"."""
    for match in _SOURCE.finditer(text):
        name = match.group("name").strip()
        found = known_outlet(name)
        if found:
            return found
    for name in KNOWN_OUTLETS:
        if re.search(r"\(\s*" + re.escape(name) + r"\s*\)", text):
            return name
    return None


def site_from_host(host: str | None) -> str | None:
    """A readable site name from a host name: ``www.leparisien.fr`` → ``leparisien.fr``."""
    if not host:
        return None
    host = host.lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


def site_of_url(url: str | None) -> str | None:
    """The readable site name of a URL's host (see :func:`site_from_host`)."""
    if not url:
        return None
    try:
        return site_from_host(urlsplit(url).hostname)
    except ValueError:
        return None


def outlet_from_feed_title(title: str | None) -> str | None:
    """The outlet a feed's title names: a known outlet in it, else its first part
    ("Le Courrier Civique - Politique" → "Le Courrier Civique"); None for an empty title."""
    if not title or not title.strip():
        return None
    parts = [p.strip() for p in _TITLE_PARTS.split(title.strip()) if p.strip()]
    for part in parts:
        if found := known_outlet(part):
            return found
    return parts[0][:100] if parts else None


def names_the_domain(outlet: str | None, url: str | None) -> bool:
    """Whether ``outlet`` is only the URL's host ("www.exemple.fr", "exemple.fr:8080")."""
    if not outlet or not url:
        return False
    try:
        parts = urlsplit(url)
        hosts = {parts.netloc, parts.hostname or ""}
    except ValueError:
        return False
    hosts |= {h.removeprefix("www.") for h in hosts}
    return outlet.strip().lower().removeprefix("www.") in {h.lower() for h in hosts if h}


def readable_outlet(outlet: str | None, url: str | None) -> str | None:
    """An outlet that is only the domain, as people write a site: no "www.", no port."""
    return site_of_url(url) if names_the_domain(outlet, url) else outlet


def feed_item_outlet(outlet: str | None, url: str | None, feed_title: str | None) -> str | None:
    """A feed item's outlet: the page's own (credit or metadata) when it has one, else the
    feed's title, else the domain it was read on."""
    by_domain = outlet is None or names_the_domain(outlet, url)
    if by_domain and (from_feed := outlet_from_feed_title(feed_title)):
        return from_feed
    return readable_outlet(outlet, url)


def resolve_outlet(wanted: str, known: Sequence[str]) -> str | None:
    """The one outlet of ``known`` that ``wanted`` names: the same name (accents and case
    ignored), else the only one whose name contains it; None when none or several do."""
    key = outlet_key(wanted)
    if not key:
        return None
    for name in known:
        if outlet_key(name) == key:
            return name
    containing = [name for name in known if key in outlet_key(name)]
    return containing[0] if len(containing) == 1 else None
