"""The demo's procedure before its decisions: legality reviews before the issued ones, collective
discussions at the meetings that decided them, and the parking rules' expert review, risk assessment,
legality review and held hearing with its answered opinions and report."""

from __future__ import annotations

from datetime import date, timedelta

from consult.answers.services import answer_comment
from consult.comments.models import Comment
from consult.decisions.models import Decision
from consult.deliberation import hearings
from consult.deliberation.hearings import HearingInput
from consult.deliberation.models import ProcedureStep, StepKind
from consult.deliberation.steps import StepInput, publish_step, record_step
from consult.drafts.models import Article, Consultation
from consult.participation.calls import ApplicationInput
from consult.review.models import AnswerStatus
from consult.review.services import review
from consult.settings import active
from consult.workdays.services import load_calendar

from .moments import at

# Given whenever a demo review turns out shorter than the minimum on the calendar of the day it runs.
SHORT_REVIEW = "县政府常务会议议程已确定，县司法局提前介入、压茬审查。"


async def step(
    decision: Decision,
    kind: StepKind,
    unit: str,
    started: date,
    finished: date,
    outcome: str,
    staff,
    reviewer,
    *,
    public: bool = True,
    **extra: object,
) -> ProcedureStep:
    data = StepInput(
        kind=kind.value,
        unit=unit,
        started_on=started,
        finished_on=finished,
        outcome=outcome,
        short_period_reason=SHORT_REVIEW,
        public=public,
        **extra,  # type: ignore[arg-type]
    )
    recorded = await record_step(decision, data, staff, at(finished, 17), await load_calendar(), active())
    if public:
        await publish_step(recorded, reviewer, at(finished + timedelta(days=1), 9))
    return recorded


async def legality_review(decision: Decision, sent: date, returned: date, staff, reviewer, public: bool) -> None:
    await step(
        decision,
        StepKind.LEGALITY_REVIEW,
        "平阴县司法局",
        sent,
        returned,
        "经审查，草案制定主体合法、程序规范，内容与上位法不相抵触，建议提交县政府常务会议审议。",
        staff,
        reviewer,
        public=public,
    )


async def collective_discussion(decision: Decision, meeting, outcome: str, staff, reviewer) -> None:
    await step(
        decision,
        StepKind.COLLECTIVE_DISCUSSION,
        "平阴县人民政府",
        meeting.held_on,
        meeting.held_on,
        outcome,
        staff,
        reviewer,
        meeting_id=meeting.id,
    )


# (speaker, interest group, article number or None, what they said)
OPINIONS = [
    ("王建华", "g1", 10, "建议城区核心区首小时收费不超过3元，并对夜间停车实行优惠，避免给居民增加过重负担。"),
    ("刘芳", "g2", 12, "沿街商户普遍担心收费后客流下降，建议设置十五分钟以内免费的临时停车泊位。"),
    ("陈国强", "g3", None, "建议收费收入单独核算并向社会公开，专项用于停车设施建设和管理。"),
]


