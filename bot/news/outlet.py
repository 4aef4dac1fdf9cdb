"""Which press outlet wrote an article, even when we read it on a blog that reposted it."""

from __future__ import annotations

import re
import unicodedata

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


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore")
    return " ".join(folded.decode().lower().split())


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
