"""Public pages are rendered at most once in CONSULT_PAGE_CACHE_SECONDS for anonymous visitors and
served from memory in between (consult/web/cache.py); what differs per visitor is filled in."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator

import httpx2 as httpx
import pytest

from consult import clock
from consult.accounts.models import Role
from consult.app import create_app
from consult.comments.models import Comment, ModerationState
from consult.comments.services import moderate_comment
from consult.decisions.models import Decision
from consult.web import PageCache
from tests.factories import log_in, make_comment, make_consultation, make_user


class Clock:
    """The cache's clock, moved by the test: no test waits for a page to expire."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticking() -> Clock:
    return Clock()


@pytest.fixture
async def app(settings, ticking):
    app = create_app(dataclasses.replace(settings, page_cache_seconds=2), connect_db=False)
    app.state.page_cache = PageCache(2, clock=ticking)
    return app


@pytest.fixture
async def visitor(app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


def _token(page: httpx.Response, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page.text).group(1)


async def _publish(comment: Comment) -> None:
    department = await (await Decision.get(id=(await comment.consultation).decision_id)).department
    await moderate_comment(comment, ModerationState.PUBLISHED, await make_user(Role.STAFF, department), clock.now())


async def test_a_page_is_served_from_memory_until_its_time_is_up(visitor, ticking) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}"
    first = await visitor.get(url)
    assert first.headers["x-page-cache"] == "miss"
    late = await make_comment(consultation, "后来公开的意见：建议增设夜间停车泊位。", state=ModerationState.PENDING)
    await _publish(late)
    ticking.now += 1.9
    kept = await visitor.get(url)
    assert kept.headers["x-page-cache"] == "hit" and "后来公开的意见" not in kept.text
    ticking.now += 0.2  # two seconds have passed: the page is rendered again
    fresh = await visitor.get(url)
    assert fresh.headers["x-page-cache"] == "miss" and "后来公开的意见" in fresh.text


async def test_each_visitor_gets_their_own_tokens_and_the_form_works(app, visitor) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        pages = [await visitor.get(url), await other.get(url), await visitor.get(url)]
    assert [p.headers["x-page-cache"] for p in pages] == ["miss", "hit", "hit"]
    csrf = [_token(p, "csrf_token") for p in pages]
    assert csrf[0] != csrf[1]  # two cookies, two tokens
    assert len({_token(p, "form_token") for p in pages}) == 3  # a fresh one-time token each time
    assert "slot-" not in pages[1].text
    form = {
        "csrf_token": csrf[2],
        "form_token": _token(pages[2], "form_token"),
        "body": "从缓存的页面提交的意见：建议延长免费停车时间。",
        "category": "citizen",
        "name": "王小明",
        "phone": "13912345678",
    }
    response = await visitor.post(f"{url}/comments", data=form)
    assert response.status_code == 303 and "/receipts/" in response.headers["location"]
    receipt = await visitor.get(response.headers["location"])  # the citizen's own: never from the cache
    assert "x-page-cache" not in receipt.headers and "待审看" in receipt.text


async def test_parameters_the_page_ignores_do_not_make_a_new_copy(visitor) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}"
    await visitor.get(url)
    busted = await visitor.get(url, params={"utm_source": "wechat", "x": "123"})
    assert busted.headers["x-page-cache"] == "hit"
    assert "utm_source" not in busted.text  # links on the page are the page's own
    assert (await visitor.get(url, params={"page": "2"})).headers["x-page-cache"] == "miss"


async def test_languages_views_and_htmx_fragments_are_kept_apart(visitor) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}"
    chinese = await visitor.get(url)
    english = await visitor.get(url, params={"lang": "en"})
    assert english.headers["x-page-cache"] == "miss" and "Your comment" in english.text
    visitor.cookies.delete("consult_lang")
    elder = await visitor.get(url, params={"view": "elder", "lang": "zh"})
    assert elder.headers["x-page-cache"] == "miss"
    visitor.cookies.delete("consult_view")
    again = await visitor.get(url, params={"lang": "zh"})
    assert again.headers["x-page-cache"] == "hit" and again.text.count("<html") == chinese.text.count("<html") == 1


async def test_staff_always_see_the_page_as_it_is(visitor) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}"
    await visitor.get(url)
    department = await (await Decision.get(id=consultation.decision_id)).department
    await log_in(visitor, await make_user(Role.STAFF, department))
    page = await visitor.get(url)
    assert "x-page-cache" not in page.headers


async def test_a_missing_page_is_not_kept(visitor) -> None:
    for _ in range(2):
        response = await visitor.get("/consultations/999999")
        assert response.status_code == 404 and response.headers.get("x-page-cache") is None


async def test_visitors_arriving_together_wait_for_one_rendering(app, visitor, monkeypatch) -> None:
    from consult.drafts import routes

    consultation = await make_consultation()
    renders = 0
    render = routes._consultation_page

    async def counted(request):
        nonlocal renders
        renders += 1
        await asyncio.sleep(0)  # the others arrive while it renders
        return await render(request)

    monkeypatch.setattr(routes, "_consultation_page", counted)
    pages = await asyncio.gather(*(visitor.get(f"/consultations/{consultation.id}") for _ in range(10)))
    assert renders == 1 and all(p.status_code == 200 for p in pages)
    assert sorted(p.headers["x-page-cache"] for p in pages) == ["hit"] * 9 + ["miss"]
