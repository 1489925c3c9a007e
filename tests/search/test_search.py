"""Search in Chinese on both databases: 2-, 3- and 4-character queries, ranking, facets, privacy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import Comment, ModerationState, WithholdReason
from consult.comments.services import moderate_comment
from consult.drafts.models import Article
from consult.review.models import AnswerStatus
from consult.search import pages, queries
from consult.search.index import CONTEXT_TITLED, reindex_all
from consult.search.models import SearchDoc
from consult.search.queries import search
from consult.search.text import bigrams, query_tokens
from tests.conftest import BACKEND
from tests.factories import (
    make_answer,
    make_comment,
    make_consultation,
    make_decision,
    make_department,
    make_user,
    migrate_sqlite_file,
    run_jobs,
)


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
    """What a plain substring scan of every indexed document finds, in a document's own words (a
    comment's or an article's title only says where it sits), with the articles of a draft and the
    comments of a group counted once: the index must agree exactly."""
    hits = [
        d for d in await SearchDoc.all() if query in (d.body if d.kind in CONTEXT_TITLED else f"{d.title} {d.body}")
    ]
    drafts = dict(await Article.filter(id__in=[d.ref_id for d in hits]).values_list("id", "draft_id"))
    groups = dict(await Comment.filter(id__in=[d.ref_id for d in hits]).values_list("id", "group_id"))
    return len(
        {
            ("draft", drafts[d.ref_id])
            if d.kind == "article"
            else ("group", groups[d.ref_id])
            if d.kind == "comment" and groups[d.ref_id]
            else (d.kind, d.ref_id)
            for d in hits
        }
    )


@pytest.mark.parametrize("query", ["补偿", "停车", "停车收", "停车收费", "免费停车", "小区", "地铁"])
async def test_queries_of_two_to_four_characters_find_exactly_what_contains_them(query: str) -> None:
    await _world()
    results = await search(query, per_page=100)
    assert results.total == await _oracle(query), [r["title"] for r in results.items]
    assert all(
        query in (r["body"] if r["kind"] in CONTEXT_TITLED else f"{r['title']} {r['body']}") for r in results.items
    )
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
    await run_jobs()
    assert (await search("夜间")).total == 0
    await moderate_comment(await Comment.get(id=comment.id), ModerationState.PUBLISHED, staff, clock.now())
    await run_jobs()
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


async def test_hits_come_newest_first_by_date_not_by_when_they_were_indexed() -> None:
    consultation = await make_consultation()
    start = consultation.starts_on
    # Offline comments are entered late with the day they were received: the date decides the order.
    # Texts unlike each other: similar ones would be grouped and found as one hit.
    for days, text in (
        (5, "第五天：夜间停车难，小区门口排长队。"),
        (1, "第一天：夜间停车贵，每小时要收十元钱。"),
        (9, "第九天：夜间停车远，要走两公里才能到家。"),
    ):
        await make_comment(consultation, text, received_on=start + timedelta(days=days))
    results = await search("夜间停车")
    assert [r["body"][:3] for r in results.items] == ["第九天", "第五天", "第一天"]


# Comments that say different things (copies would be grouped, and found as one hit).
DIFFERENT = [
    "小区里太少，晚上回家找不到空位。",
    "应当统一收费标准并且公示出来。",
    "老旧设备经常坏掉，维修要等一周。",
    "建议在菜市场旁边的空地增设几个。",
    "医院停车场应优先安排新能源车辆。",
    "学校附近可以考虑错峰开放使用。",
    "消防通道上的必须马上清理移走。",
]


@pytest.mark.parametrize("window", [30_000, 3])
async def test_beyond_the_count_limit_the_newest_hits_are_counted_and_paged(monkeypatch, client, window) -> None:
    """Also when PostgreSQL's scan of the newest documents (the window) falls short and the index is used."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", 4)
    monkeypatch.setattr(queries, "POSTGRES_WINDOW", window)
    monkeypatch.setattr(pages, "COUNT_LIMIT", 4)
    consultation = await make_consultation(await make_decision(title="城区道路改造"))
    for day, text in enumerate(DIFFERENT):
        await make_comment(
            consultation, f"意见{day}：{text}充电桩", received_on=consultation.starts_on + timedelta(days=day)
        )
    results = await search("充电", per_page=3)
    assert results.more and results.total == 4
    assert [r["body"][:3] for r in results.items] == ["意见6", "意见5", "意见4"]
    assert results.facets["kind"] == {"comment": 4} and sum(results.facets["year"].values()) == 4
    second = await search("充电", per_page=3, page=2)
    assert [r["body"][:3] for r in second.items] == ["意见3"]  # the cap: nothing older is paged
    assert (await search("充电", per_page=3, page=3)).items == []
    page = await client.get("/search", params={"q": "充电"})
    assert "超过4条结果" in page.text
    # A narrower search is exact again, whether narrowed by words or by a filter.
    narrow = await search("意见6")
    assert not narrow.more and narrow.total == 1
    other = await make_consultation(await make_decision(await make_department("县城管局"), title="占道经营"))
    for day, text in enumerate(DIFFERENT[:3]):
        await make_comment(other, f"城管{day}：{text}充电桩", received_on=other.starts_on + timedelta(days=day))
    department = (await other.decision).department_id
    only_theirs = await search("充电", department=department, per_page=10)
    assert not only_theirs.more and [r["body"][:3] for r in only_theirs.items] == ["城管2", "城管1", "城管0"]
    assert (await search("充电", per_page=10)).more


