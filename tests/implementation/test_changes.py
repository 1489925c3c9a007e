"""The consulted draft against the issued text: unchanged, renumbered, edited, added and removed articles."""

from __future__ import annotations

from consult.drafts.articles import split_articles
from consult.implementation.changes import ChangeKind as C
from consult.implementation.changes import compare, text_diff

DRAFT = """城区停车管理办法（征求意见稿）
第一条 为了规范停车管理，制定本办法。
第二条 本办法适用于本县城区。
第三条 首次停放不超过十五分钟的，免收停车费。
第四条 夜间停车按次收费。
第五条 本办法自2027年1月1日起施行。
"""
ISSUED = """城区停车管理办法
第一条 为了规范停车管理，制定本办法。
第二条 本办法适用于本县城区。
第三条 县交通运输局负责停车管理的组织实施。
第四条 首次停放不超过三十分钟的，免收停车费。
第五条 本办法自2027年1月1日起施行。
"""


def _table(draft: str, issued: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (c.kind.value, c.draft.label if c.draft else None, c.issued.label if c.issued else None)
        for c in compare(split_articles(draft), split_articles(issued))
    ]


def test_added_edited_removed_and_renumbered_articles_in_the_issued_order() -> None:
    assert _table(DRAFT, ISSUED) == [
        ("unchanged", "第一条", "第一条"),
        ("unchanged", "第二条", "第二条"),
        ("added", None, "第三条"),  # a new article, numbered where the draft's third stood
        ("changed", "第三条", "第四条"),  # edited and renumbered
        ("removed", "第四条", None),  # the night fee is gone
        ("unchanged", "第五条", "第五条"),
    ]


def test_an_article_moved_down_by_an_insertion_is_unchanged_but_renumbered() -> None:
    issued = (
        DRAFT.replace("第二条 本办法适用于本县城区。", "第二条 本办法适用于本县城区。\n第三条 新增的条款。")
        .replace("第三条 首次", "第四条 首次")
        .replace("第四条 夜间", "第五条 夜间")
        .replace("第五条 本办法自", "第六条 本办法自")
    )
    changes = compare(split_articles(DRAFT), split_articles(issued))
    moved = [c for c in changes if c.kind is C.UNCHANGED and c.renumbered]
    assert [(c.draft.label, c.issued.label) for c in moved] == [
        ("第三条", "第四条"),
        ("第四条", "第五条"),
        ("第五条", "第六条"),
    ]
    assert [c.issued.label for c in changes if c.kind is C.ADDED] == ["第三条"]


def test_a_changed_article_shows_what_was_deleted_and_inserted_character_by_character() -> None:
    pieces = [
        (p.op, p.text)
        for p in text_diff("首次停放不超过十五分钟的，免收停车费。", "首次停放不超过三十分钟的，免收停车费。")
    ]
    assert pieces == [
        ("equal", "首次停放不超过"),
        ("delete", "十五"),
        ("insert", "三十"),
        ("equal", "分钟的，免收停车费。"),
    ]


def test_identical_texts_have_no_change_and_empty_ones_no_article() -> None:
    assert {kind for kind, _, _ in _table(DRAFT, DRAFT)} == {"unchanged"}
    assert _table("", "") == []
    assert [kind for kind, _, _ in _table("", ISSUED)] == ["added"] * 5
