"""Standing meetings: the call for attendees, the selection and the public draw, opinions and answers."""

from __future__ import annotations

import hashlib
import itertools
import re
from datetime import date, timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.meetings.models import Attendee, AttendeeCategory, MeetingTopic
from consult.meetings.services import (
    ApplicationInput,
    MeetingInput,
    answer_opinion,
    apply_to_attend,
    create_meeting,
    draw_lottery,
    meetings_with_public_held,
    record_opinion,
    select_attendee,
)
from consult.notify.models import OutboxMessage
from consult.participation.calls import draw
from consult.participation.models import ApplicationStatus
from consult.review.models import AnswerStatus
from consult.review.services import review
from tests.factories import (
    at,
    csrf_token,
    log_in,
    make_answer,
    make_attendee,
    make_closed_consultation,
    make_comment,
    make_decision,
    make_meeting,
    make_user,
    post,
)

HELD = date(2026, 12, 10)  # applications 20 Nov – 5 Dec


_phones = itertools.count(13912345678)


def applicant(name: str = "李群众", category: str = "citizen_representative", **kw: object) -> ApplicationInput:
    """A different person each time (another phone number), unless the phone is given."""
    kw.setdefault("phone", str(next(_phones)))
    return ApplicationInput(
        name=name,
        category=category,
        statement="希望就停车收费发表意见。",
        adult=True,
        local=True,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("today", "accepted"),
    [(date(2026, 11, 19), False), (date(2026, 11, 20), True), (date(2026, 12, 5), True), (date(2026, 12, 6), False)],
)
async def test_applications_only_within_the_window(today: date, accepted: bool) -> None:
    meeting = await make_meeting(HELD)
    if accepted:
        attendee = await apply_to_attend(meeting, applicant(), today, at(today))
        assert attendee.status is ApplicationStatus.APPLIED
    else:
        with pytest.raises(Conflict):
            await apply_to_attend(meeting, applicant(), today, at(today))


async def test_a_meeting_without_public_attendance_takes_no_applications() -> None:
    meeting = await make_meeting(HELD, public=False)
    with pytest.raises(Conflict):
        await apply_to_attend(meeting, applicant(), date(2026, 11, 25), clock.now())


async def test_the_window_must_close_before_the_meeting() -> None:
    admin = await make_user(Role.ADMIN)
    with pytest.raises(ValidationError) as info:
        await create_meeting(
            MeetingInput(
                number=9,
                held_on=HELD,
                public_attendance=True,
                applications_open_on=date(2026, 11, 1),
                applications_close_on=HELD,
                quotas={"expert": 1},
                topics=[(None, "议题")],
            ),
            admin,
            clock.now(),
        )
    assert "applications_close_on" in info.value.errors
    with pytest.raises(PermissionDenied):
        await create_meeting(
            MeetingInput(number=9, held_on=HELD, topics=[(None, "议题")]), await make_user(Role.STAFF), clock.now()
        )


async def test_the_application_form_explains_every_mistake(client, monkeypatch) -> None:
    meeting = await make_meeting(HELD)
    monkeypatch.setattr(clock, "now", lambda: at(date(2026, 11, 25)))
    page = await client.get(f"/meetings/{meeting.id}")
    assert "报名列席" in page.text and "年满18周岁" in page.text
    response = await post(client, f"/meetings/{meeting.id}/applications", {"name": "王五", "category": "media"})
    assert response.status_code == 422
    assert (
        "请从选项中选择" in response.text
        and "须确认符合两项报名条件" in response.text
        and "请填写电话号码或电子邮箱" in response.text
    )
    assert 'value="王五"' in response.text
    ok = await post(
        client,
        f"/meetings/{meeting.id}/applications",
        {
            "name": "王五",
            "category": "expert",
            "statement": "交通工程方面的建议",
            "email": "wang@example.cn",
            "adult": "on",
            "local": "on",
        },
    )
    assert ok.status_code == 303
    receipt = await client.get(ok.headers["location"])
    assert "已报名" in receipt.text and "wang@example.cn" not in receipt.text


