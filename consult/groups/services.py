"""Grouping comments that say the same thing, and answering each group once.

A group's approved answer is copied to every published member that has no answer of its own, as an
Answer row pointing at the group answer. Counting, the public pages, the receipt, the report and the
CSV therefore read one table, and a member's own answer overrides simply by being its own.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.connection import get_connection
from tortoise.functions import Count, Max
from tortoise.transactions import in_transaction

from consult import forms
from consult.accounts.models import Department, User
from consult.accounts.permissions import can_edit_department_content
from consult.answers.events import answers_published
from consult.answers.models import Answer
from consult.answers.services import queue_answer_mail
from consult.comments.events import GROUP_JOB
from consult.comments.models import Comment, ModerationState
from consult.comments.search import queue_index
from consult.comments.tally import figures, recount, regroup
from consult.drafts.models import Consultation
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.groups.models import AnswerTemplate, CommentGroup, GroupAnswer
from consult.groups.rules import ConcentratedRule, contradicts
from consult.groups.similarity import (
    ALONE_BANDS,
    GROUP_BANDS,
    RECENT,
    Arrival,
    Assignment,
    Known,
    assign,
    band_keys,
    best_groups,
    normalise,
    signatures,
    text_keys,
)
from consult.i18n import N_, gettext, language
from consult.jobs.queue import Batch, JobKind, work_scope
from consult.review.models import AnswerStatus, ReviewedAnswer, ReviewState
from consult.review.services import MAX_REASON, ReviewKind, checked_reason, returned_by_platform, review, revise
from consult.settings import active
from consult.txn import any_of, insert_rows, marks, reader, set_column

log = logging.getLogger("consult.groups")
CHUNK = 5000  # SQLite allows at most 32,766 bound parameters in one statement
SUMMARY_LENGTH = 60


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _summary(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


async def refresh_summary(group_id: int | None) -> None:
    """An automatic group's public one-line summary comes from a published member only: the first one
    published, kept while it stays published, and taken from the next when it is withheld. A summary
    staff wrote is theirs and stays."""
    if group_id is None:
        return
    group = await CommentGroup.get_or_none(id=group_id)
    if group is None or (group.summary and group.summary_source_id is None):
        return
    if (
        group.summary_source_id is not None
        and await Comment.filter(
            id=group.summary_source_id, group_id=group_id, state=ModerationState.PUBLISHED
        ).exists()
    ):
        return
    source = await Comment.filter(group_id=group_id, state=ModerationState.PUBLISHED).order_by("id").first()
    group.summary = _summary(source.body) if source else ""
    group.summary_source_id = source.id if source else None
    await group.save(update_fields=["summary", "summary_source_id"])


async def _department_id(consultation_id: int) -> int:
    consultation = await Consultation.get(id=consultation_id).prefetch_related("decision")
    return consultation.decision.department_id


async def _require_department(actor: User, consultation_id: int) -> None:
    if not can_edit_department_content(actor, await _department_id(consultation_id)):
        raise PermissionDenied("This decision belongs to another department.")


# ---- arriving comments ----------------------------------------------------------------------------


def _arrivals(rows: Sequence[tuple[int, str, int | None]], consultation_id: int) -> list[Arrival]:
    norms = {row[0]: normalise(row[1]) for row in rows}
    texts = [n for n in norms.values() if n]
    found = signatures(texts)
    alone = dict(zip(texts, band_keys(found, consultation_id, ALONE_BANDS), strict=True))
    grouped = dict(zip(texts, band_keys(found, consultation_id, GROUP_BANDS), strict=True))
    return [Arrival(cid, norm, alone.get(norm, []), grouped.get(norm, [])) for cid, norm in norms.items()]


@dataclass
class _Representatives:
    count: int
    last_id: int
    texts: dict[int, str]


# Each consultation's group representatives, kept by the process between batches: a representative
# never changes, groups are only added or removed, and the cache is checked against the group count
# and the last group id before each batch (a change by another process reloads it).
_representatives: OrderedDict[int, _Representatives] = OrderedDict()
KEPT_CONSULTATIONS = 64


async def _groups_of(consultation_id: int) -> dict[int, str]:
    groups = CommentGroup.filter(consultation_id=consultation_id).using_db(reader())
    found = await groups.annotate(n=Count("id"), last=Max("id")).group_by("consultation_id").values_list("n", "last")
    count, last_id = found[0] if found else (0, 0)
    kept = _representatives.get(consultation_id)
    if kept is not None and last_id > kept.last_id:
        new = await groups.filter(id__gt=kept.last_id).values_list("id", "representative")
        kept = _Representatives(kept.count + len(new), last_id, {**kept.texts, **dict(new)})
    if kept is None or (kept.count, kept.last_id) != (count, last_id):
        kept = _Representatives(count, last_id, dict(await groups.values_list("id", "representative")))
    _representatives[consultation_id] = kept
    _representatives.move_to_end(consultation_id)
    while len(_representatives) > KEPT_CONSULTATIONS:
        _representatives.popitem(last=False)
    return {gid: text for gid, text in kept.texts.items() if text}


def forget_representatives() -> None:
    """The test suite, between tests that reuse ids."""
    _representatives.clear()
    _norms.clear()


# Up to this many groups (most consultations), an arrival whose band keys find no group is also
# compared with every group's representative: cheap, and exact. Beyond it the band keys alone decide
# (comparing each of hundreds of arrivals a second with thousands of groups would cost more than the
# rest of the grouping together; GROUP_BANDS finds nearly every copy, bench/grouping.py).
EXHAUSTIVE_GROUPS = 100


# Normalised texts of comments, kept by the process (a text never changes): the same comments alone
# are found as candidates batch after batch, and reading and normalising them each time would cost
# more than comparing them.
_norms: OrderedDict[int, str] = OrderedDict()
KEPT_TEXTS = 200_000


async def _normalised(consultation_id: int, comment_ids: set[int]) -> dict[int, str]:
    found = {cid: _norms[cid] for cid in comment_ids if cid in _norms}
    for chunk in _chunks(list(comment_ids - set(found))):
        # Keys carry their consultation's id, so others' never match; the filter is a guard all the same.
        rows = Comment.filter(id__in=chunk, consultation_id=consultation_id).using_db(reader())
        found.update({cid: normalise(body) for cid, body in await rows.values_list("id", "body")})
    for cid, norm in found.items():
        _norms[cid] = norm
        _norms.move_to_end(cid)
    while len(_norms) > KEPT_TEXTS:
        _norms.popitem(last=False)
    return found


async def _with_groups(consultation_id: int, arrivals: list[Arrival]) -> Known:
    """The consultation's groups, those sharing the most band keys with each arrival, and whether
    every group may be compared with the arrivals that share none (when there are few)."""
    groups = await _groups_of(consultation_id)
    known = Known(groups=groups, every_group=len(groups) <= EXHAUSTIVE_GROUPS)
    if not known.every_group:  # else each arrival is compared with every group at once, in C++
        pairs = [(a.id, a.group_keys) for a in arrivals]
        known.group_candidates = await _ranked("representative_key", "group_id", pairs)
    return known


# An arrival is compared with at most this many groups, and this many comments still alone: those
# that share the most band keys with it. Texts built from the same phrases share a band by chance
# with dozens of others; a copy shares several, and is among the first (a chance meeting rarely
# shares two).
CANDIDATES = 10


async def _ranked(table: str, column: str, keys: list[tuple[int, list[int]]]) -> dict[int, list[int]]:
    """For each (arrival, its band keys), the CANDIDATES rows of the index (comments alone, or groups)
    that share the most keys with it, ranked by the database: the flood of chance meetings never
    reaches Python, however many texts share a phrase."""
    conn = reader()
    found: dict[int, list[int]] = {}
    for start in range(0, len(keys), 500):
        pairs = [(arrival, key) for arrival, ks in keys[start : start + 500] for key in ks]
        if not pairs:
            continue
        place = marks(conn)
        if conn.capabilities.dialect == "postgres":
            wanted = f"SELECT * FROM unnest({next(place)}::integer[], {next(place)}::bigint[])"
            params: list[object] = [[a for a, _ in pairs], [k for _, k in pairs]]
        else:
            wanted = "VALUES " + ", ".join(f"(CAST({next(place)} AS INTEGER), {next(place)})" for _ in pairs)
            params = [v for pair in pairs for v in pair]
        query = f"""WITH wanted(arrival, key) AS ({wanted})
            SELECT arrival, found FROM (
                SELECT w.arrival, s.{column} AS found,
                    row_number() OVER (PARTITION BY w.arrival ORDER BY count(*) DESC, s.{column} DESC) AS rank
                FROM wanted w JOIN {table} s ON s.key = w.key
                GROUP BY w.arrival, s.{column}
            ) ranked WHERE rank <= {next(place)}"""
        _, rows = await conn.execute_query(query, [*params, CANDIDATES])
        for row in rows:
            found.setdefault(row["arrival"], []).append(row["found"])
    return found


async def _with_alone(known: Known, consultation_id: int, arrivals: list[Arrival]) -> None:
    """For each arrival, the comments still alone that share the most band keys with it (a comment's
    keys go in the transaction that groups it, so the keys found are of comments alone), and the
    comments left alone last."""
    known.candidates = await _ranked("similarity_key", "comment_id", [(a.id, a.keys) for a in arrivals])
    if arrivals:
        # The comments left alone last before this batch (comments in it are arrivals, or yet to come).
        first = min(a.id for a in arrivals)
        recent = Comment.filter(consultation_id=consultation_id, group_id__isnull=True, id__lt=first)
        ids = await recent.using_db(reader()).order_by("-id").limit(RECENT).values_list("id", flat=True)
        known.recent = ids[::-1]
    found = {cid for ids in known.candidates.values() for cid in ids} | set(known.recent)
    known.alone = await _normalised(consultation_id, found)


async def _add_keys(table: str, column: str, rows: list[tuple[int, int]]) -> None:
    """(key, comment or group id) rows, in one statement: a batch of arrivals alone writes thousands."""
    await insert_rows(get_connection("default"), table, ("key", column), ("bigint", "integer"), rows)


async def _drop_keys(texts: dict[int, str], consultation_id: int) -> None:
    """Comments leave the similarity index (they joined a group). Their keys are computed again from
    their texts, so that the rows are found through the index on keys (the only one the table has);
    all of them in one statement."""
    pairs = [(key, cid) for cid, norm in texts.items() for key in text_keys(norm, consultation_id, ALONE_BANDS)]
    if not pairs:
        return
    conn = get_connection("default")
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        if conn.capabilities.dialect == "postgres":
            wanted = "SELECT * FROM unnest($1::bigint[], $2::integer[])"
            query = f"DELETE FROM similarity_key WHERE (key, comment_id) IN ({wanted})"
            params: list[object] = [[k for k, _ in chunk], [c for _, c in chunk]]
        else:
            # Joined, not `(key, comment_id) IN (VALUES …)`: SQLite reads the whole table for that.
            wanted = "VALUES " + ", ".join("(?, ?)" for _ in chunk)
            query = (
                f"DELETE FROM similarity_key WHERE id IN (SELECT s.id FROM ({wanted}) AS w "
                "JOIN similarity_key s ON s.key = w.column1 AND s.comment_id = w.column2)"
            )
            params = [v for pair in chunk for v in pair]
        await conn.execute_query(query, params)


async def _index_alone(comment_ids: Sequence[int], consultation_id: int) -> None:
    """Comments in no group go into the similarity index, so that a later copy pairs with them."""
    rows = await Comment.filter(id__in=list(comment_ids)[:CHUNK]).values_list("id", "body")
    keys = [(key, cid) for cid, body in rows for key in text_keys(normalise(body), consultation_id, ALONE_BANDS)]
    await _add_keys("similarity_key", "comment_id", keys)


async def _insert_groups(
    consultation_id: int, started: dict[str, tuple[int | None, list[int]]], now: datetime
) -> dict[str, int]:
    """The automatic groups a batch started (representative -> its article and members), inserted in
    one statement; their ids by representative (two groups started in one batch never share one: the
    second's first member would have joined the first). Written by hand for the RETURNING clause,
    which Tortoise's bulk insert lacks: the columns are CommentGroup's."""
    if not started:
        return {}
    conn = get_connection("default")
    columns = ("consultation_id", "summary", "article_id", "representative", "automatic", "created_at")
    rows = [(consultation_id, "", article, text, True, now) for text, (article, _) in started.items()]
    place = marks(conn)
    if conn.capabilities.dialect == "postgres":
        types = ("integer", "text", "integer", "text", "boolean", "timestamptz")
        source = "SELECT * FROM unnest(" + ", ".join(f"{next(place)}::{kind}[]" for kind in types) + ")"
        params: list[object] = [list(column) for column in zip(*rows, strict=True)]
    else:
        source = "VALUES " + ", ".join("(" + ", ".join(next(place) for _ in columns) + ")" for _ in rows)
        params = [value for row in rows for value in row]
    query = f"INSERT INTO comment_group ({', '.join(columns)}) {source} RETURNING id, representative"
    # execute_query_dict: Tortoise's execute_query returns no rows for an INSERT on PostgreSQL.
    inserted = await conn.execute_query_dict(query, params)
    return {row["representative"]: row["id"] for row in inserted}


async def _published_locked(comment_ids: list[int]) -> set[int]:
    """Which of these comments are published, their rows locked (PostgreSQL) until the commit."""
    conn = get_connection("default")
    lock = " FOR UPDATE" if conn.capabilities.dialect == "postgres" else ""
    published: set[int] = set()
    for chunk in _chunks(comment_ids):
        wanted, params = any_of(conn, marks(conn), chunk, "integer")
        _, rows = await conn.execute_query(f"SELECT id, state FROM comment WHERE id {wanted} ORDER BY id{lock}", params)
        published.update(row["id"] for row in rows if row["state"] == ModerationState.PUBLISHED.value)
    return published


async def _apply_groups(consultation_id: int, plan: Assignment, articles: dict[int, int | None], now: datetime) -> None:
    """The batch's arrivals that joined a group or started one, and the groups they started."""
    members: dict[int, list[int]] = dict(plan.joins)
    earlier = [first for first in plan.new_groups if first not in articles]  # alone before this batch
    for chunk in _chunks(earlier):
        articles.update(dict(await Comment.filter(id__in=chunk).values_list("id", "article_id")))
    started = {
        representative: (Counter(articles.get(i) for i in ids).most_common(1)[0][0], ids)
        for representative, ids in plan.new_groups.values()
    }
    keys: list[tuple[int, int]] = []
    for representative, group_id in (await _insert_groups(consultation_id, started, now)).items():
        members[group_id] = started[representative][1]
        keys += [(key, group_id) for key in text_keys(representative, consultation_id, GROUP_BANDS)]
    await _add_keys("representative_key", "group_id", keys)
    joined = [cid for ids in members.values() for cid in ids]
    # Arrivals are pending as a rule; one moderated before the worker came to it changes what the
    # public sees of its group. The rows are locked while their states are read (PostgreSQL), so a
    # moderation at this moment either comes first and is seen, or waits and sees the group.
    published = await _published_locked(joined)
    conn = get_connection("default")
    await set_column(
        conn, "comment", "group_id", {cid: gid for gid, ids in members.items() for cid in ids}, cast="integer"
    )
    # Only the comments that were alone before this batch have keys (arrivals get theirs when they stay alone).
    await _drop_keys({first: text for first, (text, _) in plan.new_groups.items()}, consultation_id)
    shown = {group_id: ids for group_id, ids in members.items() if published.intersection(ids)}
    answered = 0
    for group_id, ids in shown.items():
        answered += await _members_shown(group_id, ids, now)
    if shown:
        await regroup(consultation_id, set(shown), answered)


async def group_arrivals(batch: Batch) -> None:
    """The grouping job, for a batch of new comments of one consultation, oldest first: each joins the
    group it copies, or pairs with a comment still alone that it copies, or stays alone. Candidates
    come from the similarity index (a few per comment); the edit-distance ratio confirms each match."""
    consultation_id = batch.scope_id
    # What the batch reads comes through the reader (consult.txn.reader): committed comments only, and
    # never queued behind the writes of the requests. Its writes commit with the jobs' completion.
    rows = (
        await Comment.filter(id__in=batch.subject_ids, consultation_id=consultation_id, group_id__isnull=True)
        .using_db(reader())
        .order_by("id")
        .values_list("id", "body", "article_id")
    )
    arrivals = await asyncio.to_thread(_arrivals, rows, consultation_id)
    known = await _with_groups(consultation_id, arrivals)
    best = await asyncio.to_thread(best_groups, arrivals, known)
    # Comments alone are looked up only for the arrivals that copy no group (campaign copies do).
    await _with_alone(
        known, consultation_id, [a for a, (_, group) in zip(arrivals, best, strict=True) if group is None]
    )
    plan = await asyncio.to_thread(assign, arrivals, known, best)
    # Written in short transactions, each with the jobs it completes (PER_TRANSACTION).
    articles = {r[0]: r[2] for r in rows}
    turns = _Turns(get_connection("default").capabilities.dialect == "sqlite")
    for part in _portions(plan, PER_TRANSACTION):
        grouped = [cid for ids in part.joins.values() for cid in ids]
        grouped += [cid for _, ids in part.new_groups.values() for cid in ids]
        await turns.before()
        async with batch.completing(grouped):
            turns.locked()
            await _apply_groups(consultation_id, part, articles, batch.now)
    for start in range(0, len(plan.alone), PER_TRANSACTION):
        alone = plan.alone[start : start + PER_TRANSACTION]
        await turns.before()
        async with batch.completing(a.id for a in alone):
            turns.locked()
            await _add_keys("similarity_key", "comment_id", [(key, a.id) for a in alone for key in a.keys])


class _Turns:
    """SQLite has one writer at a time, and a writer that waits for the lock only looks again now and
    then: a worker that begins its next transaction as soon as one commits can keep the requests'
    writer waiting. So the worker pauses between two transactions, but only while it finds the lock
    contended (its own wait for it is the sign that requests are writing): a worker catching up
    alone (`consult tick`, a bulk import) loses no time."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite, self.contended, self.asked = sqlite, False, 0.0

    async def before(self) -> None:
        if self.sqlite and self.contended:
            await asyncio.sleep(PAUSE)
        self.asked = time.monotonic()

    def locked(self) -> None:
        """The transaction holds the lock (its first statement, the jobs' delete, took it)."""
        self.contended = time.monotonic() - self.asked > CONTENDED


def _portions(plan: Assignment, size: int) -> Iterator[Assignment]:
    """The plan's groups in parts of about `size` comments (a group this batch started stays whole:
    it is inserted with its members), each part written in a transaction of its own."""
    part, count = Assignment(), 0
    for group_id, ids in plan.joins.items():
        for start in range(0, len(ids), size):
            part.joins.setdefault(group_id, []).extend(ids[start : start + size])
            count += len(ids[start : start + size])
            if count >= size:
                yield part
                part, count = Assignment(), 0
    for first, (text, ids) in plan.new_groups.items():
        part.new_groups[first] = (text, ids)
        count += len(ids)
        if count >= size:
            yield part
            part, count = Assignment(), 0
    if part.joins or part.new_groups:
        yield part


# What the worker writes goes this many comments to a transaction: the requests wait for one short
# transaction at most, never for a whole batch. On SQLite, while the lock is contended, the worker
# pauses between two of them (_Turns), so that a request's commit waiting for the lock takes it.
PER_TRANSACTION = 200
PAUSE = 0.01
CONTENDED = 0.005  # a wait for the write lock longer than this: someone else is writing
GROUPING = JobKind(name=GROUP_JOB, handler=group_arrivals, batch_size=2000, serial_per_scope=True)


async def group_waiting_comments(consultation_id: int, now: datetime) -> int:
    """Group the consultation's comments that wait for the worker, now (staff need not wait for it)."""
    return await work_scope(GROUPING, consultation_id, now)


async def _members_shown(group_id: int, comment_ids: list[int], now: datetime) -> int:
    """Published comments joined a group: the group's answer is theirs too, its summary may come from
    them, and its size under the concentrated rule has changed. How many answers they inherited."""
    answer = await GroupAnswer.get_or_none(group_id=group_id, published_at__isnull=False)
    inherited = await _inherit(answer, now, comment_ids) if answer is not None else 0
    await refresh_summary(group_id)
    await recheck_group(group_id)
    return inherited


# ---- what staff do -----------------------------------------------------------------------------


async def _detach(comment_ids: Sequence[int]) -> None:
    """Members leaving a group keep the answer they had: an inherited answer becomes their own."""
    for chunk in _chunks(list(comment_ids)):
        await Answer.filter(comment_id__in=chunk, group_answer_id__isnull=False).update(group_answer_id=None)


async def _drop_if_empty(group_ids: Iterable[int]) -> None:
    for gid in set(group_ids):
        if not await Comment.filter(group_id=gid).exists():
            await CommentGroup.filter(id=gid).delete()


async def create_group(
    consultation: Consultation, comment_ids: list[int], summary: str, actor: User, now: datetime
) -> CommentGroup:
    """Staff group comments that say the same thing in different words (a topic group)."""
    await _require_department(actor, consultation.id)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": N_("Write one line saying what these comments ask for.")})
    comments = await Comment.filter(id__in=comment_ids[:CHUNK], consultation_id=consultation.id)
    if len(comments) < 2:
        raise ValidationError({"comment_ids": N_("Select at least two comments of this consultation.")})
    async with in_transaction("default"):
        old_groups = [c.group_id for c in comments if c.group_id]
        await _detach([c.id for c in comments])
        group = await CommentGroup.create(
            consultation_id=consultation.id,
            summary=summary[:200],
            article_id=Counter(c.article_id for c in comments).most_common(1)[0][0],
            representative=normalise(comments[0].body),
            automatic=False,
            created_by=actor,
            created_at=now,
        )
        await Comment.filter(id__in=[c.id for c in comments]).update(group_id=group.id)
        await _drop_keys({c.id: normalise(c.body) for c in comments}, consultation.id)
        await _add_keys(
            "representative_key",
            "group_id",
            [(key, group.id) for key in text_keys(group.representative, consultation.id, GROUP_BANDS)],
        )
        await _drop_if_empty(old_groups)
        await recount(consultation.id)
        await queue_index([c.id for c in comments])
    return group


async def merge_groups(target: CommentGroup, source: CommentGroup, actor: User, now: datetime) -> None:
    """Members gained keep an answer of their own; the answer they inherited from the old group goes
    with it, and they inherit the target's approved answer instead, or wait for one as unanswered."""
    if target.id == source.id or target.consultation_id != source.consultation_id:
        raise ValidationError({"target_id": N_("Choose another group of this consultation.")})
    await _require_department(actor, target.consultation_id)
    async with in_transaction("default"):
        ids = await Comment.filter(group_id=source.id).values_list("id", flat=True)
        for chunk in _chunks(ids):
            await Answer.filter(comment_id__in=chunk, group_answer_id__isnull=False).delete()
        await Comment.filter(group_id=source.id).update(group_id=target.id)
        await source.delete()
        await refresh_summary(target.id)
        answer = await GroupAnswer.get_or_none(group_id=target.id, published_at__isnull=False)
        if answer is not None:
            await _inherit(answer, now, ids)
        await recheck_group(target.id)
        await recount(target.consultation_id)
        await queue_index(ids)


async def split_comment(comment: Comment, actor: User) -> None:
    """Take one comment out of its group; it keeps its receipt, text and answer."""
    if comment.group_id is None:
        raise Conflict("This comment is not in a group.")
    await _require_department(actor, comment.consultation_id)
    async with in_transaction("default"):
        group_id = comment.group_id
        await _detach([comment.id])
        await Comment.filter(id=comment.id).update(group_id=None)
        await _index_alone([comment.id], comment.consultation_id)
        await _drop_if_empty([group_id])
        await refresh_summary(group_id)
        await recheck_group(group_id)
        await recount(comment.consultation_id)
        await queue_index([comment.id])


async def rename_group(group: CommentGroup, summary: str, actor: User) -> None:
    await _require_department(actor, group.consultation_id)
    if not summary.strip():
        raise ValidationError({"summary": N_("Write one line saying what these comments ask for.")})
    group.summary, group.summary_source_id = summary.strip()[:200], None
    await group.save(update_fields=["summary", "summary_source_id"])


# ---- answering a group ---------------------------------------------------------------------------


async def answer_group(
    group: CommentGroup,
    status: AnswerStatus,
    reason: str,
    actor: User,
    now: datetime,
    template: AnswerTemplate | None = None,
) -> GroupAnswer:
    await _require_department(actor, group.consultation_id)
    reason = reason.strip() or (template.text if template else "")
    answer = await GroupAnswer.get_or_none(group_id=group.id)
    if answer is None:
        reason = checked_reason(status, reason)
        return await GroupAnswer.create(group=group, status=status, reason=reason, answered_by=actor, answered_at=now)
    revise(answer, status, reason, actor, now)
    await answer.save()
    return answer


async def group_size(group_id: int) -> int:
    return await Comment.filter(group_id=group_id, state=ModerationState.PUBLISHED).count()


async def group_sizes(group_ids: Sequence[int]) -> dict[int, int]:
    """Published members of each group, in one query (a page of groups must not count row by row)."""
    rows = (
        await Comment.filter(group_id__in=list(group_ids), state=ModerationState.PUBLISHED)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values_list("group_id", "n")
    )
    return dict(rows)


async def is_group_concentrated(group: CommentGroup, rule: ConcentratedRule) -> bool:
    total = await Comment.filter(consultation_id=group.consultation_id, state=ModerationState.PUBLISHED).count()
    return rule.is_concentrated(await group_size(group.id), total)


async def recheck_group(group_id: int | None) -> bool:
    """After members joined, were published, merged in or split off: an approved answer that no longer
    meets the concentrated-opinion rule goes back to the department with the reason. Its public copy
    stays up until the revision is approved, like any revised answer."""
    answer = await GroupAnswer.get_or_none(group_id=group_id, review_state=ReviewState.APPROVED) if group_id else None
    if answer is None or answer.public_status is None:
        return False
    rule = ConcentratedRule.of(active())
    group = await CommentGroup.get(id=group_id)
    if not rule.reason_is_missing(answer.public_status, answer.public_reason):
        return False
    if not await is_group_concentrated(group, rule):
        return False
    with language("zh"):  # the note is read by the department's staff, like a reviewer's note
        note = gettext(
            "The group has become a concentrated opinion: an answer that does not adopt it needs a published "
            "reason of at least %(n)s characters. Revise the reason and send it for review again.",
            n=rule.reason_min_chars,
        )
    returned_by_platform(answer, note)
    await answer.save(update_fields=["review_state", "review_note"])
    return True


async def _reason_for_concentrated(answer: GroupAnswer, rule: ConcentratedRule) -> None:
    """A concentrated group cannot be refused without a real reason (DOMAIN: concentrated opinions)."""
    group = await CommentGroup.get(id=answer.group_id)
    if rule.reason_is_missing(answer.status, answer.reason) and await is_group_concentrated(group, rule):
        raise ValidationError(
            {
                "note": N_(
                    "Many people asked for this: an answer that does not fully adopt it needs a published reason "
                    "of at least %(n)s characters (letters, digits and Chinese characters; punctuation does not "
                    "count)."
                )
            },
            n=rule.reason_min_chars,
        )


async def _check_group_answer(answer: ReviewedAnswer) -> None:
    assert isinstance(answer, GroupAnswer)
    await _reason_for_concentrated(answer, ConcentratedRule.of(active()))


async def _members_inherit(answer: ReviewedAnswer, first_publication: bool, now: datetime) -> None:
    assert isinstance(answer, GroupAnswer)
    await _inherit(answer, now)
    group = await CommentGroup.get(id=answer.group_id)
    await recount(group.consultation_id)


async def _group_answer_public(answer: ReviewedAnswer, now: datetime) -> None:
    assert isinstance(answer, GroupAnswer)
    group = await CommentGroup.get(id=answer.group_id)
    await answers_published.send(consultation_id=group.consultation_id, now=now)


GROUP_ANSWER = ReviewKind(
    name="group_answer",
    model=GroupAnswer,
    department_path="group__consultation__decision__department_id",
    related=("group__consultation__draft",),
    check_approval=_check_group_answer,
    on_approved=_members_inherit,
    after_approved=_group_answer_public,
)


async def review_group_answer(
    answer: GroupAnswer, approve: bool, note: str, actor: User, now: datetime, *, rule: ConcentratedRule
) -> None:
    """The common review, with the concentrated-opinion rule given (a county's own figures, or a test's)."""

    async def check(item: ReviewedAnswer) -> None:
        assert isinstance(item, GroupAnswer)
        await _reason_for_concentrated(item, rule)

    await review(answer, approve, note, actor, now, check_approval=check)


async def _inherit(answer: GroupAnswer, now: datetime, comment_ids: Sequence[int] | None = None) -> int:
    """Give the approved group answer to published members without an answer of their own, refresh
    the members who already inherit it, and queue mail and search updates for them; how many members
    got the answer. The caller counts the consultation's figures once, at the end of its transaction."""
    members = Comment.filter(group_id=answer.group_id, state=ModerationState.PUBLISHED)
    if comment_ids is not None:
        members = members.filter(id__in=list(comment_ids)[:CHUNK])
    member_ids = await members.values_list("id", flat=True)
    has_answer: set[int] = set()
    for chunk in _chunks(member_ids):
        has_answer.update(await Answer.filter(comment_id__in=chunk).values_list("comment_id", flat=True))
    fields = {
        "status": answer.public_status,
        "reason": answer.public_reason,
        "review_state": ReviewState.APPROVED,
        "public_status": answer.public_status,
        "public_reason": answer.public_reason,
    }
    given = [cid for cid in member_ids if cid not in has_answer]
    await Answer.bulk_create(
        [
            Answer(
                comment_id=cid,
                answered_by_id=answer.answered_by_id,
                answered_at=answer.answered_at,
                reviewed_by_id=answer.reviewed_by_id,
                reviewed_at=answer.reviewed_at,
                published_at=now,
                group_answer_id=answer.id,
                **fields,
            )
            for cid in given
        ],
        batch_size=1000,
    )
    changed = given
    if comment_ids is None:  # the group's answer was approved: every member inheriting it follows it
        await Answer.filter(group_answer_id=answer.id).update(**fields)
        changed = await Answer.filter(group_answer_id=answer.id).values_list("comment_id", flat=True)
    await queue_answer_mail(answer.group_id, now)
    # The members' search entries follow their new public answer.
    await queue_index(changed)
    return len(given)


async def inherit_group_answer(comment: Comment, now: datetime) -> None:
    """A member published after its group was answered gets the group's answer too, and the group,
    one larger, may now be concentrated."""
    answer = await GroupAnswer.get_or_none(group_id=comment.group_id, published_at__isnull=False)
    if answer is not None:
        await _inherit(answer, now, [comment.id])
    await recheck_group(comment.group_id)


async def member_moderated(comment: Comment, now: datetime) -> None:
    """After a member is published or withheld: its answer, the group's summary and the rule."""
    if comment.group_id is None:
        return
    await refresh_summary(comment.group_id)
    if comment.state is ModerationState.PUBLISHED:
        await inherit_group_answer(comment, now)


async def contradicted_group_answers(answers: Sequence[Answer]) -> dict[int, GroupAnswer]:
    """For each of these members' own answers that says the opposite of its group's answer (the approved
    one, or else the one proposed), that group answer: the reviewer sees it before approving."""
    comments = dict(
        await Comment.filter(id__in=[a.comment_id for a in answers], group_id__isnull=False).values_list(
            "id", "group_id"
        )
    )
    groups = {g.group_id: g for g in await GroupAnswer.filter(group_id__in=list(set(comments.values())))}
    found = {}
    for answer in answers:
        group_answer = groups.get(comments.get(answer.comment_id, 0))
        if group_answer is None or answer.group_answer_id is not None:
            continue
        if contradicts(answer.status, group_answer.public_status or group_answer.status):
            found[answer.id] = group_answer
    return found


async def concentrated_groups(consultation_id: int, rule: ConcentratedRule) -> list[dict]:
    """The concentrated groups, largest first, with what the public sees of their answer."""
    tally = await figures(consultation_id)
    sizes = {gid: n for gid, n in tally.per_group.items() if rule.is_concentrated(n, tally.published)}
    groups = await CommentGroup.filter(id__in=list(sizes)).prefetch_related("article")
    answers = {a.group_id: a for a in await GroupAnswer.filter(group_id__in=list(sizes), published_at__isnull=False)}
    result = [
        {
            "id": g.id,
            "summary": g.summary,
            "size": sizes[g.id],
            "article": g.article.label if g.article else "",
            "status": answers[g.id].public_status.value if g.id in answers else None,
            "reason": answers[g.id].public_reason if g.id in answers else "",
        }
        for g in groups
    ]
    return sorted(result, key=lambda g: -g["size"])


# ---- answer templates --------------------------------------------------------------------------


def require_template_editor(department_id: int, actor: User) -> None:
    if not can_edit_department_content(actor, department_id):
        raise PermissionDenied("Only the department's own staff and the office manage its answer templates.")


async def add_answer_template(department_id: int, title: str, text: str, actor: User, now: datetime) -> AnswerTemplate:
    """A reusable reason of a department, offered when its staff answer."""
    if not await Department.filter(id=department_id).exists():
        raise ValidationError({"department_id": N_("Choose one of the options.")})
    require_template_editor(department_id, actor)
    errors = forms.Errors()
    title = forms.text(title, "title", errors, max_length=100)
    text = forms.text(text, "text", errors, max_length=MAX_REASON)
    errors.raise_if_any()
    return await AnswerTemplate.create(
        department_id=department_id, title=title, text=text, created_by=actor, created_at=now
    )


async def delete_answer_template(template: AnswerTemplate, actor: User) -> None:
    require_template_editor(template.department_id, actor)
    await template.delete()
