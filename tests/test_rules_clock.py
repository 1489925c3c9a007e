"""The smaller rules of the law's clock, as a citizen or an inspector meets them on the pages."""

from __future__ import annotations

from datetime import date

from consult import clock
from consult.accounts.models import Role
from consult.answers.services import answer_comment
from consult.decisions.models import Decision
from consult.drafts.models import Consultation
from consult.drafts.services import create_consultation, publish_consultation
from consult.groups.models import CommentGroup
from consult.groups.rules import ConcentratedRule
from consult.groups.services import answer_group, review_group_answer
from consult.meetings.services import record_attendance
from consult.review.models import AnswerStatus
from consult.settings import Settings
from consult.workdays.services import set_year_arrangement
from tests.factories import (
    at,
    freeze,
    log_in,
    make_answer,
    make_attendee,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_draft,
    make_meeting,
    make_result,
    make_user,
    post,
)
from tests.workdays.test_calendar_admin import HOLIDAYS_2027


async def _schedule(start: date, last_day: date) -> Consultation:
    draft = await make_draft()
    decision = await draft.decision
    department = await decision.department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    consultation = await create_consultation(draft, start, last_day, "", staff, start, at(start, 8), Settings())
    await publish_consultation(consultation, reviewer, start, at(start, 9))
    return consultation


async def test_a_period_ending_on_a_rest_day_runs_to_the_next_working_day(client, calendar, monkeypatch) -> None:
    # 30 days from 3 September 2026 end on Saturday 3 October, inside 国庆节 (1–7 October): the legal
    # last day is Thursday 8 October (Civil Code Art.203).
    consultation = await _schedule(date(2026, 9, 3), date(2026, 10, 3))
    assert consultation.ends_on == date(2026, 10, 8) and consultation.requested_ends_on == date(2026, 10, 3)
    freeze(monkeypatch, date(2026, 10, 8), 20)
    page = await client.get(f"/consultations/{consultation.id}")
    assert "民法典》第二百零三条" in page.text and "2026年10月8日" in page.text
    assert 'name="body"' in page.text  # still open on its legal last day
    freeze(monkeypatch, date(2026, 10, 9))
    assert 'name="body"' not in (await client.get(f"/consultations/{consultation.id}")).text


async def test_entering_a_year_recomputes_the_legal_end_of_running_consultations(client, calendar, monkeypatch) -> None:
    # Chosen last day Sunday 7 February 2027; provisionally 除夕–初三 (5–8 Feb) rest, so Tuesday 9 Feb.
    freeze(monkeypatch, date(2027, 1, 5))
    consultation = await _schedule(date(2027, 1, 7), date(2027, 2, 7))
    assert consultation.ends_on == date(2027, 2, 9)
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    # The notice gives 5–13 February; make-up workday Saturday 20 February: the period ends on 15 Feb.
    response = await post(
        client,
        "/manage/calendar",
        {
            "year": "2027",
            "notice": "国务院办公厅关于2027年部分节假日安排的通知",
            "holidays": HOLIDAYS_2027,
            "workdays": "2027-02-20 春节调休上班",
        },
    )
    assert response.status_code == 303, response.text
    assert (await Consultation.get(id=consultation.id)).ends_on == date(2027, 2, 15)


async def test_the_dashboard_chases_decisions_without_a_result(client, calendar, monkeypatch) -> None:
    waiting = await make_closed_consultation(date(2026, 10, 9))  # closed, no result since
    decided = await make_closed_consultation(date(2026, 10, 9))
    await make_result(decided, date(2026, 10, 20))
    recent = await make_closed_consultation(date(2026, 11, 20))
    titles = {c.id: f'/manage/decisions/{c.decision_id}"' for c in (waiting, decided, recent)}
    await log_in(client, await make_user(Role.ADMIN))
    freeze(monkeypatch, date(2026, 11, 6))  # 21 working days after 9 October (Saturday 10 Oct works)
    page = (await client.get("/manage/dashboard?year=2026")).text
    section = page.split('id="chase-h"')[1].split("</table>")[0]
    assert titles[waiting.id] in section and ">21<" in section
    assert titles[decided.id] not in section and titles[recent.id] not in section
    freeze(monkeypatch, date(2026, 11, 5))  # 20 working days: not yet
    page = (await client.get("/manage/dashboard?year=2026")).text
    assert titles[waiting.id] not in page.split('id="chase-h"')[1].split("</table>")[0]


