"""On a 360-px phone: tables of many columns read as one card per row, and the footer carries the
site's identity (the demo's fictional one, scripts/demo.env) with each record linked to its registry."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def _shot(page, name: str) -> None:
    if os.environ.get("CONSULT_SCREENSHOTS"):
        folder = Path(os.environ["CONSULT_SCREENSHOTS"]) / "phone-layout"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("path", [f"/catalogs/{datetime.date.today().year}", "/reports/"])
def test_a_table_page_is_one_card_per_row_on_a_phone(live_server: str, browser, path: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    assert page.goto(live_server + path).status == 200
    cells = page.locator("table.stack tbody tr").first.locator("td")
    assert cells.count() >= 5
    for i in range(cells.count()):
        cell = cells.nth(i)
        box = cell.bounding_box()
        # Each cell takes the card's width under its column's name: no column squeezed to a character.
        assert box["width"] > 250, (path, i, box)
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') == cell.get_attribute("data-label")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, path.strip("/").replace("/", "_"))
    context.close()


def test_the_footer_carries_the_sites_identity_on_a_phone(live_server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server + "/")
    footer = page.locator("footer.site")
    for text in ("主办单位", "平阴县人民政府办公室（演示）", "网站标识码", "0000000000", "网站地图", "隐私声明"):
        assert footer.get_by_text(text, exact=False).first.is_visible(), text
    assert footer.get_by_role("link", name="演示ICP备00000000号").get_attribute("href") == "https://beian.miit.gov.cn/"
    police = footer.get_by_role("link", name="演示公网安备00000000000000号").get_attribute("href")
    assert police.endswith("code=00000000000000")
    assert "sitecode=0000000000" in footer.get_by_role("link", name="政府网站找错").get_attribute("href")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "footer")
    context.close()


def test_pages_run_under_the_content_security_policy_without_a_violation(live_server: str, browser) -> None:
    """htmx's own indicator styles are off (they would be an inline style the CSP refuses); the pages'
    scripts are files of the site. The browser reports any refusal on its console."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    page.goto(live_server + "/")
    page.get_by_role("link", name="查看草案并提意见").first.click()
    page.get_by_role("button", name="提交意见").click()  # an htmx request, refused: the summary swapped in
    # A locator assertion runs in Playwright's isolated world; a string predicate would be eval'd in the
    # page, which the CSP (rightly) refuses.
    expect(page.locator(".error-summary")).to_be_focused(timeout=20_000)
    for path in ("/catalogs/", "/reports/", "/meetings/", "/receipts", "/sitemap", "/privacy"):
        page.goto(live_server + path)
    assert not [text for text in refused if "Content Security Policy" in text], refused
    context.close()


STAFF_TABLES = ["/manage/users", "/manage/calendar", "/manage/dashboard", "/manage/audit", "MEETING"]


def test_staff_table_pages_fit_a_phone(live_server: str, staff_passwords, browser) -> None:
    """The office on a phone: every table page becomes cards or scrolls inside its own frame, never
    the page sideways."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(staff_passwords["office"])
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/manage/")
    page.goto(live_server + "/manage/meetings")
    meeting = page.locator("main a[href^='/manage/meetings/']").first.get_attribute("href")
    for path in STAFF_TABLES:
        page.goto(live_server + (meeting if path == "MEETING" else path))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        stacked = page.locator("table.stack tbody tr")
        if stacked.count():
            cell = stacked.first.locator("td").first
            assert cell.bounding_box()["width"] > 250, path
        _shot(page, "staff" + path.replace("/", "_"))
    context.close()
