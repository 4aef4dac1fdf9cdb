"""/verification's buttons read what waits when they are clicked: the views keep keys, not matches."""

from __future__ import annotations

from bot.registration.models import ReviewDecision
from tests.support.review import add_strong_probable


async def test_a_match_answered_by_someone_else_meanwhile_is_passed_over(demo):
    service = demo.bot.services.registration
    overview = await service.review_overview()
    items = [i.officer for g in overview.groups for i in g.items]
    assert len(items) >= 3
    result = await demo.invoke("/verification")
    started = await demo.sandbox.click(result.message, "review:start", as_member="alice")
    # another organiser answers the second match while the first is on screen
    await service.review(items[1].officer.key, ReviewDecision.REJECT, "discord:2")
    skipped = await demo.sandbox.click(started.messages[-1], "review:skip", as_member="alice")
    embed = skipped.messages[-1].embeds[0]
    assert embed["title"] == demo.bot.catalog.t(
        "reg.ui.review_title",
        "fr",
        index=3,
        count=overview.total,
        name=items[2].officer.full_name,
        department=items[2].department.label,
    )


async def test_the_overview_reads_the_matches_again_when_the_review_starts(demo):
    service = demo.bot.services.registration
    overview = await service.review_overview()
    first = overview.groups[0].items[0].officer
    result = await demo.invoke("/verification")
    await service.review(first.officer.key, ReviewDecision.ACCEPT, "discord:2")
    now = await service.review_overview()
    second = now.groups[0].items[0].officer
    started = await demo.sandbox.click(result.message, "review:start", as_member="alice")
    embed = started.messages[-1].embeds[0]
    assert embed["title"] == demo.bot.catalog.t(
        "reg.ui.review_title",
        "fr",
        index=1,
        count=overview.total - 1,
        name=second.officer.full_name,
        department=second.department.label,
    )


async def test_the_strong_button_goes_when_its_matches_were_answered_meanwhile(demo):
    service = demo.bot.services.registration
    await add_strong_probable(service)
    before = await service.review_overview()
    assert [i.officer.officer.key for i in before.strong] == ["RDJ-90001"]
    result = await demo.invoke("/verification")
    assert "review:strong" in [b["custom_id"] for b in result.message.buttons]
    await service.review("RDJ-90001", ReviewDecision.ACCEPT, "discord:2")
    clicked = await demo.sandbox.click(result.message, "review:strong", as_member="alice")
    shown = clicked.messages[-1]
    assert [b["custom_id"] for b in shown.buttons if b["custom_id"].startswith("review:")] == [
        "review:start"
    ]
    assert shown.embeds == result.message.embeds
