"""Realistic demo data for a county government, loaded through the services with injected dates."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, timedelta

from consult import clock
from consult.accounts.models import Department, Role, User
from consult.accounts.services import create_department, create_user
from consult.answers.services import answer_comment
from consult.comments.models import Channel, Comment, ModerationState, WithholdReason
from consult.comments.services import CommentInput, moderate_comment, submit_comment
from consult.decisions.models import Catalog, Decision, IssuingLevel
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
from consult.implementation.services import (
    InterpretationInput,
    StatusChangeInput,
    add_execution_update,
    add_interpretation,
    link_comments,
    publish_execution_update,
    record_status_change,
    review_interpretation,
)
from consult.jobs.queue import work_until_empty
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

from . import before, data, documents, evaluations, surveys
from .moments import at as _at


def _password() -> str:
    return secrets.token_urlsafe(9)


async def has_data() -> bool:
    return await Catalog.exists() or await User.exists()


async def _submit(
    consultation: Consultation, data: CommentInput, *args: object, **kwargs: object
) -> tuple[Comment, bool]:
    """A comment stored as the form stores it, then grouped as the app's worker does within a second."""
    stored = await submit_comment(consultation, data, *args, **kwargs)  # type: ignore[arg-type]
    await work_until_empty(clock.now)
    return stored


