"""How arriving comments find what they copy: the signatures, the band keys, and the assignment, which
the grouping job (groups/services.py) runs on every batch of arrivals."""

from __future__ import annotations

import numpy as np
import pytest

from consult.comments.models import Comment
from consult.groups import services
from consult.groups.models import CommentGroup, SimilarityKey
from consult.groups.similarity import (
    ALONE_BANDS,
    GROUP_BANDS,
    RECENT,
    Arrival,
    Known,
    assign,
    jaccard,
    normalise,
    signatures,
    text_keys,
)
from consult.jobs.models import Job
from tests.factories import make_comment, make_consultation, migrate_sqlite_file, run_jobs

CAMPAIGN = "建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药和临时办事。"
COPY = "您好，" + CAMPAIGN.replace("方便群众", "便于群众") + "望采纳。"
OTHER = "残疾人专用车位比例偏低，经常被占用，建议加大执法力度。"


def _arrival(cid: int, text: str, scope: int = 1) -> Arrival:
    norm = normalise(text)
    return Arrival(cid, norm, text_keys(norm, scope, ALONE_BANDS), text_keys(norm, scope, GROUP_BANDS))


def test_signatures_estimate_how_much_two_texts_share() -> None:
    a, b, c = signatures([normalise(CAMPAIGN), normalise(COPY), normalise(OTHER)])
    assert jaccard(a, b) > 0.7 and jaccard(a, c) < 0.2
    assert np.array_equal(signatures([normalise(CAMPAIGN)])[0], a)  # the same text, the same signature


def test_keys_of_two_consultations_or_two_layouts_never_meet() -> None:
    norm = normalise(CAMPAIGN)
    assert len(text_keys(norm, 1, ALONE_BANDS)) == ALONE_BANDS.bands
    assert not set(text_keys(norm, 1, ALONE_BANDS)) & set(text_keys(norm, 2, ALONE_BANDS))
    assert not set(text_keys(norm, 1, ALONE_BANDS)) & set(text_keys(norm, 1, GROUP_BANDS))
    assert set(text_keys(norm, 1, GROUP_BANDS)) & set(text_keys(normalise(COPY), 1, GROUP_BANDS))
    assert text_keys("", 1, ALONE_BANDS) == []


@pytest.mark.parametrize(
    ("known", "texts", "joins", "new_groups", "alone"),
    [
        # A copy of a group's representative joins the group.
        (Known(groups={7: normalise(CAMPAIGN)}), [COPY], {7: [1]}, {}, []),
        # An unrelated comment stays alone, and so does an empty one (it is not compared at all).
        (Known(groups={7: normalise(CAMPAIGN)}), [OTHER, "！！！"], {}, {}, [1]),
        # Two copies arriving together start a group; the first is its representative.
        (Known(), [CAMPAIGN, OTHER, COPY], {}, {1: [1, 3]}, [2]),
        # A copy of a comment alone (found by its keys) starts a group with it.
        (Known(alone={50: normalise(CAMPAIGN)}, candidates={1: [50]}), [COPY], {}, {50: [50, 1]}, []),
        # One of the comments left alone last, whatever its keys say.
        (Known(alone={50: normalise(CAMPAIGN)}, recent=[50]), [COPY], {}, {50: [50, 1]}, []),
    ],
)
def test_what_each_arrival_joins(known, texts, joins, new_groups, alone) -> None:
    plan = assign([_arrival(i + 1, t) for i, t in enumerate(texts)], known)
    assert plan.joins == joins
    assert {first: members for first, (_, members) in plan.new_groups.items()} == new_groups
    assert [a.id for a in plan.alone] == alone


def test_beyond_a_few_groups_only_those_sharing_the_most_keys_are_compared() -> None:
    groups = {n: normalise(f"第{n}号小区建议增设{n}个车位并安装充电设施") for n in range(200)} | {
        7: normalise(CAMPAIGN)
    }
    arrival = _arrival(1, COPY)
    found = Known(groups=groups, every_group=False)
    assert assign([arrival], found).joins == {}  # no key names group 7: it is not compared
    found.group_candidates[arrival.id] = [3, 7]  # the groups the index found sharing its keys
    assert assign([arrival], found).joins == {7: [1]}


def test_only_the_last_comments_left_alone_are_compared_without_their_keys() -> None:
    others = {n: normalise(f"第{n}号意见：{OTHER}{n * 7919}") for n in range(2, RECENT + 2)}
    texts = {1: normalise(CAMPAIGN), **others}
    oldest_first = list(texts)  # the campaign's first copy, then RECENT others after it
    assert assign([_arrival(900, COPY)], Known(alone=texts, recent=oldest_first)).new_groups == {}
    newest = [*others, 1]
    assert assign([_arrival(900, COPY)], Known(alone=texts, recent=newest)).new_groups == {
        1: (normalise(CAMPAIGN), [1, 900])
    }


