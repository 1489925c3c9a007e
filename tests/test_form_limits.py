"""The public forms' limits: per address and per contact, counted in the database, kind to the refused."""

from __future__ import annotations

import dataclasses
from datetime import date

import httpx2 as httpx
import pytest

from consult import clock
from consult.app import create_app
from consult.comments.models import Comment
from consult.limits.models import RateWindow
from tests.factories import at, make_consultation, make_meeting, post


@pytest.fixture(autouse=True)
def one_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counters use fixed windows: a test must not straddle the end of one."""
    moment = clock.now()
    monkeypatch.setattr(clock, "now", lambda: moment)


def _client(settings, **limits) -> httpx.AsyncClient:
    app = create_app(dataclasses.replace(settings, **limits), connect_db=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def _comment(i: int, phone: str) -> dict[str, str]:
    return {"body": f"第{i}条意见：建议延长免费停车时间。", "category": "citizen", "name": "王小明", "phone": phone}


async def test_one_contact_cannot_flood_and_the_refusal_keeps_the_text(settings) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    async with _client(settings, comments_per_contact_hour=2) as client:
        for i in range(2):
            assert (await post(client, url, _comment(i, "13800001111"))).status_code == 303
        refused = await post(client, url, _comment(9, "138-0000-1111"))
        assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 3600
        assert "提交过于频繁" in refused.text and "第9条意见：建议延长免费停车时间。" in refused.text
        htmx = await post(client, url, _comment(10, "13800001111"), htmx=True)
        assert htmx.status_code == 429 and "第10条意见" in htmx.text and "<html" not in htmx.text
        # Someone else on the same connection is not held back.
        assert (await post(client, url, _comment(11, "13900002222"))).status_code == 303
    assert await Comment.all().count() == 3
    rows = await RateWindow.all().values_list("key", flat=True)
    assert all("13800001111" not in key for key in rows)  # counters hold hashes, never the number


async def test_a_shared_address_has_a_generous_limit_of_its_own(settings) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    async with _client(settings, comments_per_address_hour=3) as client:
        statuses = [(await post(client, url, _comment(i, f"1380000{i:04d}"))).status_code for i in range(4)]
    assert statuses == [303, 303, 303, 429]


async def test_the_limits_can_be_lifted_for_load_tests(settings) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    async with _client(settings, form_limits=False, comments_per_contact_hour=1) as client:
        statuses = [(await post(client, url, _comment(i, "13800001111"))).status_code for i in range(3)]
    assert statuses == [303] * 3


async def test_applications_to_attend_are_limited_too(settings, monkeypatch) -> None:
    meeting = await make_meeting(date(2026, 12, 10))
    monkeypatch.setattr(clock, "now", lambda: at(date(2026, 11, 25)))
    async with _client(settings, applications_per_address_hour=2) as client:
        statuses = []
        for i in range(3):
            form = {
                "name": f"报名人{i}",
                "category": "citizen_representative",
                "statement": "希望就停车收费发表意见。",
                "phone": f"1370000{i:04d}",
                "adult": "on",
                "local": "on",
            }
            response = await post(client, f"/meetings/{meeting.id}/applications", form)
            statuses.append(response.status_code)
        assert statuses == [303, 303, 429] and "报名人2" in response.text
