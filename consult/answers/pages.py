"""The department's answer queue: the consultation's published comments to answer, with filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from tortoise.queryset import QuerySet

from consult.answers.queries import answers_for
from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Article, Consultation
from consult.groups.models import CommentGroup
from consult.review.models import AnswerStatus, ReviewState
from consult.web import int_param, page_number, paginate

ANSWER_FILTERS = ("unanswered", "pending", "returned", "approved")


@dataclass(frozen=True)
class QueueFilter:
    which: str
    article: int | None
    group: int | None
    page: int

    @classmethod
    def of(cls, request: Request) -> QueueFilter:
        which = request.query_params.get("answer", "unanswered")
        which = which if which in ANSWER_FILTERS else "all"
        return cls(which, int_param(request, "article"), int_param(request, "group"), page_number(request))

    def apply(self, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.article is not None:
            queryset = queryset.filter(article_id=self.article)
        if self.group is not None:
            queryset = queryset.filter(group_id=self.group)
        if self.which == "unanswered":
            return queryset.filter(answer__id__isnull=True)
        if self.which in ("pending", "returned", "approved"):
            return queryset.filter(answer__review_state=ReviewState(self.which))
        return queryset


async def answer_queue_view(consultation: Consultation, chosen: QueueFilter) -> dict[str, Any]:
    published = Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED)
    queryset = chosen.apply(published).order_by("id").prefetch_related("article", "group")
    page = await paginate(queryset, chosen.page, 30)
    group = await CommentGroup.get_or_none(id=chosen.group, consultation_id=consultation.id) if chosen.group else None
    return {
        "consultation": consultation,
        "articles": await Article.filter(draft_id=consultation.draft_id),
        "article_filter": chosen.article,
        "which": chosen.which,
        "filters": ANSWER_FILTERS,
        "page": page,
        "answers": await answers_for(page.items),
        "statuses": list(AnswerStatus),
        "group_filter": group,
    }
