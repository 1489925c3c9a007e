"""Pure rules as tables: article splitting, receipt codes, name masking, periods and consultation states."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from consult.comments.receipts import ALPHABET, new_receipt_code, normalise_receipt_code
from consult.comments.services import mask_name
from consult.drafts.articles import split_articles
from consult.drafts.models import Consultation
from consult.drafts.services import ConsultationState, consultation_state, days_left, period_days
from consult.drafts.uploads import safe_filename, sniff


def test_articles_are_recognised_with_chapters_and_continuation_lines() -> None:
    text = "某某办法\n第一章 总则\n第一条 目的。\n第二条　适用范围。\n（一）城区；\n第二章 附则\n第十条 施行日期。"
    articles = split_articles(text)
    assert [(a.label, a.chapter) for a in articles] == [
        ("第一条", "第一章 总则"),
        ("第二条", "第一章 总则"),
        ("第十条", "第二章 附则"),
    ]
    assert articles[1].body == "适用范围。\n（一）城区；"


def test_text_without_articles_is_split_into_paragraphs() -> None:
    articles = split_articles("第一段内容。\n\n第二段内容。\n第三段。")
    assert [a.label for a in articles] == ["第1段", "第2段", "第3段"]


@pytest.mark.parametrize("label", ["第二十条", "第一百零三条", "第12条"])
def test_article_numbers_in_every_written_form(label: str) -> None:
    assert split_articles(f"{label} 内容")[0].label == label


def test_receipt_codes_are_readable_and_unique_enough() -> None:
    codes = {new_receipt_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert all(ch in ALPHABET for ch in code.replace("-", ""))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7k3q-9xmd-2hfa", "7K3Q-9XMD-2HFA"),
        ("7K3Q9XMD2HFA", "7K3Q-9XMD-2HFA"),
        (" 7k3q 9xmd 2hfa ", "7K3Q-9XMD-2HFA"),
        ("7K3Q-9XMD-2HFO", "7K3Q-9XMD-2HF0"),  # O read as zero
        ("7K3Q-9XMD-2HFI", "7K3Q-9XMD-2HF1"),  # I read as one
        ("7K3Q-9XMD", None),
        ("<script>", None),
    ],
)
def test_receipt_code_lookup_forgives_typing(typed: str, expected: str | None) -> None:
    assert normalise_receipt_code(typed) == expected


@pytest.mark.parametrize(("name", "masked"), [("张三丰", "张**"), ("李四", "李*"), ("欧阳娜娜", "欧***"), ("Li", "L*")])
def test_names_are_masked_to_the_surname(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 1, 1), date(2026, 1, 31), 30),  # start day not counted (Civil Code Art.201)
        (date(2026, 1, 1), date(2026, 1, 30), 29),
        (date(2026, 2, 1), date(2026, 3, 3), 30),
        (date(2026, 12, 15), date(2027, 1, 14), 30),
    ],
)
def test_period_counts_calendar_days_after_the_start_day(start: date, end: date, days: int) -> None:
    assert period_days(start, end) == days


def _consultation(published: bool = True, closed_early: bool = False) -> Consultation:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return Consultation(
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        published_at=moment if published else None,
        closed_early_at=moment if closed_early else None,
    )


@pytest.mark.parametrize(
    ("today", "published", "closed_early", "state", "left"),
    [
        (date(2026, 2, 28), True, False, ConsultationState.UPCOMING, None),
        (date(2026, 3, 1), True, False, ConsultationState.OPEN, 30),
        (date(2026, 3, 30), True, False, ConsultationState.OPEN, 1),
        (date(2026, 3, 31), True, False, ConsultationState.OPEN, 0),  # closes tonight
        (date(2026, 4, 1), True, False, ConsultationState.CLOSED, None),
        (date(2026, 3, 10), True, True, ConsultationState.CLOSED, None),
        (date(2026, 3, 10), False, False, ConsultationState.DRAFT, None),
    ],
)
def test_consultation_state_is_a_function_of_dates(
    today: date, published: bool, closed_early: bool, state: ConsultationState, left: int | None
) -> None:
    consultation = _consultation(published, closed_early)
    assert consultation_state(consultation, today) is state
    assert days_left(consultation, today) == left


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7 ...", "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "doc"),
        (b"<html><script>alert(1)</script>", None),
        (b"MZ\x90\x00", None),
    ],
)
def test_uploads_are_recognised_by_content(data: bytes, kind: str | None) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ('征求意见稿"<x>.pdf', "征求意见稿x.pdf"),
        ("C:\\docs\\说明.docx", "说明.docx"),
        ("...", "attachment"),
    ],
)
def test_upload_names_are_made_safe(name: str, safe: str) -> None:
    assert safe_filename(name) == safe
