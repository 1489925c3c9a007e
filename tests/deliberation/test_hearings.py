"""Hearings: the notice within its lead times, applications and the public draw (the call meetings
use), the participant list, the representatives' opinions answered like comments and counted in the
report, and no result of a decision that needs a hearing before its report is public."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import Channel, Comment, ModerationState
from consult.decisions.models import Decision
from consult.deliberation import hearings
from consult.deliberation.hearings import HearingInput, create_hearing, publish_notice
from consult.deliberation.models import Hearing, HearingParticipant
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.meetings import services as meeting_services
from consult.participation.calls import ApplicationInput, draw
from consult.participation.models import ApplicationStatus
from consult.reports.figures import build_figures
from consult.settings import Settings
from tests.factories import (
    at,
    freeze,
    log_in,
    make_answer,
    make_consultation,
    make_decision,
    make_legality_review,
    make_result,
    make_user,
    post,
)

HELD_AT = datetime.combine(date(2026, 12, 21), time(9, 30), tzinfo=clock.TZ)


def _notice(consultation_id: int, **changes: object) -> HearingInput:
    fields: dict[str, object] = {
        "consultation_id": consultation_id,
        "matter": "县城区停车收费标准调整",
        "organiser": "县发展和改革局",
        "place": "县政府第三会议室",
        "held_at": HELD_AT,
        "notice_on": date(2026, 12, 8),
        "applications_close_on": date(2026, 12, 14),
        "materials_on": date(2026, 12, 16),
        "groups": [("机动车车主", 2), ("沿街商户", 1), ("", 0)],
        "observer_seats": 5,
    }
    return HearingInput(**{**fields, **changes})  # type: ignore[arg-type]


async def _setting_up(needs_hearing: bool = True) -> tuple[Decision, Hearing]:
    decision = await make_decision()
    decision.needs_hearing = needs_hearing
    await decision.save()
    consultation = await make_consultation(decision, starts_on=date(2026, 12, 1), today=date(2026, 12, 1))
    staff = await make_user(Role.STAFF, await decision.department)
    hearing = await create_hearing(decision, _notice(consultation.id), staff, at(date(2026, 12, 2)), Settings())
    return decision, hearing


def _applicant(name: str, category: str, phone: str, declared: bool = True) -> ApplicationInput:
    return ApplicationInput(
        name=name,
        category=category,
        statement="收费过高",
        phone=phone,
        adult=True,
        local=True,
        not_civil_servant=declared,
    )


async def test_the_notice_keeps_its_lead_times_and_names_the_dates(client, calendar, monkeypatch) -> None:
    decision = await make_decision()
    consultation = await make_consultation(decision, starts_on=date(2026, 12, 1), today=date(2026, 12, 1))
    staff = await make_user(Role.STAFF, await decision.department)
    with pytest.raises(ValidationError) as late:
        await create_hearing(
            decision, _notice(consultation.id, notice_on=date(2026, 12, 12)), staff, at(date(2026, 12, 2)), Settings()
        )
    assert set(late.value.errors) == {"notice_on"} and late.value.params["notice_by"] == "2026-12-11"
    with pytest.raises(ValidationError) as outside:
        await create_hearing(
            decision,
            _notice(consultation.id, held_at=datetime(2027, 1, 20, 9, tzinfo=clock.TZ)),
            staff,
            at(date(2026, 12, 2)),
            Settings(),
        )
    assert "held_at" in outside.value.errors  # after the consultation closes: its opinions would count nowhere
    freeze(monkeypatch, date(2026, 12, 2))
    await log_in(client, staff)
    form = {
        "h_consultation_id": str(consultation.id),
        "h_matter": "停车收费",
        "h_organiser": "县发改局",
        "h_held_at": "2026-12-21T09:30",
        "h_place": "县政府",
        "h_notice_on": "2026-12-12",
        "h_applications_close_on": "2026-12-14",
        "h_materials_on": "2026-12-18",
        "h_g1_label": "车主",
        "h_g1_seats": "3",
    }
    page = await post(client, f"/manage/decisions/{decision.id}/hearings", form)
    assert page.status_code == 422
    assert "最迟2026-12-11" in page.text and "最迟2026-12-16" in page.text and 'value="车主"' in page.text
    done = await post(
        client,
        f"/manage/decisions/{decision.id}/hearings",
        {**form, "h_notice_on": "2026-12-08", "h_materials_on": "2026-12-16"},
    )
    assert done.status_code == 303
    hearing = await Hearing.get(decision_id=decision.id)
    assert hearing.groups == [{"key": "g1", "label": "车主", "seats": 3}]
    # Approved too late (on 12 December), the notice would be public only 9 days ahead: refused.
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    with pytest.raises(ValidationError) as refused:
        await publish_notice(hearing, reviewer, at(date(2026, 12, 12)), Settings())
    assert refused.value.params["notice_by"] == "2026-12-11"
    with pytest.raises(PermissionDenied):
        await publish_notice(hearing, staff, at(date(2026, 12, 3)), Settings())
    assert (await client.get(f"/hearings/{hearing.id}")).status_code == 404  # not public before review


async def test_citizens_apply_and_seats_are_drawn_with_the_meetings_draw(client, calendar, monkeypatch) -> None:
    decision, hearing = await _setting_up()
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await publish_notice(hearing, reviewer, at(date(2026, 12, 3)), Settings())
    assert (await Hearing.get(id=hearing.id)).notice_on == date(2026, 12, 8)  # public from the planned day
    freeze(monkeypatch, date(2026, 12, 7))
    assert (await client.get(f"/hearings/{hearing.id}")).status_code == 404
    freeze(monkeypatch, date(2026, 12, 9))
    page = (await client.get(f"/hearings/{hearing.id}")).text
    assert "机动车车主" in page and "报名参加" in page and "本人不是在职公务员" in page
    form = {
        "name": "王车主",
        "category": "g1",
        "statement": "收费过高",
        "phone": "13800000001",
        "adult": "on",
        "local": "on",
    }
    refused = await post(client, f"/hearings/{hearing.id}/applications", form)
    assert refused.status_code == 422 and "在职公务员不能担任听证代表" in refused.text
    done = await post(client, f"/hearings/{hearing.id}/applications", {**form, "not_civil_servant": "on"})
    assert done.status_code == 303 and done.headers["location"].startswith("/hearings/applications/")
    receipt = await client.get(done.headers["location"])
    assert "听证代表：机动车车主" in receipt.text and "13800000001" not in receipt.text
    again = await post(client, f"/hearings/{hearing.id}/applications", {**form, "not_civil_servant": "on"})
    assert again.status_code == 409 and "每人限报一次" in again.text
    # An observer need not declare anything; a civil servant may watch.
    observer = await post(
        client,
        f"/hearings/{hearing.id}/applications",
        {**form, "name": "李公务员", "category": "observer", "phone": "13800000009"},
    )
    assert observer.status_code == 303
    for i in range(2, 6):
        await hearings.apply_to_hearing(
            hearing, _applicant(f"车主{i}", "g1", f"1380000000{i}"), date(2026, 12, 10), at(date(2026, 12, 10))
        )
    staff = await make_user(Role.STAFF, await decision.department)
    with pytest.raises(Conflict):
        await hearings.draw_lottery(hearing, "g1", staff, date(2026, 12, 14), at(date(2026, 12, 14)))
    record = await hearings.draw_lottery(hearing, "g1", staff, date(2026, 12, 15), at(date(2026, 12, 15)), seed="听证")
    assert record.winners == draw("听证", record.candidates, 2) and len(record.candidates) == 5
    # The same function draws a meeting's seats: one published method for every call.
    assert meeting_services.calls.draw is hearings.calls.draw
    selected = await HearingParticipant.filter(hearing_id=hearing.id, status=ApplicationStatus.SELECTED)
    assert sorted(p.id for p in selected) == record.winners
    freeze(monkeypatch, date(2026, 12, 15))
    page = (await client.get(f"/hearings/{hearing.id}")).text
    assert "听证" in page and "公开抽签" in page and "13800000001" not in page


async def test_a_civil_servant_is_never_selected_as_a_representative(calendar) -> None:
    decision, hearing = await _setting_up()
    undeclared = await HearingParticipant.create(
        hearing=hearing, name="张某", category="g1", receipt_code="H-TEST-1", created_at=at(date(2026, 12, 9))
    )
    staff = await make_user(Role.STAFF, await decision.department)
    with pytest.raises(Conflict):
        await hearings.select_participant(undeclared, True, "熟悉情况", staff)


async def test_opinions_are_answered_like_comments_and_the_report_comes_before_the_result(
    client, calendar, monkeypatch
) -> None:
    decision, hearing = await _setting_up()
    department = await decision.department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    await publish_notice(hearing, reviewer, at(date(2026, 12, 3)), Settings())
    applied = await hearings.apply_to_hearing(
        hearing, _applicant("王车主", "g1", "13800000001"), date(2026, 12, 9), at(date(2026, 12, 9))
    )
    with pytest.raises(Conflict):  # before applications close
        await hearings.publish_participants(hearing, staff, at(date(2026, 12, 12)))
    await hearings.select_participant(applied, True, "唯一报名的车主", staff)
    freeze(monkeypatch, date(2026, 12, 12))
    # Approved on 3 December for a notice on the 8th: not found before it is public.
    assert f"/hearings/{hearing.id}" not in (await client.get("/search", params={"q": "收费标准调整"})).text
    await hearings.publish_participants(hearing, staff, at(date(2026, 12, 15)))
    freeze(monkeypatch, date(2026, 12, 16))
    assert f"/hearings/{hearing.id}" in (await client.get("/search", params={"q": "收费标准调整"})).text
    assert "王车主" in (await client.get(f"/hearings/{hearing.id}")).text
    with pytest.raises(Conflict):  # not before the hearing
        await hearings.record_attendance(applied, True, staff, date(2026, 12, 20))
    await hearings.record_attendance(applied, True, staff, date(2026, 12, 21))
    opinion = await hearings.record_opinion(
        applied, "建议夜间二十二点后免费停车，方便下班居民", None, staff, at(date(2026, 12, 21), 15)
    )
    comment = await Comment.get(id=opinion.comment_id)
    assert comment.channel is Channel.HEARING and comment.state is ModerationState.PUBLISHED
    assert comment.received_on == date(2026, 12, 21)
    assert (await build_figures(await comment.consultation))["by_channel"] == {"hearing": 1}
    await hearings.save_record(hearing, "听证笔录全文", "听证报告：多数代表建议夜间免费", staff, at(date(2026, 12, 22)))
    with pytest.raises(ValidationError) as unanswered:
        await hearings.publish_report(await Hearing.get(id=hearing.id), reviewer, at(date(2026, 12, 22)))
    assert unanswered.value.params == {"n": 1}
    # The decision cannot be taken before the report is public, even with a legality review.
    await make_legality_review(decision, date(2026, 12, 23))
    consultation = await comment.consultation
    with pytest.raises(ValidationError) as blocked:
        await make_result(consultation, date(2027, 1, 5), today=date(2027, 1, 5))
    assert "hearing report" in str(blocked.value)
    await make_answer(comment, reason="夜间车位紧张，暂不采纳")
    await hearings.publish_report(await Hearing.get(id=hearing.id), reviewer, at(date(2026, 12, 24)))
    freeze(monkeypatch, date(2026, 12, 24))
    page = (await client.get(f"/hearings/{hearing.id}")).text
    assert "听证报告：多数代表建议夜间免费" in page and "夜间车位紧张，暂不采纳" in page and "13800000001" not in page
    topic = (await client.get(f"/decisions/{decision.id}")).text
    assert f"/hearings/{hearing.id}#report" in topic
    result = await make_result(consultation, date(2027, 1, 5), today=date(2027, 1, 5))
    assert result.decision_id == decision.id


async def test_another_department_cannot_manage_the_hearing(client, calendar) -> None:
    _, hearing = await _setting_up()
    await log_in(client, await make_user(Role.STAFF))
    assert (await client.get(f"/manage/hearings/{hearing.id}")).status_code == 403
    assert (await post(client, f"/manage/hearings/{hearing.id}/participants")).status_code == 403
    # The refused attempt is in the audit log, against the hearing it aimed at.
    from consult.audit.models import AuditEntry

    refused = await AuditEntry.filter(action__contains="/participants").first()
    assert refused is not None and (refused.object_type, refused.object_id) == ("hearing", hearing.id)