async def parking(decision: Decision, consultation: Consultation, opened: date, today: date, staff, reviewer) -> None:
    """Expert review and risk assessment (public), the legality review (internal), and a hearing held two
    days ago within the consultation: notice on the first day, a public draw for car owners' seats, the
    list published before it, three opinions answered and reviewed, the record and the report public."""
    await step(
        decision,
        StepKind.EXPERT_REVIEW,
        "平阴县交通运输局",
        opened - timedelta(days=20),
        opened - timedelta(days=18),
        "邀请交通规划、法律、价格领域5名专家论证。专家认为：差异化收费有利于提高泊位周转率；建议首次免费时长"
        "不少于15分钟，并明确收费收入用途。论证意见已吸收进征求意见稿第十二条、第十五条。",
        staff,
        reviewer,
    )
    await step(
        decision,
        StepKind.RISK_ASSESSMENT,
        "中共平阴县委政法委员会",
        opened - timedelta(days=16),
        opened - timedelta(days=6),
        "通过问卷、走访商户和社区座谈评估社会稳定风险。主要风险为收费标准调整引发部分车主和沿街商户不满；"
        "已制定分步实施、夜间优惠和舆情回应预案，风险等级为中，可控。",
        staff,
        reviewer,
        risk_level="medium",
    )
    held_on = today - timedelta(days=2)
    hearing = await hearings.create_hearing(
        decision,
        HearingInput(
            consultation_id=consultation.id,
            matter="《平阴县城区机动车停车管理办法（征求意见稿）》中停车收费标准、免费时长和收费收入用途。",
            organiser="平阴县交通运输局",
            place="平阴县政府第三会议室（榆山街道青龙路1号）",
            held_at=at(held_on, 9, 30),
            notice_on=opened,
            applications_close_on=held_on - timedelta(days=6),
            materials_on=held_on - timedelta(days=5),
            groups=[("机动车车主", 3), ("沿街商户", 2), ("城区居民", 2)],
            observer_seats=10,
            how_to_apply="也可携带身份证到县交通运输局政策法规股（0531-8788xxxx）现场报名。",
        ),
        staff,
        at(opened, 10),
        active(),
    )
    await hearings.publish_notice(hearing, reviewer, at(opened, 11), active())
    applicants = [
        ("王建华", "g1"), ("李明", "g1"), ("张伟", "g1"), ("赵磊", "g1"), ("孙强", "g1"),
        ("刘芳", "g2"), ("周敏", "g2"), ("陈国强", "g3"), ("杨丽", "observer"), ("黄涛", "observer"),
    ]  # fmt: skip
    people = {}
    for i, (name, group) in enumerate(applicants):
        day = opened + timedelta(days=1 + i % 3)
        people[name] = await hearings.apply_to_hearing(
            hearing,
            ApplicationInput(
                name=name,
                category=group,
                statement="希望就停车收费标准发表意见。" if group != "observer" else "希望旁听了解听证过程。",
                phone=f"1396666{i:04d}",
                adult=True,
                local=True,
                not_civil_servant=group != "observer",
            ),
            day,
            at(day, 9 + i % 8),
        )
    drawn = held_on - timedelta(days=5)
    await hearings.draw_lottery(hearing, "g1", staff, drawn, at(drawn, 10), seed="pingyin-parking-hearing")
    await hearings.draw_lottery(hearing, "observer", staff, drawn, at(drawn, 10), seed="pingyin-parking-observers")
    for name in ("刘芳", "周敏"):
        await hearings.select_participant(people[name], True, "沿街商户报名人数未超过名额，全部确定为代表。", staff)
    await hearings.select_participant(people["陈国强"], True, "城区居民唯一报名人，确定为代表。", staff)
    await hearings.invite(hearing, "马秀兰", "g3", "榆山街道青龙社区居民委员会", staff, at(drawn, 11))
    await hearings.publish_participants(hearing, staff, at(drawn, 15))
    seated = await hearings.HearingParticipant.filter(hearing_id=hearing.id, status__in=["selected", "invited"])
    for participant in seated:
        await hearings.record_attendance(participant, True, staff, held_on)
    # The car owners who speak are the ones the draw seated (the draw depends on application numbers).
    owner = next(p.name for p in seated if p.category == "g1")
    opinions = [(owner if group == "g1" else name, seq, body) for (name, group, seq, body) in OPINIONS]
    articles = {a.seq: a.id for a in await Article.filter(draft_id=consultation.draft_id)}
    by_name = {p.name: p for p in seated}
    answers = [
        (AnswerStatus.PARTLY_ADOPTED, "首小时收费标准按3元执行；夜间优惠由各停车场经营者自行确定，不作统一规定。"),
        (AnswerStatus.ADOPTED, ""),
        (AnswerStatus.NOT_ADOPTED, "收费收入依法纳入财政预算管理，办法第二十条已明确每年公开使用情况，不再另行规定。"),
    ]
    for (name, seq, body), (status, reason) in zip(opinions, answers, strict=True):
        opinion = await hearings.record_opinion(
            by_name[name], body, articles.get(seq) if seq else None, staff, at(held_on, 12)
        )
        answer = await answer_comment(
            await Comment.get(id=opinion.comment_id), status, reason, staff, at(held_on + timedelta(days=1), 9)
        )
        await review(answer, True, "", reviewer, at(held_on + timedelta(days=1), 10))
    await hearings.save_record(
        hearing,
        "时间：" + held_on.isoformat() + " 9:30—11:40。听证主持人：县交通运输局副局长。听证代表7人出席，"
        "旁听人员2人。起草单位说明草案主要内容和收费标准测算依据后，代表逐一发言（发言要点见报告）。",
        "本次听证会代表共提出意见3条：采纳1条，部分采纳1条，未采纳1条，未采纳的说明了理由。主要意见集中在"
        "首小时收费标准、临时停车免费时长和收费收入公开三个方面。起草单位将据此修改草案第十条、第十二条，"
        "修改稿将随决策草案一并提交县政府常务会议审议。",
        staff,
        at(held_on + timedelta(days=1), 11),
    )
    await hearings.publish_report(hearing, reviewer, at(held_on + timedelta(days=1), 15))
    await legality_review(decision, today - timedelta(days=9), today - timedelta(days=1), staff, reviewer, False)
