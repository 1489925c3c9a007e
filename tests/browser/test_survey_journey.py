"""A citizen on a phone answers the questionnaire beside the parking draft, then reads the results of a
closed one, charts and all."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_answer_a_questionnaire_on_a_phone_and_read_results(live_server: str, browser) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server + "/surveys/")
    page.get_by_role("link", name="城区停车状况问卷调查").click()
    satisfaction = page.get_by_role("group", name=re.compile("总体满意度"))
    satisfaction.get_by_role("radio", name="4").check()
    page.get_by_role("radio", name="路内泊位").check()
    improve = page.get_by_role("group", name=re.compile("优先改进"))
    for choice in ("增加泊位", "降低收费", "建设充电设施"):
        improve.get_by_role("checkbox", name=choice).check()
    page.get_by_role("textbox", name="电子邮箱").fill("reader@example.cn")
    page.get_by_role("button", name="提交答卷").click()
    # Three ticks where two are allowed: refused, with everything else kept.
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.get_by_role("radio", name="路内泊位").is_checked()
    improve = page.get_by_role("group", name=re.compile("优先改进"))
    improve.get_by_role("checkbox", name="降低收费").uncheck()
    page.get_by_role("button", name="提交答卷").click()
    page.wait_for_url(re.compile(r"/surveys/responses/"))
    assert "答卷已收到" in page.content() and "reader@example.cn" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(live_server + "/surveys/")
    page.get_by_role("link", name="老旧小区改造居民满意度调查").click()
    chart = page.locator("img.chart").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "平均分" in page.content()
    context.close()
