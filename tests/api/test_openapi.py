"""The OpenAPI document matches the routes, and no generated request makes the API fail (5xx)."""

from __future__ import annotations

import re

from starlette.routing import Route

from consult.api.openapi import openapi
from consult.app import create_app
from tests.factories import make_comment, make_consultation

SPEC = openapi()


def _documented() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in SPEC["paths"].items() for method in ops}


async def test_every_api_route_is_documented_and_every_documented_route_exists(settings) -> None:
    app = create_app(settings, connect_db=False)
    served = {
        (method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/api/v1/") and route.path != "/api/v1/openapi.json"
        for method in (route.methods or set()) - {"HEAD"}
    }
    assert served == _documented()


async def test_the_document_is_served_and_the_human_page_lists_it(client) -> None:
    assert (await client.get("/api/v1/openapi.json")).json()["openapi"] == "3.1.0"
    page = await client.get("/api/")
    assert "/api/v1/consultations/{id}/comments" in page.text


# Boundary and hostile values for every documented parameter: generated requests, deterministic.
NASTY = ["", "0", "1", "-1", "abc", "9" * 14, "1e5", "%", "'", "../x", "null", "[]", "停车", " 2 "]


def _cases() -> list[tuple[str, dict[str, str]]]:
    cases = []
    for path, ops in SPEC["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = op.get("parameters", [])
        for value in NASTY + [str(v) for p in params for v in p["schema"].get("enum", [])]:
            concrete = path
            query = {}
            for param in params:
                if param["in"] == "path":
                    concrete = concrete.replace(
                        "{" + param["name"] + "}", value.replace("/", "").replace("?", "") or "0"
                    )
                else:
                    query[param["name"]] = value
            cases.append((concrete, query))
            cases.append((concrete, {}))
    return cases


async def test_no_generated_request_gets_a_server_error(client) -> None:
    consultation = await make_consultation()
    await make_comment(consultation)
    cases = _cases()
    assert len(cases) > 300
    for path, query in cases:
        response = await client.get(path, params=query)
        assert response.status_code < 500, (path, query, response.text[:300])
        assert response.status_code == 304 or response.headers["content-type"].startswith("application/json"), path


async def test_no_generated_submission_gets_a_server_error(client, settings) -> None:
    consultation = await make_consultation()
    url = f"/api/v1/consultations/{consultation.id}/comments"
    values = [None, True, 0, -1, 10**18, "", "x" * 6000, "停车收费太贵了请降低", [1], {"a": 1}]
    fields = ["body", "category", "name", "phone", "email", "article_id", "display_mode", "notify_by_email"]
    for i, value in enumerate(values):
        for field in fields:
            payload = {
                "body": "合法的意见内容，长度足够。",
                "category": "citizen",
                "name": "某",
                "phone": "13900000000",
                field: value,
            }
            response = await client.post(url, json=payload, headers={"X-Forwarded-For": f"10.0.0.{i}"})
            assert response.status_code < 500, (payload, response.text[:300])
    for raw in (b"", b"{", b"[]", b'"text"', b"\xff\xfe", b"null"):
        assert (await client.post(url, content=raw)).status_code < 500
