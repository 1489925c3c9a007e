"""Realistic demo data for a county government, loaded through the services with injected dates."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from consult import clock
from consult.accounts.models import Department, Role, User
from consult.accounts.services import create_department, create_user
from consult.answers.services import answer_comment
from consult.comments.models import Channel, Comment, ModerationState, WithholdReason
from consult.comments.services import CommentInput, moderate_comment, submit_comment
from consult.decisions.models import Catalog, Decision
from consult.decisions.services import (
    DecisionInput,
    add_decision,
    create_catalog,
    publish_catalog,
    remove_decision,
)
from consult.drafts.models import Article, Consultation
from consult.drafts.services import create_consultation, create_draft, publish_consultation
from consult.groups.models import CommentGroup
from consult.groups.rules import ConcentratedRule
from consult.groups.services import answer_group, review_group_answer
from consult.meetings.models import MeetingTopic
from consult.meetings.services import (
    ApplicationInput,
    MeetingInput,
    answer_opinion,
    apply_to_attend,
    create_meeting,
    invite,
    record_attendance,
    record_opinion,
    set_outcome,
)
from consult.reports.deadline import ReportRule
from consult.reports.services import ResultInput, record_result
from consult.review.models import AnswerStatus
from consult.review.services import review
from consult.settings import active
from consult.workdays.calc import working_days_between
from consult.workdays.services import load_calendar

PARKING_DRAFT = """平阴县城区机动车停车管理办法（征求意见稿）

第一章 总则
第一条 为加强城区机动车停车管理，规范停车秩序，改善交通环境，根据《中华人民共和国道路交通安全法》《山东省道路交通安全条例》等法律法规，结合本县实际，制定本办法。
第二条 本办法适用于本县城区范围内停车设施的规划、建设、使用和管理。
第三条 停车管理遵循政府主导、统筹规划、配建为主、路内为辅、规范管理的原则。
第四条 县交通运输局是本县停车管理的主管部门，负责本办法的组织实施。公安交警、住房城乡建设、自然资源、市场监管等部门按照各自职责做好相关工作。
第二章 规划与建设
第五条 县自然资源局会同县交通运输局编制停车设施专项规划，报县人民政府批准后公布实施。
第六条 新建、改建、扩建建筑物应当按照标准配建停车设施，配建停车位应当与主体工程同步设计、同步建设、同步交付使用。
第七条 鼓励机关、企事业单位在保障安全的前提下，将内部停车场在夜间和法定节假日向社会开放。
第八条 老旧小区改造应当统筹考虑停车需求，利用小区内部及周边空闲土地增设停车位。
第九条 新建住宅小区配建停车位应当全部建设充电设施或者预留安装条件。
第三章 道路停车泊位
第十条 县公安交警部门会同县交通运输局，根据道路通行条件和停车需求施划道路停车泊位，并向社会公布。
第十一条 学校、医院周边道路可以设置限时停车泊位，限时停放时间不超过三十分钟。
第十二条 道路停车泊位实行分时段、差别化收费，中心城区高于外围区域，白天高于夜间。
第十三条 道路停车泊位中应当按照不低于百分之二的比例设置残疾人专用停车位。
第四章 停车收费
第十四条 停车收费实行政府定价、政府指导价和市场调节价。具体标准由县发展和改革局会同有关部门制定。
第十五条 停车场经营者应当在显著位置公示收费标准、收费依据和监督电话，不得超标准收费。
第十六条 首次停放不超过十五分钟的，免收停车费。
第五章 法律责任
第十七条 违反本办法规定，在道路停车泊位以外的道路上停放机动车的，由公安交警部门依法处理。
第十八条 停车场经营者未按规定公示收费标准的，由市场监管部门依法处理。
第六章 附则
第十九条 本办法所称城区，是指县城总体规划确定的中心城区范围。
第二十条 本办法自2027年1月1日起施行，有效期五年。
"""

PARKING_EXPLANATION = """一、起草背景
近年来，我县机动车保有量年均增长约12%，城区停车泊位缺口约8000个，"停车难""乱停车"问题群众反映集中。

二、起草过程
起草过程中，县交通运输局赴周边县区学习考察，召开了3次部门座谈会，并征求了部分人大代表、政协委员意见。

