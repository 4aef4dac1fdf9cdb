"""Demo data for the shell: a fictional roster, sign-up export and press articles from data/."""

from __future__ import annotations

from pathlib import Path

from bot.services import Services

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_ACTOR = "demo"


async def load_demo(services: Services, data_dir: Path = DATA_DIR) -> None:
    """Load whatever demo data the installed features use into an empty database."""
    if services.registration is not None:
        roster = data_dir / "demo" / "roster.csv"
        signups = data_dir / "demo" / "signups.csv"
        if roster.is_file():
            await services.registration.import_roster(
                roster.read_bytes(), roster.name, DEMO_ACTOR, apply=True
            )
        if signups.is_file():
            await services.registration.import_signups(
                signups.read_bytes(), signups.name, DEMO_ACTOR
            )
    if services.news is not None:
        for path in sorted((data_dir / "news").glob("*")):
            if path.suffix in {".txt", ".html"}:
                await services.news.add_file(path.read_bytes(), path.name, DEMO_ACTOR)
