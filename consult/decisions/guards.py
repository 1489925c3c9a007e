"""Guards for the decisions' staff pages: the decision named in the URL, for its own department only."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.decisions.models import Decision
from consult.errors import PermissionDenied


async def decision_for_staff(request: Request, user: User, decision_id: int) -> Decision:
    """404 when it does not exist, 403 when it belongs to another department."""
    decision = await Decision.get_or_none(id=decision_id).prefetch_related("department", "catalog")
    if decision is None:
        raise HTTPException(404)
    if not can_edit_department_content(user, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    return decision
