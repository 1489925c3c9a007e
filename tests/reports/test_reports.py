"""Decision results and the adoption report: the clock, automatic publication, exactly once, frozen."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from consult import clock
from consult.accounts.models import Role
from consult.answers.services import answer_comment
from consult.comments.models import ModerationState
from consult.decisions.models import Decision, DecisionResult
from consult.errors import PermissionDenied, ValidationError
from consult.notify.models import OutboxMessage
from consult.reports.deadline import ReportRule
from consult.reports.models import AdoptionReport, PublicationKind, ReportVersion
from consult.reports.services import (
    ResultInput,
    correct_report,
    normalise_document_number,
    publish_due_reports,
    record_result,
)
from consult.review.models import AnswerStatus
from consult.review.services import review
from consult.workdays.services import load_calendar, set_year_arrangement
from tests.factories import (
    at,
    log_in,
    make_answer,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_legality_review,
    make_result,
    make_user,
    post,
)

ISSUED = date(2026, 9, 25)  # a Friday: the 10 working days run over 国庆节 and the make-up Saturday


def freeze(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment.astimezone(clock.TZ))


async def _tick(today: date, hour: int = 18) -> list[int]:
    """The job as it runs at `hour` o'clock on `today` (by default at the publication hour)."""
    return await publish_due_reports(await load_calendar(), at(today, hour), ReportRule())


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("平政办发〔2026〕5号", "平政办发〔2026〕5号"),
        ("平政办发[2026]5号", "平政办发〔2026〕5号"),
        ("平政办发（2026）05号", "平政办发〔2026〕5号"),
        ("平政发 〔2025〕 12号", "平政发〔2025〕12号"),
    ],
)
def test_document_numbers_are_normalised(raw: str, normalised: str) -> None:
    assert normalise_document_number(raw, date(2026, 3, 1)) == normalised


@pytest.mark.parametrize("raw", ["5号", "平政办发2026年5号", "平政办发〔2020〕5号", "平政办发〔2026〕号"])
def test_bad_document_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        normalise_document_number(raw, date(2026, 3, 1))


async def _record(decision: Decision, data: ResultInput, actor, now: datetime):
    return await record_result(decision, data, actor, now, await load_calendar(), ReportRule())


async def test_only_a_reviewer_records_the_result_and_not_while_open(calendar) -> None:
    open_one = await make_consultation()
    decision = await Decision.get(id=open_one.decision_id)
    staff = await make_user(Role.STAFF, await decision.department)
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    data = ResultInput(document_number=f"平政办发〔{clock.today().year}〕5号", issued_on=clock.today(), text="文本")
    with pytest.raises(PermissionDenied):
        await _record(decision, data, staff, clock.now())
    with pytest.raises(ValidationError, match="still open"):
        await _record(decision, data, reviewer, clock.now())
    closed = await make_closed_consultation(date(2026, 9, 1))
    other = await Decision.get(id=closed.decision_id)
    reviewer2 = await make_user(Role.REVIEWER, await other.department)
    with pytest.raises(ValidationError) as info:
        await _record(
            other,
            ResultInput(document_number="平政办发〔2026〕5号", issued_on=date(2026, 9, 30)),
            reviewer2,
            at(date(2026, 9, 29)),
        )
    assert set(info.value.errors) == {"issued_on", "text"}
    with pytest.raises(ValidationError) as info:
        await _record(
            other, ResultInput(document_number="五号", issued_on=date(2026, 9, 28)), reviewer2, at(date(2026, 9, 29))
        )
    assert set(info.value.errors) == {"document_number", "text"}


async def test_a_result_waits_for_a_scheduled_consultation_and_the_form_keeps_what_was_typed(client, calendar) -> None:
    upcoming = await make_consultation(starts_on=clock.today() + timedelta(days=3))
    number = f"平政办发〔{clock.today().year}〕31号"
    decision = await Decision.get(id=upcoming.decision_id)
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await log_in(client, reviewer)
    response = await post(
        client,
        f"/manage/decisions/{decision.id}/result",
        {"document_number": number, "issued_on": clock.today().isoformat(), "text": "印发的正式文本"},
    )
    assert response.status_code == 422
    assert "征求意见尚未开始或仍在进行" in response.text and number in response.text
    assert not await DecisionResult.filter(decision_id=decision.id).exists()


