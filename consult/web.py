"""Shared web plumbing: templates, the request's user, CSRF, pagination, rendering and errors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import asyncpg
import jinja2
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request, cookie_parser
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.status import HTTP_303_SEE_OTHER, HTTP_403_FORBIDDEN
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from tortoise.exceptions import DBConnectionError
from tortoise.queryset import QuerySet

from consult import clock
from consult.accounts.models import User
from consult.accounts.permissions import is_admin
from consult.accounts.services import session_user
from consult.errors import DomainError, PermissionDenied, ValidationError
from consult.forms import UNSTORABLE, bounded_int, unstorable
from consult.i18n import LANGUAGE_NAMES, LANGUAGES, N_, get_language, gettext, ngettext, set_language, translations
from consult.labels import label
from consult.settings import Settings

log = logging.getLogger("consult")
# Ids are 32-bit integers in the database: anything longer in a URL is a 404, not an overflow error.
MAX_ID = 2_147_483_647


class BoundedIntConvertor(Convertor[int]):
    regex = "[0-9]{1,10}"

    def convert(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise HTTPException(404)
        return number

    def to_string(self, value: int) -> str:
        return str(value)


# Replaces Starlette's unbounded "int" before any route module builds its routes (they import this one).
register_url_convertor("int", BoundedIntConvertor())
ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"
SESSION_COOKIE = "consult_session"
CSRF_COOKIE = "consult_csrf"
# Under HTTPS the cookie takes the __Host- prefix: browsers then refuse it from any subdomain or path,
# so another site on the domain cannot plant one.
CSRF_COOKIE_HTTPS = "__Host-consult_csrf"
# A form's token is good for this long; after it the citizen sees "页面已过期" with the text kept.
CSRF_MAX_AGE = 24 * 3600
LANG_COOKIE = "consult_lang"
# Elder-friendly view (适老化, MIIT guideline): larger text and controls, stronger contrast. Chosen with
# ?view=elder or ?view=standard like the language, and remembered.
VIEW_COOKIE = "consult_view"
VIEWS = ("standard", "elder")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
HTMX_VERSION = "2.0.11"


def format_date(value: date | datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):  # frozen report figures keep dates as ISO strings
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = clock.local_date(value)
    if get_language() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(clock.TZ)
    return f"{format_date(local.date())} {local:%H:%M}"


def format_change(value: object) -> str:
    """A catalog adjustment's before/after value as stored in JSON."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def relative_url(url: object) -> str:
    """A link to this site as path and query only: an absolute one would carry the request's Host
    header, which the visitor (or an attacker's cache poisoning) chooses."""
    parts = urlsplit(str(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda s: gettext(s), lambda s, p, n: ngettext(s, p, n), newstyle=True
    )
    env.globals.update(
        options=lambda items, value="id", text="name": [(getattr(i, value), getattr(i, text)) for i in items],
        label=label,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        htmx_version=HTMX_VERSION,
        # A fresh one-time token per rendered comment form: resubmitting that form stores one comment.
        new_form_token=lambda: secrets.token_urlsafe(18),
    )
    env.filters.update(d=format_date, dt=format_datetime, change_value=format_change, relative=relative_url)
    return env


templates = Jinja2Templates(env=_environment())


class LoginRequired(Exception):
    pass


class FormExpired(HTTPException):
    """The form's token is missing, forged or too old, or the cookie is gone. The parsed form rides
    along, so that a public form can be shown again with what the visitor typed."""

    def __init__(self, form: FormData) -> None:
        super().__init__(HTTP_403_FORBIDDEN, "csrf")
        self.form = form


FORM_EXPIRED = N_("The page has expired: submit it again. What you typed is kept below.")


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
            response = await _error_page(Request(scope), 413, _HTTP_MESSAGES[413])
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


def csrf_cookie_name(settings: Settings) -> str:
    return CSRF_COOKIE_HTTPS if settings.https else CSRF_COOKIE


def csrf_token_for(secret: str, nonce: str, issued: int) -> str:
    """The token a form carries: when it was issued and an HMAC (SECRET_KEY) of the visitor's cookie
    nonce with that time. A visitor who makes up a cookie cannot make the matching token."""
    mac = hmac.new(secret.encode(), f"{nonce}.{issued}".encode(), hashlib.sha256).digest()
    return f"{issued}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def csrf_token_ok(secret: str, nonce: str, sent: str, now: int) -> bool:
    issued_text, _, _ = sent.partition(".")
    issued = bounded_int(issued_text, 0, 10**10)
    if issued is None or not nonce or not (now - CSRF_MAX_AGE <= issued <= now + 300):
        return False
    return hmac.compare_digest(sent.encode(), csrf_token_for(secret, nonce, issued).encode())


def rotate_csrf(request: Request) -> None:
    """At login and logout: the session's forms get a new cookie nonce, so a token seen before is void."""
    request.state.rotate_csrf = True


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


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


async def current_user(request: Request) -> User | None:
    if not hasattr(request.state, "user"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.user = await session_user(token, clock.now()) if token else None
    return request.state.user


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise LoginRequired()
    return user


async def require_admin(request: Request, message: str) -> User:
    """The logged-in government office, or 403 with `message` (a msgid)."""
    user = await require_user(request)
    if not is_admin(user):
        raise PermissionDenied(message)
    return user


async def read_form(request: Request, *, files: bool = False) -> FormData:
    """The submitted form, once its CSRF token (field or htmx header) matches the cookie."""
    form = await request.form(max_files=5 if files else 0, max_fields=300)
    sent = request.headers.get(CSRF_HEADER) or str(form.get(CSRF_FIELD) or "")
    secret = settings_of(request).secret_key
    if not csrf_token_ok(secret, request.state.csrf_nonce, sent, int(clock.now().timestamp())):
        raise FormExpired(form)
    if any(isinstance(value, str) and unstorable(value) for _, value in form.multi_items()):
        raise ValidationError(UNSTORABLE)
    return form


def client_address(request: Request) -> str:
    """The visitor's address as uvicorn reports it: behind a proxy, uvicorn takes it from
    X-Forwarded-For only when the proxy's address is in --forwarded-allow-ips (FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


def too_many(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return gettext(
        "Too many submissions from this connection or contact. What you typed is kept below: try again in "
        "%(minutes)s minutes.",
        minutes=minutes,
    )


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


async def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render the page, or only `fragment` for an htmx request; caches must keep the two apart."""
    user = await current_user(request)
    ctx = {
        "user": user,
        "csrf_token": request.state.csrf_token,
        "language": get_language(),
        "elder": request.state.elder,
        "today": clock.today(),
        "government_name": settings_of(request).government_name,
        "base_url": settings_of(request).base_url,
        "errors": {},
        **(context or {}),
    }
    name = fragment if fragment and is_htmx(request) else template
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Vary"] = "HX-Request, Cookie"
    return response


def file_response(data: bytes, filename: str, content_type: str, *, public: bool = True) -> Response:
    """An uploaded file served safely: PDFs and images inline, the rest as downloads, never run."""
    disposition = "inline" if content_type in ("application/pdf", "image/png", "image/jpeg") else "attachment"
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "public, max-age=86400" if public else "private, no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=HTTP_303_SEE_OTHER)


def translated_errors(error: ValidationError) -> dict[str, str]:
    return {field: gettext(message, **error.params) for field, message in error.errors.items()}


def translate(error: DomainError) -> str:
    return gettext(error.message, **error.params)


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(request: Request) -> int:
    return bounded_int(request.query_params.get("page", "1"), 1, 100_000) or 1


async def paginate(queryset: QuerySet[Any], number: int, per_page: int, total: int | None = None) -> Page:
    if total is None:
        total = await queryset.count()
    items = await queryset.offset((number - 1) * per_page).limit(per_page)
    return Page(items=list(items), number=number, per_page=per_page, total=total)


def int_param(request: Request, name: str, low: int = 0, high: int = MAX_ID) -> int | None:
    return bounded_int(request.query_params.get(name, ""), low, high)


ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def _both(message: str, params: dict[str, Any] | None) -> dict[str, str]:
    result = {}
    for code in ("zh", "en"):
        text = translations(code).gettext(message)
        result[code] = text % params if params else text
    return result


def json_error(
    status_code: int,
    code: str,
    message: str,
    params: dict[str, Any] | None = None,
    *,
    fields: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The API's errors: a stable code for programs, the message in Chinese and English for people."""
    error: dict[str, Any] = {"code": code, "message": _both(message, params)}
    if fields:
        error["fields"] = {name: _both(msg, params) for name, msg in fields.items()}
    return JSONResponse({"error": error}, status_code=status_code, headers=headers)


async def _error_page(request: Request, status_code: int, msgid: str, params: dict[str, Any] | None = None) -> Response:
    if request.url.path.startswith("/api/"):
        return json_error(status_code, ERROR_CODES.get(status_code, "error"), msgid, params)
    message = gettext(msgid, **(params or {}))
    return await render(request, "error.html", {"status": status_code, "message": message}, status_code=status_code)


_HTTP_MESSAGES = {
    400: N_("The request could not be understood."),
    403: N_("You do not have permission to do this."),
    404: N_("The page you asked for does not exist."),
    405: N_("This address does not accept that kind of request."),
    413: N_("What was sent is too large."),
}


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == HTTP_403_FORBIDDEN and exc.detail == "csrf":
        msgid = N_("The form has expired. Go back, reload the page and submit it again.")
    else:
        msgid = _HTTP_MESSAGES.get(exc.status_code, N_("The request could not be completed."))
    response = await _error_page(request, exc.status_code, msgid)
    for name, value in (exc.headers or {}).items():  # Allow on a 405
        response.headers[name] = value
    return response


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, ValidationError) and request.url.path.startswith("/api/"):
        return json_error(422, "invalid", exc.message, exc.params, fields=exc.errors)
    return await _error_page(request, exc.status_code, exc.message, exc.params)


async def login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/login?next={quote(target)}")


DATABASE_DOWN: tuple[type[BaseException], ...] = (
    ConnectionRefusedError,
    ConnectionResetError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,  # shutting down, starting up, admin shutdown
    asyncpg.exceptions.InterfaceError,  # a pooled connection that the restart closed
    # Releasing a pooled connection that broke mid-query during a restart ("cannot switch to state
    # …; another operation is in progress"): seen in bench/load.py --restart-postgres-at.
    asyncpg.exceptions.InternalClientError,
    DBConnectionError,
)


def database_unavailable(exc: BaseException) -> bool:
    """Whether the database (not the request) is the problem, through Tortoise's wrapping."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, DATABASE_DOWN):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def database_down(request: Request, exc: Exception) -> Response:
    """503 with Retry-After while the database is down or restarting; the app recovers by itself as the
    connection pool reconnects. Anything else goes on to the 500 handler."""
    if not database_unavailable(exc):
        raise exc
    log.warning("database unavailable (%s) on %s %s", type(exc).__name__, request.method, request.url.path)
    request.state.user = None  # rendering must not ask the database who is logged in
    response = await _error_page(
        request,
        503,
        N_(
            "The service is briefly unavailable. Please try again in a minute. If you were submitting a "
            "comment, submit it again or look up your receipt: the same comment is never stored twice."
        ),
    )
    response.headers["Retry-After"] = "10"
    return response


async def client_gone(request: Request, exc: Exception) -> Response:
    """The visitor closed the connection while sending (a phone losing signal): nothing to answer and
    nothing wrong with the server, so no ERROR and no traceback."""
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return Response(status_code=400)


async def server_error(request: Request, exc: Exception) -> Response:
    # Only the type and location: request bodies (which hold contact details) are never logged.
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    return await _error_page(request, 500, N_("Something went wrong on our side. Please try again later."))
