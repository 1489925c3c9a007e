"""Guards for the decisions' staff pages: the decision named in the URL, for its own department only."""

from __future__ import annotations

from starlette.requests import Request

from consult.accounts.models import User
from consult.accounts.permissions import can_edit_department_content
from consult.decisions.models import Decision
from consult.errors import PermissionDenied
from consult.web import get_or_404, require_user


async def decision_for_staff(request: Request, user: User, decision_id: int) -> Decision:
    """404 when it does not exist, 403 when it belongs to another department."""
    decision = await get_or_404(Decision.all().prefetch_related("department", "catalog"), id=decision_id)
    if not can_edit_department_content(user, decision.department_id):
        raise PermissionDenied("This decision belongs to another department.")
    return decision


async def decision_for_request(request: Request) -> tuple[User, Decision]:
    """The staff member and the decision the URL's `id` names, for its own department only."""
    user = await require_user(request)
    return user, await decision_for_staff(request, user, request.path_params["id"])
