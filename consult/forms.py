"""Parsing of submitted values into typed ones, collecting one message per field."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from consult.clock import TZ
from consult.errors import ValidationError
from consult.i18n import N_

E = TypeVar("E", bound=StrEnum)
# Ids and counts are 32-bit integers in the database.
MAX_INT = 2_147_483_647
_ASCII_DIGITS = frozenset("0123456789")


def bounded_int(raw: object, low: int = 0, high: int = MAX_INT) -> int | None:
    """The one way a submitted or queried number is read: ASCII digits only, at most 10 of them, within
    [low, high]; None otherwise. (str.isdigit takes "²", str.isdecimal takes "١٢", and int() takes
    Arabic-Indic digits, surrounding spaces and underscores.)"""
    text = str(raw) if raw is not None else ""
    negative = text.startswith("-") and low < 0
    digits = text[1:] if negative else text
    if not digits or len(digits) > 10 or not set(digits) <= _ASCII_DIGITS:
        return None
    value = -int(digits) if negative else int(digits)
    return value if low <= value <= high else None


class Errors(dict[str, str]):
    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def unstorable(text: str) -> bool:
    """NUL (PostgreSQL refuses it in text columns) or a lone surrogate (not encodable as UTF-8)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


UNSTORABLE = N_(
    "The text contains characters that cannot be stored (a NUL byte or a broken character). "
    "Remove them and submit again."
)

# Zero-width and other format characters, and the Hangul fillers, show nothing on the page.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0")


def visible_length(text: str) -> int:
    """Characters a reader sees: text made only of zero-width spaces or blanks is empty."""
    return sum(
        1
        for ch in text
        if not ch.isspace() and ch not in _INVISIBLE_EXTRA and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


def as_typed(text: str) -> str:
    """Surrounding blank lines and trailing spaces go; leading full-width spaces (段首缩进) stay."""
    return text.lstrip(" \t\r\n").rstrip()


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


def parse_local_datetime(value: object, name: str, errors: Errors, *, required: bool = True) -> datetime | None:
    """A moment as a datetime-local field sends it ("2026-12-20T09:30"), read in Asia/Shanghai."""
    raw = str(value or "").strip()
    if not raw:
        if required:
            errors.setdefault(name, N_("Enter a date and time."))
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        errors.setdefault(name, N_("Enter a date and time as YYYY-MM-DD HH:MM."))
        return None
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


def parse_int(value: object, name: str, errors: Errors, *, required: bool = True) -> int | None:
    raw = str(value or "").strip()
    if not raw:
        if required:
            errors.setdefault(name, N_("This field is required."))
        return None
    value = bounded_int(raw)
    if value is None:
        errors.setdefault(name, N_("Enter a whole number."))
    return value


def number(form: Mapping[str, object], name: str) -> int:
    """An id in a hidden field or a select: 0 when missing or malformed, so that the lookup that
    follows finds nothing (and the handler answers 404 or asks to choose again)."""
    value = form.get(name)
    return bounded_int(value if isinstance(value, str) else "") or 0


def dates(form: Mapping[str, object], *names: str) -> tuple[date, ...]:
    """Required dates, in the order named; ValidationError naming every one missing or malformed."""
    errors = Errors()
    parsed = [parse_date(form.get(name), name, errors) for name in names]
    errors.raise_if_any()
    return tuple(d for d in parsed if d is not None)


def one_of(value: object, enum: type[E], name: str) -> E:
    """A required choice, or ValidationError on `name`."""
    errors = Errors()
    chosen = choice(value, enum, name, errors)
    errors.raise_if_any()
    assert chosen is not None
    return chosen


def choice(value: object, enum: type[E], name: str, errors: Errors, *, required: bool = True) -> E | None:
    raw = str(value or "").strip()
    if not raw and not required:
        return None
    try:
        return enum(raw)
    except ValueError:
        errors.setdefault(name, N_("Choose one of the options."))
        return None
