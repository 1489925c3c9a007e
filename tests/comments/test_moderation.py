"""Moderation (留言审看) and offline comments entered by staff."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import Channel, Comment, ModerationState, WithholdReason
from consult.comments.services import moderate_comment
from consult.errors import Conflict, PermissionDenied, ValidationError
from tests.factories import log_in, make_comment, make_consultation, make_user, post

S = ModerationState


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (S.PENDING, S.PUBLISHED, True),
        (S.PENDING, S.WITHHELD, True),
        (S.PUBLISHED, S.WITHHELD, True),
        (S.WITHHELD, S.PUBLISHED, True),
        (S.PUBLISHED, S.PUBLISHED, False),
        (S.WITHHELD, S.WITHHELD, False),
        (S.PUBLISHED, S.PENDING, False),
        (S.WITHHELD, S.PENDING, False),
    ],
)
async def test_moderation_transitions(start: S, target: S, allowed: bool) -> None:
    consultation = await make_consultation()
    comment = await make_comment(consultation, state=start)
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    reason = WithholdReason.ABUSE if target is S.WITHHELD else None
    if allowed:
        await moderate_comment(comment, target, staff, clock.now(), reason)
        assert (await Comment.get(id=comment.id)).state is target
    else:
        with pytest.raises(Conflict):
            await moderate_comment(comment, target, staff, clock.now(), reason)


async def test_withholding_needs_a_reason_and_another_department_cannot_moderate() -> None:
    consultation = await make_consultation()
    comment = await make_comment(consultation, state=S.PENDING)
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    with pytest.raises(ValidationError):
        await moderate_comment(comment, S.WITHHELD, staff, clock.now(), None)
    outsider = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await moderate_comment(comment, S.PUBLISHED, outsider, clock.now())


async def test_withheld_comments_are_hidden_but_still_counted(client) -> None:
    consultation = await make_consultation()
    await make_comment(consultation, "这条意见会被公开，内容关于停车收费。", state=S.PUBLISHED)
    await make_comment(consultation, "这条意见含有不当内容，不予公开处理。", state=S.WITHHELD)
    await make_comment(consultation, "这条意见还在等待审看，暂不公开。", state=S.PENDING)
    page = await client.get(f"/consultations/{consultation.id}")
    assert "这条意见会被公开" in page.text
    assert "不当内容" not in page.text and "等待审看" not in page.text
    assert "共收到3条，已公开1条" in page.text


async def test_moderation_queue_over_http_with_htmx_row_swap(client) -> None:
    consultation = await make_consultation()
    comment = await make_comment(consultation, "等待审看的意见内容，关于第三条。", state=S.PENDING)
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    await log_in(client, staff)
    queue = await client.get(f"/manage/consultations/{consultation.id}/moderation")
    assert queue.status_code == 200 and "等待审看的意见内容" in queue.text
    # Staff see the private contact details they need to follow up.
    assert comment.contact_phone in queue.text
    response = await post(
        client, f"/manage/comments/{comment.id}/moderate", {"target": "withheld", "withhold_reason": ""}, htmx=True
    )
    assert response.status_code == 422 and "请选择不予展示的原因" in response.text
    response = await post(client, f"/manage/comments/{comment.id}/moderate", {"target": "published"}, htmx=True)
    assert response.status_code == 200 and "<html" not in response.text and "已公开" in response.text
    assert (await Comment.get(id=comment.id)).state is S.PUBLISHED


async def test_offline_comment_gets_a_receipt_and_its_channel(client) -> None:
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    await log_in(client, staff)
    received = consultation.starts_on + timedelta(days=2)
    form = {
        "channel": "letter",
        "received_on": received.isoformat(),
        "body": "来信：建议在学校周边增设临时停车位。",
        "category": "npc_deputy",
        "name": "韩代表",
        "phone": "0531-87654321",
        "display_mode": "masked",
    }
    response = await post(client, f"/manage/consultations/{consultation.id}/offline", form)
    assert response.status_code == 200
    comment = await Comment.get(body=form["body"])
    assert comment.channel is Channel.LETTER and comment.received_on == received
    assert comment.entered_by_id == staff.id
    assert comment.receipt_code in response.text


async def test_offline_comment_date_must_be_within_the_period(client) -> None:
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    await log_in(client, staff)
    form = {
        "channel": "phone",
        "received_on": (consultation.starts_on - timedelta(days=1)).isoformat(),
        "body": "电话意见：希望夜间停车免费。",
        "category": "citizen",
        "name": "李先生",
        "phone": "13700000000",
    }
    response = await post(client, f"/manage/consultations/{consultation.id}/offline", form)
    assert response.status_code == 422 and "收到日期须在征求意见期限内" in response.text
    assert 'value="李先生"' in response.text
    assert await Comment.all().count() == 0


async def test_citizens_cannot_claim_an_offline_channel(client) -> None:
    consultation = await make_consultation()
    from consult.comments.services import CommentInput, submit_comment

    with pytest.raises(PermissionDenied):
        await submit_comment(
            consultation,
            CommentInput(body="我是网上提交但冒充信函渠道的意见", category="citizen", name="某", phone="13900000000"),
            clock.now(),
            clock.today(),
            channel=Channel.LETTER,
        )


async def test_a_moderator_keeps_their_place_and_every_field_has_a_visible_label(client) -> None:
    consultation = await make_consultation()
    first = await make_comment(consultation, "第一条等待审看的意见，关于收费标准。", state=S.PENDING)
    second = await make_comment(consultation, "第二条等待审看的意见，关于夜间开放。", state=S.PENDING)
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    await log_in(client, staff)
    queue = await client.get(f"/manage/consultations/{consultation.id}/moderation")
    assert f'<label for="reason-{first.id}">不予展示的原因</label>' in queue.text
    assert f'<label for="note-{first.id}">内部备注（选填）</label>' in queue.text
    assert "visually-hidden" not in queue.text.split('id="mod-', 1)[1]
    # Without JavaScript the queue reopens at the next comment (this one has left the pending list).
    back = f"/manage/consultations/{consultation.id}/moderation?state=pending"
    form = {"target": "published", "back": back, "place": f"mod-{second.id}"}
    response = await post(client, f"/manage/comments/{first.id}/moderate", form)
    assert response.status_code == 303 and response.headers["location"] == f"{back}#mod-{second.id}"
    # With htmx the row is swapped in place and takes the focus its button had.
    response = await post(client, f"/manage/comments/{second.id}/moderate", {"target": "published"}, htmx=True)
    assert f'id="mod-{second.id}" tabindex="-1" data-autofocus' in response.text
