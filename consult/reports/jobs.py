"""The periodic job: publish due reports, do queued work, deliver mail. Runs in the app and as `consult tick`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from consult import clock
from consult.jobs.queue import work_until_empty
from consult.limits.counter import forget_old as forget_old_windows
from consult.notify.services import deliver_outbox
from consult.reports.deadline import ReportRule
from consult.reports.services import publish_due_reports
from consult.settings import Settings
from consult.workdays.services import load_calendar

log = logging.getLogger("consult.jobs")


@dataclass
class TickResult:
    published_reports: list[int]
    mail_sent: int
    mail_failed: int
    jobs_done: int = 0


async def tick(settings: Settings, now: datetime) -> TickResult:
    """Idempotent: running it twice, or in two processes at once, publishes each report once and does
    each queued job once."""
    # Queued work first: comments that arrived just now are grouped before a report names the groups.
    jobs_done = await work_until_empty(clock.now)
    calendar = await load_calendar()
    published = await publish_due_reports(calendar, now, ReportRule.of(settings))
    sent, failed = await deliver_outbox(settings, now)
    await forget_old_windows(now)  # the form limits' counts of past hours
    if published:
        log.info("published adoption reports %s", published)
    return TickResult(published, sent, failed, jobs_done)


Sleep = Callable[[float], Awaitable[None]]
Job = Callable[[Settings, datetime], Awaitable[object]]


async def run_periodically(settings: Settings, *, job: Job = tick, sleep: Sleep = asyncio.sleep) -> None:
    """`job` every `tick_seconds` until cancelled. The job and the sleeper are parameters so that a test
    drives the loop without waiting and without patching asyncio for everyone."""
    while True:
        try:
            await job(settings, clock.now())
        except Exception as exc:  # noqa: BLE001 - the loop must survive a database hiccup and try again
            log.error("periodic job failed: %s", type(exc).__name__)
        await sleep(settings.tick_seconds)
