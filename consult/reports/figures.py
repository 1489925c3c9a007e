"""The adoption report's figures, from SQL aggregates only: never every comment in Python."""

from __future__ import annotations

from typing import Any

from tortoise.functions import Count

from consult.answers.models import Answer
from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Article, Consultation, ConsultationEvent, ConsultationEventKind
from consult.drafts.services import period_days
from consult.groups.rules import ConcentratedRule
from consult.groups.services import concentrated_groups
from consult.settings import active


async def _group(consultation_id: int, field: str, **filters: Any) -> dict[str, int]:
    rows = (
        await Comment.filter(consultation_id=consultation_id, **filters)
        .annotate(n=Count("id"))
        .group_by(field)
        .values(field, "n")
    )
    return {str(row[field]) if row[field] is not None else "": row["n"] for row in rows}


async def build_figures(consultation: Consultation) -> dict[str, Any]:
    """Everything the report states as a number, as plain JSON (stored frozen on publication)."""
    cid = consultation.id
    rule = ConcentratedRule.of(active())
    by_state = await _group(cid, "state")
    received = sum(by_state.values())
    published = by_state.get(ModerationState.PUBLISHED.value, 0)
    status_rows = (
        await Answer.filter(
            comment__consultation_id=cid, comment__state=ModerationState.PUBLISHED, published_at__isnull=False
        )
        .annotate(n=Count("id"))
        .group_by("public_status")
        .values("public_status", "n")
    )
    by_status = {str(row["public_status"]): row["n"] for row in status_rows}
    answered = sum(by_status.values())
    articles = await Article.filter(draft_id=consultation.draft_id).values_list("id", "label")
    by_article_id = await _group(cid, "article_id")
    by_article = [{"label": "", "count": by_article_id.get("", 0)}] + [
        {"label": label, "count": by_article_id.get(str(aid), 0)} for aid, label in articles
    ]
    per_day = await _group(cid, "received_on")
    events = await ConsultationEvent.filter(consultation_id=cid).exclude(kind=ConsultationEventKind.PUBLISHED)
    return {
        "period": {
            "starts_on": consultation.starts_on.isoformat(),
            "ends_on": consultation.ends_on.isoformat(),
            "days": period_days(consultation.starts_on, consultation.ends_on),
            "short_reason": consultation.short_period_reason,
            "events": [
                {"kind": e.kind.value, "on": e.created_at.date().isoformat(), "reason": e.reason} for e in events
            ],
        },
        "received": received,
        "by_state": {state.value: by_state.get(state.value, 0) for state in ModerationState},
        "by_channel": dict(sorted((await _group(cid, "channel")).items(), key=lambda kv: -kv[1])),
        "by_category": dict(sorted((await _group(cid, "category")).items(), key=lambda kv: -kv[1])),
        "by_article": by_article,
        "per_day": dict(sorted(per_day.items())),
        "withheld_by_reason": await _group(cid, "withhold_reason", state=ModerationState.WITHHELD),
        "by_status": by_status,
        "published": published,
        "answered": answered,
        "unanswered": published - answered,
        "unmoderated": by_state.get(ModerationState.PENDING.value, 0),
        "concentrated": {
            "min_size": rule.min_size,
            "share": rule.share,
            "floor": rule.floor,
            "reason_min_chars": rule.reason_min_chars,
            "groups": await concentrated_groups(cid, rule),
        },
    }