三、主要内容
办法共六章二十条，主要规定了停车设施规划建设、道路停车泊位设置、停车收费和法律责任等内容。"""

RENOVATION_DRAFT = """平阴县老旧小区改造三年行动方案（2026—2028年）（征求意见稿）

到2028年底，完成2000年底前建成的老旧小区改造，涉及小区86个、居民1.2万户。

改造内容分为基础类、完善类、提升类三类。基础类重点改造供水、排水、供电、燃气、道路等配套设施。

完善类重点增设停车位、电动自行车充电设施、无障碍设施和适老化设施，有条件的楼栋加装电梯。

提升类重点完善社区养老、托育、助餐、便民市场等公共服务设施。

改造资金由政府补助、居民出资、社会资本参与等方式共同筹措，居民出资比例原则上不低于10%。

改造项目实行"一小区一方案"，方案须经小区三分之二以上居民同意后实施。"""

COMPENSATION_DRAFT = """平阴县国有土地上房屋征收与补偿实施办法（草案）

第一条 为规范国有土地上房屋征收与补偿活动，维护公共利益，保障被征收人合法权益，根据《国有土地上房屋征收与补偿条例》，结合本县实际，制定本办法。
第二条 县人民政府负责本县行政区域内的房屋征收与补偿工作。
第三条 被征收房屋价值的补偿，不得低于房屋征收决定公告之日被征收房屋类似房地产的市场价格。
第四条 被征收人可以选择货币补偿，也可以选择房屋产权调换。
第五条 本办法自发布之日起施行。
"""

WASTE_DRAFT = """平阴县城市生活垃圾分类管理办法（征求意见稿）

