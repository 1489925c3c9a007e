"""Values a process keeps for a few seconds instead of asking the database on every request."""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_all: weakref.WeakSet[Memo] = weakref.WeakSet()


class Memo(Generic[K, V]):
    """At most `size` values, each kept `seconds` after it was put; the least recently used goes first.
    Only for what may be that old: say where it is used how stale it can be and why that is right."""

    def __init__(self, seconds: float, size: int = 1024, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.size = size
        self.clock = clock
        self._values: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._loading: dict[K, asyncio.Future[V | None]] = {}
        _all.add(self)

    def get(self, key: K) -> V | None:
        found = self._values.get(key)
        if found is None:
            return None
        if found[0] <= self.clock():
            del self._values[key]
            return None
        self._values.move_to_end(key)
        return found[1]

    def put(self, key: K, value: V) -> V:
        if self.seconds > 0:
            self._values[key] = (self.clock() + self.seconds, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    async def get_or_load(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The kept value, or the one `load` gives (and keeps). When many ask at once for a value
        that has just expired, one of them loads it and the others wait for that load."""
        found = self.get(key)
        if found is not None:
            return found
        loading = self._loading.get(key)
        if loading is not None:
            loaded = await asyncio.shield(loading)
            if loaded is not None:
                return loaded
            return await load()  # the load they waited for failed: each finds out for itself
        loading = self._loading[key] = asyncio.get_running_loop().create_future()
        value = None
        try:
            value = self.put(key, await load())
            return value
        finally:
            loading.set_result(value)
            del self._loading[key]

    def clear(self) -> None:
        self._values.clear()


def forget_all() -> None:
    """Every memo of the process (the test suite, between tests that reuse ids)."""
    for memo in list(_all):
        memo.clear()