async def test_the_grouping_job_finds_copies_by_their_keys_in_a_consultation_with_many_groups(monkeypatch) -> None:
    monkeypatch.setattr(services, "EXHAUSTIVE_GROUPS", 0)  # as if the consultation had thousands of groups
    consultation = await make_consultation()
    first = await make_comment(consultation, CAMPAIGN)
    second = await make_comment(consultation, COPY)
    group = await CommentGroup.get()
    assert set(await group.comments.all().values_list("id", flat=True)) == {first.id, second.id}
    third = await make_comment(consultation, "尊敬的领导：" + CAMPAIGN + "谢谢！")
    await third.refresh_from_db()
    assert third.group_id == group.id
    alone = await make_comment(consultation, OTHER)
    await alone.refresh_from_db()
    assert alone.group_id is None
    assert await SimilarityKey.filter(comment_id=alone.id).count() == ALONE_BANDS.bands
    assert not await SimilarityKey.filter(comment_id=first.id).exists()  # grouped: out of the index


async def test_a_batch_written_in_many_short_transactions_groups_as_one(monkeypatch) -> None:
    monkeypatch.setattr(services, "PER_TRANSACTION", 2)  # each part a transaction of its own
    consultation = await make_consultation()
    await make_comment(consultation, CAMPAIGN)
    await make_comment(consultation, COPY)
    unrelated = ("路灯坏了好几天，晚上出行不便，请尽快修复。", "学校门口早晚高峰拥堵，建议错峰放学。")
    for text in [p + CAMPAIGN for p in ("您好，", "你好，", "各位领导，")] + [
        p + OTHER for p in ("", "您好，", "你好，")
    ]:
        await make_comment(consultation, text, worker=False)
    for text in unrelated:
        await make_comment(consultation, text, worker=False)
    await run_jobs()
    assert await Job.all().count() == 0
    sizes = sorted([await g.comments.all().count() for g in await CommentGroup.all()])
    assert sizes == [3, 5]  # the campaign's two and three copies; the new topic's three
    alone = await Comment.filter(group_id__isnull=True).values_list("id", "body")
    assert sorted(body for _, body in alone) == sorted(unrelated)
    assert await SimilarityKey.all().count() == len(alone) * ALONE_BANDS.bands  # only they are in the index


def test_migration_0014_puts_existing_comments_alone_and_groups_in_the_index(tmp_path) -> None:
    """Comments that arrived before the similarity index existed are found by the copies after it."""
    import sqlite3

    path = tmp_path / "old.sqlite3"

    migrate_sqlite_file(path, "consult.0013_unique_catalog_numbers")
    with sqlite3.connect(path) as old:  # foreign keys are not enforced on this connection
        old.execute(
            "INSERT INTO comment_group (id, consultation_id, summary, representative, automatic, created_at) "
            "VALUES (1, 3, '', ?, 1, '2026-01-01 00:00:00+00:00')",
            (normalise(CAMPAIGN),),
        )
        for cid, body, group in ((1, CAMPAIGN, 1), (2, COPY, 1), (3, OTHER, None)):
            old.execute(
                "INSERT INTO comment (id, consultation_id, body, channel, category, submitter_name, contact_phone, "
                "contact_email, display_mode, public_name, receipt_code, dedupe_key, state, moderation_note, "
                "received_on, submitted_at, notify_by_email, group_id) VALUES (?, 3, ?, 'online', 'citizen', '张三', "
                "'', '', 'masked', '张*', ?, ?, 'published', '', '2026-01-01', '2026-01-01 00:00:00+00:00', 0, ?)",
                (cid, body, f"AAAA-AAAA-AAA{cid}", f"key{cid}", group),
            )
    migrate_sqlite_file(path, "")
    with sqlite3.connect(path) as new:
        alone = {row[0] for row in new.execute("SELECT key FROM similarity_key WHERE comment_id = 3")}
        grouped = new.execute("SELECT count(*) FROM similarity_key WHERE comment_id IN (1, 2)").fetchone()[0]
        representative = {row[0] for row in new.execute("SELECT key FROM representative_key WHERE group_id = 1")}
    assert alone == set(text_keys(normalise(OTHER), 3, ALONE_BANDS)) and grouped == 0
    assert representative == set(text_keys(normalise(CAMPAIGN), 3, GROUP_BANDS))
