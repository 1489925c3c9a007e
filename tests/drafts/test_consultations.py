"""Drafts split into articles, consultations and their schedule rules, attachments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.drafts.models import Article, Attachment, Consultation, ConsultationEvent, ConsultationEventKind, Draft
from consult.drafts.services import (
    close_consultation_early,
    create_consultation,
    extend_consultation,
    publish_consultation,
)
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.settings import Settings
from tests.factories import csrf_token, log_in, make_consultation, make_decision, make_draft, make_user, post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_staff_paste_a_draft_and_articles_are_recognised(client) -> None:
    decision = await make_decision()
    staff = await make_user(Role.STAFF, await decision.department)
    await log_in(client, staff)
    body = "某办法\n" + "\n".join(f"第{n}条 内容{n}。" for n in "一二三四五六七八九十")
    response = await post(
        client,
        f"/manage/decisions/{decision.id}/drafts/new",
        {"version_label": "征求意见稿", "title": "某办法", "body": body, "explanation": "说明"},
    )
    assert response.status_code == 303
    draft = await Draft.get(decision_id=decision.id)
    assert await Article.filter(draft_id=draft.id).count() == 10
    empty = await post(
        client, f"/manage/decisions/{decision.id}/drafts/new", {"version_label": "", "title": "", "body": ""}
    )
    assert empty.status_code == 422 and "请粘贴草案全文" in empty.text


async def test_a_period_under_30_days_needs_a_published_reason(client) -> None:
    draft = await make_draft()
    staff = await make_user(Role.STAFF, await (await draft.decision).department)
    today = clock.today()
    with pytest.raises(ValidationError) as info:
        await create_consultation(draft, today, today + timedelta(days=20), "", staff, today, clock.now(), Settings())
    assert "short_period_reason" in info.value.errors
    consultation = await create_consultation(
        draft,
        today,
        today + timedelta(days=20),
        "涉及春节前供暖安排，时间紧迫。",
        staff,
        today,
        clock.now(),
        Settings(),
    )
    reviewer = await make_user(Role.REVIEWER, await (await draft.decision).department)
    await publish_consultation(consultation, reviewer, today, clock.now())
    page = await client.get(f"/consultations/{consultation.id}")
    assert "涉及春节前供暖安排" in page.text and "征求意见期限少于30天的原因" in page.text


async def test_thirty_days_exactly_needs_no_reason() -> None:
    draft = await make_draft()
    staff = await make_user(Role.STAFF, await (await draft.decision).department)
    today = clock.today()
    consultation = await create_consultation(
        draft, today, today + timedelta(days=30), "", staff, today, clock.now(), Settings()
    )
    assert consultation.short_period_reason == ""


async def test_start_in_the_past_and_end_before_start_are_refused() -> None:
    draft = await make_draft()
    staff = await make_user(Role.STAFF, await (await draft.decision).department)
    today = clock.today()
    with pytest.raises(ValidationError):
        await create_consultation(
            draft, today - timedelta(days=1), today + timedelta(days=40), "", staff, today, clock.now(), Settings()
        )
    with pytest.raises(ValidationError):
        await create_consultation(
            draft, today + timedelta(days=5), today + timedelta(days=5), "x", staff, today, clock.now(), Settings()
        )


async def test_only_a_reviewer_publishes_and_the_draft_is_private_until_then(client) -> None:
    consultation = await make_consultation(published=False)
    department = await (await consultation.decision).department
    staff = await make_user(Role.STAFF, department)
    with pytest.raises(PermissionDenied):
        await publish_consultation(consultation, staff, clock.today(), clock.now())
    other_reviewer = await make_user(Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        await publish_consultation(consultation, other_reviewer, clock.today(), clock.now())
    assert (await client.get(f"/consultations/{consultation.id}")).status_code == 404
    reviewer = await make_user(Role.REVIEWER, department)
    await log_in(client, reviewer)
    response = await post(client, f"/manage/consultations/{consultation.id}/publish")
    # make_consultation(published=False) started 5 days ago: the reviewer is told to move the dates.
    assert response.status_code == 409 and "开始日期已过" in response.text
    today = clock.today()
    await post(
        client,
        f"/manage/consultations/{consultation.id}/schedule",
        {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat()},
    )
    assert (await post(client, f"/manage/consultations/{consultation.id}/publish")).status_code == 303
    assert (await client.get(f"/consultations/{consultation.id}")).status_code == 200
    with pytest.raises(Conflict):
        await publish_consultation(await Consultation.get(id=consultation.id), reviewer, today, clock.now())


async def test_closing_early_needs_a_reason_and_is_shown_publicly(client) -> None:
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    await log_in(client, staff)
    response = await post(client, f"/manage/consultations/{consultation.id}/close", {"reason": ""})
    assert response.status_code == 422 and "请填写提前结束的原因" in response.text
    response = await post(
        client, f"/manage/consultations/{consultation.id}/close", {"reason": "上级政策调整，暂停征求意见。"}
    )
    assert response.status_code == 303
    page = await client.get(f"/consultations/{consultation.id}")
    assert "上级政策调整" in page.text and "本次征求意见已结束" in page.text
    topic = await client.get(f"/decisions/{consultation.decision_id}")
    assert "提前结束" in topic.text and "上级政策调整" in topic.text
    with pytest.raises(Conflict):
        await close_consultation_early(
            await Consultation.get(id=consultation.id), "again", staff, clock.today(), clock.now()
        )


async def test_extend_and_reopen_with_reasons() -> None:
    today = clock.today()
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    with pytest.raises(ValidationError):
        await extend_consultation(consultation, consultation.ends_on + timedelta(days=5), "", staff, today, clock.now())
    with pytest.raises(ValidationError):
        await extend_consultation(consultation, consultation.ends_on, "同日", staff, today, clock.now())
    kind = await extend_consultation(
        consultation, consultation.ends_on + timedelta(days=10), "意见较多", staff, today, clock.now()
    )
    assert kind is ConsultationEventKind.EXTENDED
    closed = await make_consultation(starts_on=today - timedelta(days=40))
    staff2 = await make_user(Role.STAFF, await (await closed.decision).department)
    kind = await extend_consultation(
        closed, today + timedelta(days=7), "补充听证后重新征求", staff2, today, clock.now()
    )
    assert kind is ConsultationEventKind.REOPENED
    assert await ConsultationEvent.filter(consultation_id=closed.id, kind=kind).exists()


async def test_public_list_filters_open_and_closed(client) -> None:
    today = clock.today()
    open_one = await make_consultation()
    closed = await make_consultation(starts_on=today - timedelta(days=50))
    open_title = (await Draft.get(id=open_one.draft_id)).title
    response = await client.get("/consultations/")
    assert f'/consultations/{open_one.id}"' in response.text and f'/consultations/{closed.id}"' not in response.text
    response = await client.get("/consultations/?status=closed")
    assert f'/consultations/{closed.id}"' in response.text and f'/consultations/{open_one.id}"' not in response.text
    home = await client.get("/")
    assert open_title in home.text and f"还剩{(open_one.ends_on - today).days}天" in home.text


async def test_attachments_are_checked_by_content_and_private_until_published(client) -> None:
    consultation = await make_consultation(published=False)
    department = await (await consultation.decision).department
    staff = await make_user(Role.STAFF, department)
    await log_in(client, staff)
    url = f"/manage/drafts/{consultation.draft_id}/attachments"
    csrf = await csrf_token(client)
    fake = await client.post(
        url,
        data={"csrf_token": csrf, "kind": "draft"},
        files={"file": ("说明.pdf", b"<html><script>1</script>", "application/pdf")},
    )
    assert fake.status_code == 422 and "仅接受PDF" in fake.text
    ok = await client.post(
        url, data={"csrf_token": csrf, "kind": "draft"}, files={"file": ("草案全文.pdf", PDF, "application/pdf")}
    )
    assert ok.status_code == 303
    attachment = await Attachment.get(draft_id=consultation.draft_id)
    link = f"/attachments/{attachment.id}/x.pdf"
    assert (await client.get(link)).status_code == 200  # the department sees it
    client.cookies.delete("consult_session")
    assert (await client.get(link)).status_code == 404  # the public does not, yet
    reviewer = await make_user(Role.REVIEWER, department)
    today = clock.today()
    fresh = await Consultation.get(id=consultation.id)
    fresh.starts_on = today
    await fresh.save()
    await publish_consultation(fresh, reviewer, today, clock.now())
    public = await client.get(link)
    assert public.status_code == 200 and public.content == PDF
    assert public.headers["x-content-type-options"] == "nosniff"
    assert "filename*=UTF-8''%E8%8D%89" in public.headers["content-disposition"]