async def test_selection_by_hand_respects_the_quota_and_records_a_reason() -> None:
    meeting = await make_meeting(HELD, quotas={"expert": 1})
    admin = await make_user(Role.ADMIN)
    first = await apply_to_attend(meeting, applicant("专家甲", "expert"), date(2026, 11, 25), clock.now())
    second = await apply_to_attend(meeting, applicant("专家乙", "expert"), date(2026, 11, 25), clock.now())
    with pytest.raises(ValidationError):
        await select_attendee(first, True, "", admin, clock.now())
    await select_attendee(first, True, "长期从事城市交通研究。", admin, clock.now())
    with pytest.raises(Conflict):
        await select_attendee(second, True, "也很合适。", admin, clock.now())
    await select_attendee(second, False, "名额已满。", admin, clock.now())
    assert (await Attendee.get(id=second.id)).status is ApplicationStatus.NOT_SELECTED


async def test_the_lottery_can_be_reproduced_from_its_published_seed(client) -> None:
    meeting = await make_meeting(HELD, quotas={"citizen_representative": 2})
    admin = await make_user(Role.ADMIN)
    ids = [
        (
            await apply_to_attend(
                meeting,
                applicant(f"报名人{i}", email=f"a{i}@example.cn", notify_by_email=True),
                date(2026, 11, 25),
                clock.now(),
            )
        ).id
        for i in range(7)
    ]
    with pytest.raises(Conflict):
        await draw_lottery(meeting, AttendeeCategory.CITIZEN_REPRESENTATIVE, admin, date(2026, 12, 5), clock.now())
    lottery = await draw_lottery(
        meeting, AttendeeCategory.CITIZEN_REPRESENTATIVE, admin, date(2026, 12, 6), clock.now(), seed="8f3a"
    )
    # Anyone can redo it from what is published: SHA-256 of "seed:number", lowest first.
    by_hash = sorted(ids, key=lambda n: hashlib.sha256(f"8f3a:{n}".encode()).hexdigest())
    assert lottery.winners == sorted(by_hash[:2]) == draw("8f3a", ids, 2)
    assert lottery.candidates == ids
    statuses = {a.id: a.status for a in await Attendee.filter(meeting_id=meeting.id)}
    assert [i for i in ids if statuses[i] is ApplicationStatus.SELECTED] == lottery.winners
    assert sum(s is ApplicationStatus.NOT_SELECTED for s in statuses.values()) == 5
    assert await OutboxMessage.filter(kind="attendee_selected").count() == 2
    page = await client.get(f"/meetings/{meeting.id}")
    assert "8f3a" in page.text and "SHA-256" in page.text
    losers = [a.name for a in await Attendee.filter(status=ApplicationStatus.NOT_SELECTED)]
    assert all(name not in page.text for name in losers)


async def test_private_fields_never_reach_public_pages(client) -> None:
    decision = await make_decision(title="停车办法")
    meeting = await make_meeting(clock.today() - timedelta(days=2), decision=decision)
    attendee = await make_attendee(meeting, name="公开姓名")
    attendee.contact_phone, attendee.contact_email = "13800001234", "secret@example.cn"
    await attendee.save()
    for path in (
        f"/meetings/{meeting.id}",
        "/meetings/",
        f"/decisions/{decision.id}",
        f"/meetings/applications/{attendee.receipt_code}",
    ):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert "13800001234" not in page.text and "secret@example.cn" not in page.text
    assert "公开姓名" in (await client.get(f"/decisions/{decision.id}")).text


