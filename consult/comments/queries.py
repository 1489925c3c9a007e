"""Read-side of comments: counts by SQL aggregates and pages that never load more than they show."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from consult.comments.models import Comment, ModerationState
from consult.review.models import AnswerStatus


def public_comments(
    consultation_id: int, article_id: int | None = None, answer_status: AnswerStatus | None = None
) -> QuerySet[Comment]:
    queryset = Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED)
    if article_id is not None:
        queryset = queryset.filter(article_id=article_id)
    if answer_status is not None:
        queryset = queryset.filter(answer__public_status=answer_status)
    return queryset.order_by("-id")


def comments_in_state(consultation_id: int, state: ModerationState) -> QuerySet[Comment]:
    """The moderation queue: oldest first, so that nobody waits longest."""
    return Comment.filter(consultation_id=consultation_id, state=state).order_by("id").prefetch_related("article")
