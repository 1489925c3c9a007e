"""The department's answer queue: the consultation's published comments to answer, with filters, and
the row form that answers one of them (the answer queue's, and the split button's in groups)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from tortoise.queryset import QuerySet

from consult import clock, forms
from consult.accounts.models import User
from consult.answers.models import Answer
from consult.answers.queries import answers_for
from consult.answers.services import answer_comment
from consult.comments.guards import comment_for_staff
from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Article, Consultation
from consult.forms import number
from consult.groups.models import AnswerTemplate, CommentGroup
from consult.i18n import N_
from consult.review.models import AnswerStatus, ReviewState
from consult.web import (
    RowForm,
    back_to,
    form_text,
    int_param,
    page_number,
    paginate,
)

ANSWER_FILTERS = ("unanswered", "pending", "returned", "approved")


async def department_templates(consultation: Consultation) -> list[AnswerTemplate]:
    """The saved reasons of the consultation's department, offered in every answer form."""
    return await AnswerTemplate.filter(department_id=consultation.decision.department_id)


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
        "templates": await department_templates(consultation),
    }


class AnswerRow(RowForm):
    row_template = "manage/_answer_row.html"
    title = N_("Answer")

    async def load(self, request: Request) -> tuple[User, Comment, Consultation]:
        return await comment_for_staff(request, "article", "group")

    async def submit(self, request: Request, target: tuple[User, Comment, Consultation], form: FormData) -> None:
        user, comment, consultation = target
        status = forms.one_of(form.get("status"), AnswerStatus, "status")
        department_id = consultation.decision.department_id
        template = await AnswerTemplate.get_or_none(id=number(form, "template_id"), department_id=department_id)
        # As for a group's answer: a saved reason is used when none is typed.
        reason = form_text(form, "reason").strip() or (template.text if template else "")
        await answer_comment(comment, status, reason, user, clock.now())

    async def row_context(self, request: Request, target: tuple[User, Comment, Consultation]) -> dict[str, Any]:
        _user, comment, consultation = target
        answer = await Answer.get_or_none(comment_id=comment.id)
        return {
            "comment": comment,
            "answer": answer,
            "statuses": list(AnswerStatus),
            "consultation": consultation,
            "templates": await department_templates(consultation),
        }

    def back(self, target: tuple[User, Comment, Consultation], form: FormData) -> str:
        return back_to(form, f"/manage/consultations/{target[2].id}/answers")