async def test_report_due_after_national_day_and_working_days_left(client, calendar, monkeypatch) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)  # published, unanswered: the report must wait
    await make_result(consultation, ISSUED)
    report = await AdoptionReport.get(consultation_id=consultation.id)
    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    freeze(monkeypatch, at(date(2026, 10, 9), 9))
    await log_in(client, staff)
    page = await client.get(f"/manage/reports/{report.id}")
    assert "2026年10月15日" in page.text
    # 10 Oct (make-up Saturday), 12, 13, 14, 15 Oct.
    assert "还剩5个工作日" in page.text
    workspace = await client.get("/manage/")
    assert "待公开的意见收集和采纳情况报告" in workspace.text and "还剩5个工作日" in workspace.text
    assert await _tick(date(2026, 10, 14)) == []
    assert await _tick(date(2026, 10, 15)) == [report.id]


async def test_a_deadline_in_a_year_without_data_is_provisional_until_the_office_enters_it(
    client, calendar, monkeypatch
) -> None:
    from tests.workdays.test_calendar_admin import HOLIDAYS_2027

    consultation = await make_closed_consultation(date(2026, 12, 10))
    await make_comment(consultation)
    await make_result(consultation, date(2026, 12, 24))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    admin = await make_user(Role.ADMIN)
    freeze(monkeypatch, at(date(2026, 12, 28), 9))
    await log_in(client, admin)
    page = await client.get(f"/manage/reports/{report.id}")
    # Weekends and the statutory 元旦 (1 Jan) counted: 25, 28–31 Dec, 4–8 Jan.
    assert "最迟于2027年1月8日（含当日）公开" in page.text and "暂定" in page.text and "2027" in page.text
    dashboard = await client.get("/manage/dashboard?year=2026")
    assert "暂定" in dashboard.text and "2027" in dashboard.text
    topic = await client.get(f"/decisions/{consultation.decision_id}")
    assert "最迟于2027年1月8日（含当日）公开" in topic.text and "暂定" in topic.text
    # The notice makes Sunday 3 January a make-up workday: the 10th working day moves to 7 January.
    await set_year_arrangement(
        2027,
        "国务院办公厅关于2027年部分节假日安排的通知",
        HOLIDAYS_2027.replace("2027-01-01~2027-01-03", "2027-01-01~2027-01-02"),
        "2027-01-03 元旦调休上班",
        admin,
        clock.now(),
    )
    page = await client.get(f"/manage/reports/{report.id}")
    assert "最迟于2027年1月7日（含当日）公开" in page.text and "暂定" not in page.text
    assert await _tick(date(2027, 1, 7), hour=17) == []
    assert await _tick(date(2027, 1, 7)) == [report.id]
    public = await client.get(f"/reports/{report.id}")
    assert "按时公开" in public.text and "暂定" not in public.text


async def test_a_result_recorded_weeks_after_the_issue_date_publishes_at_once_marked_late(
    client, calendar, monkeypatch
) -> None:
    """Issued on 2 March, recorded on 15 April: due 16 March, so published at once, 21 working days late."""
    consultation = await make_closed_consultation(date(2026, 2, 20))
    await make_answer(await make_comment(consultation), AnswerStatus.ADOPTED, "")
    await make_result(consultation, date(2026, 3, 2), today=date(2026, 4, 15))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert report.published_at is not None
    freeze(monkeypatch, at(date(2026, 4, 16), 9))
    page = await client.get(f"/reports/{report.id}")
    assert "最迟于2026年3月16日（含当日）公开" in page.text and "逾期21个工作日公开" in page.text
    assert "按时公开" not in page.text
    api = (await client.get(f"/api/v1/reports/{report.id}")).json()["data"]
    assert api["issued_on"] == "2026-03-02" and api["due_on"] == "2026-03-16"
    assert api["due_provisional"] is False and api["on_time"] is False and api["working_days_late"] == 21
    listing = await client.get("/reports/?year=2026")
    assert f"/reports/{report.id}" in listing.text and "逾期21个工作日公开" in listing.text
    assert f"/reports/{report.id}" not in (await client.get("/reports/?year=2025")).text


