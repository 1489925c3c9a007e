"""Read-side of drafts and consultations: what their public list and their staff pages show."""

from __future__ import annotations

from typing import Any

from consult.drafts.models import Article, Attachment, AttachmentKind, Consultation, Draft
from consult.settings import Settings


async def draft_to_manage(draft: Draft, settings: Settings) -> dict[str, Any]:
    return {
        "decision": await draft.decision.prefetch_related("department"),
        "draft": draft,
        "articles": await Article.filter(draft_id=draft.id),
        "attachments": await Attachment.filter(draft_id=draft.id),
        "consultation": await Consultation.get_or_none(draft_id=draft.id),
        "attachment_kinds": list(AttachmentKind),
        "max_mb": settings.max_upload_bytes // (1024 * 1024),
        "min_days": settings.min_consultation_days,
    }
