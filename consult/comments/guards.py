"""Guards for staff pages about one comment: the comment named in the URL, for its department's staff."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from consult.comments.models import Comment
from consult.drafts.guards import consultation_for_staff
from consult.drafts.models import Consultation
from consult.web import get_or_404


async def comment_for_staff(request: Request, *related: str) -> tuple[Any, Comment, Consultation]:
    """The comment named in the path, for staff of its consultation's department (else 403/404)."""
    comment = await get_or_404(Comment.all().prefetch_related(*related), id=request.path_params["id"])
    user, consultation = await consultation_for_staff(request, comment.consultation_id)
    return user, comment, consultation
