"""Careless and hostile input never gets a 500: a 4xx with a clear message (JSON under /api/)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consult import clock
from consult.comments.models import Comment
from tests.factories import csrf_token, make_consultation, make_meeting, post

HUGE = str(10**30)
JUST_ABOVE_32_BITS = str(2**31)
SUPERSCRIPT_TWO = "²"


@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, HUGE, JUST_ABOVE_32_BITS, "-1", "١٢", "0x10", " 3"])
@pytest.mark.parametrize(
    "url",
    [
        "/consultations/{c}?article={v}",
        "/consultations/{c}?page={v}",
        "/catalogs/2026?department={v}",
        "/meetings/?year={v}",
        "/search?q=停车&year={v}",
        "/search?q=停车&department={v}",
        "/api/v1/consultations/{c}/comments?after={v}",
        "/api/v1/consultations?page={v}",
        "/api/v1/consultations?per_page={v}",
        "/api/v1/meetings?year={v}",
        "/reports/?year={v}",
        "/reports/?department={v}",
        "/feeds/consultations.atom?department={v}",
        "/manage/dashboard?year={v}",
    ],
)
async def test_numbers_in_the_query_string_never_break_a_page(client, url: str, value: str) -> None:
    consultation = await make_consultation()
    response = await client.get(url.format(c=consultation.id, v=value))
    assert response.status_code < 500, response.text[:300]


async def test_a_year_far_away_is_a_page_not_an_error(client) -> None:
    response = await client.get("/meetings/?year=99999")
    assert response.status_code < 500


@pytest.mark.parametrize("encoded", ["%00", "%ED%A0%80", "%FF%FE"])
async def test_unstorable_characters_in_a_form_are_refused_clearly(client, encoded: str) -> None:
    """A NUL byte, a UTF-8-encoded lone surrogate and bytes that are no UTF-8 at all."""
    consultation = await make_consultation()
    token = await csrf_token(client)
    body = "含有特殊字符的意见内容，" + encoded + "请审阅。"
    response = await client.post(
        f"/consultations/{consultation.id}/comments",
        content=f"csrf_token={token}&body={body}&category=citizen&name=测试&phone=13800001111".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code < 500
    stored = await Comment.all().values_list("body", flat=True)
    assert all("\x00" not in b for b in stored)
    if encoded == "%00":
        assert response.status_code == 422 and "无法保存的字符" in response.text and not stored


@pytest.mark.parametrize(
    "body",
    [
        '{"body": "孤立代理项\\ud800的意见内容，请审阅。", "category": "citizen", "name": "测", "phone": "13800001111"}',
        '{"body": "含有NUL\\u0000字节的意见内容，请审阅。", "category": "citizen", "name": "测", "phone": "13800001111"}',
        "[" * 5000 + "]" * 5000,
        '{"body": ' + "[" * 200 + "]" * 200 + ', "category": "citizen", "name": "测", "phone": "13800001111"}',
        '{"body": 12345678901, "category": "citizen", "name": "测", "phone": "13800001111"}',
        '{"body": "一条足够长的意见内容，请审阅。", "category": ["citizen"], "name": "测", "phone": "13800001111"}',
        '{"body": "一条足够长的意见内容，请审阅。", "category": "citizen", "name": "测", "phone": 13800001111}',
        '{"body": "一条足够长的意见内容，请审阅。", "category": "citizen", "name": "测", "phone": "13800001111", "article_id": "3"}',
    ],
)
async def test_hostile_json_gets_a_json_4xx(client, body: str) -> None:
    consultation = await make_consultation()
    response = await client.post(
        f"/api/v1/consultations/{consultation.id}/comments",
        content=body.encode("utf-8", "surrogatepass"),
        headers={"content-type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text[:300]
    assert response.headers["content-type"].startswith("application/json")
    assert "error" in response.json()
    assert await Comment.all().count() == 0


async def test_a_nul_in_a_search_is_refused(client) -> None:
    response = await client.get("/search?q=%E5%81%9C%00%E8%BD%A6")
    assert 400 <= response.status_code < 500


async def test_an_applicant_email_over_the_column_length_is_a_message(client) -> None:
    meeting = await make_meeting(clock.today() + timedelta(days=15))
    response = await post(
        client,
        f"/meetings/{meeting.id}/applications",
        {
            "name": "申请人",
            "category": "citizen_representative",
            "email": "a" * 300 + "@example.cn",
            "phone": "",
            "statement": "我愿意列席会议并反映群众意见。",
            "adult": "on",
            "local": "on",
        },
    )
    assert response.status_code == 422


async def test_a_body_over_the_limit_gets_a_chinese_page_and_json_under_the_api(client, settings) -> None:
    consultation = await make_consultation()
    big = b"x" * (settings.max_upload_bytes + 2 * 1024 * 1024)
    page = await client.post(
        f"/consultations/{consultation.id}/comments",
        content=big,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 413 and "过大" in page.text and "<html" in page.text
    api = await client.post(
        f"/api/v1/consultations/{consultation.id}/comments", content=big, headers={"content-type": "application/json"}
    )
    assert api.status_code == 413 and api.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "PATCH"])
async def test_unknown_methods_get_405_with_allow(client, method: str) -> None:
    response = await client.request(method, "/")
    assert response.status_code == 405 and "GET" in response.headers.get("allow", "")


async def test_text_is_stored_as_typed_and_invisible_text_is_empty(client) -> None:
    consultation = await make_consultation()
    indented = "\u3000\u3000建议在学校周边设置临时停车区，方便家长接送孩子。"
    ok = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {"body": indented, "category": "citizen", "name": "测试", "phone": "13800001111"},
    )
    assert ok.status_code == 303
    assert (await Comment.get()).body == indented
    invisible = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {"body": "\u200b" * 20, "category": "citizen", "name": "测试", "phone": "13800001112"},
    )
    assert invisible.status_code == 422
    assert await Comment.all().count() == 1


async def test_a_client_that_disconnects_mid_request_is_no_error(settings, caplog) -> None:
    import logging

    from consult.app import create_app

    consultation = await make_consultation()
    app = create_app(settings, connect_db=False)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": f"/consultations/{consultation.id}/comments",
        "raw_path": f"/consultations/{consultation.id}/comments".encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    messages = iter(
        [{"type": "http.request", "body": b"body=%E5%BB%BA", "more_body": True}, {"type": "http.disconnect"}]
    )

    async def receive():
        return next(messages)

    sent = []

    async def send(message):
        sent.append(message)

    caplog.set_level(logging.INFO)
    await app(scope, receive, send)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await Comment.all().count() == 0
