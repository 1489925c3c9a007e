"""Read-side of drafts and consultations: what their public list and their staff pages show."""

from __future__ import annotations

from typing import Any

from consult.drafts.models import Article, Attachment, AttachmentKind, Consultation, Draft
from consult.drafts.periods import minimum_period
from consult.memo import Memo
from consult.settings import Settings


async def draft_to_manage(draft: Draft, settings: Settings) -> dict[str, Any]:
    decision = await draft.decision.prefetch_related("department")
    return {
        "decision": decision,
        "draft": draft,
        "articles": await Article.filter(draft_id=draft.id),
        "attachments": await Attachment.filter(draft_id=draft.id),
        "consultation": await Consultation.get_or_none(draft_id=draft.id),
        "attachment_kinds": list(AttachmentKind),
        "max_mb": settings.max_upload_bytes // (1024 * 1024),
        "minimum": minimum_period(decision.kind, decision.market_related, settings),
    }


# A draft's articles are written once, when the draft is created: their ids never change.
_article_ids: Memo[int, frozenset[int]] = Memo(seconds=3600, size=512)


async def article_ids(draft_id: int) -> frozenset[int]:
    """The ids of a draft's articles (a comment names one), kept by the process: they never change."""

    async def load() -> frozenset[int]:
        return frozenset(await Article.filter(draft_id=draft_id).values_list("id", flat=True))

    return await _article_ids.get_or_load(draft_id, load)