async def test_the_status_facet_follows_published_answers_and_filters(client) -> None:
    consultation = await make_consultation()
    adopted = await make_comment(consultation, "建议在小区增设公共充电桩。")
    await make_comment(consultation, "充电桩的收费标准应当公开。")
    pending = await make_comment(consultation, "露天充电桩应当加装遮雨棚。")
    await make_answer(adopted, AnswerStatus.ADOPTED, "采纳，将在第七条增加。")
    await make_answer(pending, AnswerStatus.NOT_ADOPTED, "不采纳。", approved=False)  # not public yet
    results = await search("充电桩")
    assert results.facets["status"] == {"adopted": 1, "unanswered": 2}
    only_adopted = await search("充电桩", status="adopted")
    assert [r["body"] for r in only_adopted.items] == ["建议在小区增设公共充电桩。"]
    page = await client.get("/search", params={"q": "充电桩", "type": "comment"})
    # Facet links keep the other filters, and the labels are the public names of the statuses.
    assert "?q=%E5%85%85%E7%94%B5%E6%A1%A9&amp;type=comment&amp;status=adopted" in page.text
    assert "采纳（1）" in page.text and "尚未答复（2）" in page.text
    nothing = await client.get("/search", params={"q": "充电桩", "status": "removed"})
    assert "0条结果" in nothing.text and "清除全部筛选条件" in nothing.text  # the way back out
    filtered = await client.get("/search", params={"q": "充电桩", "status": "adopted"})
    assert "建议在小区增设公共<mark>充电桩</mark>" in filtered.text and "收费标准应当公开" not in filtered.text


async def test_a_group_answer_gives_its_members_their_status() -> None:
    from consult.groups.models import CommentGroup
    from consult.groups.rules import ConcentratedRule
    from consult.groups.services import answer_group, create_group, review_group_answer

    consultation = await make_consultation()
    members = [await make_comment(consultation, f"第{i}位：建议延长免费停车时间。") for i in range(3)]
    department = await (await consultation.decision).department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    group = await CommentGroup.get_or_none() or await create_group(
        consultation, [m.id for m in members], "免费停车时间", staff, clock.now()
    )
    answer = await answer_group(
        group, AnswerStatus.PARTLY_ADOPTED, "拟延长至二十分钟，兼顾接送需要和车位周转。", staff, clock.now()
    )
    await review_group_answer(answer, True, "", reviewer, clock.now(), rule=ConcentratedRule())
    await run_jobs()
    found = await search("免费停车")
    # The group is one hit standing for its three members, with their status.
    assert found.facets["status"] == {"partly_adopted": 1}
    assert [(r["kind"], r["copies"], r["cluster"]) for r in found.items] == [("comment", 3, f"group:{group.id}")]


async def test_migration_0007_rekeys_an_existing_index(tmp_path) -> None:
    """An index built before 0007 (FTS rowid = document id, status "published") is searchable newest
    first after it, with the comments' answer statuses."""
    import sqlite3

    if BACKEND == "postgres":
        pytest.skip("the rowid keys are SQLite's")
    path = tmp_path / "old.sqlite3"

    migrate_sqlite_file(path, "consult.0006_search")
    with sqlite3.connect(path) as old:
        for doc_id, day, text in ((1, "2026-03-01", "三月：充电桩"), (2, "2026-01-01", "一月：充电桩")):
            old.execute(
                "INSERT INTO search_doc (id, kind, ref_id, url, title, body, status, published_on, bigrams) "
                "VALUES (?, 'comment', ?, '/c', '标题', ?, '', ?, ?)",
                (doc_id, doc_id, text, day, bigrams(text)),
            )
            old.execute("INSERT INTO search_fts(rowid, bigrams) VALUES (?, ?)", (doc_id, bigrams(text)))
        old.execute("UPDATE search_doc SET status = 'published'")  # what 0006 stored for every comment
    migrate_sqlite_file(path, "")
    with sqlite3.connect(path) as new:
        rows = new.execute("SELECT rowid & 4294967295 FROM search_fts ORDER BY rowid DESC").fetchall()
        statuses = {row[0] for row in new.execute("SELECT status FROM search_doc")}
    assert [row[0] for row in rows] == [1, 2] and statuses == {"unanswered"}


