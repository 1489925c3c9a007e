"""Jinja2 templates, their filters, and rendering a page (or its htmx fragment)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from consult import clock
from consult.i18n import LANGUAGE_NAMES, get_language, gettext, ngettext
from consult.labels import label
from consult.settings import Settings
from consult.web.auth import current_user
from consult.web.qr import qr_svg

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"

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


def date_unbroken(value: date | datetime | str | None) -> Markup:
    """A date in running text that never breaks across two lines (2026年\n12月7日 reads as two things)."""
    return Markup('<span class="nowrap">%s</span>') % format_date(value)


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


def new_form_token() -> str:
    """A fresh one-time token per rendered comment form: resubmitting that form stores one comment."""
    return secrets.token_urlsafe(18)


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
        qr_svg=qr_svg,
    )
    env.filters.update(
        d=format_date, dn=date_unbroken, dt=format_datetime, change_value=format_change, relative=relative_url
    )
    return env


templates = Jinja2Templates(env=_environment())


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


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
        # A page kept by the page cache is rendered with slots for the visitor's tokens (web/cache.py).
        "new_form_token": getattr(request.state, "form_token", new_form_token),
        "language": get_language(),
        "elder": request.state.elder,
        "today": clock.today(),
        "government_name": settings_of(request).government_name,
        "site": settings_of(request).site,
        "base_url": settings_of(request).base_url,
        "errors": {},
        **(context or {}),
    }
    name = fragment if fragment and is_htmx(request) else template
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Vary"] = "HX-Request, Cookie"
    return response
