"""Errors as pages (or JSON under /api/): HTTP errors, domain errors, a database that is down."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.status import HTTP_403_FORBIDDEN
from tortoise.exceptions import DBConnectionError

from consult.errors import DomainError, ValidationError
from consult.i18n import N_, gettext, translations
from consult.web.templating import render

log = logging.getLogger("consult")

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


async def error_page(request: Request, status_code: int, msgid: str, params: dict[str, Any] | None = None) -> Response:
    if request.url.path.startswith("/api/"):
        return json_error(status_code, ERROR_CODES.get(status_code, "error"), msgid, params)
    message = gettext(msgid, **(params or {}))
    return await render(request, "error.html", {"status": status_code, "message": message}, status_code=status_code)


HTTP_MESSAGES = {
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
        msgid = HTTP_MESSAGES.get(exc.status_code, N_("The request could not be completed."))
    response = await error_page(request, exc.status_code, msgid)
    for name, value in (exc.headers or {}).items():  # Allow on a 405
        response.headers[name] = value
    return response


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, ValidationError) and request.url.path.startswith("/api/"):
        return json_error(422, "invalid", exc.message, exc.params, fields=exc.errors)
    return await error_page(request, exc.status_code, exc.message, exc.params)


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
    response = await error_page(
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
    return await error_page(request, 500, N_("Something went wrong on our side. Please try again later."))
