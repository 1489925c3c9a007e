"""Storing comments: those that arrive together are committed together (group commit).

Under a surge, hundreds of citizens submit in the same second. Committing each comment on its own
makes the database's commit the limit (and on SQLite a single writer). Here each process has one
writer task: a request hands over its comment and waits; the writer takes everything that waits,
stores it in one transaction with the comments' jobs and the consultation's figures, and answers each
request after the commit. Nothing is acknowledged before it is committed, and a comment never waits
for more than the commit in progress and its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

from consult import clock
from consult.comments.events import GROUP_JOB
from consult.comments.models import Comment
from consult.comments.receipts import new_receipt_code
from consult.comments.tally import add_received
from consult.drafts.models import Consultation, Draft
from consult.drafts.services import ConsultationState, consultation_state
from consult.errors import Conflict
from consult.i18n import gettext, language
from consult.jobs.queue import enqueue, wake
from consult.limits import TooManySubmissions
from consult.limits.counter import Window, count_all
from consult.notify.models import MessageKind, OutboxMessage
from consult.notify.services import message, queue
from consult.txn import insert_returning, take_write_lock

log = logging.getLogger("consult.comments")
MAX_BATCH = 500
# Comments a statement inserts (their values are its parameters: SQLite takes 32,766).
ROWS_PER_INSERT = 500
RECEIPT_ATTEMPTS = 5
CLOSED = "This consultation is closed; comments are no longer accepted."


@dataclass
class _Waiting:
    comment: Comment
    online: bool
    today: date
    # The form limits' windows this submission counts in (consult/limits/), counted in the same
    # transaction: one statement for the whole batch instead of a few per request.
    windows: Sequence[Window]
    future: asyncio.Future[tuple[Comment, bool]]
    attempts: int = 0


@dataclass
class _Outcome:
    stored: dict[int, _Waiting] = field(default_factory=dict)  # new comment id -> whose it is
    repeated: dict[int, list[_Waiting]] = field(default_factory=dict)  # earlier comment id -> who sent it again
    refused: list[_Waiting] = field(default_factory=list)
    limited: list[tuple[_Waiting, int]] = field(default_factory=list)  # with the seconds to wait
    retry: list[_Waiting] = field(default_factory=list)  # the receipt code was taken: a new one next time


def _accepts(consultation: Consultation | None, waiting: _Waiting) -> bool:
    """Checked again inside the transaction: the consultation may have closed since the form was read."""
    if consultation is None:
        return False
    state = consultation_state(consultation, waiting.today)
    if waiting.online:
        return state is ConsultationState.OPEN
    return state not in (ConsultationState.DRAFT, ConsultationState.UPCOMING)


async def _store(batch: list[_Waiting]) -> _Outcome:
    """One transaction for the whole batch: the comments, their jobs, the consultations' figures."""
    outcome = _Outcome()
    ids = sorted({w.comment.consultation_id for w in batch})  # sorted: tallies are locked in one order
    consultations = {c.id: c for c in await Consultation.filter(id__in=ids)}
    accepted = []
    for waiting in batch:
        if _accepts(consultations.get(waiting.comment.consultation_id), waiting):
            accepted.append(waiting)
        else:
            outcome.refused.append(waiting)
    counted = [w for w in accepted if w.windows and w.attempts == 0]  # a retry was counted already
    for waiting, wait in zip(counted, await count_all([w.windows for w in counted], clock.now()), strict=True):
        if wait is not None:
            outcome.limited.append((waiting, wait))
            accepted.remove(waiting)
    if not accepted:
        return outcome
    # A repeat of a form already stored (same one-time token and content) or a taken receipt code is
    # left out by the database (unique keys); the rows inserted come back with their ids.
    conn = get_connection("default")
    returned = ("id", "consultation_id", "dedupe_key", "receipt_code")
    found: dict[tuple[int, str], tuple[int, str]] = {}  # (consultation, dedupe key) -> id, receipt code
    for start in range(0, len(accepted), ROWS_PER_INSERT):
        chunk = [w.comment for w in accepted[start : start + ROWS_PER_INSERT]]
        for row in await insert_returning(conn, chunk, returned, ignore_conflicts=True):
            found[(row["consultation_id"], row["dedupe_key"])] = (row["id"], row["receipt_code"])
    for waiting in accepted:
        comment = waiting.comment
        row = found.get((comment.consultation_id, comment.dedupe_key))
        if row is not None and row[1] == comment.receipt_code:
            outcome.stored[row[0]] = waiting
        elif row is not None:  # the same form twice in this batch: the other one was stored
            outcome.repeated.setdefault(row[0], []).append(waiting)
        else:  # rare: a repeat of a form stored earlier, or a receipt code already taken
            earlier = await Comment.filter(consultation_id=comment.consultation_id, dedupe_key=comment.dedupe_key)
            if earlier:
                outcome.repeated.setdefault(earlier[0].id, []).append(waiting)
            else:
                outcome.retry.append(waiting)
    stored = [(w.comment.consultation_id, cid) for cid, w in outcome.stored.items()]
    await enqueue(GROUP_JOB, stored)
    await queue(await _receipt_mails(outcome.stored, consultations))
    for consultation_id, n in sorted(Counter(scope for scope, _ in stored).items()):
        await add_received(consultation_id, n)
    return outcome