async def load(step: Callable[[str], None] = lambda _: None) -> list[tuple[str, str, str]]:
    """Returns the staff accounts created, with their passwords, for the operator to read once.
    `step` hears what is being loaded, for a progress line."""
    if await has_data():
        raise SystemExit("The database already has data; the demo loads only into an empty database.")
    today = clock.today()
    year = today.year
    accounts: list[tuple[str, str, str]] = []

    step("departments and staff")
    users, departments = await _people(accounts)
    step("the catalog")
    office, zj_staff, zj_review = users["office"], users["zj_staff"], users["zj_review"]
    jt_staff, jt_review = users["jt_staff"], users["jt_review"]
    decisions = await _catalog(year, office, departments)
    renovation, compensation, parking, waste = (
        decisions[k] for k in ("renovation", "compensation", "parking", "waste")
    )

    step("a closed consultation with its answers and report")
    # Closed consultation with answered comments (住建局).
    closed_start = today - timedelta(days=75)
    closed_end = closed_start + timedelta(days=30)
    renovation_draft = await create_draft(
        renovation,
        "征求意见稿",
        "平阴县老旧小区改造三年行动方案（2026—2028年）",
        data.RENOVATION_DRAFT,
        "方案在摸底调查86个小区、入户走访3200户的基础上起草。",
        zj_staff,
        _at(closed_start - timedelta(days=5)),
    )
    closed = await create_consultation(
        renovation_draft, closed_start, closed_end, "", zj_staff, closed_start, _at(closed_start, 8), active()
    )
    await publish_consultation(closed, zj_review, closed_start, _at(closed_start, 9))
    # A campaign about lift costs: grouped as the copies arrived, answered once, concentrated. The
    # resident's own comment on the same point joins it and is answered with the group.
    lift = await _campaign(closed, data.LIFT_CAMPAIGN, 14, closed_start, zj_staff)
    await _comments(closed, data.RENOVATION_TEXTS, closed_start, closed_end, zj_staff, zj_review, answer_all=True)
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

    # The renovation plan is decided: reviewed for legality (in a hurry, with the reason recorded) and
    # discussed at standing meeting no. 12 (see _meetings); recording the result publishes its report at
    # once (all answered).
    await before.legality_review(
        renovation, closed_end + timedelta(days=1), closed_end + timedelta(days=4), zj_staff, zj_review, True
    )
    decided_on = closed_end + timedelta(days=14)
    await record_result(
        renovation,
        ResultInput(
            document_number=f"平政办发〔{decided_on.year}〕12号",
            issued_on=decided_on,
            text=data.RENOVATION_ISSUED,
            link="https://www.pingyin.gov.cn/art/example.html",
        ),
        zj_review,
        _at(decided_on, 16),
        await load_calendar(),
        ReportRule.of(active()),
    )

    # Waste sorting rules: decided three working days ago, answers still being written: its report waits.
    waste_start = today - timedelta(days=60)
    waste_draft = await create_draft(
        waste,
        "征求意见稿",
        "平阴县城市生活垃圾分类管理办法",
        data.WASTE_DRAFT,
        "",
        zj_staff,
        _at(waste_start - timedelta(days=2)),
    )
    waste_consultation = await create_consultation(
        waste_draft,
        waste_start,
        waste_start + timedelta(days=30),
        "",
        zj_staff,
        waste_start,
        _at(waste_start, 8),
        active(),
    )
    await publish_consultation(waste_consultation, zj_review, waste_start, _at(waste_start, 9))
    await _comments(
        waste_consultation,
        data.WASTE_TEXTS,
        waste_start,
        waste_start + timedelta(days=30),
        zj_staff,
        zj_review,
        answer_all=False,
    )
    await before.legality_review(
        waste, today - timedelta(days=25), today - timedelta(days=12), zj_staff, zj_review, False
    )
    calendar = await load_calendar()
    issued = today - timedelta(days=1)
    while working_days_between(calendar, issued, today)[0] < 3:
        issued -= timedelta(days=1)
    await record_result(
        waste,
        ResultInput(
            document_number=f"平住建发〔{issued.year}〕8号",
            issued_on=issued,
            text="正式印发文本",
            issuing_level=IssuingLevel.DEPARTMENT,
        ),
        zj_review,
        _at(issued, 16),
        calendar,
        ReportRule.of(active()),
    )

    step("interpretations, execution updates and an adjustment")
    await _after_issue(renovation, decided_on, waste, issued, today, office, zj_staff, zj_review)

    step("the open parking consultation and its comments")
    # Open consultation on the parking rules (交通局), comments in every state.
    open_start = today - timedelta(days=12)
    parking_draft = await create_draft(
        parking,
        "征求意见稿",
        "平阴县城区机动车停车管理办法",
        data.PARKING_DRAFT,
        data.PARKING_EXPLANATION,
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
        active(),
    )
    await publish_consultation(opened, jt_review, open_start, _at(open_start, 9))
    articles = {a.seq: a for a in await Article.filter(draft_id=parking_draft.id)}
    texts = [(articles[seq].id if seq else None, body) for seq, body in data.COMMENT_TEXTS]
    await _parking_comments(opened, texts, open_start, today, jt_staff, jt_review)
    # A campaign still arriving: grouped automatically, not yet answered.
    await _campaign(opened, data.PARKING_CAMPAIGN, 11, open_start, jt_staff)
    step("the parking rules' expert review, risk assessment and hearing")
    await before.parking(parking, opened, open_start, today, jt_staff, jt_review)
    step("questionnaires and policy evaluations")
    _, estates = await surveys.load((jt_staff, jt_review), (zj_staff, zj_review), opened, today)
    await evaluations.load(renovation, estates, (zj_staff, zj_review), (jt_staff, jt_review), office, today)

    step("standing meetings")
    await _meetings(office, renovation, waste, parking, zj_staff, zj_review, today)

    # A draft whose consultation is prepared but not yet approved (自然资源局), and one closed early.
    comp_draft = await create_draft(
        compensation,
        "征求意见稿",
        "平阴县国有土地上房屋征收与补偿实施办法",
        data.COMPENSATION_DRAFT,
        "",
        office,
        _at(today),
    )
    await create_consultation(
        comp_draft, today + timedelta(days=7), today + timedelta(days=40), "", office, today, _at(today), active()
    )
    step("a normative document open for 7 working days")
    await documents.normative_document(zj_staff.department_id, zj_staff, zj_review, today)
    await work_until_empty(clock.now)  # the search entries of what was published
    return accounts


async def _people(accounts: list[tuple[str, str, str]]) -> tuple[dict[str, User], dict[str, Department]]:
    """The accounts of data.ACCOUNTS with fresh passwords (noted in `accounts`), and the departments."""
    users: dict[str, User] = {}
    departments: dict[str, Department] = {}
    for username, name, role, department in data.ACCOUNTS:
        if department is not None and department not in departments:
            departments[department] = await create_department(data.DEPARTMENTS[department], users["office"])
        password = _password()
        dept = departments[department] if department else None
        users[username] = await create_user(username, password, Role(role), name, dept, actor=None)
        accounts.append((username, password, role))
    for key, name in data.DEPARTMENTS.items():
        if key not in departments:
            departments[key] = await create_department(name, users["office"])
    return users, departments


