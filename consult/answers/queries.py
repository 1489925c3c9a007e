"""Read-side of answers: counts by SQL aggregates, and the answers of the comments a page shows."""

from __future__ import annotations

from typing import Any

from consult.answers.models import Answer
from consult.comments.models import Comment
from consult.review.models import ReviewState


async def answers_for(comments: list[Comment]) -> dict[int, Answer]:
    if not comments:
        return {}
    answers = await Answer.filter(comment_id__in=[c.id for c in comments])
    return {a.comment_id: a for a in answers}


async def awaiting_review_count(consultation_id: int) -> int:
    return await Answer.filter(comment__consultation_id=consultation_id, review_state=ReviewState.PENDING).count()


async def receipt_answer(comment: Comment) -> dict[str, Any]:
    """For the receipt page: the public answer, and how many others received the same group answer."""
    answer = await Answer.get_or_none(comment_id=comment.id, published_at__isnull=False)
    together = 0
    if answer is not None and answer.group_answer_id is not None:
        together = await Answer.filter(group_answer_id=answer.group_answer_id).exclude(comment_id=comment.id).count()
    return {"answer": answer, "together": together}
