"""Microcaching: a public page rendered at most once every few seconds per process, and served from
memory in between, as the front caches of government sites do.

When a press release sends thousands of people to one consultation within minutes, they all read the
same page; rendering it for each of them (the draft, twenty comments with their answers, the counts)
is what would saturate the server. The page is kept for `seconds` (CONSULT_PAGE_CACHE_SECONDS) per
address, language, view and htmx-ness, for visitors who are not logged in; staff always see it fresh.

What differs between visitors is left as a slot in the kept page and filled in per response: the
visitor's own CSRF token, and a fresh one-time form token for each comment form. While one request
renders an expired page anew, the others get the kept copy (or, when there is none, wait for that
one render instead of starting their own).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from consult.i18n import get_language
from consult.web.auth import SESSION_COOKIE
from consult.web.templating import is_htmx, new_form_token

# Random per process, so that no text a visitor writes can contain them.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(8)}"
FORM_TOKEN_SLOT = f"form-token-slot-{secrets.token_hex(8)}"

Produce = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Kept:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    fresh_until: float


def _fill(kept: Kept, request: Request, state: str) -> Response:
    body = kept.body.replace(CSRF_SLOT.encode(), request.state.csrf_token.encode())
    parts = body.split(FORM_TOKEN_SLOT.encode())
    if len(parts) > 1:
        body = parts[0] + b"".join(new_form_token().encode() + part for part in parts[1:])
    response = Response(body, status_code=kept.status, headers=dict(kept.headers))
    response.headers["X-Page-Cache"] = state
    return response


def _slotted(request: Request, query: str) -> Request:
    """The request as the kept page is rendered for: the address with the page's own parameters only,
    and slots where each visitor's tokens go."""
    state = {**request.scope.get("state", {}), "csrf_token": CSRF_SLOT, "form_token": lambda: FORM_TOKEN_SLOT}
    return Request({**request.scope, "query_string": query.encode(), "state": state}, request.receive)


class PageCache:
    def __init__(self, seconds: float, size: int = 128, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._rendering: dict[tuple, asyncio.Future[Kept | None]] = {}

    def clear(self) -> None:
        self._kept.clear()

    async def page(self, request: Request, params: Sequence[str], produce: Produce) -> Response:
        """The page `produce` renders, kept for `seconds`. `params` are the query parameters that change
        the page; others are ignored (and cannot be used to force a render)."""
        if self.seconds <= 0 or request.method != "GET" or SESSION_COOKIE in request.cookies:
            return await produce(request)
        own = [(name, request.query_params[name]) for name in params if name in request.query_params]
        key = (request.url.path, tuple(own), get_language(), request.state.elder, is_htmx(request))
        kept = self._kept.get(key)
        if kept is not None and kept.fresh_until > self.clock():
            self._kept.move_to_end(key)
            return _fill(kept, request, "hit")
        rendering = self._rendering.get(key)
        if rendering is not None:
            if kept is not None:
                return _fill(kept, request, "stale")
            waited = await asyncio.shield(rendering)
            return _fill(waited, request, "hit") if waited is not None else await produce(request)
        return await self._render(key, request, urlencode(own), produce)

    async def _render(self, key: tuple, request: Request, query: str, produce: Produce) -> Response:
        rendering = asyncio.get_running_loop().create_future()
        self._rendering[key] = rendering
        kept = None
        try:
            response = await produce(_slotted(request, query))
            if not hasattr(response, "body"):  # streamed: nothing to keep or fill
                return response
            headers = tuple((k, v) for k, v in response.headers.items() if k != "content-length")
            kept = Kept(bytes(response.body), response.status_code, headers, self.clock() + self.seconds)
            if response.status_code == 200 and response.media_type == "text/html":
                self._kept[key] = kept
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        finally:
            rendering.set_result(kept if kept is not None and key in self._kept else None)
            del self._rendering[key]
        return _fill(kept, request, "miss")


async def kept_page(request: Request, params: Sequence[str], produce: Produce) -> Response:
    """The page through the app's page cache (`app.state.page_cache`)."""
    return await request.app.state.page_cache.page(request, params, produce)
