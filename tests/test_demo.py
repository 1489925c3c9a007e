"""The demo county as a visitor and a reviewer meet it: the rules hold in it too."""

from __future__ import annotations

import re

import pytest

from consult.answers.models import Answer
from consult.groups.services import contradicted_group_answers
from consult.reports.models import AdoptionReport

# Every test here reads the one demo county the first loads (tests/conftest.py keeps it): loading it
# takes seconds, and none of these tests changes it.
SHARED_DATA = True


@pytest.fixture(autouse=True)
async def county(calendar) -> None:
    from consult import demo

    if not await demo.has_data():
        await demo.load()


async def test_the_demo_shows_reports_with_their_deadline_and_no_contradictory_answers(client, calendar) -> None:

    own_answers = await Answer.filter(group_answer_id__isnull=True, comment__group_id__isnull=False)
    assert own_answers, "the demo should show members answered on their own"
    assert await contradicted_group_answers(own_answers) == {}
    published = await AdoptionReport.filter(published_at__isnull=False).first()
    assert published is not None
    page = await client.get(f"/reports/{published.id}")
    assert "最迟于" in page.text and "（含当日）公开" in page.text and "按时公开" in page.text
    waiting = await AdoptionReport.filter(published_at__isnull=True).first()
    assert waiting is not None
    topic = await client.get(f"/decisions/{waiting.decision_id}")
    assert "最迟于" in topic.text
    listing = await client.get("/reports/")
    assert f"/reports/{published.id}" in listing.text and f"/reports/{waiting.id}" not in listing.text


async def test_searching_the_demo_for_parking_leads_to_the_parking_decision_first(client) -> None:
    from consult.decisions.models import Decision

    parking = await Decision.get(title__contains="停车")
    consultation = await parking.consultations.all().first()
    page = await client.get("/search", params={"q": "停车"})
    first = page.text.split('<ol class="cards">', 1)[1].split("</li>", 1)[0]
    assert f'href="/decisions/{parking.id}"' in first or f'href="/consultations/{consultation.id}"' in first, first
    # The draft's articles that mention parking are one hit, not a page of them.
    assert len(set(re.findall(rf"/consultations/{consultation.id}#article-\d+", page.text))) == 1
    assert page.text.count("处提到") == 1


async def test_the_demo_follows_its_issued_decisions_after_issue(client) -> None:
    from consult.decisions.models import Decision

    renovation = await Decision.get(title__contains="老旧小区改造")
    topic = (await client.get(f"/decisions/{renovation.id}")).text
    assert "已采用5种形式解读" in topic and "与文件同步发布" in topic
    assert "执行状态" in topic and "已调整" in topic and "首批12个小区" in topic
    waste = await Decision.get(title__contains="垃圾分类")
    topic = (await client.get(f"/decisions/{waste.id}")).text
    assert "已采用2种形式解读" in topic and "须至少2种" in topic and "部门或乡镇" in topic


async def test_the_demo_shows_what_its_comments_changed(client) -> None:
    from consult.comments.models import Comment
    from consult.decisions.models import Decision

    renovation = await Decision.get(title__contains="老旧小区改造")
    view = (await client.get(f"/decisions/{renovation.id}/changes")).text
    assert "雨污分流" in view and "对低保、特困家庭予以减免" in view and view.count("根据公众意见修改") == 2
    linked = await Comment.get(consultation__decision_id=renovation.id, body__startswith="居民出资比例")
    receipt = (await client.get(f"/receipts/{linked.receipt_code}")).text
    assert "您的意见已体现在正式文本第五条。" in receipt


