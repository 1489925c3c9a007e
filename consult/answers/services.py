"""Answering comments and the reviewer's approval that makes an answer public."""

from __future__ import annotations

from datetime import datetime

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.answers.events import answers_published
from consult.answers.models import Answer
from consult.comments.models import Comment, ModerationState
from consult.comments.search import queue_index
from consult.comments.tally import recount
from consult.drafts.models import Consultation
from consult.errors import Conflict, PermissionDenied
from consult.i18n import gettext, language
from consult.labels import label
from consult.notify.models import MessageKind, OutboxMessage
from consult.notify.services import message, queue
from consult.review.models import AnswerStatus, ReviewedAnswer
from consult.review.services import ReviewKind, checked_reason, revise


async def _department_id(comment: Comment) -> int:
    consultation = await Consultation.get(id=comment.consultation_id).prefetch_related("decision")
    return consultation.decision.department_id


async def answer_comment(comment: Comment, status: AnswerStatus, reason: str, actor: User, now: datetime) -> Answer:
    """Every status but adopted needs a reason. A new or revised answer waits for a reviewer."""
    if not can_edit_department_content(actor, await _department_id(comment)):
        raise PermissionDenied("This decision belongs to another department.")
    if comment.state is not ModerationState.PUBLISHED:
        raise Conflict("Publish the comment before answering it.")
    answer = await Answer.get_or_none(comment_id=comment.id)
    if answer is None:
        reason = checked_reason(status, reason)
        return await Answer.create(comment=comment, status=status, reason=reason, answered_by=actor, answered_at=now)
    revise(answer, status, reason, actor, now)
    # The comment's own answer overrides its group's from now on (the public keeps the approved one
    # until this is approved).
    answer.group_answer_id = None
    await answer.save()
    return answer


async def _approved(answer: ReviewedAnswer, first_publication: bool, now: datetime) -> None:
    """In the approval's transaction: the commenter is told once, when the answer is first public; the
    consultation's figures and the comment's search entry follow the answer."""
    assert isinstance(answer, Answer)
    comment = await Comment.get(id=answer.comment_id)
    if first_publication and comment.notify_by_email and comment.contact_email:
        title = (await Consultation.get(id=comment.consultation_id).prefetch_related("draft")).draft.title
        await queue([_answer_mail(answer, comment, title, now)])
    await recount(comment.consultation_id)
    await queue_index([comment.id])


async def _answer_public(answer: ReviewedAnswer, now: datetime) -> None:
    assert isinstance(answer, Answer)
    comment = await Comment.get(id=answer.comment_id)
    await answers_published.send(consultation_id=comment.consultation_id, now=now)


ANSWER = ReviewKind(
    name="answer",
    model=Answer,
    department_path="comment__consultation__decision__department_id",
    related=("comment__article", "comment__consultation__draft"),
    on_approved=_approved,
    after_approved=_answer_public,
)


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
