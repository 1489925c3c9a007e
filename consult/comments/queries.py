"""Read-side of comments: counts by SQL aggregates and pages that never load more than they show."""

from __future__ import annotations

from tortoise.functions import Count
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


async def counts_by_state(consultation_id: int) -> dict[str, int]:
    rows = (
        await Comment.filter(consultation_id=consultation_id)
        .annotate(n=Count("id"))
        .group_by("state")
        .values("state", "n")
    )
    counts = {state.value: 0 for state in ModerationState}
    for row in rows:
        counts[str(row["state"])] = row["n"]
    counts["total"] = sum(counts[s.value] for s in ModerationState)
    return counts


async def published_per_article(consultation_id: int) -> dict[int, int]:
    rows = (
        await Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED, article_id__isnull=False)
        .annotate(n=Count("id"))
        .group_by("article_id")
        .values("article_id", "n")
    )
    return {row["article_id"]: row["n"] for row in rows}


def comments_in_state(consultation_id: int, state: ModerationState) -> QuerySet[Comment]:
    """The moderation queue: oldest first, so that nobody waits longest."""
    return Comment.filter(consultation_id=consultation_id, state=state).order_by("id").prefetch_related("article")
