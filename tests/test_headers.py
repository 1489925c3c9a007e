"""Security headers on every kind of response, and uploads that are too large or not what they claim."""

from __future__ import annotations

import dataclasses

import httpx2 as httpx

from consult.accounts.models import Role
from consult.app import create_app
from consult.drafts.models import Attachment
from tests.factories import csrf_token, log_in, make_consultation, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _assert_safe(response: httpx.Response, where: str) -> None:
    headers = response.headers
    csp = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";") if part.strip())
    assert "'unsafe-inline'" not in csp.get("script-src", "'unsafe-inline'"), where
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'", where
    assert headers["x-content-type-options"] == "nosniff", where
    assert headers["referrer-policy"] == "same-origin" and headers["x-frame-options"] == "DENY", where


async def test_every_kind_of_response_carries_the_security_headers(client) -> None:
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    paths = [
        "/",
        f"/consultations/{consultation.id}",
        f"/consultations/{consultation.id}/comments.csv",
        f"/consultations/{consultation.id}/comments.json",
        "/feeds/consultations.atom",
        "/api/v1/consultations",
        "/api/v1/openapi.json",
        "/api/v1/nothing-here",
        "/no-such-page",
        "/static/css/consult.css",
        "/healthz",
        "/manage/",  # a redirect to the login page
    ]
    for path in paths:
        _assert_safe(await client.get(path), path)
    _assert_safe(await client.post(f"/consultations/{consultation.id}/comments", data={}), "POST without CSRF")
    await log_in(client, staff)
    _assert_safe(await client.get("/manage/"), "staff page")


async def test_an_upload_over_the_limit_is_refused_and_nothing_is_stored(settings) -> None:
    small = dataclasses.replace(settings, max_upload_bytes=1000)
    app = create_app(small, connect_db=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        consultation = await make_consultation(published=False)
        await log_in(client, await make_user(Role.STAFF, await (await consultation.decision).department))
        response = await client.post(
            f"/manage/drafts/{consultation.draft_id}/attachments",
            data={"csrf_token": await csrf_token(client), "kind": "other"},
            files={"file": ("大文件.pdf", PDF + b"0" * 2000, "application/pdf")},
        )
        assert response.status_code == 422 and "MB" in response.text
        assert await Attachment.all().count() == 0
        html = await client.post(
            f"/manage/drafts/{consultation.draft_id}/attachments",
            data={"csrf_token": await csrf_token(client), "kind": "other"},
            files={"file": ("page.html", b"<!doctype html><script>alert(1)</script>", "text/html")},
        )
        assert html.status_code == 422 and await Attachment.all().count() == 0
