"""A citizen without a mouse: comment, then look the receipt up, with Tab, typing and Enter only, and
the focus visible at every stop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
TEXT = "请在第十六条中明确夜间停车的收费标准，并公开收费依据，方便群众监督。"
FOCUS_STYLE = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  if (el === document.body) return true;  // past the last stop, before Tab wraps to the first
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 || style.boxShadow !== 'none';
}"""


def _tab_to(page, matches: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches the JS predicate; every stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_STYLE), page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"no element matching {matches} within {limit} tabs")


def _labelled(text: str) -> str:
    return f"el.labels && el.labels.length && el.labels[0].textContent.trim().startsWith({text!r})"


def test_comment_and_check_the_receipt_with_the_keyboard_only(live_server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/")
    _tab_to(page, "el.textContent.trim() === '查看草案并提意见'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/consultations/\d+"))
    _tab_to(page, _labelled("您的意见"))
    page.keyboard.type(TEXT)
    _tab_to(page, _labelled("姓名"))
    page.keyboard.type("李四")
    _tab_to(page, _labelled("电话"))
    page.keyboard.type("13900001111")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim().startsWith('提交意见')")
    page.keyboard.press("Enter")
    code = page.locator(".receipt-code").inner_text(timeout=10_000).strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)

    page.goto(live_server + "/")
    _tab_to(page, "el.textContent.trim() === '回执查询'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/receipts$"))
    _tab_to(page, _labelled("回执编号"))
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/receipts/{code}$"))
    assert TEXT in page.content()
    context.close()


def _press_until_checked(page, value: str, limit: int = 10) -> None:
    """Arrow keys move the choice within a radio group, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.checked && document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {value} with the arrow keys")


def test_apply_to_attend_a_meeting_with_the_keyboard_only(live_server: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/meetings/")
    _tab_to(page, "el.tagName === 'A' && el.textContent.includes('报名列席')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/\d+#apply$"))
    _tab_to(page, _labelled("姓名"))
    page.keyboard.type("周键盘")
    _tab_to(page, "el.type === 'radio' && el.name === 'category'")
    _press_until_checked(page, "citizen_representative")
    _tab_to(page, _labelled("拟在会上发表的意见"))
    page.keyboard.type("建议公开停车收费的测算依据。")
    _tab_to(page, _labelled("电话"))
    page.keyboard.type("13966667777")
    for declaration in ("年满18周岁", "居住或工作满2年"):
        _tab_to(page, f"el.type === 'checkbox' && el.labels[0].textContent.includes({declaration!r})")
        page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim().startsWith('提交报名')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/meetings/applications/"))
    assert "已报名" in page.content()
    context.close()


def test_staff_answer_a_comment_with_the_keyboard_only(live_server: str, staff_passwords, browser) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/login")
    _tab_to(page, _labelled("用户名"))
    page.keyboard.type("jt_staff")
    _tab_to(page, _labelled("密码"))
    page.keyboard.type(staff_passwords["jt_staff"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/manage/$"))
    _tab_to(page, "el.tagName === 'A' && /\\/consultations\\/\\d+\\/answers$/.test(el.getAttribute('href'))")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/answers$"))
    # Each row is compact: its form opens from its summary.
    _tab_to(page, "el.tagName === 'SUMMARY' && el.closest('article.queue-row') && !el.closest('details').open")
    row = page.evaluate("document.activeElement.closest('article').id")
    page.keyboard.press("Enter")
    _tab_to(page, "el.type === 'radio' && el.name === 'status' && el.closest('details').open")
    _press_until_checked(page, "not_adopted")
    _tab_to(page, "el.tagName === 'TEXTAREA' && el.name === 'reason'")
    reason = "上位法对收费标准另有规定，本办法不作调整。"
    page.keyboard.type(reason)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === '提交审核'")
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press("Enter")
    page.locator(f"#{row} .reply").wait_for(timeout=10_000)
    assert reason in page.locator(f"#{row}").inner_text()
    # The answered row is swapped in place and holds the focus: the next Tab goes on from there.
    expect(page.locator(f"#{row}")).to_be_focused(timeout=10_000)
    assert abs(page.evaluate("window.scrollY") - scrolled) < 200
    context.close()