async def _receipt_mails(stored: dict[int, _Waiting], consultations: dict[int, Consultation]) -> list[OutboxMessage]:
    """A citizen who gave an e-mail address online gets the receipt code by mail (through the outbox,
    in the transaction that stores the comment: a comment stored is a mail owed)."""
    mailed = {cid: w.comment for cid, w in stored.items() if w.online and w.comment.contact_email}
    if not mailed:
        return []
    drafts = {consultations[c.consultation_id].draft_id for c in mailed.values()}
    titles = dict(await Draft.filter(id__in=drafts).values_list("id", "title"))
    return [
        receipt_mail(comment, cid, titles[consultations[comment.consultation_id].draft_id], clock.now())
        for cid, comment in mailed.items()
    ]


def receipt_mail(comment: Comment, comment_id: int, title: str, now: datetime) -> OutboxMessage:
    short = title if len(title) <= 80 else title[:79] + "…"  # the subject holds 200 characters
    with language("zh"):
        subject = gettext("Your comment on “%(title)s” has been received", title=short)
        body = gettext(
            "Thank you. Your comment has been received.\nReceipt code: %(code)s\n"
            "With this code you can check whether your comment was published and read the department's "
            "answer, without an account: %(link)s\n"
        ) % {"code": comment.receipt_code, "link": f"{{base_url}}/receipts/{comment.receipt_code}"}
    return message(MessageKind.COMMENT_RECEIVED, f"received:{comment_id}", comment.contact_email, subject, body, now)


class CommentWriter:
    """The writer of one process (one per event loop)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[_Waiting] = asyncio.Queue()
        self.task = asyncio.create_task(self._run(), name="comment-writer")

    async def _run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            await self._commit(batch)

    async def _commit(self, batch: list[_Waiting]) -> None:
        try:
            async with in_transaction("default") as conn:
                # Written first: a job worker or `consult tick` in another process may write between
                # this batch's reads and writes, and SQLite refuses a transaction that read first.
                await take_write_lock(conn, table="comment")
                outcome = await _store(batch)
        except Exception as exc:  # noqa: BLE001 - each waiting request gets the error (503 when the database is down)
            log.warning("storing %s comments failed: %s", len(batch), type(exc).__name__)
            for waiting in batch:
                _fail(waiting, exc)
            return
        try:
            again = await _answer(outcome)
        except Exception as exc:  # noqa: BLE001 - reading back a repeat failed: those requests are told
            log.warning("answering %s comments failed: %s", len(batch), type(exc).__name__)
            for waiting in batch:
                _fail(waiting, exc)
            return
        for waiting in again:
            self.queue.put_nowait(waiting)


async def _answer(outcome: _Outcome) -> list[_Waiting]:
    """After the commit: each request learns what became of its comment. Returns those to try again
    with a new receipt code."""
    if outcome.stored:
        wake()
    for comment_id, waiting in outcome.stored.items():
        # The comment as stored; only its id was missing (a bulk insert returns none). Marked as a row
        # of the database, as Tortoise marks what it fetches, so that a later save() updates it.
        waiting.comment.id = comment_id
        waiting.comment._saved_in_db = True
        _resolve(waiting, (waiting.comment, True))
    if outcome.repeated:
        for comment in await Comment.filter(id__in=list(outcome.repeated)):
            for waiting in outcome.repeated[comment.id]:
                _resolve(waiting, (comment, False))
    for waiting in outcome.refused:
        _fail(waiting, Conflict(CLOSED))
    for waiting, wait in outcome.limited:
        _fail(waiting, TooManySubmissions(wait))
    again = []
    for waiting in outcome.retry:
        waiting.attempts += 1
        if waiting.attempts >= RECEIPT_ATTEMPTS:
            _fail(waiting, Conflict("Could not store the comment; please try again."))
            continue
        waiting.comment.receipt_code = new_receipt_code()
        again.append(waiting)
    return again


def _resolve(waiting: _Waiting, result: tuple[Comment, bool]) -> None:
    if not waiting.future.done():
        waiting.future.set_result(result)


def _fail(waiting: _Waiting, exc: Exception) -> None:
    if not waiting.future.done():
        waiting.future.set_exception(exc)


_writers: dict[asyncio.AbstractEventLoop, CommentWriter] = {}


def _writer() -> CommentWriter:
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None or writer.task.done():
        for stale in [old for old in _writers if old.is_closed()]:
            del _writers[stale]
        writer = _writers[loop] = CommentWriter()
    return writer


async def store(comment: Comment, *, online: bool, today: date, windows: Sequence[Window] = ()) -> tuple[Comment, bool]:
    """Store a new comment (unsaved, with its receipt code and dedupe key); returns it and True, or the
    comment stored earlier from the same form and False. Conflict when the consultation has closed,
    TooManySubmissions when the submission is over a form limit (it counts all the same).

    Inside a caller's transaction (a script, a migration) the comment is stored right there: the writer
    works in transactions of its own, and would wait for the caller's to end."""
    loop = asyncio.get_running_loop()
    waiting = _Waiting(comment, online, today, windows, loop.create_future())
    if not isinstance(get_connection("default"), TransactionalDBClient):
        _writer().queue.put_nowait(waiting)
        return await waiting.future
    batch = [waiting]
    while batch:
        batch = await _answer(await _store(batch))
    return await waiting.future