async def test_pages_come_first_and_a_drafts_articles_and_a_groups_copies_are_one_hit_each(client) -> None:
    from consult.decisions.models import Decision
    from consult.decisions.search import index_decision
    from consult.drafts.models import Draft
    from consult.drafts.services import publish_consultation
    from consult.groups.models import CommentGroup
    from consult.groups.services import create_group
    from tests.factories import at

    parking = await make_decision(title="制定城区停车收费管理办法")
    consultation = await make_consultation(parking, published=False)
    await Draft.filter(id=consultation.draft_id).update(title="城区停车收费管理办法（征求意见稿）")
    department = await parking.department
    reviewer = await make_user(Role.REVIEWER, department)
    await publish_consultation(consultation, reviewer, consultation.starts_on, at(consultation.starts_on, 9))
    # Another decision only mentions parking in its background: a page still, ranked after title hits.
    other = await make_decision(await make_department("县住建局"), title="老旧小区改造方案")
    await Decision.filter(id=other.id).update(background="改造内容包括增设小区停车位。")
    await index_decision(other)
    copies = [await make_comment(consultation, "强烈建议首次免费停车时间延长到三十分钟。") for _ in range(3)]
    alone = await make_comment(
        consultation, "夜间停车应当免费，缓解老旧小区停车难。", received_on=consultation.starts_on + timedelta(days=9)
    )
    staff = await make_user(Role.STAFF, department)
    group = await CommentGroup.get_or_none() or await create_group(
        consultation, [c.id for c in copies], "免费停车时间", staff, clock.now()
    )
    await run_jobs()

    found = await search("停车")
    assert [(r["kind"], r["ref_id"]) for r in found.items[:3]] == [
        ("decision", parking.id),
        ("consultation", consultation.id),
        ("decision", other.id),
    ]
    rest = [(r["kind"], r["copies"]) for r in found.items[3:]]
    # Draft articles 1 and 3 mention parking: one hit; the three copies: one hit; the other comment alone.
    assert sorted(rest) == [("article", 2), ("comment", 1), ("comment", 3)]
    assert found.total == 6 and found.facets["kind"] == {"decision": 2, "consultation": 1, "article": 1, "comment": 2}
    grouped = next(r for r in found.items if r["copies"] == 3)
    assert grouped["cluster"] == f"group:{group.id}" and grouped["ref_id"] == min(c.id for c in copies)
    assert next(r for r in found.items if r["kind"] == "comment" and r["copies"] == 1)["ref_id"] == alone.id

    page = await client.get("/search", params={"q": "停车"})
    assert "第一条等2处提到" in page.text and f'/consultations/{consultation.id}#article-1"' in page.text
    assert "3条意见属于同一组相似意见，只列一次" in page.text
    assert f"/consultations/{consultation.id}?group={group.id}#comments" in page.text
    english = await client.get("/search", params={"q": "停车", "lang": "en"})
    assert "Article 1 and more: 2 articles mention it" not in english.text  # labels stay as written
    assert "2 articles mention it" in english.text


async def test_migration_0016_finds_comments_by_their_own_words_and_adds_consultation_pages(monkeypatch) -> None:
    """An index written before 0016 (comments found by their consultation's title, no consultation
    documents) is rewritten in place on either database."""
    import importlib
    from types import SimpleNamespace

    from tortoise.connection import get_connection

    from consult.search import index

    migration = importlib.import_module("migrations.0016_search_pages_first")
    editor = SimpleNamespace(client=get_connection("default"))
    consultation = await make_consultation(await make_decision(title="城区道路改造"))
    await make_comment(consultation, "建议增加充电桩，方便电动车。")
    with monkeypatch.context() as before:
        before.setattr(index, "CONTEXT_TITLED", ())
        await reindex_all()
    await migration.backwards(None, editor)  # as 0015 left it
    # The draft's title was in every comment's and article's words; no page of the consultation.
    old = await SearchDoc.filter(kind__in=["comment", "article", "consultation"]).values_list("kind", "bigrams")
    assert {kind for kind, _ in old} == {"comment", "article"} and all("示例" in text for _, text in old)

    await migration.forwards(None, editor)
    new = await search("示例管理")
    assert [(r["kind"], r["ref_id"], r["url"]) for r in new.items] == [
        ("consultation", consultation.id, f"/consultations/{consultation.id}")
    ]
    assert [r["kind"] for r in (await search("充电桩")).items] == ["comment"]
    await migration.forwards(None, editor)  # run twice (a restore of an older backup): nothing doubled
    assert (await search("示例管理")).total == 1