async def test_opinions_are_answered_reviewed_then_published(client) -> None:
    decision = await make_decision(title="停车办法")
    meeting = await make_meeting(clock.today() - timedelta(days=1), decision=decision)
    attendee = await make_attendee(meeting)
    absent = await make_attendee(meeting, name="缺席者", attended=False)
    admin = await make_user(Role.ADMIN)
    topic = await MeetingTopic.get(meeting_id=meeting.id)
    with pytest.raises(Conflict):
        await record_opinion(absent, topic, "没有出席也想说。", admin, clock.now())
    opinion = await record_opinion(attendee, topic, "建议对新能源车给予停车优惠。", admin, clock.now())
    staff = await make_user(Role.STAFF, await decision.department)
    outsider = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await answer_opinion(opinion, AnswerStatus.ADOPTED, "", outsider, clock.now())
    answer = await answer_opinion(opinion, AnswerStatus.PARTLY_ADOPTED, "新能源车首小时半价。", staff, clock.now())
    assert "新能源车首小时半价" not in (await client.get(f"/meetings/{meeting.id}")).text
    with pytest.raises(PermissionDenied):
        await review(answer, True, "", staff, clock.now())
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await log_in(client, reviewer)
    queue = await client.get("/manage/reviews")
    assert "建议对新能源车给予停车优惠" in queue.text
    assert (
        await post(client, f"/manage/opinion-answers/{answer.id}/review", {"decision": "approve"})
    ).status_code == 303
    page = await client.get(f"/meetings/{meeting.id}")
    assert "新能源车首小时半价" in page.text and "部分采纳" in page.text


async def test_the_yearly_count_of_meetings_with_public_attendees(client) -> None:
    today = clock.today()
    held = await make_meeting(today - timedelta(days=3))
    await make_attendee(held)
    nobody = await make_meeting(today - timedelta(days=2))
    await make_attendee(nobody, attended=False)
    upcoming = await make_meeting(today + timedelta(days=30))
    await make_attendee(upcoming, attended=False)
    assert await meetings_with_public_held(today.year, today) == 1
    page = await client.get(f"/meetings/?year={today.year}")
    assert "已召开邀请公众代表列席的常务会议1次" in page.text and "不少于5次" in page.text
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    dashboard = await client.get("/manage/dashboard")
    assert "邀请公众代表列席的常务会议" in dashboard.text and "<strong>1</strong> / 5" in dashboard.text


async def test_the_art29_summary_matches_the_consultation(client) -> None:
    consultation = await make_closed_consultation(clock.today() - timedelta(days=10))
    for i in range(3):
        comment = await make_comment(consultation, f"第{i}条意见：建议提高夜间停车便利度，减少收费。")
        if i < 2:
            await make_answer(comment, AnswerStatus.NOT_ADOPTED if i else AnswerStatus.ADOPTED, "理由说明" if i else "")
    from consult.decisions.models import Decision

    decision = await Decision.get(id=consultation.decision_id)
    meeting = await make_meeting(clock.today() + timedelta(days=10), decision=decision)
    topic = await MeetingTopic.get(meeting_id=meeting.id)
    page = await client.get(f"/meetings/{meeting.id}/topics/{topic.id}/summary")
    assert page.status_code == 200
    assert "共3条：公开3条" in page.text and "已答复2条，未答复1条" in page.text
    assert "<td>采纳</td><td>1</td>" in page.text and "<td>不予采纳</td><td>1</td>" in page.text


async def test_materials_are_checked_by_content_and_served_safely(client) -> None:
    meeting = await make_meeting(HELD)
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    token = await csrf_token(client)
    url = f"/manage/meetings/{meeting.id}/materials"
    bad = await client.post(
        url, data={"csrf_token": token}, files={"file": ("议程.pdf", b"<script>x</script>", "application/pdf")}
    )
    assert bad.status_code == 422 and "仅接受PDF" in bad.text
    pdf = b"%PDF-1.4\n%%EOF\n"
    ok = await client.post(url, data={"csrf_token": token}, files={"file": ("会议议程.pdf", pdf, "application/pdf")})
    assert ok.status_code == 303
    page = await client.get(f"/meetings/{meeting.id}")
    link = re.search(r'href="(/meetings/\d+/materials/\d+/[^"]+)"', page.text).group(1)
    download = await client.get(link)
    assert download.content == pdf and download.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in download.headers["content-security-policy"]


