"""A questionnaire's results over 100,000 responses: the target is under 2 s to aggregate.

    .venv/bin/python bench/survey.py [--responses 100000]

The questionnaire has the shape of a real one: a 1–5 scale, a single choice of five with "其他", a
multiple choice of six (up to three), a short and a long text. Responses are seeded in bulk (seeding
is not what is measured), then `survey_results` runs three times; the best and the worst are printed
with the count it must agree with.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import database_url  # noqa: E402
from consult import clock  # noqa: E402
from consult.db import apply_migrations, connect, disconnect  # noqa: E402


async def seed(n: int) -> int:
    from tortoise.transactions import in_transaction

    from consult.accounts.models import Department
    from consult.comments.models import ModerationState
    from consult.surveys.models import QuestionKind, Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse

    now, today = clock.now(), clock.today()
    department = await Department.create(name="县交通运输局")
    survey = await Survey.create(
        department=department, title="城区停车满意度调查", opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=1), created_at=now, published_at=now,
    )  # fmt: skip
    kinds = [
        (QuestionKind.SCALE, []),
        (QuestionKind.SINGLE, ["收费", "车位", "秩序", "充电", "安全"]),
        (QuestionKind.MULTIPLE, ["收费", "车位", "秩序", "充电", "安全", "信息"]),
        (QuestionKind.SHORT_TEXT, []),
        (QuestionKind.LONG_TEXT, []),
    ]
    questions = []
    for seq, (kind, labels) in enumerate(kinds, start=1):
        q = await SurveyQuestion.create(
            survey=survey,
            seq=seq,
            kind=kind,
            text=f"第{seq}题",
            allow_other=kind is QuestionKind.SINGLE,
            max_choices=3 if kind is QuestionKind.MULTIPLE else None,
            required=kind in (QuestionKind.SCALE, QuestionKind.SINGLE),
        )
        choices = [await SurveyChoice.create(question=q, seq=i, label=label) for i, label in enumerate(labels, start=1)]
        questions.append((q, [c.id for c in choices]))
    rng = random.Random(1)
    chunk = 5000
    for start in range(0, n, chunk):
        async with in_transaction("default"):
            responses = [
                SurveyResponse(survey=survey, receipt_code=f"B{start + i:019d}"[:20], phone_key=f"p{start + i}",
                               submitted_at=now)
                for i in range(min(chunk, n - start))
            ]  # fmt: skip
            await SurveyResponse.bulk_create(responses)
            ids = (
                await SurveyResponse.filter(survey_id=survey.id)
                .order_by("-id")
                .limit(len(responses))
                .values_list("id", flat=True)
            )
            rows = []
            for rid in ids:
                (scale, _), (single, single_ids), (multiple, multiple_ids), _, (long, _) = questions
                rows.append(SurveyAnswer(response_id=rid, question_id=scale.id, scale=rng.randint(1, 5)))
                if rng.random() < 0.1:
                    rows.append(SurveyAnswer(response_id=rid, question_id=single.id, other=True, text="其他情况",
                                             text_state=ModerationState.PUBLISHED))  # fmt: skip
                else:
                    rows.append(SurveyAnswer(response_id=rid, question_id=single.id, choice_id=rng.choice(single_ids)))
                for c in rng.sample(multiple_ids, rng.randint(1, 3)):
                    rows.append(SurveyAnswer(response_id=rid, question_id=multiple.id, choice_id=c))
                if rng.random() < 0.2:
                    rows.append(SurveyAnswer(response_id=rid, question_id=long.id, text="建议增加夜间停车泊位。",
                                             text_state=ModerationState.PENDING))  # fmt: skip
            await SurveyAnswer.bulk_create(rows, batch_size=2000)
    return survey.id


async def main(n: int) -> None:
    from consult.surveys.models import Survey, SurveyAnswer
    from consult.surveys.queries import survey_results

    url = database_url("survey")
    await apply_migrations(url)
    await connect(url)
    try:
        started = time.perf_counter()
        survey_id = await seed(n)
        print(f"seeded {n} responses in {time.perf_counter() - started:.1f} s")
        survey = await Survey.get(id=survey_id)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            results = await survey_results(survey)
            timings.append(time.perf_counter() - started)
        scale = results.questions[0]
        direct = await SurveyAnswer.filter(question_id=scale.question.id).count()
        assert results.responses == n and sum(c for _, c in scale.distribution) == direct
        print(f"results of {results.responses} responses: best {min(timings):.3f} s, worst {max(timings):.3f} s "
              f"(target < 2 s); scale mean {scale.mean:.3f}, counts agree with a direct count")  # fmt: skip
    finally:
        await disconnect()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().responses))
