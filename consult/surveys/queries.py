"""Results of a questionnaire, counted in SQL (100,000 responses in well under 2 s: bench/survey.py),
and what its public and staff pages show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.functions import Count

from consult.comments.models import ModerationState
from consult.surveys.models import (
    CHOICE_KINDS,
    SCALE,
    TEXT_KINDS,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    # Respondents who answered the question (the base of every share).
    answered: int = 0
    # (label, count, share of those who answered), in the choices' order; "其他" last when allowed.
    choices: list[tuple[str, int, float]] = field(default_factory=list)
    # Scale: count per value 1–5 and the mean.
    distribution: list[tuple[int, int]] = field(default_factory=list)
    mean: float | None = None
    # Published free text (and "其他" text).
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    responses: int
    questions: list[QuestionResult]


async def survey_results(survey: Survey, *, texts: bool = True, other_label: str = "其他") -> Results:
    """Counts per choice, scale distributions and means, and published text: a handful of GROUP BY
    queries over the answers, whatever the number of responses."""
    questions = await SurveyQuestion.filter(survey_id=survey.id).prefetch_related("choices")
    ids = [q.id for q in questions]
    answers = SurveyAnswer.filter(question_id__in=ids)
    respondents = dict(
        await answers.annotate(n=Count("response_id", distinct=True))
        .group_by("question_id")
        .values_list("question_id", "n")
    )
    per_choice = {
        (q, c): n
        for q, c, n in await answers.filter(choice_id__isnull=False)
        .annotate(n=Count("id"))
        .group_by("question_id", "choice_id")
        .values_list("question_id", "choice_id", "n")
    }
    others = dict(
        await answers.filter(other=True).annotate(n=Count("id")).group_by("question_id").values_list("question_id", "n")
    )
    per_scale = {
        (q, v): n
        for q, v, n in await answers.filter(scale__isnull=False)
        .annotate(n=Count("id"))
        .group_by("question_id", "scale")
        .values_list("question_id", "scale", "n")
    }
    published: dict[int, list[str]] = {}
    if texts:
        for q, text in (
            await answers.filter(text_state=ModerationState.PUBLISHED).order_by("id").values_list("question_id", "text")
        ):
            published.setdefault(q, []).append(text)
    results = []
    for q in questions:
        base = respondents.get(q.id, 0)
        result = QuestionResult(q, answered=base, texts=published.get(q.id, []))
        if q.kind in CHOICE_KINDS:
            counts = [(c.label, per_choice.get((q.id, c.id), 0)) for c in q.choices]
            if q.allow_other:
                counts.append((other_label, others.get(q.id, 0)))
            result.choices = [(label, n, n / base if base else 0.0) for label, n in counts]
        elif q.kind is QuestionKind.SCALE:
            result.distribution = [(v, per_scale.get((q.id, v), 0)) for v in SCALE]
            total = sum(n for _, n in result.distribution)
            result.mean = sum(v * n for v, n in result.distribution) / total if total else None
        results.append(result)
    return Results(survey, await SurveyResponse.filter(survey_id=survey.id).count(), results)


async def texts_to_moderate(survey: Survey) -> list[SurveyAnswer]:
    return (
        await SurveyAnswer.filter(question__survey_id=survey.id, text_state=ModerationState.PENDING)
        .order_by("id")
        .limit(200)
        .prefetch_related("question")
    )


def question_kinds() -> list[QuestionKind]:
    return list(QuestionKind)


def is_text(question: SurveyQuestion) -> bool:
    return question.kind in TEXT_KINDS


async def survey_to_manage(survey: Survey) -> dict[str, Any]:
    return {
        "survey": survey,
        "questions": await SurveyQuestion.filter(survey_id=survey.id).prefetch_related("choices"),
        "kinds": question_kinds(),
        "responses": await SurveyResponse.filter(survey_id=survey.id).count(),
        "to_moderate": await texts_to_moderate(survey),
        "results": await survey_results(survey),
    }
