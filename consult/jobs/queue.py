"""The durable job queue: work that follows a change, done after the request that made the change.

A service writes its jobs with `enqueue` inside the transaction of its change, so the change and the
work it owes commit together. A worker (the app's own, `run_worker`, and `consult tick`) claims a
batch, does the work, and deletes the jobs in the transaction that writes the work's effects
(`Batch.completing`): the effects of a job commit once, or not at all and the job stays. A process
killed mid-batch leaves its claim, which lapses after `CLAIM`; another process then takes the batch.

Kinds (what to do with a batch) are registered in consult/wiring.py, like the signals.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.expressions import Q
from tortoise.functions import Count, Min
from tortoise.transactions import in_transaction

from consult import clock
from consult.jobs.models import Job, Lease
from consult.txn import insert_rows, reader

log = logging.getLogger("consult.jobs")

# A batch is claimed for this long; a batch takes well under a second, so a claim that lapses means
# its process died (or hung), and another process takes the batch over.
CLAIM = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=1)
CHUNK = 1000  # ids per statement (SQLite allows 32,766 parameters)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ClaimLost(RuntimeError):
    """Another process took over the batch (our claim lapsed): our work rolls back, theirs counts."""


@dataclass(frozen=True)
class Claimed:
    """What a handler needs of a claimed job (read without building a model per job)."""

    id: int
    scope_id: int
    subject_id: int
    attempts: int


@dataclass
class Batch:
    """Claimed jobs of one kind (and, for a kind done per scope, of one scope), oldest first."""

    kind: JobKind
    jobs: list[Claimed]
    claim: str
    now: datetime
    done: set[int] = field(default_factory=set)  # the ids of the jobs completed so far

    @property
    def subject_ids(self) -> list[int]:
        return [job.subject_id for job in self.jobs]

    @property
    def scope_id(self) -> int:
        return self.jobs[0].scope_id

    @property
    def completed(self) -> bool:
        return len(self.done) == len(self.jobs)

    @asynccontextmanager
    async def completing(self, subjects: Iterable[int] | None = None) -> AsyncIterator[BaseDBAsyncClient]:
        """The transaction in which the work on `subjects` (default: the whole batch) is written: their
        jobs are deleted first (which also takes SQLite's write lock), and if any of them is no longer
        ours the work rolls back. A handler may complete a large batch in several such transactions,
        each short, so that the requests' own writes never wait long for the lock."""
        wanted = None if subjects is None else set(subjects)
        ids = [job.id for job in self.jobs if job.id not in self.done and (wanted is None or job.subject_id in wanted)]
        async with in_transaction("default") as conn:
            deleted = 0
            for start in range(0, len(ids), CHUNK):
                deleted += await Job.filter(id__in=ids[start : start + CHUNK], claimed_by=self.claim).delete()
            if deleted != len(ids):
                raise ClaimLost(f"{self.kind.name}: {len(ids) - deleted} of {len(ids)} jobs were taken over")
            yield conn
        self.done.update(ids)


Handler = Callable[[Batch], Awaitable[None]]


@dataclass(frozen=True)
class JobKind:
    name: str
    # Does a batch's work and writes it inside `async with batch.completing():` (once, or in parts).
    handler: Handler
    batch_size: int = 500
    # One process at a time works on the jobs of one scope, oldest first: grouping compares each new
    # comment with those that arrived before it, so two processes grouping one consultation at once
    # could each miss the other's comments.
    serial_per_scope: bool = False


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    KINDS[kind.name] = kind


async def enqueue(kind: str, items: Iterable[tuple[int, int]]) -> int:
    """Queue work on (scope id, subject id) pairs. Call it inside the transaction of the change.

    The queue keeps the wall clock's time, not the time a service was given: it is about when work
    was queued and may run, which every process must agree on (claims lapse by it). One statement for
    all the jobs, without building a model per job: the comment writer queues hundreds at a time."""
    now = clock.now()
    rows = [(kind, scope, subject, now, now, "", 0, "") for scope, subject in items]
    await insert_rows(get_connection("default"), "job", JOB_COLUMNS, JOB_TYPES, rows)
    return len(rows)


JOB_COLUMNS = ("kind", "scope_id", "subject_id", "created_at", "run_after", "claimed_by", "attempts", "last_error")
JOB_TYPES = ("text", "integer", "integer", "timestamptz", "timestamptz", "text", "integer", "text")


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


def _available(now: datetime) -> Q:
    return Q(run_after__lte=now) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


async def take_lease(name: str, holder: str, now: datetime, seconds: float) -> bool:
    # The row exists from then on; the conditional update decides who holds it.
    await Lease.bulk_create([Lease(name=name, holder="", until=EPOCH)], ignore_conflicts=True)
    taken = await Lease.filter(Q(name=name) & (Q(until__lt=now) | Q(holder=holder))).update(
        holder=holder, until=now + timedelta(seconds=seconds)
    )
    return taken == 1


async def release_lease(name: str, holder: str) -> None:
    await Lease.filter(name=name, holder=holder).update(holder="", until=EPOCH)


async def _claim(candidates: Sequence[int], now: datetime) -> tuple[str, list[Claimed]]:
    claim = secrets.token_hex(8)
    await Job.filter(Q(id__in=list(candidates)) & _available(now)).update(claimed_by=claim, claimed_until=now + CLAIM)
    rows = Job.filter(id__in=list(candidates), claimed_by=claim).order_by("id").using_db(reader())
    return claim, [Claimed(*row) for row in await rows.values_list("id", "scope_id", "subject_id", "attempts")]


async def _give_back(batch: Batch, exc: BaseException) -> None:
    """A batch that failed is tried again later, each job on its own (a job that always fails then
    holds back only itself), after a backoff that grows with its attempts."""
    error = type(exc).__name__[:200]  # never the message: it can quote a comment's text or a contact
    for job in batch.jobs:
        if job.id in batch.done:
            continue
        await Job.filter(id=job.id, claimed_by=batch.claim).update(
            claimed_by="",
            claimed_until=None,
            attempts=job.attempts + 1,
            run_after=batch.now + backoff(job.attempts + 1),
            last_error=error,
        )


async def _work_batch(kind: JobKind, scope: int | None, now: datetime) -> int:
    # Reads go to the reader (consult.txn.reader): the worker never waits for the requests' writes to
    # look for work; only its claims and its results are written.
    queryset = Job.filter(Q(kind=kind.name) & _available(now)).using_db(reader())
    if scope is not None:
        queryset = queryset.filter(scope_id=scope)
    candidates = await queryset.order_by("id").limit(kind.batch_size).values_list("id", "attempts")
    if not candidates:
        return 0
    # A job that failed before runs alone, so that it cannot fail its neighbours again.
    ids = [candidates[0][0]] if candidates[0][1] else [i for i, attempts in candidates if not attempts]
    claim, jobs = await _claim(ids, now)
    if not jobs:
        return 0
    batch = Batch(kind, jobs, claim, now)
    try:
        await kind.handler(batch)
        if not batch.completed:  # nothing (more) to write: the jobs are done all the same
            async with batch.completing():
                pass
    except ClaimLost as exc:
        log.warning("%s", exc)
        return 0
    except Exception as exc:  # noqa: BLE001 - a failed batch is retried later; the worker goes on
        log.error("%s: batch of %s jobs failed: %s", kind.name, len(jobs), type(exc).__name__)
        await _give_back(batch, exc)
        return 0
    return len(jobs)


async def _work_kind(kind: JobKind, holder: str, now: datetime) -> int:
    if not kind.serial_per_scope:
        return await _work_batch(kind, None, now)
    scopes = (
        await Job.filter(Q(kind=kind.name) & _available(now))
        .using_db(reader())
        .order_by("id")
        .limit(200)
        .values_list("scope_id", flat=True)
    )
    for scope in dict.fromkeys(scopes):
        lease = f"{kind.name}:{scope}"
        if not await take_lease(lease, holder, now, CLAIM.total_seconds()):
            continue  # another process works on this scope now
        try:
            return await _work_batch(kind, scope, now)
        finally:
            await release_lease(lease, holder)
    return 0


# Who this process is, for leases.
HOLDER = secrets.token_hex(8)


async def work_scope(kind: JobKind, scope: int, now: datetime) -> int:
    """Do the ready jobs of one scope now, batch after batch (staff asking for the grouping at once)."""
    lease = f"{kind.name}:{scope}"
    total = 0
    while await take_lease(lease, HOLDER, now, CLAIM.total_seconds()):
        try:
            done = await _work_batch(kind, scope, now)
        finally:
            await release_lease(lease, HOLDER)
        total += done
        if not done:
            break
    return total


async def work_once(now: datetime) -> int:
    """One batch of each kind that has work; how many jobs were done."""
    done = 0
    for kind in list(KINDS.values()):
        done += await _work_kind(kind, HOLDER, now)
    return done


async def work_until_empty(now: Callable[[], datetime], *, max_seconds: float = 60.0) -> int:
    """Work until no job is ready (or the time is up): `consult tick`, and the tests' "the worker ran"."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds
    total = 0
    while loop.time() < deadline:
        done = await work_once(now())
        total += done
        if not done:
            break
    return total


# One per event loop: the test suite runs several loops in one process.
_wakeups: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}


def _wakeup() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    if loop not in _wakeups:
        for stale in [old for old in _wakeups if old.is_closed()]:
            del _wakeups[stale]
        _wakeups[loop] = asyncio.Event()
    return _wakeups[loop]


def wake() -> None:
    """New jobs were committed in this process: the worker need not wait for its next poll."""
    _wakeup().set()


# After a batch smaller than a full one, the worker waits this long before the next: under a surge the
# jobs of a second go in one batch (one transaction, one look at the similarity index) instead of a
# batch per commit of the comment writer, and the grouping stays well within seconds of the arrivals.
LINGER = 1.0


async def run_worker(poll_seconds: float, now: Callable[[], datetime]) -> None:
    """The app's own worker: works while there is work, then waits to be woken by a commit in this
    process or for the next poll (jobs committed by other processes). Runs until cancelled."""
    wakeup = _wakeup()
    full = min((kind.batch_size for kind in KINDS.values()), default=1)
    while True:
        try:
            done = await work_once(now())
        except Exception as exc:  # noqa: BLE001 - a database hiccup must not end the worker
            log.error("job worker: %s", type(exc).__name__)
            done = 0
        if done >= full:
            continue
        if done:
            await asyncio.sleep(min(LINGER, poll_seconds))
            continue
        wakeup.clear()
        with suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), timeout=poll_seconds)


async def waiting(now: datetime) -> tuple[int, float]:
    """Jobs waiting and the age in seconds of the oldest: how far the workers are behind."""
    rows = await Job.all().using_db(reader()).annotate(n=Count("id"), first=Min("created_at")).values_list("n", "first")
    count, first = rows[0] if rows else (0, None)
    return count, (now - first).total_seconds() if first else 0.0
