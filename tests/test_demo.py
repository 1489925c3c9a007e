"""The demo county as a visitor and a reviewer meet it: the rules hold in it too."""

from __future__ import annotations

from consult.answers.models import Answer
from consult.groups.services import contradicted_group_answers
from consult.reports.models import AdoptionReport


async def test_the_demo_shows_reports_with_their_deadline_and_no_contradictory_answers(client, calendar) -> None:
    from consult import demo

    await demo.load()
    own_answers = await Answer.filter(group_answer_id__isnull=True, comment__group_id__isnull=False)
    assert own_answers, "the demo should show members answered on their own"
    assert await contradicted_group_answers(own_answers) == {}
    published = await AdoptionReport.filter(published_at__isnull=False).first()
    assert published is not None
    page = await client.get(f"/reports/{published.id}")
    assert "最迟于" in page.text and "（含当日）公开" in page.text and "按时公开" in page.text
    waiting = await AdoptionReport.filter(published_at__isnull=True).first()
    assert waiting is not None
    topic = await client.get(f"/decisions/{waiting.decision_id}")
    assert "最迟于" in topic.text
    listing = await client.get("/reports/")
    assert f"/reports/{published.id}" in listing.text and f"/reports/{waiting.id}" not in listing.text
