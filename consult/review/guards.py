"""Guards for the review pages: the reviewed item named in the URL, for its own department only."""

from __future__ import annotations

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.errors import PermissionDenied
from consult.review.models import ReviewedAnswer
from consult.review.services import ReviewKind, department_of
from consult.web import get_or_404


async def reviewed_item_for_staff(kind: ReviewKind, item_id: int, user: User) -> ReviewedAnswer:
    """404 when it does not exist, 403 when another department answers it."""
    item = await get_or_404(kind.model.all().prefetch_related("answered_by", *kind.related), id=item_id)
    if not can_edit_department_content(user, await department_of(item)):
        raise PermissionDenied("This decision belongs to another department.")
    return item
