"""In-process signals: how a lower area tells higher ones that something happened, without importing them.

An area declares its signals in its own `events.py`; the reactions of other areas are connected in one
place, `consult/wiring.py`, so that "what happens after X" is read in a single file. Receivers run in
the order connected, awaited one after the other in the sender's task. Each signal's comment says
when it is sent: inside the sender's transaction (what receivers write commits or rolls back with the
sender's change, so state and outbox stay together), or after the commit (search index, reports).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("consult.events")
Receiver = Callable[..., Awaitable[object]]


class Signal:
    def __init__(self, name: str, *, isolate: bool = False) -> None:
        """`isolate`: a receiver's failure is logged and the others still run (for reactions that are a
        convenience, like grouping a new comment, never a reason to fail the request that caused them)."""
        self.name = name
        self.isolate = isolate
        self.receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> Receiver:
        if receiver not in self.receivers:
            self.receivers.append(receiver)
        return receiver

    async def send(self, **payload: Any) -> None:
        for receiver in self.receivers:
            if not self.isolate:
                await receiver(**payload)
                continue
            try:
                await receiver(**payload)
            except Exception as exc:  # noqa: BLE001 - see `isolate`
                log.error("%s: %s failed: %s", self.name, receiver.__qualname__, type(exc).__name__)

    def __repr__(self) -> str:
        return f"<Signal {self.name}: {[r.__qualname__ for r in self.receivers]}>"
