"""Guards for the review pages: the reviewed item named in the URL, for its own department only."""

from __future__ import annotations

from starlette.exceptions import HTTPException

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.errors import PermissionDenied
from consult.review.models import ReviewedAnswer
from consult.review.services import ReviewKind, department_of


async def reviewed_item_for_staff(kind: ReviewKind, item_id: int, user: User) -> ReviewedAnswer:
    """404 when it does not exist, 403 when another department answers it."""
    item = await kind.model.get_or_none(id=item_id).prefetch_related("answered_by", *kind.related)
    if item is None:
        raise HTTPException(404)
    if not can_edit_department_content(user, await department_of(item)):
        raise PermissionDenied("This decision belongs to another department.")
    return item
