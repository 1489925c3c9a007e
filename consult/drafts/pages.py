"""The public consultation page, rendered for its own handler and again with the comment form's errors."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from consult import clock
from consult.answers import queries as answer_queries
from consult.comments import queries as comment_queries
from consult.comments.models import SubmitterCategory
from consult.drafts.models import (
    Article,
    Consultation,
    ConsultationEvent,
)
from consult.drafts.services import (
    consultation_state,
    days_left,
    period_days,
)
from consult.groups.rules import ConcentratedRule
from consult.groups.services import concentrated_groups
from consult.procedure.queries import public_attachments
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus
from consult.web import (
    int_param,
    page_number,
    paginate,
    render,
    settings_of,
)


async def render_consultation(
    request: Request,
    consultation: Consultation,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The consultation page; also re-shown with the comment form's errors."""
    today = clock.today()
    settings = settings_of(request)
    article_filter = int_param(request, "article")
    try:
        status_filter = AnswerStatus(request.query_params.get("answer", ""))
    except ValueError:
        status_filter = None
    articles = await Article.filter(draft_id=consultation.draft_id)
    group_filter = int_param(request, "group")
    queryset = comment_queries.public_comments(consultation.id, article_filter, status_filter)
    if group_filter is not None:
        queryset = queryset.filter(group_id=group_filter)
    counts = await comment_queries.counts_by_state(consultation.id)
    # Unfiltered, the page count is the published count we already have: no second COUNT(*).
    total = counts["published"] if article_filter is None and status_filter is None and group_filter is None else None
    page = await paginate(queryset, page_number(request), settings.comments_per_page, total)
    values = values or {}
    if "article_id" not in values and (selected := int_param(request, "comment_on")):
        values["article_id"] = str(selected)
    return await render(
        request,
        "drafts/consultation.html",
        {
            "consultation": consultation,
            "draft": consultation.draft,
            "decision": consultation.decision,
            "state": consultation_state(consultation, today),
            "days_left": days_left(consultation, today),
            "period_days": period_days(consultation.starts_on, consultation.ends_on),
            "min_days": settings.min_consultation_days,
            "events": await ConsultationEvent.filter(consultation_id=consultation.id),
            "articles": articles,
            "articles_by_id": {a.id: a for a in articles},
            "per_article": await comment_queries.published_per_article(consultation.id),
            "attachments": [
                a
                for a in await public_attachments(consultation.decision)
                if a.draft_id in (None, consultation.draft_id)
            ],
            "counts": counts,
            "answered": await answer_queries.answered_count(consultation.id),
            "page": page,
            "answers": await answer_queries.answers_for(page.items),
            "article_filter": article_filter,
            "status_filter": status_filter,
            "answer_statuses": list(AnswerStatus),
            "categories": list(SubmitterCategory),
            "report": await AdoptionReport.get_or_none(consultation_id=consultation.id, published_at__isnull=False),
            "concentrated": await concentrated_groups(consultation.id, ConcentratedRule.of(settings)),
            "concentrated_rule_settings": ConcentratedRule.of(settings),
            "group_filter": group_filter,
            "values": values,
            "errors": errors or {},
        },
        fragment="drafts/_comment_form.html" if errors else None,
        status_code=status_code,
    )
