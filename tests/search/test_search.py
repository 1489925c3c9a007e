"""Search in Chinese on both databases: 2-, 3- and 4-character queries, ranking, facets, privacy."""

from __future__ import annotations

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import Comment, ModerationState, WithholdReason
from consult.comments.services import moderate_comment
from consult.search.index import reindex_all
from consult.search.models import SearchDoc
from consult.search.queries import search
from consult.search.text import bigrams, query_tokens
from tests.factories import make_comment, make_consultation, make_decision, make_department, make_user


@pytest.mark.parametrize(
    ("text", "expected"),
    [("停车收费", "停车 车收 收费"), ("补偿", "补偿"), ("第5条 ABC", "第 5 条 abc"), ("", "")],
)
def test_bigrams(text: str, expected: str) -> None:
    assert bigrams(text) == expected


def test_a_single_character_is_not_a_query() -> None:
    assert query_tokens("停") == [] and query_tokens("停车") == ["停车"]


async def _world():
    transport = await make_department("县交通运输局")
    housing = await make_department("县住建局")
    parking = await make_consultation(await make_decision(transport, title="制定城区停车收费管理办法"))
    await make_comment(
        parking, "建议首次免费停车时间延长到三十分钟，减少收费争议。", name="隐私张三", phone="13811112222"
    )
    await make_comment(parking, "夜间停车应当免费，缓解老旧小区停车难。")
    renovation = await make_consultation(await make_decision(housing, title="老旧小区改造方案"))
    await make_comment(renovation, "拆迁补偿标准应当公开，补偿款按时发放。")
    return transport, housing, parking


async def _oracle(query: str) -> int:
    """What a plain substring scan of every indexed document finds: the index must agree exactly."""
    return sum(1 for d in await SearchDoc.all() if query in f"{d.title} {d.body}")


@pytest.mark.parametrize("query", ["补偿", "停车", "停车收", "停车收费", "免费停车", "小区", "地铁"])
async def test_queries_of_two_to_four_characters_find_exactly_what_contains_them(query: str) -> None:
    await _world()
    results = await search(query, per_page=100)
    assert results.total == await _oracle(query), [r["title"] for r in results.items]
    assert all(query in f"{r['title']} {r['body']}" for r in results.items)
    assert {"补偿": 1, "地铁": 0}.get(query, results.total) == results.total


async def test_title_hits_come_first_and_facets_narrow(client) -> None:
    transport, _, _ = await _world()
    results = await search("停车", per_page=100)
    kinds = [r["kind"] for r in results.items]
    # Documents whose own title has the words come first; comments (titled by their consultation) after.
    assert kinds.index("comment") > max(
        i for i, r in enumerate(results.items) if r["kind"] != "comment" and "停车" in r["title"]
    )
    assert set(results.facets["kind"]) >= {"decision", "comment"}
    only_comments = await search("停车", kind="comment")
    assert {r["kind"] for r in only_comments.items} == {"comment"} and only_comments.total == 2
    assert results.total == sum(results.facets["kind"].values())
    by_department = await search("小区", department=transport.id)
    assert by_department.total == 1
    page = await client.get("/search", params={"q": "停车收费"})
    expected = await _oracle("停车收费")
    assert page.status_code == 200 and "<mark>停车收费</mark>" in page.text and f"{expected}条结果" in page.text
    assert "隐私张三" not in page.text and "13811112222" not in page.text
    assert (await client.get("/search", params={"q": "停"})).status_code == 200


async def test_withheld_comments_leave_the_index_and_reindex_rebuilds_it() -> None:
    _, _, parking = await _world()
    comment = await Comment.get(body__startswith="夜间停车")
    staff = await make_user(Role.STAFF, await (await parking.decision).department)
    await moderate_comment(comment, ModerationState.WITHHELD, staff, clock.now(), WithholdReason.IRRELEVANT)
    assert (await search("夜间")).total == 0
    await moderate_comment(await Comment.get(id=comment.id), ModerationState.PUBLISHED, staff, clock.now())
    assert (await search("夜间")).total == 1
    await reindex_all()
    assert (await search("夜间")).total == 1 and (await search("补偿")).total == 1


async def test_pending_comments_are_not_searchable() -> None:
    consultation = await make_consultation()
    await make_comment(consultation, "还在审看中的意见，提到地铁站。", state=ModerationState.PENDING)
    assert (await search("地铁")).total == 0


async def test_a_comment_never_ranks_as_a_title_hit_through_its_consultations_title() -> None:
    from datetime import date

    from consult.search.index import put

    await put(
        "decision",
        1,
        url="/decisions/1",
        title="城区停车管理办法",
        body="背景",
        department_id=None,
        year=2026,
        published_on=date(2026, 1, 1),
    )
    await put(
        "comment",
        2,
        url="/c/2",
        title="城区停车管理办法",
        body="停车太难了，建议增加车位。",
        department_id=None,
        year=2026,
        published_on=date(2026, 6, 1),
    )
    results = await search("停车")
    assert [r["kind"] for r in results.items] == ["decision", "comment"]