async def test_the_due_day_belongs_to_the_department_until_the_publication_hour(client, calendar, monkeypatch) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)
    await make_result(consultation, ISSUED)  # due 15 October 2026
    report = await AdoptionReport.get(consultation_id=consultation.id)
    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    await log_in(client, staff)
    freeze(monkeypatch, at(date(2026, 10, 14), 9))
    assert "还剩1个工作日" in (await client.get(f"/manage/reports/{report.id}")).text
    freeze(monkeypatch, at(date(2026, 10, 15), 9))
    page = await client.get(f"/manage/reports/{report.id}")
    assert "今天是最后一天，将于18:00自动公开" in page.text and "还剩0个工作日" not in page.text
    assert await _tick(date(2026, 10, 15), hour=9) == []
    assert await _tick(date(2026, 10, 15), hour=17) == []
    assert await _tick(date(2026, 10, 15), hour=18) == [report.id]
    report = await AdoptionReport.get(id=report.id)
    assert clock.local_date(report.published_at) == date(2026, 10, 15)


async def test_no_extension_or_reopening_after_the_result(client, calendar) -> None:
    from consult.drafts.services import extend_consultation

    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_result(consultation, ISSUED)
    decision = await Decision.get(id=consultation.decision_id)
    staff = await make_user(Role.STAFF, await decision.department)
    with pytest.raises(ValidationError, match="can no longer be extended"):
        await extend_consultation(
            consultation, date(2026, 12, 31), "补充征求意见", staff, date(2026, 10, 1), at(date(2026, 10, 1))
        )


async def test_two_ticks_at_once_publish_the_report_exactly_once(calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation, email="a@example.cn")
    comment = await make_comment(consultation, email="b@example.cn")
    from consult.comments.models import Comment

    await Comment.filter(consultation_id=consultation.id).update(notify_by_email=True)
    await make_result(consultation, ISSUED)
    published = await asyncio.gather(*(_tick(date(2026, 10, 15)) for _ in range(4)))
    assert sorted(len(p) for p in published) == [0, 0, 0, 1]
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert await ReportVersion.filter(report_id=report.id).count() == 1
    assert await OutboxMessage.filter(kind="report_published").count() == 2
    assert await _tick(date(2026, 10, 16)) == []
    assert comment.id


async def test_published_at_the_deadline_with_unanswered_comments_shown_as_such(client, calendar, monkeypatch) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    answered = await make_comment(consultation, "已经答复的意见，关于收费标准。")
    await make_answer(answered, AnswerStatus.NOT_ADOPTED, "上位法另有规定。")
    await make_comment(consultation, "没有答复的意见，关于夜间停车。")
    await make_comment(consultation, "尚未审看的意见内容。", state=ModerationState.PENDING)
    await make_result(consultation, ISSUED)
    assert await _tick(date(2026, 10, 15)) != []
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert report.publication_kind is PublicationKind.DEADLINE and report.overdue
    page = await client.get(f"/reports/{report.id}")
    assert page.status_code == 200
    assert "上位法另有规定" in page.text and "没有答复的意见" in page.text and "尚未答复" in page.text
    assert "1 of 2" not in page.text and "已答复1条" in page.text
    unanswered = await client.get(f"/reports/{report.id}?answer=unanswered")
    assert "没有答复的意见" in unanswered.text and "已经答复的意见" not in unanswered.text
    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    freeze(monkeypatch, at(date(2026, 10, 16), 9))
    await log_in(client, staff)
    dashboard = await client.get("/manage/dashboard?year=2026")
    # Published at 18:00 on its due day: on time, but with comments unanswered.
    assert 'class="badge overdue incomplete">1<' in dashboard.text
    assert 'class="badge overdue">1<' not in dashboard.text


