"""What a process keeps for a few seconds (consult/memo.py): expired on time, bounded, loaded once."""

from __future__ import annotations

import asyncio

from consult.memo import Memo


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_value_is_kept_for_its_seconds_only() -> None:
    clock = Clock()
    memo: Memo[str, int] = Memo(seconds=5, clock=clock)
    memo.put("a", 1)
    clock.now = 4.9
    assert memo.get("a") == 1
    clock.now = 5.0
    assert memo.get("a") is None


def test_the_least_recently_used_goes_first() -> None:
    memo: Memo[str, int] = Memo(seconds=60, size=2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "b" is now the least recently used
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)


async def test_many_asking_at_once_load_it_once() -> None:
    memo: Memo[str, int] = Memo(seconds=60)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        await asyncio.sleep(0)
        return 42

    assert await asyncio.gather(*(memo.get_or_load("k", load) for _ in range(20))) == [42] * 20
    assert loads == 1


async def test_a_failed_load_is_each_askers_own_to_see() -> None:
    memo: Memo[str, int] = Memo(seconds=60)

    async def fail() -> int:
        await asyncio.sleep(0)
        raise LookupError("not found")

    results = await asyncio.gather(*(memo.get_or_load("k", fail) for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, LookupError) for r in results)
    assert memo.get("k") is None