async def test_one_person_applies_once_per_call(client, monkeypatch) -> None:
    meeting = await make_meeting(HELD)
    monkeypatch.setattr(clock, "now", lambda: at(date(2026, 11, 25)))
    form = {
        "name": "王五",
        "category": "citizen_representative",
        "statement": "希望就停车收费发表意见。",
        "phone": "138 1234 5678",
        "adult": "on",
        "local": "on",
    }
    first = await post(client, f"/meetings/{meeting.id}/applications", form)
    assert first.status_code == 303
    code = first.headers["location"].split("/")[-1].split("?")[0]
    # The same number written another way, by the same person: refused, with the way to the first one.
    again = await post(client, f"/meetings/{meeting.id}/applications", {**form, "phone": "+86-138-1234-5678"})
    assert again.status_code == 409 and "每人只能报名一次" in again.text
    assert f"/meetings/applications/{code}" in again.text
    # Someone else who knows the number learns that it applied, but not the application's page.
    stranger = await post(client, f"/meetings/{meeting.id}/applications", {**form, "name": "冒名者"})
    assert stranger.status_code == 409 and code not in stranger.text
    by_email = {**form, "phone": "", "email": "Wang@Example.cn"}
    assert (await post(client, f"/meetings/{meeting.id}/applications", by_email)).status_code == 303
    twice = await post(client, f"/meetings/{meeting.id}/applications", {**by_email, "email": "wang@example.cn"})
    assert twice.status_code == 409
    assert await Attendee.filter(meeting_id=meeting.id).count() == 2


async def test_two_clicks_at_once_store_one_application() -> None:
    import asyncio

    meeting = await make_meeting(HELD)
    data = applicant("快手", phone="13700007777")
    results = await asyncio.gather(
        *(apply_to_attend(meeting, data, date(2026, 11, 25), clock.now()) for _ in range(4)), return_exceptions=True
    )
    assert sum(isinstance(r, Attendee) for r in results) == 1
    assert all(isinstance(r, (Attendee, Conflict)) for r in results)
    assert await Attendee.filter(meeting_id=meeting.id).count() == 1


def test_the_lottery_draws_among_distinct_people() -> None:
    from consult.participation.calls import distinct_people

    rows = [
        Attendee(id=1, contact_phone="13800001111", contact_email=""),
        Attendee(id=2, contact_phone="+8613800001111", contact_email=""),  # the same phone again
        Attendee(id=3, contact_phone="", contact_email="a@example.cn"),
        Attendee(id=4, contact_phone="13900002222", contact_email="A@example.cn"),  # the same e-mail
        Attendee(id=5, contact_phone="13900003333", contact_email=""),
    ]
    assert distinct_people(rows) == [1, 3, 5]


async def test_the_office_returns_to_the_applicant_it_acted_on(client) -> None:
    meeting = await make_meeting(HELD, quotas={"expert": 2})
    admin = await make_user(Role.ADMIN)
    first = await apply_to_attend(meeting, applicant("专家甲", "expert"), date(2026, 11, 25), clock.now())
    await log_in(client, admin)
    page = await client.get(f"/manage/meetings/{meeting.id}")
    # The applicants are cards on a phone, and the reason field is labelled where it is typed.
    assert '<table class="stack">' in page.text and f'<label for="why-{first.id}">理由（存档）</label>' in page.text
    form = {"attendee_id": str(first.id), "decision": "select", "reason": "长期从事城市交通研究。"}
    response = await post(client, f"/manage/meetings/{meeting.id}/select", form)
    assert (
        response.status_code == 303 and response.headers["location"] == f"/manage/meetings/{meeting.id}#att-{first.id}"
    )
