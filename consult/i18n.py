"""Gettext with a per-request locale. Msgids are English; Simplified Chinese is the default locale.

The .po catalogs are compiled in memory at start-up, so there is no .mo file to forget to rebuild.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"zh": "zh_Hans", "en": "en"}
LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"
_current: ContextVar[str] = ContextVar("consult_language", default=DEFAULT_LANGUAGE)


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is translated later (labels, error messages)."""
    return message


@cache
def translations(language: str) -> _gettext.NullTranslations:
    po_path = LOCALE_DIR / LANGUAGES.get(language, "") / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=LANGUAGES[language])
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def get_language() -> str:
    return _current.get()


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render something in one language whatever the request's (cached charts, e-mails)."""
    token = _current.set(code)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str, **params: Any) -> str:
    text = translations(_current.get()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(_current.get()).ngettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


_ = gettext
