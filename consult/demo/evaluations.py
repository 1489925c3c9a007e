"""The demo's policy evaluations: the renovation plan's, done (a symposium whose opinions were answered,
the closed questionnaire's results, a published report), and the government's own evaluation of the
bus network plan, asking the public through a questionnaire open now."""

from __future__ import annotations

from datetime import date, timedelta

from consult.accounts.models import User
from consult.decisions.models import Decision
from consult.evaluations import services as e
from consult.review.models import AnswerStatus
from consult.review.services import review
from consult.surveys.models import Survey
from consult.surveys.services import QuestionInput

from .moments import at
from .surveys import build

REPORT = {
    "standard": "按照《平阴县老旧小区改造三年行动方案（2026—2028年）》确定的改造内容和补助标准实施。",
    "applicability": "2000年底前建成、纳入年度计划的36个老旧小区。",
    "usage": "首批12个小区完工，惠及居民3200户；加装电梯18部，改造管网21公里。",
    "effects": "居民满意度调查平均4.1分；小区雨污混流、停车难问题明显缓解。",
    "problems": "部分小区加装电梯费用分摊协商周期长；改造后长效管理机制尚未全面建立。",
    "suggestions": "推广加装电梯费用分摊指导价；改造完成即引入物业服务或街道托管。",
}
BUS_SURVEY = [
    QuestionInput("scale", "您对调整后公交线网的总体满意度"),
    QuestionInput("single", "您乘坐公交的频率", choices=["每天", "每周几次", "偶尔", "几乎不坐"]),
    QuestionInput("long_text", "对公交线网的意见建议", required=False),
]


async def load(
    renovation: Decision, renovation_survey: Survey, housing: tuple[User, User], transport: tuple[User, User],
    office: User, today: date,
) -> None:  # fmt: skip
    staff, reviewer = housing
    evaluation = await e.create_evaluation(
        e.EvaluationInput(
            staff.department_id, "", "改造内容落实、补助资金使用和居民满意度", "县住房和城乡建设局",
            today - timedelta(days=45), today - timedelta(days=10), ["symposium", "questionnaire"], renovation.id,
        ),
        staff,
        at(today - timedelta(days=46)),
    )  # fmt: skip
    await e.publish_evaluation(evaluation, reviewer, at(today - timedelta(days=45)))
    await e.attach_survey(evaluation, renovation_survey.id, staff)
    held = today - timedelta(days=30)
    activity = await e.record_activity(
        evaluation, "symposium", held, {"居民代表": "12", "物业企业": "3", "社区干部": "4"},
        "围绕改造质量、加装电梯和长效管理座谈。", staff, at(held, 17),
    )  # fmt: skip
    for body, status, reason in (
        ("建议改造后由街道统一引入物业服务。", AnswerStatus.ADOPTED, ""),
        (
            "希望财政全额承担加装电梯费用。",
            AnswerStatus.NOT_ADOPTED,
            "加装电梯由居民自愿申请，财政按标准补助，不能全额承担。",
        ),
    ):
        opinion = await e.record_opinion(activity, body, staff, at(held, 17))
        answer = await e.answer_opinion(opinion, status, reason, staff, at(held + timedelta(days=3), 10))
        await review(answer, True, "", reviewer, at(held + timedelta(days=4), 10))
    await e.save_report(evaluation, REPORT, staff)
    await e.submit_report(evaluation, staff, at(today - timedelta(days=8), 10))
    await e.review_report(evaluation, True, "", reviewer, at(today - timedelta(days=7), 10))

    # The government's own evaluation, through a questionnaire of the transport bureau, open now.
    jt_staff, jt_review = transport
    opens = today - timedelta(days=3)
    survey = await build(
        jt_staff.department_id, "县城公交线网优化效果评价问卷", opens, today + timedelta(days=14), BUS_SURVEY, jt_staff,
        jt_review,
    )  # fmt: skip
    bus = await e.create_evaluation(
        e.EvaluationInput(
            None, "县城公交线网优化方案", "线路调整后的覆盖率、准点率和乘客满意度", "县政府办公室（委托第三方机构）",
            opens, today + timedelta(days=30), ["questionnaire", "online_qa", "opinion_monitoring"],
        ),
        office,
        at(opens, 9),
    )  # fmt: skip
    await e.attach_survey(bus, survey.id, office)
    await e.publish_evaluation(bus, office, at(opens, 10))
