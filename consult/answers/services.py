"""Answering comments and the reviewer's approval that makes an answer public."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_approve_answer, can_edit_department_content, can_review
from consult.answers.models import Answer, AnswerStatus, ReviewedAnswer, ReviewState
from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Consultation
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.i18n import N_, gettext, language
from consult.labels import label
from consult.notify.models import MessageKind, OutboxMessage
from consult.notify.services import message, queue
from consult.reports.services import publish_if_complete
from consult.search.index import refresh_comment_statuses

MAX_REASON = 5000


async def _department_id(comment: Comment) -> int:
    consultation = await Consultation.get(id=comment.consultation_id).prefetch_related("decision")
    return consultation.decision.department_id


async def answer_comment(comment: Comment, status: AnswerStatus, reason: str, actor: User, now: datetime) -> Answer:
    """Every status but adopted needs a reason. A new or revised answer waits for a reviewer."""
    if not can_edit_department_content(actor, await _department_id(comment)):
        raise PermissionDenied("This decision belongs to another department.")
    if comment.state is not ModerationState.PUBLISHED:
        raise Conflict("Publish the comment before answering it.")
    reason = reason.strip()
    if status is not AnswerStatus.ADOPTED and not reason:
        raise ValidationError({"reason": N_("Give the reason: it is required unless the comment is adopted.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": N_("Too long.")})
    answer = await Answer.get_or_none(comment_id=comment.id)
    if answer is None:
        return await Answer.create(comment=comment, status=status, reason=reason, answered_by=actor, answered_at=now)
    answer.status = status
    answer.reason = reason
    answer.answered_by = actor
    answer.answered_at = now
    answer.review_state = ReviewState.PENDING
    answer.review_note = ""
    # The comment's own answer overrides its group's from now on (the public keeps the approved one
    # until this is approved).
    answer.group_answer_id = None
    await answer.save()
    return answer


async def check_review(
    answer: ReviewedAnswer, department_id: int, approve: bool, note: str, actor: User, now: datetime
) -> bool:
    """The rules every review follows: a reviewer of the department, never one's own answer, only a
    pending answer, and a note when returning it. A return is saved here; True means approve."""
    if not can_review(actor, department_id):
        raise PermissionDenied("Only a reviewer of the department can approve answers.")
    if not can_approve_answer(actor, department_id, answer.answered_by_id):
        raise PermissionDenied("You cannot approve an answer you wrote yourself.")
    if answer.review_state is not ReviewState.PENDING:
        raise Conflict("This answer is not waiting for review.")
    answer.reviewed_by = actor
    answer.reviewed_at = now
    if approve:
        return True
    if not note.strip():
        raise ValidationError({"note": N_("Tell the author what to change.")})
    answer.review_state = ReviewState.RETURNED
    answer.review_note = note.strip()
    await answer.save()
    return False


def publish_answer(answer: ReviewedAnswer, note: str, now: datetime) -> None:
    """Approval copies the proposal to what the public sees (the caller saves)."""
    answer.review_state = ReviewState.APPROVED
    answer.public_status = answer.status
    answer.public_reason = answer.reason
    answer.published_at = now
    answer.review_note = note.strip()


async def review_answer(answer: Answer, approve: bool, note: str, actor: User, now: datetime) -> None:
    """Approval makes the answer public (and mails the commenter once); returning it needs a note."""
    comment = await Comment.get(id=answer.comment_id)
    if not await check_review(answer, await _department_id(comment), approve, note, actor, now):
        return
    first_publication = answer.published_at is None
    publish_answer(answer, note, now)
    async with in_transaction():
        await answer.save()
        if first_publication and comment.notify_by_email and comment.contact_email:
            title = (await Consultation.get(id=comment.consultation_id).prefetch_related("draft")).draft.title
            await queue([_answer_mail(answer, comment, title, now)])
    await refresh_comment_statuses([comment.id])
    await publish_if_complete(comment.consultation_id, now)


def _answer_mail(answer: Answer, comment: Comment, title: str, now: datetime) -> OutboxMessage:
    """The dedupe key is the answer's: a revision approved later never mails again."""
    with language("zh"):
        subject = gettext("Your comment on “%(title)s” has been answered", title=title)
        body = gettext(
            "The department has answered your comment (receipt %(code)s): %(status)s.\nRead the answer: %(link)s\n"
        ) % {
            "code": comment.receipt_code,
            "status": label(answer.public_status),
            "link": f"{{base_url}}/receipts/{comment.receipt_code}",
        }
    return message(MessageKind.ANSWER_PUBLISHED, f"answer:{answer.id}", comment.contact_email, subject, body, now)


async def queue_answer_mail(group_id: int, now: datetime) -> None:
    """Mail the members of a group who inherit its answer and asked to be told (once each)."""
    answers = await Answer.filter(
        group_answer__group_id=group_id, comment__notify_by_email=True, published_at__isnull=False
    ).prefetch_related("comment")
    if not answers:
        return
    consultation = await Consultation.get(id=answers[0].comment.consultation_id).prefetch_related("draft")
    await queue(_answer_mail(a, a.comment, consultation.draft.title, now) for a in answers if a.comment.contact_email)