async def test_the_demo_follows_the_parking_rules_through_the_steps_before_the_decision(client) -> None:
    from consult.decisions.models import Decision
    from consult.deliberation.models import Hearing

    parking = await Decision.get(title__contains="停车")
    topic = (await client.get(f"/decisions/{parking.id}")).text
    steps = topic.split('id="steps-h"', 1)[1].split("</section>", 1)[0]
    # In the order of 国务院令第713号, each with what the public may see of it.
    order = ["公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定", "决策公布"]
    assert [steps.index(name) for name in order] == sorted(steps.index(name) for name in order)
    assert "风险等级：中" in steps and "内容不公开" in steps and "听证报告" in steps
    assert "车主、沿街商户和城区居民分别推选代表" in topic  # 公众参与方式
    hearing = await Hearing.get(decision_id=parking.id)
    page = (await client.get(f"/hearings/{hearing.id}")).text
    assert "听证报告" in page and "部分采纳" in page and "公开抽签" in page and "1396666" not in page
    # The hearing's opinions count in the consultation's figures, by their channel.
    from consult.reports.figures import build_figures

    figures = await build_figures(await hearing.consultation)
    assert figures["by_channel"].get("hearing") == 3
    # The renovation plan went through its legality review (in a hurry, with the reason published) and
    # a collective discussion at standing meeting no. 12.
    renovation = await Decision.get(title__contains="老旧小区改造")
    topic = (await client.get(f"/decisions/{renovation.id}")).text
    assert "平阴县司法局" in topic and "第12次常务会议" in topic


async def test_the_demo_consults_on_a_normative_document_for_seven_working_days(client, calendar) -> None:
    from consult.decisions.models import Decision
    from consult.drafts.models import Consultation
    from consult.workdays.calc import working_days_between
    from consult.workdays.services import load_calendar

    document = await Decision.get(kind="normative_document")
    consultation = await Consultation.get(decision_id=document.id)
    days, _ = working_days_between(await load_calendar(), consultation.starts_on, consultation.ends_on)
    assert days == 7 and (consultation.ends_on - consultation.starts_on).days >= 9  # a weekend in between
    listing = (await client.get("/documents/")).text
    assert f"/decisions/{document.id}" in listing and "正在征求意见" in listing
    assert "电动自行车" in (await client.get("/")).text  # among the open consultations on the home page


async def test_the_demo_has_a_questionnaire_beside_a_draft_and_one_with_results(client, calendar) -> None:
    from consult.surveys.models import Survey

    beside = await Survey.get(consultation_id__isnull=False)
    page = (await client.get(f"/consultations/{beside.consultation_id}")).text
    assert f"/surveys/{beside.id}" in page and "本草案同时开展问卷调查" in page
    assert "提交答卷" in (await client.get(f"/surveys/{beside.id}")).text
    closed = await Survey.get(title="老旧小区改造居民满意度调查")
    results = (await client.get(f"/surveys/{closed.id}")).text
    assert "48份答卷" in results and "平均分" in results and "example.cn" not in results
    listing = (await client.get("/surveys/")).text
    assert f"/surveys/{beside.id}" in listing and f"/surveys/{closed.id}" in listing


async def test_the_demo_evaluates_policies_against_the_targets(client, calendar) -> None:
    from consult.decisions.models import Decision
    from consult.evaluations.models import Evaluation

    done = await Evaluation.get(report_published_at__isnull=False)
    page = (await client.get(f"/evaluations/{done.id}")).text
    assert "评价报告" in page and "居民代表 12" in page and "不予采纳" in page and "不能全额承担" in page
    assert "平均分" in page  # the closed questionnaire's results, embedded
    renovation = await Decision.get(title__contains="老旧小区改造")
    assert f"/evaluations/{done.id}" in (await client.get(f"/decisions/{renovation.id}")).text
    running = await Evaluation.get(department_id__isnull=True)
    assert "参与评价" in (await client.get(f"/evaluations/{running.id}")).text  # its questionnaire is open
    listing = (await client.get("/evaluations/")).text
    assert "年度目标完成情况" in listing and "还差" in listing


async def test_the_demo_year_in_figures(client, calendar) -> None:
    from consult import clock

    year = clock.today().year
    page = (await client.get(f"/years/{year}")).text
    assert "数据一览" in page and "采纳率" in page and f"/years/{year}/charts/channels.svg" in page
    assert (await client.get(f"/years/{year}/charts/channels.svg")).status_code == 200
    rows = (await client.get(f"/years/{year}.csv")).content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("单位,") and rows[-1].startswith("合计,") and len(rows) >= 3
