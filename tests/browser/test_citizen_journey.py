"""A citizen on a phone: home → open consultation → comment on one article → receipt → look it up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TEXT = "第十六条的免费时间太短，建议延长到三十分钟，方便老人看病取药。"


def _comment_on_article_16(page, base: str) -> None:
    page.goto(base + "/")
    # The parking rules, among the open consultations (the demo has others).
    parking = page.get_by_role("listitem").filter(has_text="城区机动车停车管理办法")
    parking.get_by_role("link", name="查看草案并提意见").click()
    page.get_by_role("link", name="对第十六条提意见").click()
    assert page.locator("#f-article_id option:checked").inner_text().startswith("第十六条")
    page.get_by_role("textbox", name=re.compile("^您的意见")).fill(TEXT)
    page.get_by_role("textbox", name=re.compile("^姓名")).fill("王小明")
    page.get_by_role("textbox", name="电话").fill("13912345678")
    page.get_by_role("button", name="提交意见").click()


def test_comment_with_htmx_and_look_it_up(live_server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    _comment_on_article_16(page, live_server)
    code = page.locator(".receipt-code").inner_text(timeout=10_000).strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert "感谢您的参与" in page.content()
    # htmx swapped the form for the receipt and put the receipt's own address in the address bar
    # (HX-Push-Url): a reload or a bookmark keeps the receipt, with its QR code.
    page.wait_for_url(re.compile(rf"/receipts/{code}$"))
    assert page.locator("#text-h").count() == 1  # still the consultation page: no navigation happened
    page.reload()
    assert page.locator(".receipt-code").first.inner_text().strip() == code
    assert page.locator("svg.qr").count() == 1
    page.get_by_role("link", name="回执查询").click()
    page.get_by_label("回执编号").fill(code.lower().replace("-", ""))
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(rf"/receipts/{code}$"))
    body = page.content()
    assert TEXT in body and "待审看" in body and "第十六条" in body
    assert "13912345678" not in body and "王小明" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_comment_without_javascript(live_server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    _comment_on_article_16(page, live_server)
    page.wait_for_url(re.compile(r"/receipts/[0-9A-Z-]+\?"))
    assert "感谢您的参与" in page.content() or "您已提交过相同的意见" in page.content()
    assert page.locator(".receipt-code").first.inner_text().strip()
    context.close()


def test_errors_are_shown_next_to_the_form_and_the_text_is_kept(live_server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server + "/")
    # The parking rules, among the open consultations (the demo has others).
    parking = page.get_by_role("listitem").filter(has_text="城区机动车停车管理办法")
    parking.get_by_role("link", name="查看草案并提意见").click()
    page.get_by_role("textbox", name=re.compile("^您的意见")).fill("太短了")
    page.get_by_role("textbox", name=re.compile("^姓名")).fill("李四")
    page.get_by_role("button", name="提交意见").click()
    page.get_by_text("意见内容至少10个字").first.wait_for(timeout=10_000)
    # The error summary takes focus (static/js/consult.js), so a screen reader announces it first.
    # A locator assertion runs in Playwright's isolated world; a string predicate would be eval'd in the
    # page, which the CSP (rightly) refuses.
    expect(page.locator(".error-summary")).to_be_focused(timeout=20_000)
    assert page.get_by_role("textbox", name=re.compile("^您的意见")).input_value() == "太短了"
    assert page.get_by_role("textbox", name=re.compile("^姓名")).input_value() == "李四"
    context.close()
