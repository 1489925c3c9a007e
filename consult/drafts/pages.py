"""The public consultation page, rendered for its own handler and again with the comment form's errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from consult import clock, forms
from consult.accounts.models import User
from consult.accounts.permissions import can_review
from consult.answers import queries as answer_queries
from consult.comments import queries as comment_queries
from consult.comments.models import Comment, SubmitterCategory
from consult.comments.tally import Figures, figures
from consult.drafts.models import (
    Article,
    Consultation,
    ConsultationEvent,
)
from consult.drafts.services import (
    ConsultationState,
    closed_consultations,
    consultation_state,
    days_left,
    open_consultations,
    period_days,
    period_rule,
)
from consult.drafts.visibility import public_consultations
from consult.groups.rules import ConcentratedRule
from consult.groups.services import concentrated_groups
from consult.implementation.changes import Piece, text_diff
from consult.procedure.queries import comment_counts, public_attachments
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus
from consult.settings import Settings
from consult.surveys.services import survey_state
from consult.surveys.visibility import public_surveys
from consult.web import (
    int_param,
    page_number,
    paginate,
    render,
    settings_of,
)

# The query parameters that change the consultation page (the page cache keeps one copy per set).
CONSULTATION_PARAMS = ("article", "answer", "group", "page", "comment_on")


@dataclass(frozen=True)
class CommentFilter:
    """Which of the published comments the page lists: by article, by answer, by group; and the page."""

    article: int | None
    answer: AnswerStatus | None
    group: int | None
    page: int

    @classmethod
    def of(cls, request: Request) -> CommentFilter:
        answer = forms.choice(request.query_params.get("answer", ""), AnswerStatus, "answer", forms.Errors())
        return cls(int_param(request, "article"), answer, int_param(request, "group"), page_number(request))

    def total_in(self, tally: Figures) -> int | None:
        """How many comments the filter lists, when the consultation's figures already say (else the
        page counts them): all published, those on one article, or those of one group."""
        if self.answer is not None or (self.article is not None and self.group is not None):
            return None
        if self.article is not None:
            return tally.per_article.get(self.article, 0)
        if self.group is not None:
            return tally.per_group.get(self.group, 0)
        return tally.published


def proposals(comments: list[Comment], articles: dict[int, Article]) -> dict[int, list[Piece]]:
    """Each proposed wording as a diff against the article it would replace."""
    return {
        c.id: text_diff(articles[c.article_id].body, c.proposed_text)
        for c in comments
        if c.proposed_text and c.article_id in articles
    }


async def consultation_view(
    consultation: Consultation, chosen: CommentFilter, settings: Settings, today: date
) -> dict[str, Any]:
    """Everything the consultation page shows: the draft by article, the comments chosen, their answers,
    the concentrated opinions and the report, counted by SQL aggregates."""
    articles = await Article.filter(draft_id=consultation.draft_id)
    queryset = comment_queries.public_comments(consultation.id, chosen.article, chosen.answer)
    if chosen.group is not None:
        queryset = queryset.filter(group_id=chosen.group)
    tally = await figures(consultation.id)
    page = await paginate(queryset, chosen.page, settings.comments_per_page, chosen.total_in(tally))
    attachments = await public_attachments(consultation.decision)
    rule = ConcentratedRule.of(settings)
    return {
        "consultation": consultation,
        "draft": consultation.draft,
        "decision": consultation.decision,
        "state": consultation_state(consultation, today),
        "days_left": days_left(consultation, today),
        "period_days": period_days(consultation.starts_on, consultation.ends_on),
        "minimum": period_rule(consultation.decision, settings),
        "events": await ConsultationEvent.filter(consultation_id=consultation.id),
        "articles": articles,
        "articles_by_id": {a.id: a for a in articles},
        "proposals": proposals(page.items, {a.id: a for a in articles}),
        "per_article": tally.per_article,
        "attachments": [a for a in attachments if a.draft_id in (None, consultation.draft_id)],
        "counts": tally.by_state,
        "answered": tally.answered,
        "page": page,
        "answers": await answer_queries.answers_for(page.items),
        "article_filter": chosen.article,
        "status_filter": chosen.answer,
        "answer_statuses": list(AnswerStatus),
        "categories": list(SubmitterCategory),
        "report": await AdoptionReport.get_or_none(consultation_id=consultation.id, published_at__isnull=False),
        "concentrated": await concentrated_groups(consultation.id, rule),
        "concentrated_rule_settings": rule,
        "group_filter": chosen.group,
        "surveys": [
            (s, survey_state(s, today)) for s in await public_surveys().filter(consultation_id=consultation.id)
        ],
    }


async def render_consultation(
    request: Request,
    consultation: Consultation,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The consultation page; also re-shown with the comment form's errors (only the form, for htmx)."""
    context = await consultation_view(consultation, CommentFilter.of(request), settings_of(request), clock.today())
    values = dict(values or {})
    if "article_id" not in values and (selected := int_param(request, "comment_on")):
        values["article_id"] = str(selected)
    context |= {"values": values, "errors": errors or {}}
    fragment = "drafts/_comment_form.html" if errors else None
    return await render(request, "drafts/consultation.html", context, fragment=fragment, status_code=status_code)


async def listed_consultations(status: str, today: date, number: int) -> dict[str, Any]:
    """The public list: open ones ending soonest first, or closed ones, or all, 20 a page."""
    if status == "closed":
        queryset = closed_consultations(today).order_by("-ends_on", "-id")
    elif status == "all":
        queryset = public_consultations().order_by("-starts_on", "-id")
    else:
        status, queryset = "open", open_consultations(today).order_by("ends_on", "id")
    page = await paginate(queryset.prefetch_related("draft", "decision__department"), number, 20)
    counts = await comment_counts([c.id for c in page.items])
    rows = [(c, consultation_state(c, today), days_left(c, today), counts[c.id]) for c in page.items]
    return {"status": status, "page": page, "rows": rows}


async def consultation_to_manage(
    consultation: Consultation, user: User, settings: Settings, today: date
) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "decision": consultation.decision,
        "draft": consultation.draft,
        "state": consultation_state(consultation, today),
        "states": ConsultationState,
        "days_left": days_left(consultation, today),
        "period_days": period_days(consultation.starts_on, consultation.ends_on),
        "minimum": period_rule(consultation.decision, settings),
        "events": await ConsultationEvent.filter(consultation_id=consultation.id),
        "counts": (await figures(consultation.id)).by_state,
        "awaiting_review": await answer_queries.awaiting_review_count(consultation.id),
        "can_publish": can_review(user, consultation.decision.department_id),
    }
