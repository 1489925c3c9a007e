"""What a government website carries besides its content: its identity in the footer (from settings,
never hard-coded), the site map for people and search engines, robots.txt, the icon, the privacy
statement and the guide; and the receipt a citizen keeps (QR code, e-mail)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx2 as httpx
import pytest

from consult import clock
from consult.app import create_app
from consult.comments.models import Comment
from consult.notify.models import MessageKind, OutboxMessage
from consult.settings import Settings, SiteIdentity
from tests.factories import make_comment, make_consultation, make_meeting, post

IDENTITY = SiteIdentity(
    sponsor="平安县人民政府办公室",
    operator="平安县大数据中心",
    contact="0000-00000000",
    site_code="0000000001",
    icp_record="示ICP备00000001号",
    police_record="示公网安备 00000000000001号",
)


@pytest.fixture
async def identified(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(dataclasses.replace(settings, site=IDENTITY), connect_db=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client


async def test_the_footer_carries_the_sites_identity_and_links_each_record_to_its_registry(identified) -> None:
    page = (await identified.get("/")).text
    for shown in ("主办单位", "平安县人民政府办公室", "承办单位", "平安县大数据中心", "网站标识码", "0000000001"):
        assert shown in page, shown
    assert '<a href="https://beian.miit.gov.cn/" rel="external">示ICP备00000001号</a>' in page
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=00000000000001"' in page
    assert "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=0000000001" in page
    assert "政府网站找错" in page and 'href="/sitemap"' in page and 'href="/privacy"' in page


async def test_without_settings_the_footer_shows_no_empty_identity_items(client) -> None:
    page = (await client.get("/")).text
    assert "主办单位" not in page and "ICP备案号" not in page and "政府网站找错" not in page
    assert "网站地图" in page and "隐私声明" in page  # the site's own pages are always there


async def test_robots_keep_crawlers_out_of_staff_pages_receipts_and_searches(client) -> None:
    response = await client.get("/robots.txt")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    for path in ("/manage/", "/receipts", "/search", "/login"):
        assert f"Disallow: {path}\n" in response.text
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.text


async def test_the_sitemap_lists_public_pages_only(client) -> None:
    public = await make_consultation()
    hidden = await make_consultation(published=False)
    comment = await make_comment(public)
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["content-type"] == "application/xml"
    assert f"<loc>http://127.0.0.1:8000/consultations/{public.id}</loc><lastmod>" in response.text
    assert f"/decisions/{public.decision_id}</loc>" in response.text
    assert f"/consultations/{hidden.id}<" not in response.text
    assert comment.receipt_code not in response.text and "/manage/" not in response.text


async def test_the_icon_privacy_statement_guide_and_site_map_are_there(client) -> None:
    icon = await client.get("/favicon.ico")
    assert (
        icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon" and icon.content[:4] == b"\0\0\1\0"
    )
    privacy = await client.get("/privacy")
    assert privacy.status_code == 200 and "<h1>隐私声明</h1>" in privacy.text and "两天后删除" in privacy.text
    assert "<h1>使用说明</h1>" in (await client.get("/help")).text
    sitemap = await client.get("/sitemap")
    assert '<a href="/catalogs/">' in sitemap.text and '<a href="/reports/">' in sitemap.text
    english = await client.get("/privacy?lang=en")
    assert "<h1>Privacy statement</h1>" in english.text


async def test_the_receipt_page_shows_a_qr_code_of_its_own_address_and_prints_cleanly(client) -> None:
    comment = await make_comment(await make_consultation())
    page = (await client.get(f"/receipts/{comment.receipt_code}")).text
    assert '<svg role="img" viewBox=' in page and "<title>本回执页面地址的二维码</title>" in page
    assert f"http://127.0.0.1:8000/receipts/{comment.receipt_code}" in page
    assert '<meta name="robots" content="noindex">' in page
    assert '<button type="button" data-print hidden>' in page  # shown by consult.js; without it, Ctrl+P


async def test_a_citizen_who_gave_an_e_mail_address_gets_the_receipt_code_by_mail(client) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    form = {"body": "建议增设夜间临时停车位。", "category": "citizen", "name": "李四", "display_mode": "masked"}
    await post(client, url, {**form, "email": "li@example.org", "form_token": "mail-1"})
    await post(client, url, {**form, "phone": "13912345678", "form_token": "mail-2"})
    mails = await OutboxMessage.filter(kind=MessageKind.COMMENT_RECEIVED)
    assert len(mails) == 1 and mails[0].to_address == "li@example.org"
    code = (await Comment.get(contact_email="li@example.org")).receipt_code
    assert code in mails[0].body and "{base_url}/receipts/" + code in mails[0].body
    assert "已收到" in mails[0].subject


async def test_a_consultation_has_an_a4_poster_with_a_qr_code_and_a_card_for_shared_links(client) -> None:
    consultation = await make_consultation()
    await consultation.fetch_related("draft")
    page = (await client.get(f"/consultations/{consultation.id}")).text
    assert f'href="/consultations/{consultation.id}/poster"' in page
    assert f'<meta property="og:title" content="{consultation.draft.title}">' in page
    assert '<meta property="og:image" content="http://127.0.0.1:8000/static/share.png">' in page
    assert f'<meta property="og:url" content="http://127.0.0.1:8000/consultations/{consultation.id}">' in page
    assert "公开征求意见，时间为" in page  # the description names the period
    poster = await client.get(f"/consultations/{consultation.id}/poster")
    assert poster.status_code == 200 and consultation.draft.title in poster.text
    assert '<svg role="img"' in poster.text and f"/consultations/{consultation.id}</span>" in poster.text
    assert "参与方式" in poster.text and '<meta name="robots" content="noindex">' in poster.text
    hidden = await make_consultation(published=False)
    assert (await client.get(f"/consultations/{hidden.id}/poster")).status_code == 404


async def test_a_call_for_attendees_has_a_poster(client) -> None:
    today = clock.today()
    meeting = await make_meeting(today + timedelta(days=20), open_on=today, close_on=today + timedelta(days=10))
    page = (await client.get(f"/meetings/{meeting.id}")).text
    assert f'href="/meetings/{meeting.id}/poster"' in page
    poster = await client.get(f"/meetings/{meeting.id}/poster")
    assert poster.status_code == 200 and f"报名列席政府第{meeting.number}次常务会议" in poster.text
    assert '<svg role="img"' in poster.text
    assert (await client.get("/meetings/999999/poster")).status_code == 404
    closed = await make_meeting(today + timedelta(days=30), public=False, number=meeting.number + 1)
    assert (await client.get(f"/meetings/{closed.id}/poster")).status_code == 404


async def test_the_api_page_speaks_the_page_language(client) -> None:
    chinese = (await client.get("/api/")).text
    assert "已公布的年度目录" in chinese and "Published annual catalogs" not in chinese
    english = (await client.get("/api/?lang=en")).text
    assert "Published annual catalogs" in english
    # The OpenAPI document itself stays in English, for developers' tools.
    spec = (await client.get("/api/v1/openapi.json")).json()
    assert spec["paths"]["/api/v1/catalogs"]["get"]["summary"] == "Published annual catalogs"
