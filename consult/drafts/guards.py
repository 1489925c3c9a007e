"""Guards for consultation pages: the consultation or comment named in the URL, public or for its department's staff."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from consult.decisions.guards import decision_for_staff
from consult.drafts.models import Consultation
from consult.drafts.services import public_consultations
from consult.memo import Memo
from consult.web import get_or_404, require_user


async def public_consultation_or_404(consultation_id: int) -> Consultation:
    consultation = (
        await public_consultations().get_or_none(id=consultation_id).prefetch_related("draft", "decision__department")
    )
    if consultation is None:
        raise HTTPException(404)
    return _recent.put(consultation_id, consultation)


# What the comment form reads of its consultation, kept a few seconds: under a surge every submission
# would otherwise load it again. Being that old is safe: the writer checks again, in the transaction
# that stores the comment, that the consultation is still open (comments/writer.py).
_recent: Memo[int, Consultation] = Memo(seconds=5, size=256)


async def recent_public_consultation_or_404(consultation_id: int) -> Consultation:
    return await _recent.get_or_load(consultation_id, lambda: public_consultation_or_404(consultation_id))


async def consultation_for_staff(request: Request, consultation_id: int) -> tuple[Any, Consultation]:
    user = await require_user(request)
    consultation = await get_or_404(
        Consultation.all().prefetch_related("draft", "decision__department"), id=consultation_id
    )
    await decision_for_staff(request, user, consultation.decision_id)
    return user, consultation