async def test_a_decision_issued_and_reported_on_one_day_shows_the_decision_first(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_answer(await make_comment(consultation), AnswerStatus.ADOPTED, "")
    await make_result(consultation, date(2026, 9, 25))  # recorded at 16:00, report published at once
    page = (await client.get(f"/decisions/{consultation.decision_id}")).text
    timeline = page.split('class="timeline"')[1]
    assert timeline.index("决策出台：") < timeline.index("公布意见收集和采纳情况")


async def test_people_marked_absent_are_not_listed_as_public_attendees(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    decision = await Decision.get(id=consultation.decision_id)
    meeting = await make_meeting(date(2026, 10, 12), decision=decision)
    await make_attendee(meeting, "到会代表")
    absent = await make_attendee(meeting, "缺席代表", attended=False)
    admin = await make_user(Role.ADMIN)
    await record_attendance(absent, False, admin, meeting.held_on)
    for url in (f"/meetings/{meeting.id}", f"/decisions/{decision.id}", f"/api/v1/meetings/{meeting.id}"):
        text = (await client.get(url)).text
        assert "到会代表" in text and "缺席代表" not in text, url


async def test_a_reviewer_is_told_when_a_member_answer_contradicts_its_group(client, calendar) -> None:
    consultation = await make_consultation()
    text = "建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药。"
    members = [await make_comment(consultation, prefix + text) for prefix in ("", "您好，", "尊敬的领导：")]
    group = await CommentGroup.get()
    department = await (await Decision.get(id=consultation.decision_id)).department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    group_answer = await answer_group(
        group,
        AnswerStatus.NOT_ADOPTED,
        "首次免费时长由市级统一确定，本办法不作调整，将加强临时停车引导。",
        staff,
        clock.now(),
    )
    await review_group_answer(group_answer, True, "", reviewer, clock.now(), rule=ConcentratedRule())
    await answer_comment(members[0], AnswerStatus.ADOPTED, "", staff, clock.now())
    await log_in(client, reviewer)
    page = await client.get("/manage/reviews")
    assert "此答复与所在意见组的答复相矛盾" in page.text and "首次免费时长由市级统一确定" in page.text
    await answer_comment(members[0], AnswerStatus.ALREADY_COVERED, "第十二条已有规定。", staff, clock.now())
    assert "相矛盾" not in (await client.get("/manage/reviews")).text


async def test_the_report_pdf_states_the_deadline_and_timeliness(client, calendar) -> None:
    import io

    from pypdf import PdfReader

    from consult.reports.models import AdoptionReport

    consultation = await make_closed_consultation(date(2026, 2, 20))
    await make_answer(await make_comment(consultation), AnswerStatus.ADOPTED, "")
    await make_result(consultation, date(2026, 3, 2), today=date(2026, 3, 18))
    report = await AdoptionReport.get(consultation_id=consultation.id)
    pdf = await client.get(f"/reports/{report.id}.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert "最迟于2026年3月16日（含当日）公开" in text and "逾期2个工作日公开" in text


async def test_a_year_arrangement_leaves_consultations_that_already_ended_as_they_were(calendar, monkeypatch) -> None:
    """The office's entry never reopens a consultation that has closed."""
    freeze(monkeypatch, date(2027, 1, 5))
    consultation = await _schedule(date(2027, 1, 7), date(2027, 2, 7))
    freeze(monkeypatch, date(2027, 2, 12))
    admin = await make_user(Role.ADMIN)
    from consult.drafts.services import recompute_legal_ends

    await set_year_arrangement(2027, "通知", HOLIDAYS_2027, "", admin, clock.now())
    assert await recompute_legal_ends(clock.today()) == 0
    assert (await Consultation.get(id=consultation.id)).ends_on == date(2027, 2, 9)
