"""Helpers for handlers reading forms: the client's address, error messages in the visitor's language."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

from consult.errors import DomainError, ValidationError
from consult.i18n import gettext


def client_address(request: Request) -> str:
    """The visitor's address as uvicorn reports it: behind a proxy, uvicorn takes it from
    X-Forwarded-For only when the proxy's address is in --forwarded-allow-ips (FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


def translated_errors(error: ValidationError) -> dict[str, str]:
    return {field: gettext(message, **error.params) for field, message in error.errors.items()}


def translate(error: DomainError) -> str:
    return gettext(error.message, **error.params)


def form_text(form: FormData, name: str) -> str:
    """A text field as typed ("" when missing, or when a file was sent in its place)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


# Never sent back to the browser in a re-shown form.
SECRET_FIELDS = frozenset({"csrf_token", "password", "new_password"})


def form_values(form: FormData) -> dict[str, str]:
    """What the visitor typed, to show again with the errors (never passwords, the token or files)."""
    return {k: v for k, v in form.items() if isinstance(v, str) and k not in SECRET_FIELDS}


def field_errors(error: DomainError) -> dict[str, str]:
    """A domain error as the form shows it: a ValidationError's messages by field, anything else (a
    Conflict: the action is not allowed now) as the summary ("__all__")."""
    if isinstance(error, ValidationError):
        return translated_errors(error)
    return {"__all__": translate(error)}
