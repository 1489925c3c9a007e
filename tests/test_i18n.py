"""Every UI string is in the catalog and translated; English can be chosen and is remembered."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "consult/locale/zh_Hans/LC_MESSAGES/messages.po"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "DomainError": None,
    "PermissionDenied": None,
    "Conflict": None,
    "TooManyAttempts": None,
    "json_error": (3,),
    "require_admin": (2,),
}


def _catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_Hans")


def _extracted() -> set[str]:
    found: set[str] = set()
    for folder, method in (("consult", "python"), ("templates", "jinja2")):
        options = {"**.html": {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else {}
        pattern = "**.html" if method == "jinja2" else "**.py"
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, [(pattern, method)], KEYWORDS, options
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_ui_string_is_in_the_chinese_catalog() -> None:
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog() if m.id}
    missing = sorted(_extracted() - known)
    assert not missing, f"run scripts/i18n and translate: {missing[:10]}"


def test_every_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    for message in _catalog():
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        translated = message.string[0] if isinstance(message.string, tuple) else message.string
        assert translated, f"untranslated: {source!r}"
        assert set(re.findall(r"%\(\w+\)s", source)) == set(re.findall(r"%\(\w+\)s", translated)), source


async def test_english_is_chosen_and_remembered(client) -> None:
    assert "重大行政决策预公开平台" in (await client.get("/")).text
    english = await client.get("/?lang=en")
    assert "Major decisions pre-disclosure platform" in english.text and 'lang="en"' in english.text
    assert "consult_lang=en" in english.headers["set-cookie"]
    again = await client.get("/catalogs/")
    assert "Annual catalogs of major administrative decisions" in again.text
    back = await client.get("/catalogs/?lang=zh")
    assert "年度重大行政决策事项目录" in back.text and 'lang="zh-Hans"' in back.text


async def test_an_unknown_language_falls_back_to_chinese(client) -> None:
    assert 'lang="zh-Hans"' in (await client.get("/?lang=xx")).text


async def test_the_elder_friendly_view_is_chosen_from_any_page_and_remembered(client) -> None:
    plain = await client.get("/consultations/")
    assert 'class="elder"' not in plain.text and "长辈模式（大字）" in plain.text
    elder = await client.get("/consultations/?view=elder")
    assert 'class="elder"' in elder.text and "consult_view=elder" in elder.headers["set-cookie"]
    assert "标准模式" in elder.text  # the way back is on every page
    assert 'class="elder"' in (await client.get("/catalogs/")).text
    assert 'class="elder"' not in (await client.get("/?view=standard")).text
    assert 'class="elder"' not in (await client.get("/")).text
    assert 'class="elder"' not in (await client.get("/?view=giant")).text  # unknown values change nothing
