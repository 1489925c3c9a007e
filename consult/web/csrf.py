"""CSRF: an HMAC token per form, bound to a cookie nonce, and reading a form only when it matches."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.status import HTTP_403_FORBIDDEN

from consult import clock
from consult.errors import ValidationError
from consult.forms import UNSTORABLE, bounded_int, unstorable
from consult.i18n import N_
from consult.settings import Settings
from consult.web.templating import settings_of

CSRF_COOKIE = "consult_csrf"
# Under HTTPS the cookie takes the __Host- prefix: browsers then refuse it from any subdomain or path,
# so another site on the domain cannot plant one.
CSRF_COOKIE_HTTPS = "__Host-consult_csrf"
# A form's token is good for this long; after it the citizen sees "页面已过期" with the text kept.
CSRF_MAX_AGE = 24 * 3600

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class FormExpired(HTTPException):
    """The form's token is missing, forged or too old, or the cookie is gone. The parsed form rides
    along, so that a public form can be shown again with what the visitor typed."""

    def __init__(self, form: FormData) -> None:
        super().__init__(HTTP_403_FORBIDDEN, "csrf")
        self.form = form


FORM_EXPIRED = N_("The page has expired: submit it again. What you typed is kept below.")


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


MAX_FIELDS = 300
MAX_FIELD_BYTES = 1024 * 1024  # as Starlette's own parser allows a part


# A run of percent-escapes (a Chinese phrase is one), decoded at once in C rather than byte by byte.
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _unquote(text: str) -> str:
    """As urllib's unquote_plus: "+" is a space, each run of escapes is UTF-8 (broken bytes replaced),
    anything else stays as it came."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    return _ESCAPES.sub(lambda run: bytes.fromhex(run[0].replace("%", "")).decode("utf-8", "replace"), text)


def parse_urlencoded(body: bytes) -> list[tuple[str, str]]:
    """The fields of a url-encoded body, as the standard library's parse_qsl(keep_blank_values=True)
    reads them; ValueError beyond MAX_FIELDS."""
    text = body.decode("latin-1")
    if text.count("&") >= MAX_FIELDS:
        raise ValueError("too many fields")
    pairs = []
    for field in text.split("&"):
        if field:
            name, _, value = field.partition("=")
            pairs.append((_unquote(name), _unquote(value)))
    return pairs


async def _urlencoded(request: Request) -> FormData:
    """A url-encoded form (what every form but an upload sends), read by parse_urlencoded: the same
    fields and the same decoding as Starlette's parser (UTF-8 escapes, broken bytes replaced), at a
    fraction of the cost per request, which counts when thousands submit at once."""
    try:
        pairs = parse_urlencoded(await request.body())
    except ValueError:
        raise HTTPException(400, "Too many fields.") from None
    if any(len(value) > MAX_FIELD_BYTES for _, value in pairs):
        raise HTTPException(400, "Part exceeded maximum size.")
    form = FormData(pairs)
    request._form = form  # what request.form() returns from now on, as after its own parsing
    return form


async def read_form(request: Request, *, files: bool = False) -> FormData:
    """The submitted form, once its CSRF token (field or htmx header) matches the cookie."""
    if request.headers.get("content-type", "").partition(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        form = await _urlencoded(request)
    else:
        form = await request.form(max_files=5 if files else 0, max_fields=MAX_FIELDS)
    sent = request.headers.get(CSRF_HEADER) or str(form.get(CSRF_FIELD) or "")
    secret = settings_of(request).secret_key
    if not csrf_token_ok(secret, request.state.csrf_nonce, sent, int(clock.now().timestamp())):
        raise FormExpired(form)
    if any(isinstance(value, str) and unstorable(value) for _, value in form.multi_items()):
        raise ValidationError(UNSTORABLE)
    return form
