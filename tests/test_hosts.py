"""Absolute links come from CONSULT_BASE_URL, never from the Host header; unknown hosts are refused."""

from __future__ import annotations

import dataclasses

import httpx2 as httpx

from consult.app import create_app
from consult.settings import Settings
from tests.factories import make_consultation


def _client(settings: Settings, base_url: str = "http://evil.example") -> httpx.AsyncClient:
    app = create_app(settings, connect_db=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


async def test_links_never_echo_a_forged_host(settings) -> None:
    settings = dataclasses.replace(settings, base_url="https://yjzj.example.gov.cn")
    await make_consultation()
    async with _client(settings) as client:
        for url in ("/feeds/consultations.atom", "/consultations/?page=1", "/api/", "/search?q=停车", "/"):
            response = await client.get(url)
            assert response.status_code == 200, url
            assert "evil.example" not in response.text, url
        feed = await client.get("/feeds/consultations.atom")
        assert 'href="https://yjzj.example.gov.cn/consultations/' in feed.text


async def test_production_answers_only_its_own_host(settings) -> None:
    production = dataclasses.replace(
        settings, production=True, secret_key="a-real-secret-for-this-test", base_url="https://yjzj.example.gov.cn"
    )
    async with _client(production) as client:
        refused = await client.get("/")
        assert refused.status_code == 400 and "未知的主机名" in refused.text
        assert (await client.get("/healthz")).status_code == 200  # monitors call it by address
    async with _client(production, "https://yjzj.example.gov.cn") as client:
        assert (await client.get("/healthz")).status_code == 200
    listed = dataclasses.replace(production, allowed_hosts=("yjzj.example.gov.cn", "www.example.gov.cn"))
    async with _client(listed, "https://www.example.gov.cn:443") as client:
        assert (await client.get("/healthz")).status_code == 200
