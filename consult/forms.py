"""Parsing of submitted values into typed ones, collecting one message per field."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from consult.errors import ValidationError
from consult.i18n import N_

E = TypeVar("E", bound=StrEnum)


class Errors(dict[str, str]):
    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def text(value: object, name: str, errors: Errors, *, required: bool = True, max_length: int = 200) -> str:
    result = str(value or "").strip()
    if required and not result:
        errors.setdefault(name, N_("This field is required."))
    elif len(result) > max_length:
        errors.setdefault(name, N_("Too long."))
    return result


def parse_date(value: object, name: str, errors: Errors, *, required: bool = True) -> date | None:
    raw = str(value or "").strip()
    if not raw:
        if required:
            errors.setdefault(name, N_("Enter a date."))
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.setdefault(name, N_("Enter a date as YYYY-MM-DD."))
        return None


def parse_int(value: object, name: str, errors: Errors, *, required: bool = True) -> int | None:
    raw = str(value or "").strip()
    if not raw:
        if required:
            errors.setdefault(name, N_("This field is required."))
        return None
    try:
        value = int(raw)
    except ValueError:
        errors.setdefault(name, N_("Enter a whole number."))
        return None
    if abs(value) > 2_147_483_647:  # beyond the database's 32-bit integers
        errors.setdefault(name, N_("Enter a whole number."))
        return None
    return value


def choice(value: object, enum: type[E], name: str, errors: Errors, *, required: bool = True) -> E | None:
    raw = str(value or "").strip()
    if not raw and not required:
        return None
    try:
        return enum(raw)
    except ValueError:
        errors.setdefault(name, N_("Choose one of the options."))
        return None
