"""The year in figures: its totals agree with the records, nothing private shows, and the dashboard
reminds of the annual report's dates (政府信息公开条例 Art.49–50)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.answers.models import Answer
from consult.comments.models import Comment, ModerationState
from consult.review.models import AnswerStatus
from consult.yearly.rules import annual_report_due
from tests.factories import log_in, make_answer, make_comment, make_consultation, make_decision, make_user


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2027, 1, 10), [("departments", date(2027, 1, 31)), ("government", date(2027, 3, 31))]),
        (date(2027, 1, 31), [("departments", date(2027, 1, 31)), ("government", date(2027, 3, 31))]),
        (date(2027, 2, 1), [("government", date(2027, 3, 31))]),
        (date(2027, 3, 31), [("government", date(2027, 3, 31))]),
        (date(2027, 4, 1), []),
    ],
)
def test_annual_report_dates(today: date, due: list[tuple[str, date]]) -> None:
    assert [(d.who, d.due_on) for d in annual_report_due(today)] == due
    assert all(d.covers_year == today.year - 1 for d in annual_report_due(today))


async def test_the_year_page_agrees_with_the_records(client, calendar) -> None:
    year = clock.today().year
    consultation = await make_consultation(starts_on=clock.today() - timedelta(days=3))
    other = await make_consultation(await make_decision(title="另一事项"), starts_on=clock.today() - timedelta(days=2))
    published = [await make_comment(consultation, f"第{i}条意见：建议增加停车泊位。") for i in range(5)]
    await make_comment(other, "另一事项的意见，内容完整。")
    await make_comment(consultation, "待审看的意见内容完整。", state=ModerationState.PENDING)
    withheld = await make_comment(consultation, "含有个人信息的意见内容。", state=ModerationState.WITHHELD)
    for comment, status in zip(
        published[:3], [AnswerStatus.ADOPTED, AnswerStatus.PARTLY_ADOPTED, AnswerStatus.NOT_ADOPTED], strict=True
    ):
        await make_answer(comment, status, "理由" if status is not AnswerStatus.ADOPTED else "")
    page = await client.get(f"/years/{year}")
    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO((await client.get(f"/years/{year}.csv")).content.decode("utf-8-sig"))))
    header, total = rows[0], rows[-1]
    figures = dict(zip(header, total, strict=True))
    assert figures["收到意见"] == str(await Comment.all().count()) == "8"
    assert figures["公开意见"] == str(await Comment.filter(state=ModerationState.PUBLISHED).count())
    assert figures["未予公开"] == "1"
    assert figures["已答复"] == str(await Answer.filter(published_at__isnull=False).count()) == "3"
    assert figures["采纳率"] == "66.7%"  # adopted and partly adopted, of the answered
    assert figures["征求意见次数"] == "2"
    department_rows = {r[0]: r for r in rows[1:-1]}
    assert department_rows[(await (await consultation.decision).department).name][header.index("收到意见")] == "7"
    # Nothing private: names and phones of commenters stay on staff pages.
    assert withheld.submitter_name not in page.text and withheld.contact_phone not in page.text
    chart = await client.get(f"/years/{year}/charts/answers.svg")
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert (await client.get(f"/years/{year + 1}")).status_code == 404  # a year to come has no figures


async def test_the_office_sees_the_annual_report_parts_and_the_dashboard_reminds(client, calendar, monkeypatch) -> None:
    from tests.factories import freeze

    freeze(monkeypatch, date(2027, 1, 20))
    await log_in(client, await make_user(Role.STAFF))
    assert (await client.get("/manage/years/2026/annual-report")).status_code == 403
    dashboard = (await client.get("/manage/dashboard")).text
    assert "2027年1月31日" in dashboard and "2027年3月31日" in dashboard
    await log_in(client, await make_user(Role.ADMIN))
    report = (await client.get("/manage/years/2026/annual-report")).text
    assert "重大行政决策事项目录" in report