async def test_a_complete_report_publishes_as_soon_as_the_last_answer_is_approved(calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    first = await make_comment(consultation)
    second = await make_comment(consultation)
    await make_answer(first, AnswerStatus.ADOPTED, "")
    await make_result(consultation, ISSUED, today=date(2026, 9, 28))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert report.published_at is None
    await make_answer(second, AnswerStatus.ALREADY_COVERED, "第三条已有规定。")
    report = await AdoptionReport.get(id=report.id)
    assert report.published_at is not None and report.publication_kind is PublicationKind.COMPLETE
    assert not report.overdue


async def test_result_recorded_when_everything_is_answered_publishes_at_once(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_answer(await make_comment(consultation), AnswerStatus.ADOPTED, "")
    await make_result(consultation, ISSUED)
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert report.publication_kind is PublicationKind.COMPLETE
    topic = await client.get(f"/decisions/{consultation.decision_id}")
    assert "平政办发〔2026〕5号" in topic.text and f"/reports/{report.id}" in topic.text
    catalog = await client.get("/catalogs/2026")
    assert "已出台" in catalog.text and "平政办发〔2026〕5号" in catalog.text
    consultation_page = await client.get(f"/consultations/{consultation.id}")
    assert f"/reports/{report.id}" in consultation_page.text


async def test_a_published_report_is_frozen_and_corrections_are_dated(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)
    late = await make_comment(consultation, "报告发布后才答复的意见。")
    await make_result(consultation, ISSUED)
    await _tick(date(2026, 10, 15))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    department = await (await Decision.get(id=consultation.decision_id)).department
    answer = await answer_comment(
        late, AnswerStatus.ADOPTED, "", await make_user(Role.STAFF, department), at(date(2026, 10, 18))
    )
    await review(answer, True, "", await make_user(Role.REVIEWER, department), at(date(2026, 10, 18), 11))
    original = await ReportVersion.get(report_id=report.id, number=0)
    assert original.figures["answered"] == 0  # frozen at publication
    reviewer = await make_user(Role.REVIEWER, await (await Decision.get(id=consultation.decision_id)).department)
    with pytest.raises(ValidationError):
        await correct_report(report, "", reviewer, clock.now())
    await correct_report(report, "补充发布会后作出的答复。", reviewer, at(date(2026, 10, 20)))
    page = await client.get(f"/reports/{report.id}")
    assert "2026年10月20日更正" in page.text and "补充发布会后作出的答复" in page.text
    first = await client.get(f"/reports/{report.id}?version=0")
    assert "已答复0条" in first.text and "报告发布后于2026年10月18日答复" in first.text


async def test_pdf_has_the_chinese_text_and_csv_opens_in_excel(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    comment = await make_comment(
        consultation, '=HYPERLINK("http://evil") 停车收费应当公示。', name="隐私姓名", phone="13911112222"
    )
    await make_answer(comment, AnswerStatus.PARTLY_ADOPTED, "部分采纳，已修改第三条。")
    await make_result(consultation, ISSUED)
    report = await AdoptionReport.get(consultation_id=consultation.id)
    pdf = await client.get(f"/reports/{report.id}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "意见收集" in text or "采纳" in text
    assert "部分采纳，已修改第三条" in text and "示例管理办法" in text
    assert "隐私姓名" not in text and "13911112222" not in text
    again = await client.get(f"/reports/{report.id}.pdf")
    assert again.content == pdf.content  # built once per version
    csv = await client.get(f"/reports/{report.id}.csv")
    assert csv.content.startswith("\ufeff".encode())
    body = csv.content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("编号,条款,提出人类别")
    assert "'=HYPERLINK" in body and "部分采纳" in body
    assert "隐私姓名" not in body and "13911112222" not in body
    for path in (f"/reports/{report.id}", f"/reports/{report.id}?answer=partly_adopted"):
        html = (await client.get(path)).text
        assert "停车收费应当公示" in html and "隐私姓名" not in html and "13911112222" not in html
    chart = await client.get(f"/reports/{report.id}/charts/status.svg")
    assert chart.status_code == 200 and chart.text.lstrip().startswith("<?xml") and "<path" in chart.text


async def test_unpublished_reports_are_not_public(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)
    await make_result(consultation, ISSUED)
    report = await AdoptionReport.get(consultation_id=consultation.id)
    for path in (f"/reports/{report.id}", f"/reports/{report.id}.pdf", f"/reports/{report.id}.csv"):
        assert (await client.get(path)).status_code == 404


async def test_staff_record_the_result_over_http(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)
    decision = await Decision.get(id=consultation.decision_id)
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await log_in(client, reviewer)
    bad = await post(
        client, f"/manage/decisions/{decision.id}/result", {"document_number": "五号", "issued_on": "2026-09-25"}
    )
    assert bad.status_code == 422 and "请按文件填写文号" in bad.text and 'value="五号"' in bad.text
    form = {
        "document_number": "平政办发[2026]9号",
        "issued_on": "2026-09-25",
        "link": "https://www.example.gov.cn/a.html",
    }
    unreviewed = await post(client, f"/manage/decisions/{decision.id}/result", form)
    assert unreviewed.status_code == 422 and "尚未记录合法性审查" in unreviewed.text
    await make_legality_review(decision, date(2026, 9, 20))
    ok = await post(client, f"/manage/decisions/{decision.id}/result", form)
    assert ok.status_code == 303
    page = await client.get(f"/manage/decisions/{decision.id}")
    assert "平政办发〔2026〕9号" in page.text and "意见收集和采纳情况报告" in page.text


async def test_withholding_the_last_unmoderated_comment_completes_the_report(calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_answer(await make_comment(consultation), AnswerStatus.ADOPTED, "")
    spam = await make_comment(consultation, "广告：低价代办停车月卡，联系微信。", state=ModerationState.PENDING)
    await make_result(consultation, ISSUED, today=date(2026, 9, 28))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert report.published_at is None
    from consult.comments.models import Comment, WithholdReason
    from consult.comments.services import moderate_comment

    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    await moderate_comment(
        await Comment.get(id=spam.id),
        ModerationState.WITHHELD,
        staff,
        at(date(2026, 9, 29)),
        WithholdReason.ADVERTISING,
    )
    report = await AdoptionReport.get(id=report.id)
    assert report.publication_kind is PublicationKind.COMPLETE
    figures = (await ReportVersion.get(report_id=report.id)).figures
    assert figures["by_state"]["withheld"] == 1 and figures["withheld_by_reason"] == {"advertising": 1}


async def test_charts_follow_the_page_language_and_one_category_is_a_sentence(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    first = await make_comment(consultation, "建议延长免费停车时间至三十分钟。", received_on=date(2026, 9, 1))
    second = await make_comment(consultation, "老旧小区应当增设停车位。", received_on=date(2026, 9, 2))
    await make_answer(first, AnswerStatus.ADOPTED, "")
    await make_answer(second, AnswerStatus.NOT_ADOPTED, "用地由规划统一安排。")
    await make_result(consultation, ISSUED)
    await _tick(date(2026, 10, 15))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    page = (await client.get(f"/reports/{report.id}?lang=en")).text
    assert f"/reports/{report.id}/charts/status.svg?version=0&amp;lang=en" in page
    # Every comment came online: a sentence instead of a chart of one bar; the table stays.
    assert "All 2 comments came through one channel" in page and "charts/channels.svg" not in page
    english = (await client.get(f"/reports/{report.id}/charts/status.svg?version=0&lang=en")).text
    chinese = (await client.get(f"/reports/{report.id}/charts/status.svg?version=0&lang=zh")).text
    # The SVG keeps each label as a comment beside its glyphs' paths.
    assert "<!-- Adopted -->" in english and "<!-- 采纳 -->" in chinese
    days = (await client.get(f"/reports/{report.id}/charts/per_day.svg?version=0&lang=zh")).text
    assert "<!-- 9月1日 -->" in days and "<!-- 9月2日 -->" in days
    # A phone gets the chart drawn for its width, with type that stays readable there.
    narrow_url = f"/reports/{report.id}/charts/status.svg?version=0&amp;lang=en&amp;width=narrow"
    assert f'<source media="(max-width: 40rem)" srcset="{narrow_url}">' in page
    narrow = (await client.get(narrow_url.replace("&amp;", "&"))).text
    assert "<!-- Adopted -->" in narrow and _svg_width(narrow) < 0.7 * _svg_width(english)


def _svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]* width="([0-9.]+)pt"', svg).group(1))
