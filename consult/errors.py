"""Domain errors raised by services; the web layer maps them to HTTP statuses.

Messages are English gettext msgids with %(name)s parameters, translated when rendered.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.field = field
        self.params = params


class ValidationError(DomainError):
    """Bad input: the form is shown again with this message."""

    status_code = 422

    def __init__(self, errors: dict[str, str] | str, **params: Any) -> None:
        if isinstance(errors, str):
            errors = {"__all__": errors}
        self.errors = errors
        first = next(iter(errors.values()))
        super().__init__(first, **params)


class PermissionDenied(DomainError):
    status_code = 403


class Conflict(DomainError):
    """The action is not allowed in the object's current state."""

    status_code = 409
