"""The demo's questionnaires: one beside the open parking draft, answered as it runs, and one on the
renovated estates that has closed, its free text read and its results public."""

from __future__ import annotations

import random
from datetime import date, timedelta

from consult.accounts.models import User
from consult.comments.models import ModerationState
from consult.drafts.models import Consultation
from consult.surveys.models import Survey, SurveyAnswer, SurveyQuestion
from consult.surveys.services import (
    OTHER,
    QuestionInput,
    RawAnswer,
    SurveyInput,
    add_question,
    create_survey,
    moderate_text,
    respond,
    review_survey,
    submit_for_review,
)

from .moments import at

PARKING = [
    QuestionInput("scale", "您对目前城区停车的总体满意度"),
    QuestionInput("single", "您通常在哪里停车", choices=["路内泊位", "公共停车场", "小区内部", "单位内部"], allow_other=True),
    QuestionInput(
        "multiple", "您最希望优先改进的方面（最多选2项）", choices=["增加泊位", "降低收费", "加强秩序管理", "建设充电设施"],
        max_choices=2,
    ),
    QuestionInput("long_text", "对停车管理办法的其他意见", required=False),
]  # fmt: skip
RENOVATION = [
    QuestionInput("scale", "您对小区改造后的总体满意度"),
    QuestionInput("multiple", "改造中您最满意的内容", choices=["管网更新", "加装电梯", "绿化提升", "停车设施", "适老化改造"]),
    QuestionInput("short_text", "您所在的小区", required=False),
    QuestionInput("long_text", "还需要改进的地方", required=False),
]  # fmt: skip
TEXTS = ["希望夜间能在路边临时停车。", "充电桩太少，排队时间长。", "小区车位被外来车辆占用。", ""]


async def build(
    department_id: int,
    title: str,
    opens: date,
    closes: date,
    questions: list[QuestionInput],
    staff: User,
    reviewer: User,
    **extra: int,
) -> Survey:
    survey = await create_survey(
        department_id, SurveyInput(title, opens, closes, "本问卷约需3分钟，结果将在问卷结束后公开。", **extra), staff, at(opens, 8)
    )  # fmt: skip
    for data in questions:
        await add_question(survey, data, staff)
    await submit_for_review(survey, staff, at(opens, 8))
    await review_survey(survey, True, "", reviewer, at(opens, 9))
    return survey


async def _answers(survey: Survey, days: list[date], rng: random.Random, prefix: str) -> None:
    questions = await SurveyQuestion.filter(survey_id=survey.id).prefetch_related("choices")
    for i, day in enumerate(days):
        raw = {}
        for q in questions:
            ids = [str(c.id) for c in q.choices]
            if q.kind == "scale":
                raw[q.id] = RawAnswer(scale=str(rng.choice([2, 3, 3, 4, 4, 4, 5])))
            elif q.kind == "single":
                pick = rng.choice([*ids, OTHER]) if rng.random() < 0.9 else OTHER
                raw[q.id] = RawAnswer(choices=[pick], other_text="路边空地" if pick == OTHER else "")
            elif q.kind == "multiple":
                raw[q.id] = RawAnswer(choices=rng.sample(ids, rng.randint(1, q.max_choices or 2)))
            else:
                raw[q.id] = RawAnswer(text=TEXTS[i % len(TEXTS)] if q.kind == "long_text" else "锦东小区")
        await respond(survey, raw, "", f"{prefix}{i}@example.cn", day, at(day, 8 + i % 12))


Staff = tuple[User, User]  # the department's staff member and its reviewer


async def load(transport: Staff, housing: Staff, parking: Consultation, today: date) -> tuple[Survey, Survey]:
    """The questionnaire beside the parking draft and the closed one on the renovated estates."""
    rng = random.Random(2026)
    staff, reviewer = transport
    survey = await build(
        staff.department_id, "城区停车状况问卷调查", parking.starts_on, parking.ends_on, PARKING, staff, reviewer,
        consultation_id=parking.id,
    )  # fmt: skip
    days = [parking.starts_on + timedelta(days=i % max(1, (today - parking.starts_on).days + 1)) for i in range(36)]
    await _answers(survey, days, rng, "parking")
    staff, reviewer = housing
    opens, closes = today - timedelta(days=40), today - timedelta(days=26)
    closed = await build(staff.department_id, "老旧小区改造居民满意度调查", opens, closes, RENOVATION, staff, reviewer)
    await _answers(closed, [opens + timedelta(days=i % 14) for i in range(48)], rng, "estate")
    # Its free text read: most published with the results, one withheld (it named a neighbour).
    texts = await SurveyAnswer.filter(question__survey_id=closed.id, text_state=ModerationState.PENDING).order_by("id")
    for i, answer in enumerate(texts):
        await moderate_text(answer, i != 3, staff)
    return survey, closed
