"""Read-side of groups: the consultation's groups page, and the grouping suggestions, computed off the
event loop and kept until the ungrouped comments change."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

from tortoise.functions import Count

from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Article, Consultation
from consult.groups.models import AnswerTemplate, CommentGroup, GroupAnswer
from consult.groups.rules import ConcentratedRule
from consult.groups.suggest import Suggestion, suggest
from consult.review.models import AnswerStatus

SHOWN_SUGGESTIONS = 20
# Suggestions of this many consultations are kept per process (each a short list).
CACHED_CONSULTATIONS = 64
_suggestions: OrderedDict[tuple[int, int, int], list[Suggestion]] = OrderedDict()


def forget_suggestions() -> None:
    _suggestions.clear()


async def suggestions(consultation_id: int) -> list[Suggestion]:
    """Comparing every ungrouped comment with every other is quadratic: it runs in a worker thread, and
    its result is reused until a comment is published, grouped or split off (the ungrouped ids change;
    a comment's text never does)."""
    ungrouped = Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED, group_id__isnull=True)
    ids = await ungrouped.order_by("id").values_list("id", flat=True)
    key = (consultation_id, len(ids), hash(tuple(ids)))
    if key in _suggestions:
        _suggestions.move_to_end(key)
        return _suggestions[key]
    rows = await ungrouped.values_list("id", "article_id", "body")
    found = (await asyncio.to_thread(suggest, rows))[:SHOWN_SUGGESTIONS]
    _suggestions[key] = found
    while len(_suggestions) > CACHED_CONSULTATIONS:
        _suggestions.popitem(last=False)
    return found


async def _members_by_group(consultation_id: int, **filters: Any) -> dict[int, int]:
    rows = (
        await Comment.filter(consultation_id=consultation_id, group_id__isnull=False, **filters)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values_list("group_id", "n")
    )
    return dict(rows)


async def groups_view(consultation: Consultation, rule: ConcentratedRule) -> dict[str, Any]:
    """Groups largest first, with their answers and whether each is a concentrated opinion; the
    suggestions; the department's saved reasons."""
    sizes = await _members_by_group(consultation.id)
    published = await _members_by_group(consultation.id, state=ModerationState.PUBLISHED)
    total = await Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED).count()
    groups = await CommentGroup.filter(consultation_id=consultation.id).prefetch_related("article")
    answers = await GroupAnswer.filter(group_id__in=[g.id for g in groups])
    return {
        "consultation": consultation,
        "groups": sorted(groups, key=lambda g: -sizes.get(g.id, 0)),
        "sizes": sizes,
        "concentrated": {g.id for g in groups if rule.is_concentrated(published.get(g.id, 0), total)},
        "answers": {a.group_id: a for a in answers},
        "suggestions": await suggestions(consultation.id),
        "articles": {a.id: a for a in await Article.filter(draft_id=consultation.draft_id)},
        "statuses": list(AnswerStatus),
        "templates": await AnswerTemplate.filter(department_id=consultation.decision.department_id),
        "rule": rule,
    }
