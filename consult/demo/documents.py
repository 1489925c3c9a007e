"""The demo's normative document outside the catalog: open for comment for 7 working days, across a
weekend, with two comments already in."""

from __future__ import annotations

from datetime import date, timedelta

from consult.comments.services import CommentInput, submit_comment
from consult.decisions.models import Decision
from consult.decisions.services import DecisionInput, add_document
from consult.drafts.services import create_consultation, create_draft, publish_consultation
from consult.jobs.queue import work_until_empty
from consult.settings import active
from consult.workdays.calc import add_working_days
from consult.workdays.services import load_calendar

from .moments import at

CHARGING_RULES = """平阴县住宅小区电动自行车充电设施建设管理规定（征求意见稿）
第一条 为预防和减少电动自行车火灾事故，规范住宅小区电动自行车充电设施建设和管理，制定本规定。
第二条 新建住宅小区应当按照不低于机动车停车位数量的比例，同步规划建设电动自行车集中停放和充电场所。
第三条 既有住宅小区由物业服务企业或者业主委员会统筹设置集中充电设施，纳入老旧小区改造的优先配建。
第四条 禁止在建筑物首层门厅、楼梯间、疏散通道、安全出口停放电动自行车或者为其充电。
第五条 充电收费标准应当公示，不得高于当地电价和合理服务费之和。
第六条 本规定自发布之日起施行，有效期五年。"""

COMMENTS = [
    ("吴女士", "建议明确既有小区充电设施建设资金的来源，避免全部由业主分摊。"),
    ("郑先生", "第五条建议增加夜间谷电时段收费优惠，鼓励错峰充电。"),
]


async def normative_document(department_id: int, staff, reviewer, today: date) -> Decision:
    """Opened yesterday, closing on the seventh working day after: the period spans a weekend (and a
    holiday, when one falls in it), counted on the working-day calendar."""
    document = await add_document(
        "normative_document",
        DecisionInput(
            title="平阴县住宅小区电动自行车充电设施建设管理规定",
            department_id=department_id,
            planned_completion=date(today.year + 1, 3, 31),
            legal_basis="《中华人民共和国消防法》《山东省消防条例》",
            background="电动自行车进楼入户充电引发的火灾时有发生，住宅小区充电设施不足。",
            participation_methods="网上公开征求意见7个工作日；走访物业服务企业和业主委员会。",
        ),
        False,
        staff,
    )
    opened = today - timedelta(days=1)
    closes = add_working_days(await load_calendar(), opened, active().min_normative_working_days).on
    draft = await create_draft(
        document,
        "征求意见稿",
        document.title,
        CHARGING_RULES,
        "起草说明：落实消防安全专项整治要求。",
        staff,
        at(opened, 8),
    )
    consultation = await create_consultation(draft, opened, closes, "", staff, opened, at(opened, 8), active())
    await publish_consultation(consultation, reviewer, opened, at(opened, 9))
    for i, (name, body) in enumerate(COMMENTS):
        await submit_comment(
            consultation,
            CommentInput(body=body, category="citizen", name=name, phone=f"1377777{i:04d}"),
            at(today, 9 + i),
            today,
        )
    await work_until_empty(lambda: at(today, 12))
    return document
