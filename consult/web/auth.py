"""Who is logged in. The web layer knows no user model: the app installs the loader (accounts'
sessions) as `app.state.load_user`."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from consult import clock
from consult.web.responses import redirect

SESSION_COOKIE = "consult_session"


class LoginRequired(Exception):
    pass


async def current_user(request: Request) -> Any:
    if not hasattr(request.state, "user"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.user = await request.app.state.load_user(token, clock.now()) if token else None
    return request.state.user


async def require_user(request: Request) -> Any:
    user = await current_user(request)
    if user is None:
        raise LoginRequired()
    return user


async def login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/login?next={quote(target)}")
