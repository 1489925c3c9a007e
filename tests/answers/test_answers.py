"""Answering every comment, and the reviewer's approval before an answer is public."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.answers.models import Answer
from consult.answers.services import answer_comment
from consult.comments.models import ModerationState
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.review.models import AnswerStatus, ReviewState
from consult.review.services import review
from tests.factories import log_in, make_comment, make_consultation, make_user, post


async def _setup():
    consultation = await make_consultation()
    department = await (await consultation.decision).department
    comment = await make_comment(consultation, "建议首次免费停车延长到三十分钟。")
    staff = await make_user(Role.STAFF, department)
    reviewer = await make_user(Role.REVIEWER, department)
    return consultation, comment, staff, reviewer


@pytest.mark.parametrize("status", [s for s in AnswerStatus if s is not AnswerStatus.ADOPTED])
async def test_every_status_but_adopted_needs_a_reason(status: AnswerStatus) -> None:
    _, comment, staff, _ = await _setup()
    with pytest.raises(ValidationError):
        await answer_comment(comment, status, "  ", staff, clock.now())
    answer = await answer_comment(comment, status, "上位法已有规定。", staff, clock.now())
    assert answer.review_state is ReviewState.PENDING


async def test_adopted_needs_no_reason() -> None:
    _, comment, staff, _ = await _setup()
    answer = await answer_comment(comment, AnswerStatus.ADOPTED, "", staff, clock.now())
    assert answer.status is AnswerStatus.ADOPTED


async def test_pending_comments_cannot_be_answered_before_moderation() -> None:
    consultation, _, staff, _ = await _setup()
    pending = await make_comment(consultation, state=ModerationState.PENDING)
    with pytest.raises(Conflict):
        await answer_comment(pending, AnswerStatus.ADOPTED, "", staff, clock.now())


async def test_answer_is_public_only_after_approval(client) -> None:
    consultation, comment, staff, reviewer = await _setup()
    answer = await answer_comment(comment, AnswerStatus.NOT_ADOPTED, "收费标准另行制定。", staff, clock.now())
    page = await client.get(f"/consultations/{consultation.id}")
    assert "收费标准另行制定" not in page.text and "尚未答复" in page.text
    await review(answer, True, "", reviewer, clock.now())
    page = await client.get(f"/consultations/{consultation.id}")
    assert "收费标准另行制定" in page.text and "不予采纳" in page.text
    receipt = await client.get(f"/receipts/{comment.receipt_code}")
    assert "收费标准另行制定" in receipt.text


async def test_nobody_approves_their_own_answer_and_other_departments_cannot_review() -> None:
    consultation, comment, _, reviewer = await _setup()
    answer = await answer_comment(comment, AnswerStatus.ADOPTED, "", reviewer, clock.now())
    with pytest.raises(PermissionDenied):
        await review(answer, True, "", reviewer, clock.now())
    outsider = await make_user(Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        await review(answer, True, "", outsider, clock.now())
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    with pytest.raises(PermissionDenied):
        await review(answer, True, "", staff, clock.now())
    admin = await make_user(Role.ADMIN)
    await review(answer, True, "", admin, clock.now())


async def test_returning_needs_a_note_and_the_revision_goes_back_to_review() -> None:
    _, comment, staff, reviewer = await _setup()
    answer = await answer_comment(comment, AnswerStatus.NOT_ADOPTED, "不采纳。", staff, clock.now())
    with pytest.raises(ValidationError):
        await review(answer, False, "", reviewer, clock.now())
    await review(answer, False, "请说明法律依据。", reviewer, clock.now())
    assert (await Answer.get(id=answer.id)).review_state is ReviewState.RETURNED
    with pytest.raises(Conflict):
        await review(await Answer.get(id=answer.id), True, "", reviewer, clock.now())
    revised = await answer_comment(comment, AnswerStatus.NOT_ADOPTED, "依据《道路交通安全法》。", staff, clock.now())
    assert revised.id == answer.id and revised.review_state is ReviewState.PENDING


async def test_revising_an_approved_answer_keeps_the_public_copy_until_reapproved(client) -> None:
    consultation, comment, staff, reviewer = await _setup()
    answer = await answer_comment(comment, AnswerStatus.NOT_ADOPTED, "第一次答复理由。", staff, clock.now())
    await review(answer, True, "", reviewer, clock.now())
    await answer_comment(comment, AnswerStatus.PARTLY_ADOPTED, "修改后的理由。", staff, clock.now())
    page = await client.get(f"/consultations/{consultation.id}")
    assert "第一次答复理由" in page.text and "修改后的理由" not in page.text
    await review(await Answer.get(id=answer.id), True, "", reviewer, clock.now())
    page = await client.get(f"/consultations/{consultation.id}")
    assert "修改后的理由" in page.text and "部分采纳" in page.text


async def test_answers_can_be_given_after_the_consultation_closes(client) -> None:
    consultation = await make_consultation(starts_on=clock.today() - timedelta(days=45), days=30)
    department = await (await consultation.decision).department
    comment = await make_comment(consultation)
    staff = await make_user(Role.STAFF, department)
    await log_in(client, staff)
    response = await post(
        client, f"/manage/comments/{comment.id}/answer", {"status": "already_covered", "reason": "第三条已有规定。"}
    )
    assert response.status_code == 303
    assert (await Answer.get(comment_id=comment.id)).status is AnswerStatus.ALREADY_COVERED


async def test_answer_queue_filters_and_htmx_answer_form(client) -> None:
    consultation, comment, staff, _reviewer = await _setup()
    other = await make_comment(consultation, "另一条意见，已经答复过了。")
    await answer_comment(other, AnswerStatus.ADOPTED, "", staff, clock.now())
    await log_in(client, staff)
    queue = await client.get(f"/manage/consultations/{consultation.id}/answers?answer=unanswered")
    assert "建议首次免费停车" in queue.text and "另一条意见" not in queue.text
    pending = await client.get(f"/manage/consultations/{consultation.id}/answers?answer=pending")
    assert "另一条意见" in pending.text and "建议首次免费停车" not in pending.text
    response = await post(
        client, f"/manage/comments/{comment.id}/answer", {"status": "not_adopted", "reason": ""}, htmx=True
    )
    assert response.status_code == 422 and "除“采纳”外，其他答复均须说明理由" in response.text
    assert "<html" not in response.text
    response = await post(
        client, f"/manage/comments/{comment.id}/answer", {"status": "not_adopted", "reason": "另行研究。"}, htmx=True
    )
    assert response.status_code == 200 and "待审核" in response.text


async def test_review_queue_over_http(client) -> None:
    _consultation, comment, staff, reviewer = await _setup()
    answer = await answer_comment(comment, AnswerStatus.PARTLY_ADOPTED, "部分采纳理由。", staff, clock.now())
    await log_in(client, reviewer)
    queue = await client.get("/manage/reviews")
    assert queue.status_code == 200 and "部分采纳理由" in queue.text
    response = await post(client, f"/manage/answers/{answer.id}/review", {"decision": "approve"})
    assert response.status_code == 303
    assert (await Answer.get(id=answer.id)).published_at is not None


async def test_staff_cannot_open_the_review_queue(client) -> None:
    _, _, staff, _ = await _setup()
    await log_in(client, staff)
    assert (await client.get("/manage/reviews")).status_code == 403


async def test_the_queue_is_one_compact_row_each_and_a_saved_reason_answers_a_single_comment(client) -> None:
    from consult.groups.services import add_answer_template

    consultation, comment, staff, _reviewer = await _setup()
    second = await make_comment(consultation, "停车场夜间应当对居民开放，按月收费。")
    template = await add_answer_template(
        staff.department_id, "已有规定", "草案第三条已作规定，不再重复。", staff, clock.now()
    )
    await log_in(client, staff)
    queue = await client.get(f"/manage/consultations/{consultation.id}/answers")
    # Every row's form is folded until it is opened; the saved reasons are offered in each.
    assert queue.text.count('<article class="comment queue-row"') == 2 and "<details open" not in queue.text
    assert f'<option value="{template.id}" data-text="草案第三条已作规定，不再重复。">已有规定</option>' in queue.text
    # The form names the next row: without JavaScript the list reopens there, not at the top.
    assert f'name="place" value="ans-{second.id}"' in queue.text

    back = f"/manage/consultations/{consultation.id}/answers?answer=unanswered"
    form = {"status": "already_covered", "reason": "", "template_id": str(template.id), "back": back}
    response = await post(client, f"/manage/comments/{comment.id}/answer", {**form, "place": f"ans-{second.id}"})
    assert response.status_code == 303 and response.headers["location"] == f"{back}#ans-{second.id}"
    answer = await Answer.get(comment_id=comment.id)
    assert answer.status is AnswerStatus.ALREADY_COVERED and answer.reason == "草案第三条已作规定，不再重复。"
    # A typed reason wins over the saved one; a place that is not a row's anchor is ignored.
    form = {**form, "reason": "将在实施细则中明确。", "place": "javascript:alert(1)"}
    response = await post(client, f"/manage/comments/{second.id}/answer", form)
    assert response.headers["location"] == back
    assert (await Answer.get(comment_id=second.id)).reason == "将在实施细则中明确。"
    # Another department's saved reason is not used.
    from tests.factories import make_department

    other = await add_answer_template(
        (await make_department("县财政局")).id, "他人", "别的部门的理由。", await make_user(Role.ADMIN), clock.now()
    )
    third = await make_comment(consultation, "建议在学校周边设置临时停车位，方便接送。")
    refused = await post(
        client, f"/manage/comments/{third.id}/answer", {"status": "not_adopted", "template_id": str(other.id)}
    )
    assert refused.status_code == 422 and "别的部门的理由" not in refused.text


async def test_an_answered_row_comes_back_with_the_keyboard_focus(client) -> None:
    _consultation, comment, staff, _reviewer = await _setup()
    await log_in(client, staff)
    response = await post(
        client, f"/manage/comments/{comment.id}/answer", {"status": "adopted", "reason": ""}, htmx=True
    )
    assert response.status_code == 200
    assert f'id="ans-{comment.id}" tabindex="-1" data-autofocus' in response.text
