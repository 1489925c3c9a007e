"""The durable job queue: work queued with a change runs once, survives a crashed worker, and a job that
keeps failing holds back only itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from consult import clock
from consult.jobs import queue
from consult.jobs.models import Job
from consult.jobs.queue import CLAIM, Batch, JobKind, enqueue, register_kind, take_lease, wake, work_once
from consult.limits.models import RateWindow

EFFECTS = "test-effects"


async def _effect(batch: Batch) -> None:
    """What a batch does: adds one to a counter per job, in the transaction that completes them."""
    async with batch.completing():
        await RateWindow.filter(key=EFFECTS).update(count=F("count") + len(batch.jobs))


async def _effects() -> int:
    return (await RateWindow.get(key=EFFECTS)).count


@pytest.fixture
async def kind() -> AsyncIterator[JobKind]:
    await RateWindow.create(key=EFFECTS, count=0, window_start=clock.now())
    saved = dict(queue.KINDS)
    queue.KINDS.clear()  # only the kind under test: the areas' kinds would claim nothing anyway
    test_kind = JobKind(name="test", handler=_effect, batch_size=10)
    register_kind(test_kind)
    yield test_kind
    queue.KINDS.clear()
    queue.KINDS.update(saved)


async def _drain(now=None, rounds: int = 10) -> int:
    """Several rounds of the worker (a failed batch does nothing in its round, and the next goes on)."""
    return sum([await work_once(now or clock.now()) for _ in range(rounds)])


async def test_work_queued_in_a_change_that_rolls_back_never_runs(kind) -> None:
    with pytest.raises(RuntimeError):
        async with in_transaction("default"):
            await enqueue("test", [(0, 1), (0, 2)])
            raise RuntimeError("the change failed")
    assert await Job.all().count() == 0
    await enqueue("test", [(0, 3)])
    assert await _drain() == 1 and await _effects() == 1


async def test_each_job_takes_effect_once_when_workers_race(kind) -> None:
    await enqueue("test", [(0, n) for n in range(45)])
    rounds = 0
    while await Job.all().exists():
        await asyncio.gather(*(work_once(clock.now()) for _ in range(3)))
        rounds += 1
    assert await _effects() == 45 and rounds >= 2  # batches of 10, three workers at a time


async def test_a_crashed_workers_claim_lapses_and_another_worker_finishes_the_batch(kind) -> None:
    await enqueue("test", [(0, n) for n in range(3)])
    now = clock.now()
    _, claimed = await queue._claim([job.id for job in await Job.all()], now)  # then the process dies
    assert len(claimed) == 3
    assert await work_once(now + timedelta(seconds=30)) == 0  # still claimed: nobody else touches it
    assert await _effects() == 0
    assert await work_once(now + CLAIM + timedelta(seconds=1)) == 3
    assert await _effects() == 3 and not await Job.all().exists()


async def test_work_whose_claim_was_taken_over_rolls_back(kind) -> None:
    async def slow(batch: Batch) -> None:
        # Meanwhile another worker took the batch over (this one's claim had lapsed).
        await Job.filter(id=batch.jobs[0].id).update(claimed_by="someone-else")
        await _effect(batch)

    queue.KINDS["test"] = JobKind(name="test", handler=slow, batch_size=10)
    await enqueue("test", [(0, 1), (0, 2)])
    assert await work_once(clock.now()) == 0
    assert await _effects() == 0 and await Job.all().count() == 2  # nothing done twice, nothing lost


async def test_a_job_that_keeps_failing_holds_back_only_itself(kind) -> None:
    async def fussy(batch: Batch) -> None:
        if 3 in batch.subject_ids:
            raise ValueError("subject 3 cannot be handled: 13912345678")  # a message with private data
        await _effect(batch)

    queue.KINDS["test"] = JobKind(name="test", handler=fussy, batch_size=10)
    await enqueue("test", [(0, n) for n in range(1, 6)])
    now = clock.now()
    assert await work_once(now) == 0  # the batch failed: every job waits for its retry
    assert {j.attempts for j in await Job.all()} == {1}
    assert await work_once(now + timedelta(seconds=1)) == 0  # not before its backoff (2 s)
    later = now + timedelta(seconds=3)
    assert await _drain(later) == 4  # then one at a time: the others go through
    left = await Job.get()
    assert left.subject_id == 3 and left.attempts == 2 and left.last_error == "ValueError"
    assert left.run_after == later + timedelta(seconds=4)  # the backoff grows with the attempts
    assert await _effects() == 4


async def test_one_process_at_a_time_works_on_a_scope_of_a_serial_kind(kind) -> None:
    queue.KINDS["test"] = JobKind(name="test", handler=_effect, batch_size=10, serial_per_scope=True)
    await enqueue("test", [(1, 1), (2, 2)])
    assert await take_lease("test:1", "another-process", clock.now(), 60)
    assert await work_once(clock.now()) == 1  # scope 2 only
    assert [j.scope_id for j in await Job.all()] == [1]
    assert await work_once(clock.now() + timedelta(seconds=61)) == 1  # the other's lease lapsed


async def test_the_worker_is_woken_by_a_commit_in_its_process(kind) -> None:
    done = asyncio.Event()

    async def signal(batch: Batch) -> None:
        await _effect(batch)
        done.set()

    queue.KINDS["test"] = JobKind(name="test", handler=signal, batch_size=10)
    worker = asyncio.create_task(queue.run_worker(3600, clock.now))  # it would poll once an hour
    try:
        await asyncio.sleep(0)  # the worker finds nothing and waits
        await enqueue("test", [(0, 1)])
        wake()
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        worker.cancel()
    assert await _effects() == 1


async def test_the_health_check_says_how_far_the_workers_are_behind(client, kind) -> None:
    assert (await client.get("/healthz")).json()["jobs"] == {"waiting": 0, "oldest_seconds": 0}
    await enqueue("test", [(0, 1), (0, 2)])
    jobs = (await client.get("/healthz")).json()["jobs"]
    assert jobs["waiting"] == 2 and 0 <= jobs["oldest_seconds"] < 60
