"""Per-request middleware: language, elder view, CSRF cookie, security headers, hosts, body size."""

from __future__ import annotations

import secrets

from starlette.exceptions import HTTPException
from starlette.requests import Request, cookie_parser
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consult import clock
from consult.i18n import LANGUAGES, set_language
from consult.settings import Settings
from consult.web.csrf import csrf_cookie_name, csrf_token_for
from consult.web.errors import HTTP_MESSAGES, error_page

LANG_COOKIE = "consult_lang"
# Elder-friendly view (适老化, MIIT guideline): larger text and controls, stronger contrast. Chosen with
# ?view=elder or ?view=standard like the language, and remembered.
VIEW_COOKIE = "consult_view"
VIEWS = ("standard", "elder")


class SiteMiddleware:
    """Per request: the language, the elder-friendly view, the CSRF cookie and the security headers."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        request = Request(scope)
        chosen = request.query_params.get("lang")
        language = chosen if chosen in LANGUAGES else cookies.get(LANG_COOKIE, "")
        set_language(language)
        view = request.query_params.get("view")
        view = view if view in VIEWS else None
        scope.setdefault("state", {})["elder"] = (view or cookies.get(VIEW_COOKIE)) == "elder"
        cookie_name = csrf_cookie_name(self.settings)
        nonce = cookies.get(cookie_name, "")
        new_nonce = None
        if len(nonce) != 43:
            nonce = new_nonce = secrets.token_urlsafe(32)
        state = scope.setdefault("state", {})
        state["csrf_nonce"] = nonce
        state["csrf_token"] = csrf_token_for(self.settings.secret_key, nonce, int(clock.now().timestamp()))
        secure = "; Secure" if self.settings.https else ""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                for name, value in _security_headers(self.settings.https):
                    headers.append((name, value))
                fresh = secrets.token_urlsafe(32) if state.get("rotate_csrf") else new_nonce
                if fresh:
                    headers.append(
                        (
                            b"set-cookie",
                            f"{cookie_name}={fresh}; Path=/; HttpOnly; SameSite=Lax{secure}".encode(),
                        )
                    )
                if chosen in LANGUAGES:
                    headers.append(
                        (
                            b"set-cookie",
                            f"{LANG_COOKIE}={chosen}; Path=/; Max-Age=31536000; SameSite=Lax{secure}".encode(),
                        )
                    )
                if view:
                    headers.append(
                        (
                            b"set-cookie",
                            f"{VIEW_COOKIE}={view}; Path=/; Max-Age=31536000; SameSite=Lax{secure}".encode(),
                        )
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AllowedHostsMiddleware:
    """A request for a host the site does not serve (a forged Host header, a stray DNS name) gets 400
    before anything reads it: links are built from CONSULT_BASE_URL, never from this header, and a cache
    in front must not store pages under a name an attacker chose."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # /healthz stays reachable by address, for the monitor and the load balancer.
        if self.hosts and scope["type"] == "http" and scope["path"] != "/healthz":
            raw = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1").lower()
            host = raw.rsplit(":", 1)[0] if not raw.endswith("]") else raw
            if host not in self.hosts:
                response = PlainTextResponse("400 未知的主机名 / Unknown host", status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Requests larger than the limit get the site's own 413 page (JSON under /api/), in the visitor's
    language: Starlette's own limit answers in plain English. A declared Content-Length over the limit is
    refused before reading; a body that grows past it while streaming ends in the same 413."""

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_size:
            response = await error_page(Request(scope), 413, HTTP_MESSAGES[413])
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body_size:
                raise HTTPException(413)
            return message

        await self.app(scope, limited, send)


def _cookies(scope: Scope) -> dict[str, str]:
    # Starlette's own parser: lenient with malformed cookies set by other sites on the domain.
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def _security_headers(https: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (
            b"content-security-policy",
            b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    if https:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    return headers