async def _catalog(year: int, office: User, departments: dict[str, Department]) -> dict[str, Decision]:
    """The year's catalog of data.DECISIONS: published on 8 January, then adjusted in public."""
    jan = date(year, 1, 8)
    catalog = await create_catalog(year, "", data.CATALOG_INTRODUCTION, office)
    decisions: dict[str, Decision] = {}
    for entry in data.DECISIONS:
        if entry.added_later and catalog.published_at is None:
            await publish_catalog(catalog, office, _at(jan, 9))
        fields = DecisionInput(
            title=entry.title,
            department_id=departments[entry.department].id,
            planned_completion=date(year, *entry.planned),
            needs_hearing=entry.needs_hearing,
            legal_basis=entry.legal_basis,
            background=entry.background,
            participation_methods=entry.participation_methods,
        )
        when, reason = (date(year, *entry.added_later[:2]), entry.added_later[2]) if entry.added_later else (jan, "")
        decisions[entry.key] = await add_decision(catalog, fields, office, _at(when), reason=reason)
    for key, month, day, reason in data.REMOVALS:
        await remove_decision(decisions[key], office, _at(date(year, month, day)), reason=reason)
    return decisions


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
        await before.collective_discussion(decision, meeting, outcome, staff, reviewer)
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


async def _campaign(consultation: Consultation, text: str, copies: int, start: date, staff: User) -> CommentGroup:
    """Copies of one text with the edits people make; each is grouped as it arrives."""
    comment = None
    for i in range(copies):
        day = start + timedelta(days=1 + i % 10)
        body = (
            data.GREETINGS[i % len(data.GREETINGS)]
            + text.replace("应当", "应该" if i % 3 else "应当")
            + data.CLOSINGS[i % len(data.CLOSINGS)]
        )
        comment, _ = await _submit(
            consultation,
            CommentInput(
                body=body, category="citizen", name=data.NAMES[(i + 5) % len(data.NAMES)], phone=f"1370000{i:04d}"
            ),
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
        comment, _ = await _submit(
            consultation,
            CommentInput(
                body=body,
                category=data.CATEGORIES[i % len(data.CATEGORIES)],
                name=data.NAMES[i % len(data.NAMES)],
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
        comment, _ = await _submit(
            consultation,
            CommentInput(
                body=body,
                category=data.CATEGORIES[i % len(data.CATEGORIES)],
                name=data.NAMES[i % len(data.NAMES)],
                phone=f"1385312{i:04d}" if i % 3 else "",
                email=f"resident{i}@example.cn" if i % 3 == 0 else "",
                display_mode="anonymous" if i % 5 == 4 else "masked",
                article_id=article_id,
            ),
            _at(day, 8 + i % 10),
            day,
        )
        comments.append(comment)
    letter, _ = await _submit(
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
    abusive, _ = await _submit(
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
    private, _ = await _submit(
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


async def _after_issue(
    renovation: Decision,
    renovation_issued: date,
    waste: Decision,
    waste_issued: date,
    today: date,
    office: User,
    staff: User,
    reviewer: User,
) -> None:
    """The renovation plan (issued in the office's name) interpreted in five forms on its issue day, one
    execution update, and an adjustment of its second year; the waste rules (a department's document)
    in two forms."""
    for decision, issued, items in (
        (renovation, renovation_issued, data.RENOVATION_INTERPRETATIONS),
        (waste, waste_issued, data.WASTE_INTERPRETATIONS),
    ):
        for form, title, interpreter, body, link in items:
            item = await add_interpretation(
                decision, InterpretationInput(form, title, interpreter, issued, body, link), staff, _at(issued, 15)
            )
            await review_interpretation(item, True, "", reviewer, _at(issued, 17))
    # Two comments whose answers changed the issued text, linked to the articles they changed.
    for start, article in (("居民出资比例", "第五条"), ("改造方案应当公示", "第七条")):
        comment = await Comment.get(consultation__decision_id=renovation.id, body__startswith=start)
        await link_comments(renovation, article, [comment.id], staff, _at(renovation_issued, 16))
    reported = min(renovation_issued + timedelta(days=20), today)
    update = await add_execution_update(renovation, reported, data.RENOVATION_EXECUTION, staff, _at(reported, 10))
    await publish_execution_update(update, reviewer, _at(reported, 11))
    adjusted = min(renovation_issued + timedelta(days=25), today)
    await record_status_change(
        renovation,
        StatusChangeInput(
            "adjusted",
            adjusted,
            "省级补助资金下达后，2027年度改造计划由30个小区调整为36个小区，其余内容不变。",
            f"平政办发〔{adjusted.year}〕15号",
        ),
        office,
        _at(adjusted, 10),
    )
