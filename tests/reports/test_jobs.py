"""The publishing job runs inside the app's lifespan and as `consult tick`."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from consult import clock
from consult.app import create_app
from consult.reports.models import AdoptionReport
from consult.settings import Settings
from tests.factories import make_closed_consultation, make_comment, make_result


async def test_the_app_publishes_due_reports_by_itself(settings: Settings, calendar, monkeypatch) -> None:
    today = clock.today()
    consultation = await make_closed_consultation(today - timedelta(days=60))
    await make_comment(consultation)  # unanswered: only the deadline can publish it
    await make_result(consultation, today - timedelta(days=30))
    app = create_app(replace(settings, tick_seconds=3600), connect_db=False)
    async with app.router.lifespan_context(app):
        for _ in range(200):  # the job's first run starts with the app; give it the event loop
            if await AdoptionReport.filter(published_at__isnull=False).exists():
                break
            await asyncio.sleep(0.01)
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert report.published_at is not None and report.overdue


async def test_a_failing_run_does_not_stop_the_job(settings: Settings) -> None:
    from consult.reports import jobs

    calls = []
    slept: list[float] = []

    async def broken(*args: object) -> None:
        calls.append(1)
        raise OSError("database went away")

    async def stop_after_two(seconds: float) -> None:
        slept.append(seconds)
        if len(calls) >= 2:
            raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await jobs.run_periodically(replace(settings, tick_seconds=7), job=broken, sleep=stop_after_two)
    assert len(calls) == 2 and slept == [7, 7]
