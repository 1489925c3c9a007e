"""A citizen applies to attend a standing meeting, the office selects them, the public page lists them."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_apply_select_and_be_listed(live_server: str, staff_passwords: dict[str, str], browser) -> None:
    citizen = browser.new_context(viewport={"width": 390, "height": 844})
    page = citizen.new_page()
    page.goto(live_server + "/meetings/")
    page.get_by_role("link", name=re.compile("报名列席")).first.click()
    page.get_by_role("textbox", name=re.compile("^姓名")).fill("林小雨")
    page.get_by_role("radio", name=re.compile("群众代表")).check()
    page.get_by_role("textbox", name=re.compile("拟在会上发表的意见")).fill("希望路边停车泊位夜间免费。")
    page.get_by_role("textbox", name="电话").fill("13977778888")
    page.get_by_label(re.compile("年满18周岁")).check()
    page.get_by_label(re.compile("居住或工作满2年")).check()
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url(re.compile(r"/meetings/applications/"))
    assert "已报名" in page.content()
    number = page.locator("dt:has-text('报名序号') + dd").inner_text().strip()
    meeting_url = page.get_by_role("link", name=re.compile("第18次常务会议")).get_attribute("href")
    citizen.close()

    office = browser.new_context()
    staff = office.new_page()
    staff.goto(live_server + "/login")
    staff.get_by_label("用户名").fill("office")
    staff.get_by_label("密码").fill(staff_passwords["office"])
    staff.get_by_role("button", name="登录").click()
    staff.goto(live_server + "/manage" + meeting_url)
    row = staff.locator(f"#att-{number}")
    row.get_by_role("textbox").fill("长期关注城区停车问题，代表性强。")
    row.get_by_role("button", name="选定", exact=True).click()
    assert "已选定" in staff.locator(f"#att-{number}").inner_text()
    office.close()

    public = browser.new_context()
    listing = public.new_page()
    listing.goto(live_server + meeting_url)
    attendees = listing.get_by_role("heading", name="公众代表列席").locator("xpath=following-sibling::article")
    assert "林小雨" in listing.content() and attendees.count() >= 1
    assert "13977778888" not in listing.content()
    public.close()