第一条 为了加强城市生活垃圾分类管理，改善人居环境，根据有关法律法规，结合本县实际，制定本办法。
第二条 生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类。
第三条 产生生活垃圾的单位和个人是生活垃圾分类投放的责任主体。
第四条 住宅小区由物业服务人负责设置分类收集容器；没有物业服务的，由街道办事处负责。
第五条 本办法自2027年3月1日起施行。
"""

WASTE_TEXTS = [
    "建议在小区设置定时定点投放点，并安排志愿者在投放时段指导居民分类。",
    "没有物业的老旧小区分类设施谁来出钱，建议明确财政保障。",
    "厨余垃圾桶气味很大，夏季应当每天清运两次。",
    "建议对分类做得好的小区给予积分奖励，可以兑换生活用品。",
    "有害垃圾回收点太少，废电池和过期药品不知道往哪里投放。",
    "施行时间建议推迟半年，给居民留出适应时间。",
]

COMMENT_TEXTS = [
    (16, "建议首次停放免费时间由十五分钟延长至三十分钟，方便接送孩子和临时办事的群众。"),
    (16, "十五分钟免费时间太短，到医院取个药都不够，建议至少三十分钟。"),
    (11, "学校周边限时停车三十分钟不够家长会等活动使用，建议在放学时段适当延长。"),
    (13, "残疾人专用车位比例百分之二偏低，而且经常被普通车辆占用，建议加大执法力度。"),
    (9, "老旧小区没有条件建设充电桩，建议在小区周边公共停车场集中建设充电设施。"),
    (12, "夜间收费标准应当明显低于白天，鼓励居民夜间使用道路泊位，缓解小区停车难。"),
    (7, "希望机关单位的停车场在周末真正对外开放，并在门口公示开放时间和收费办法。"),
    (8, "我们小区是九十年代的老小区，停车非常困难，希望改造时优先考虑增加停车位。"),
    (15, "有些停车场收费标准不公示，收费人员也不出具票据，建议明确监督举报电话。"),
    (None, "总体赞成出台这个办法，停车难问题确实需要系统治理，希望尽快实施。"),
    (10, "道路泊位施划前应当征求沿街商户和居民意见，不要影响消防通道和盲道。"),
    (14, "停车收费标准制定过程中应当举行听证会，广泛听取群众意见。"),
    (17, "乱停车问题主要是执法不严，建议增加巡查频次，对长期占道停放的僵尸车依法清理。"),
    (19, "城区范围表述不够明确，建议附图或者列明具体道路边界。"),
    (6, "商业综合体配建车位经常对外高价收费，建议对配建车位的收费进行指导。"),
    (20, "有效期五年较长，建议实施两年后进行评估并根据情况修订。"),
    (None, "建议增加共享停车的内容，利用手机应用实时发布空余车位信息。"),
    (4, "建议明确街道办事处和社区在小区停车管理中的职责。"),
]
RENOVATION_TEXTS = [
    "加装电梯的费用分摊办法应当明确，一楼住户不需要电梯，不应当承担费用。",
    "居民出资比例百分之十对退休老人压力较大，建议对困难家庭给予减免。",
    "改造期间施工噪音扰民，建议规定施工时间，中午和夜间不得施工。",
    "希望改造时同步解决雨污分流问题，我们小区每逢下雨就积水。",
    "建议优先改造没有物业管理的小区，并在改造后引入物业服务。",
    "改造方案应当公示，让每户居民都知道改什么、花多少钱。",
    "适老化改造很有必要，楼道加装扶手、单元门口改成坡道方便轮椅通行。",
    "三分之二居民同意的门槛太高，有的小区很多房子出租，房东联系不上。",
]
NAMES = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨磊",
    "赵敏",
    "黄强",
    "周丽",
    "吴军",
    "徐婷",
    "孙浩",
    "马超",
    "朱琳",
]
CATEGORIES = [
    "citizen",
    "citizen",
    "citizen",
    "enterprise",
    "expert",
    "npc_deputy",
    "cppcc_member",
    "organisation",
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=clock.TZ)


def _password() -> str:
    return secrets.token_urlsafe(9)


async def has_data() -> bool:
    return await Catalog.exists() or await User.exists()


async def load() -> list[tuple[str, str, str]]:
    """Returns the staff accounts created, with their passwords, for the operator to read once."""
    if await has_data():
        raise SystemExit("The database already has data; the demo loads only into an empty database.")
    today = clock.today()
    year = today.year
    accounts: list[tuple[str, str, str]] = []

    async def user(username: str, name: str, role: Role, dept: Department | None) -> User:
        password = _password()
        created = await create_user(username, password, role, name, dept, actor=None)
        accounts.append((username, password, role.value))
        return created

    office = await user("office", "县政府办公室 刘主任", Role.ADMIN, None)
    transport = await create_department("县交通运输局", office)
    housing = await create_department("县住房和城乡建设局", office)
    land = await create_department("县自然资源局", office)
    education = await create_department("县教育和体育局", office)
    jt_staff = await user("jt_staff", "交通局 王科长", Role.STAFF, transport)
    jt_review = await user("jt_review", "交通局 赵副局长", Role.REVIEWER, transport)
    zj_staff = await user("zj_staff", "住建局 孙科长", Role.STAFF, housing)
    zj_review = await user("zj_review", "住建局 钱副局长", Role.REVIEWER, housing)

    jan = date(year, 1, 8)
    catalog = await create_catalog(year, "", "按照“应入尽入”原则编制，经县政府常务会议审议通过。", office)
    parking = await add_decision(
        catalog,
        DecisionInput(
            title="制定《平阴县城区机动车停车管理办法》",
            department_id=transport.id,
            planned_completion=date(year, 12, 31),
            needs_hearing=True,
            legal_basis="《中华人民共和国道路交通安全法》《山东省道路交通安全条例》《重大行政决策程序暂行条例》",
            background="城区机动车保有量快速增长，停车泊位供给不足，乱停乱放影响通行和市容，群众反映强烈。",
        ),
        office,
        _at(jan),
    )
    renovation = await add_decision(
        catalog,
        DecisionInput(
            title="编制《平阴县老旧小区改造三年行动方案（2026—2028年）》",
            department_id=housing.id,
            planned_completion=date(year, 10, 31),
            legal_basis="《国务院办公厅关于全面推进城镇老旧小区改造工作的指导意见》",
            background="全县2000年底前建成的老旧小区设施老化、功能不全，居民改造意愿强烈。",
        ),
        office,
        _at(jan),
    )
    compensation = await add_decision(
        catalog,
        DecisionInput(
            title="修订《平阴县国有土地上房屋征收与补偿实施办法》",
            department_id=land.id,
            planned_completion=date(year, 12, 31),
            needs_hearing=True,
            legal_basis="《国有土地上房屋征收与补偿条例》",
            background="现行办法施行已满十年，补偿标准和程序需要与上位法和市场情况衔接。",
        ),
        office,
        _at(jan),
    )
    taxi = await add_decision(
        catalog,
        DecisionInput(
            title="制定《平阴县出租汽车行业改革实施方案》",
            department_id=transport.id,
            planned_completion=date(year, 9, 30),
        ),
        office,
        _at(jan),
    )
    await publish_catalog(catalog, office, _at(jan, 9))
    await add_decision(
        catalog,
        DecisionInput(
            title="编制《平阴县学前教育资源布局规划（2026—2035年）》",
            department_id=education.id,
            planned_completion=date(year, 12, 31),
            background="适应出生人口变化，优化幼儿园布局。",
        ),
        office,
        _at(date(year, 3, 2)),
        reason="根据县委县政府年度重点工作安排，增补列入目录。",
    )
    await remove_decision(
        taxi,
        office,
        _at(date(year, 6, 15)),
        reason="省级出租汽车改革政策调整，该事项暂缓实施，调出本年度目录。",
    )

    # Closed consultation with answered comments (住建局).
    closed_start = today - timedelta(days=75)
    closed_end = closed_start + timedelta(days=30)
    renovation_draft = await create_draft(
        renovation,
        "征求意见稿",
        "平阴县老旧小区改造三年行动方案（2026—2028年）",
        RENOVATION_DRAFT,
        "方案在摸底调查86个小区、入户走访3200户的基础上起草。",
        zj_staff,
        _at(closed_start - timedelta(days=5)),
    )
    closed = await create_consultation(
        renovation_draft, closed_start, closed_end, "", zj_staff, closed_start, _at(closed_start, 8), 30
    )
    await publish_consultation(closed, zj_review, closed_start, _at(closed_start, 9))
    # A campaign about lift costs: grouped as the copies arrived, answered once, concentrated. The
    # resident's own comment on the same point joins it and is answered with the group.
    lift = await _campaign(closed, LIFT_CAMPAIGN, 14, closed_start, zj_staff)
    await _comments(closed, RENOVATION_TEXTS, closed_start, closed_end, zj_staff, zj_review, answer_all=True)
    group_answer = await answer_group(
        lift,
        AnswerStatus.NOT_ADOPTED,
        "加装电梯费用分摊由楼栋居民协商确定，方案已明确一楼住户可不出资，并对低楼层住户给予补偿，财政补助不能替代居民协商。",
        zj_staff,
        _at(closed_end + timedelta(days=3)),
    )
    await review_group_answer(
        group_answer, True, "", zj_review, _at(closed_end + timedelta(days=4)), rule=ConcentratedRule.of(active())
    )

    # The renovation plan is decided: recording the result publishes its report at once (all answered).
    decided_on = closed_end + timedelta(days=14)
    await record_result(
        renovation,
        ResultInput(
            document_number=f"平政办发〔{decided_on.year}〕12号",
            issued_on=decided_on,
            text="平阴县老旧小区改造三年行动方案（2026—2028年）（正式印发文本）",
            link="https://www.pingyin.gov.cn/art/example.html",
            interpretation="一图读懂：方案明确三年完成86个老旧小区改造，居民出资比例对困难家庭予以减免。",
        ),
        zj_review,
        _at(decided_on, 16),
        await load_calendar(),
        ReportRule.of(active()),
    )

    # Waste sorting rules: decided three working days ago, answers still being written: its report waits.
    waste = await add_decision(
        catalog,
        DecisionInput(
            title="制定《平阴县城市生活垃圾分类管理办法》",
            department_id=housing.id,
            planned_completion=date(year, 12, 31),
            legal_basis="《中华人民共和国固体废物污染环境防治法》",
            background="推进生活垃圾减量化、资源化、无害化处理。",
        ),
        office,
        _at(date(year, 2, 10)),
        reason="落实省市生活垃圾分类工作部署，增补列入目录。",
    )
    waste_start = today - timedelta(days=60)
    waste_draft = await create_draft(
        waste,
        "征求意见稿",
        "平阴县城市生活垃圾分类管理办法",
        WASTE_DRAFT,
        "",
        zj_staff,
        _at(waste_start - timedelta(days=2)),
    )
    waste_consultation = await create_consultation(
        waste_draft, waste_start, waste_start + timedelta(days=30), "", zj_staff, waste_start, _at(waste_start, 8), 30
    )
    await publish_consultation(waste_consultation, zj_review, waste_start, _at(waste_start, 9))
    await _comments(
        waste_consultation,
        WASTE_TEXTS,
        waste_start,
        waste_start + timedelta(days=30),
        zj_staff,
        zj_review,
        answer_all=False,
    )
    calendar = await load_calendar()
    issued = today - timedelta(days=1)
    while working_days_between(calendar, issued, today)[0] < 3:
        issued -= timedelta(days=1)
    await record_result(
        waste,
        ResultInput(document_number=f"平政发〔{issued.year}〕8号", issued_on=issued, text="正式印发文本"),
        zj_review,
        _at(issued, 16),
        calendar,
        ReportRule.of(active()),
    )

    # Open consultation on the parking rules (交通局), comments in every state.
    open_start = today - timedelta(days=12)
    parking_draft = await create_draft(
        parking,
        "征求意见稿",
        "平阴县城区机动车停车管理办法",
        PARKING_DRAFT,
        PARKING_EXPLANATION,
        jt_staff,
        _at(open_start - timedelta(days=3)),
    )
    opened = await create_consultation(
        parking_draft,
        open_start,
        open_start + timedelta(days=30),
        "",
        jt_staff,
        open_start,
        _at(open_start, 8),
        30,
    )
    await publish_consultation(opened, jt_review, open_start, _at(open_start, 9))
    articles = {a.seq: a for a in await Article.filter(draft_id=parking_draft.id)}
    texts = [(articles[seq].id if seq else None, body) for seq, body in COMMENT_TEXTS]
    await _parking_comments(opened, texts, open_start, today, jt_staff, jt_review)
    # A campaign still arriving: grouped automatically, not yet answered.
    await _campaign(opened, PARKING_CAMPAIGN, 11, open_start, jt_staff)

    await _meetings(office, renovation, waste, parking, zj_staff, zj_review, today)

    # A draft whose consultation is prepared but not yet approved (自然资源局), and one closed early.
    comp_draft = await create_draft(
        compensation,
        "征求意见稿",
        "平阴县国有土地上房屋征收与补偿实施办法",
        COMPENSATION_DRAFT,
        "",
        office,
        _at(today),
    )
    await create_consultation(
        comp_draft, today + timedelta(days=7), today + timedelta(days=40), "", office, today, _at(today), 30
    )
    return accounts


async def _meetings(
    office: User, renovation: Decision, waste: Decision, parking: Decision, staff: User, reviewer: User, today: date
) -> None:
    """Two meetings held with public attendees (opinions answered), one open for applications."""
    held = [
        (
            12,
            today - timedelta(days=40),
            renovation,
            "原则通过《平阴县老旧小区改造三年行动方案（2026—2028年）》，由县住建局修改完善后印发。",
        ),
        (
            15,
            today - timedelta(days=9),
            waste,
            "原则通过《平阴县城市生活垃圾分类管理办法》，施行时间调整为2027年3月1日。",
        ),
    ]
    people = [
        ("赵晓梅", "citizen_representative", "锦东小区居民"),
        ("钱立新", "expert", "山东建筑大学"),
        ("孙海燕", "media", "平阴融媒体中心"),
    ]
    for number, held_on, decision, outcome in held:
        meeting = await create_meeting(
            MeetingInput(
                number=number,
                held_on=held_on,
                place="县政府第一会议室",
                public_attendance=True,
                stream_url="https://www.pingyin.gov.cn/live/example",
                applications_open_on=held_on - timedelta(days=20),
                applications_close_on=held_on - timedelta(days=6),
                quotas={"citizen_representative": 2, "expert": 1, "media": 1},
                topics=[(decision.id, ""), (None, "听取全县安全生产工作情况汇报")],
            ),
            office,
            _at(held_on - timedelta(days=25)),
        )
        topic = await MeetingTopic.get(meeting_id=meeting.id, seq=1)
        await set_outcome(topic, outcome, office)
        for name, category, organisation in people[: 3 if number == 12 else 2]:
            attendee = await invite(meeting, name, category, organisation, office, _at(held_on - timedelta(days=5)))
            await record_attendance(attendee, True, office, held_on)
            opinion = await record_opinion(
                attendee,
                topic,
                f"{organisation}{name}：建议在实施中加强宣传解读，并定期公开实施进展。",
                office,
                _at(held_on, 11),
            )
            answer = await answer_opinion(
                opinion,
                AnswerStatus.ADOPTED if category != "media" else AnswerStatus.PARTLY_ADOPTED,
                "" if category != "media" else "将在政务新媒体开设专栏，每季度公开进展。",
                staff,
                _at(held_on + timedelta(days=2)),
            )
            if number == 12:
                await review(answer, True, "", reviewer, _at(held_on + timedelta(days=3)))
    upcoming = await create_meeting(
        MeetingInput(
            number=18,
            held_on=today + timedelta(days=20),
            place="县政府第一会议室",
            public_attendance=True,
            applications_open_on=today - timedelta(days=3),
            applications_close_on=today + timedelta(days=10),
            quotas={"citizen_representative": 3, "expert": 1, "media": 1, "stakeholder": 2},
            topics=[(parking.id, "")],
        ),
        office,
        _at(today - timedelta(days=4)),
    )
    for i, (name, category) in enumerate(
        [("周建国", "citizen_representative"), ("吴丽", "stakeholder"), ("郑明", "citizen_representative")]
    ):
        await apply_to_attend(
            upcoming,
            ApplicationInput(
                name=name,
                category=category,
                statement="希望就城区停车收费和泊位设置发表意见。",
                phone=f"1356666{i:04d}",
                adult=True,
                local=True,
            ),
            today,
            _at(today, 10 + i),
        )


GREETINGS = ["", "尊敬的领导：", "您好，", "各位领导：", "你好！"]
CLOSINGS = ["", "谢谢！", "望采纳。", "以上建议，望采纳。", "谢谢大家"]
LIFT_CAMPAIGN = "加装电梯的费用分摊办法应当明确，一楼住户不需要电梯，不应当承担费用，建议由财政补贴大部分费用。"
PARKING_CAMPAIGN = "强烈建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药和临时办事。"


async def _campaign(consultation: Consultation, text: str, copies: int, start: date, staff: User) -> CommentGroup:
    """Copies of one text with the edits people make; each is grouped as it arrives."""
    comment = None
    for i in range(copies):
        day = start + timedelta(days=1 + i % 10)
        body = (
            GREETINGS[i % len(GREETINGS)]
            + text.replace("应当", "应该" if i % 3 else "应当")
            + CLOSINGS[i % len(CLOSINGS)]
        )
        comment, _ = await submit_comment(
            consultation,
            CommentInput(body=body, category="citizen", name=NAMES[(i + 5) % len(NAMES)], phone=f"1370000{i:04d}"),
            _at(day, 12),
            day,
        )
        await moderate_comment(comment, ModerationState.PUBLISHED, staff, _at(day, 18))
    assert comment is not None
    group = await CommentGroup.get(id=(await Comment.get(id=comment.id)).group_id)
    group.summary = text[:30] + "…"
    await group.save(update_fields=["summary"])
    return group


async def _comments(
    consultation: Consultation,
    texts: list[str],
    start: date,
    end: date,
    staff: User,
    reviewer: User,
    *,
    answer_all: bool,
) -> None:
    """Published comments; all answered and approved, or (answer_all=False) every other one."""
    statuses = [
        AnswerStatus.ADOPTED,
        AnswerStatus.PARTLY_ADOPTED,
        AnswerStatus.NOT_ADOPTED,
        AnswerStatus.ALREADY_COVERED,
    ]
    reasons = {
        AnswerStatus.ADOPTED: "",
        AnswerStatus.PARTLY_ADOPTED: "已在方案中增加相关表述，具体标准将在实施细则中明确。",
        AnswerStatus.NOT_ADOPTED: "该事项涉及上位法规定，本方案不宜作出调整，将在实施中做好解释工作。",
        AnswerStatus.ALREADY_COVERED: "方案第四部分已有相关规定。",
    }
    for i, body in enumerate(texts):
        day = start + timedelta(days=1 + i * (end - start).days // (len(texts) + 1))
        comment, _ = await submit_comment(
            consultation,
            CommentInput(
                body=body,
                category=CATEGORIES[i % len(CATEGORIES)],
                name=NAMES[i % len(NAMES)],
                phone=f"1390531{i:04d}",
            ),
            _at(day, 9 + i % 8),
            day,
        )
        await moderate_comment(comment, ModerationState.PUBLISHED, staff, _at(day, 17))
        if (await Comment.get(id=comment.id)).group_id is not None:
            continue  # answered once for its group of similar comments
        if answer_all or i % 2 == 0:
            status = statuses[i % len(statuses)]
            answer = await answer_comment(comment, status, reasons[status], staff, _at(end + timedelta(days=3)))
            await review(answer, True, "", reviewer, _at(end + timedelta(days=4)))


async def _parking_comments(
    consultation: Consultation,
    texts: list[tuple[int | None, str]],
    start: date,
    today: date,
    staff: User,
    reviewer: User,
) -> None:
    comments: list[Comment] = []
    for i, (article_id, body) in enumerate(texts):
        day = start + timedelta(days=1 + i * max(1, (today - start).days - 1) // len(texts))
        comment, _ = await submit_comment(
            consultation,
            CommentInput(
                body=body,
                category=CATEGORIES[i % len(CATEGORIES)],
                name=NAMES[i % len(NAMES)],
                phone=f"1385312{i:04d}" if i % 3 else "",
                email=f"resident{i}@example.cn" if i % 3 == 0 else "",
                display_mode="anonymous" if i % 5 == 4 else "masked",
                article_id=article_id,
            ),
            _at(day, 8 + i % 10),
            day,
        )
        comments.append(comment)
    letter, _ = await submit_comment(
        consultation,
        CommentInput(
            body="来信建议：停车收费标准出台前应当召开听证会，并对低收入家庭给予优惠。",
            category="npc_deputy",
            name="韩代表",
            phone="0531-87654321",
        ),
        _at(today, 11),
        today,
        channel=Channel.LETTER,
        received_on=start + timedelta(days=5),
        entered_by=staff,
    )
    comments.append(letter)
    abusive, _ = await submit_comment(
        consultation,
        CommentInput(
            body="这个办法就是为了收钱，制定的人都是什么水平，简直胡闹！！！",
            category="citizen",
            name="匿名网友",
            phone="13600000000",
        ),
        _at(start + timedelta(days=3), 22),
        start + timedelta(days=3),
    )
    await moderate_comment(
        abusive,
        ModerationState.WITHHELD,
        staff,
        _at(start + timedelta(days=4)),
        WithholdReason.ABUSE,
        "含有侮辱性语言",
    )
    private, _ = await submit_comment(
        consultation,
        CommentInput(
            body="我住在锦东小区3号楼2单元501室，电话13912345678，楼下天天有车堵门，请来处理。",
            category="citizen",
            name="刘先生",
            phone="13912345678",
        ),
        _at(start + timedelta(days=6), 20),
        start + timedelta(days=6),
    )
    await moderate_comment(
        private,
        ModerationState.WITHHELD,
        staff,
        _at(start + timedelta(days=7)),
        WithholdReason.PERSONAL_DATA,
        "已电话联系本人，转交执法部门",
    )
    # Most comments published; the last few still wait for moderation.
    for comment in comments[:-4]:
        await moderate_comment(comment, ModerationState.PUBLISHED, staff, _at(comment.received_on + timedelta(days=1)))
    answered = comments[:8]
    plan = [
        (
            AnswerStatus.PARTLY_ADOPTED,
            "拟将首次免费停放时间调整为二十分钟，兼顾周转率和群众临时停车需求。",
            True,
        ),
        (
            AnswerStatus.PARTLY_ADOPTED,
            "拟将首次免费停放时间调整为二十分钟，兼顾周转率和群众临时停车需求。",
            True,
        ),
        (AnswerStatus.ADOPTED, "", True),
        (AnswerStatus.ADOPTED, "", True),
        (AnswerStatus.NOT_ADOPTED, "充电设施建设由专项规划统筹，本办法仅作原则性规定。", "return"),
        (AnswerStatus.ALREADY_COVERED, "第十二条已规定白天高于夜间的差别化收费。", False),
        (AnswerStatus.ADOPTED, "", False),
        (AnswerStatus.OUT_OF_SCOPE, "", None),
    ]
    for comment, (status, reason, verdict) in zip(answered, plan, strict=True):
        if verdict is None:
            continue
        answer = await answer_comment(comment, status, reason, staff, _at(today, 9))
        if verdict == "return":
            await review(answer, False, "请补充说明与充电设施专项规划的衔接安排。", reviewer, _at(today, 10))
        elif verdict:
            await review(answer, True, "", reviewer, _at(today, 10))
