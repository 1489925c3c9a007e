"""Guards for handlers: who may open a page, decided once (department scoping included)."""

from __future__ import annotations

from starlette.requests import Request

from consult.accounts.models import Role, User
from consult.accounts.permissions import is_admin
from consult.errors import PermissionDenied
from consult.web import require_user


async def require_admin(request: Request, message: str) -> User:
    """The logged-in government office, or 403 with `message` (a msgid)."""
    user = await require_user(request)
    if not is_admin(user):
        raise PermissionDenied(message)
    return user


async def require_reviewer(request: Request) -> User:
    """A reviewer of a department, or the government office; anyone else gets 403."""
    user = await require_user(request)
    if user.role not in (Role.ADMIN, Role.REVIEWER):
        raise PermissionDenied("Only reviewers approve answers.")
    return user
