"""Property-based tests of the pure parsers behind the commands and the feeds: whatever the text
or bytes, they answer a value or a clear, translatable error (a ``UserError`` whose sentence
the catalog has), never another exception."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from bot.news.feeds import MAX_BACKOFF, backoff, keyword_decision, parse_feed
from bot.news.periods import parse_since
from bot.news.text import load_document
from bot.reminders.models import Tier
from bot.reminders.templates import MAX_MESSAGE, NudgeTemplates, Template, nudge_values, render
from bot.reminders.when import parse_when
from bot.schedule import QuietHours, Schedule, ladder_days
from tests.trust._properties import CATALOG, clear, quick

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)

QUICK = quick(60)


# Text close to what is typed: digits, units, separators, French words, and anything else.
typed = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 hjdwms:/-.,àé'’lundimardiàdemain", max_size=30),
    st.from_regex(r"\A\s*\d{1,6}\s*(h|j|d|w|sem|jours?|heures?)?\s*\Z"),
    st.from_regex(r"\A\d{1,4}[-/]\d{1,2}[-/]\d{1,4}\Z"),
)
# Any date of the calendar, as typed (ISO or day first), far past and far future included.
any_day = st.one_of(
    st.dates(),
    st.sampled_from([date.min, date.max]),  # and the calendar's two ends
).flatmap(
    lambda d: st.sampled_from([d.isoformat(), d.strftime("%d/%m/%Y"), f"{d.isoformat()} 10:00"])
)


@QUICK
@given(st.one_of(typed, any_day))
@example("0001-01-01")  # midnight in Paris is still year 0 in UTC
@example("9999-12-31")
def test_period_parser_answers_a_start_or_a_clear_error(value: str) -> None:
    try:
        start = parse_since(value, NOW, PARIS)
    except UserError as error:
        clear(error)
        return
    assert start.tzinfo is not None
    assert start <= NOW


@QUICK
@given(st.one_of(typed, st.from_regex(r"\A\d{1,2}[:h]\d{0,2}\s*-\s*\d{1,2}[:h]\d{0,2}\Z")))
def test_quiet_hours_parse_or_refuse_clearly_and_read_back(value: str) -> None:
    try:
        quiet = QuietHours.parse(value)
    except UserError as error:
        clear(error)
        return
    assert QuietHours.parse(quiet.text) == quiet


cron_field = st.one_of(
    st.just("*"),
    st.integers(-5, 70).map(str),
    st.from_regex(r"\A\d{1,2}(-\d{1,2})?(/\d{1,2})?\Z"),
    st.sampled_from(["mon", "lun", "1-5", "*/15", "a", "", "L", "?"]),
)
cron = st.lists(cron_field, min_size=1, max_size=6).map(" ".join)


@QUICK
@given(st.one_of(typed, cron))
def test_schedule_parses_or_refuses_clearly(value: str) -> None:
    try:
        schedule = Schedule.parse(value, PARIS)
    except UserError as error:
        clear(error)
        return
    after = schedule.next_after(NOW)
    assert after > NOW
    assert Schedule.parse(schedule.text, PARIS).cron == schedule.cron


@QUICK
@given(
    st.one_of(
        typed,
        st.lists(st.integers(-3, 500), max_size=8).map(lambda xs: ",".join(map(str, xs))),
    )
)
def test_ladder_parses_or_refuses_clearly(value: str) -> None:
    try:
        days = ladder_days(value)
    except UserError as error:
        clear(error)
        return
    assert days and all(d >= 0 for d in days)
    assert len(set(days)) == len(days)


@settings(max_examples=25, derandomize=True, database=None, deadline=None)
@given(st.one_of(typed, any_day))
@example("0001-01-01 00:00")
@example("9999-12-31 23:59")
def test_one_off_time_parses_into_the_future_or_refuses_clearly(value: str) -> None:
    deadline = date(2026, 4, 30)
    try:
        moment = parse_when(value, NOW, PARIS, deadline=deadline)
    except UserError as error:
        clear(error)
        return
    assert moment > NOW
    assert moment.astimezone(PARIS).date() <= deadline


feed_like = st.one_of(
    st.binary(max_size=300),
    st.builds(
        lambda title, link, body: (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<item><title>{title}</title><link>{link}</link><description>{body}</description>"
            "</item></channel></rss>"
        ).encode("utf-8", "replace"),
        st.text(max_size=30),
        st.text(max_size=30),
        st.text(max_size=60),
    ),
)


@QUICK
@given(feed_like)
def test_feed_parser_answers_items_or_a_clear_error(body: bytes) -> None:
    try:
        feed = parse_feed(body, "https://example.org/feed.xml")
    except UserError as error:
        clear(error)
        return
    for item in feed.items:
        assert isinstance(item.title, str)


@QUICK
@given(st.text(max_size=80), st.lists(st.text(max_size=15), max_size=4))
def test_keyword_filter_decides_on_any_text(text: str, keywords: list[str]) -> None:
    keyword_decision(text, keywords)


html_like = st.one_of(
    st.binary(max_size=400),
    st.builds(
        lambda title, site, body: (
            f"<html><head><title>{title}</title>"
            f'<meta property="og:site_name" content="{site}"></head>'
            f"<body><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article></body></html>"
        ).encode("utf-8", "replace"),
        st.text(max_size=40),
        st.text(max_size=30),
        st.text(min_size=0, max_size=200),
    ),
)


@settings(max_examples=30, derandomize=True, database=None, deadline=None)
@given(html_like, st.sampled_from(["page.html", "article.txt", "x"]))
def test_article_extraction_answers_a_document_or_a_clear_error(data: bytes, name: str) -> None:
    try:
        document = load_document(data, name, "https://example.org/a")
    except UserError as error:
        clear(error)
        return
    assert isinstance(document.text, str)


# ----- nudge templates ------------------------------------------------------------------------

TEMPLATES = NudgeTemplates.defaults(CATALOG)
names = st.one_of(
    st.text(min_size=1, max_size=100),
    st.sampled_from(
        [
            "@everyone",
            "@here",
            "<@123456789012345678>",
            "<@&123456789012345678>",
            "[Confirmez](https://evil.example/phish)",
            "**Jean**",
            "`x`",
        ]
    ),
)


@QUICK
@given(
    names,
    names,
    st.sampled_from(list(Tier)),
    st.sampled_from(["fr", "en"]),
    st.integers(0, 60),
)
def test_a_nudge_fits_a_message_whatever_the_officer_s_name(
    first_name: str, department: str, tier: Tier, locale: str, days: int
) -> None:
    templates = TEMPLATES
    deadline = date(2026, 4, 30)
    values = nudge_values(
        CATALOG,
        locale,
        first_name=first_name,
        department=department,
        platform_url="https://plateforme.example/inscription",
        deadline=deadline,
        today=deadline - timedelta(days=days),
        tz=PARIS,
    )
    text = render(templates.get(tier, locale), values)
    # The channel fallback puts the officer's mention in front of the text.
    assert len(f"<@{2**63}> {text}") <= MAX_MESSAGE


markup = st.sampled_from(["[", "](https://evil.example/phish)", "@everyone", "@here", "<@1>", "**"])


@QUICK
@given(
    st.lists(st.one_of(markup, st.text(max_size=8)), min_size=1, max_size=6).map("".join),
    st.sampled_from(list(Tier)),
    st.sampled_from(["fr", "en"]),
)
def test_a_nudge_shows_the_officer_s_name_as_plain_text(
    first_name: str, tier: Tier, locale: str
) -> None:
    """A roster name is outside text: in a nudge sent in the party's name it never becomes a
    masked link, a mention or formatting."""
    deadline = date(2026, 4, 30)
    values = nudge_values(
        CATALOG,
        locale,
        first_name=f"[Confirmez](https://evil.example/phish) {first_name} @everyone <@1>",
        department="Morbihan (56)",
        platform_url="https://plateforme.example/inscription",
        deadline=deadline,
        today=deadline - timedelta(days=3),
        tz=PARIS,
    )
    text = render(TEMPLATES.get(tier, locale), values)
    assert "](https://evil" not in text.replace("\\]", "")
    # A URL is left whole so that it still leads where it says (see the test below).
    outside_urls = re.sub(r"https?://\S+", "", text)
    assert "@everyone" not in outside_urls
    assert "@here" not in outside_urls
    assert "<@1>" not in text.replace("\\<", "")


def test_everyone_glued_to_a_url_in_a_name_is_broken_too() -> None:
    values = nudge_values(
        CATALOG,
        "fr",
        first_name="https://evil.example/x)@everyone",
        department="Morbihan (56)",
        platform_url="https://plateforme.example/inscription",
        deadline=date(2026, 4, 30),
        today=date(2026, 4, 27),
        tz=PARIS,
    )
    assert "@everyone" not in values["first_name"]


@settings(max_examples=40, derandomize=True, database=None, deadline=None)
@given(
    st.integers(1700, 2000),
    st.sampled_from(["first_name", "department", "days_left"]),
    st.text(min_size=1, max_size=100),
    st.sampled_from(list(Tier)),
)
def test_a_template_accepted_at_load_fits_every_officer_in_a_channel(
    filler: int, placeholder: str, first_name: str, tier: Tier
) -> None:
    """What the loader accepts never fails later: any name the roster accepts (100 characters)
    renders, and the channel fallback (the officer's mention first) still fits a message."""
    try:
        template = Template.parse("x" * filler + "{" + placeholder + "}", tier, "fr")
    except UserError as error:
        clear(error)
        return
    deadline = date(2026, 4, 30)
    values = nudge_values(
        CATALOG,
        "fr",
        first_name=first_name + "*" * (100 - len(first_name)),
        department="Alpes-de-Haute-Provence (04)",
        platform_url="https://plateforme.example/inscription",
        deadline=deadline,
        today=deadline - timedelta(days=3),
        tz=PARIS,
    )
    text = render(template, values)
    assert len(f"<@{2**64 - 1}> {text}") <= 2000


@QUICK
@given(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(1, 24 * 60))
def test_a_failing_feed_waits_longer_each_time_up_to_the_cap(
    failures: int, more: int, poll_minutes: int
) -> None:
    """However long a feed has been failing (a dead feed fails every poll, for months)."""
    wait = backoff(failures, poll_minutes)
    assert timedelta(0) < wait <= MAX_BACKOFF
    assert backoff(failures + more, poll_minutes) >= wait


quiet_window = st.tuples(
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
    st.integers(0, 23),
    st.sampled_from([0, 30]),
).map(lambda t: f"{t[0]:02}:{t[1]:02}-{t[2]:02}:{t[3]:02}")
ZONES = [PARIS, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"), ZoneInfo("UTC")]


@QUICK
@given(
    quiet_window,
    st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(ZONES),
)
def test_a_deferred_moment_is_outside_the_quiet_hours_and_not_earlier(
    window: str, moment: datetime, tz: ZoneInfo
) -> None:
    """Daylight saving changes included (a quiet end at 02:30 does not exist on some days)."""
    try:
        quiet = QuietHours.parse(window)
    except UserError as error:
        clear(error)
        return
    deferred = quiet.defer(moment, tz)
    assert deferred >= moment
    assert not quiet.contains(deferred, tz)
    assert deferred - moment <= timedelta(hours=25)
