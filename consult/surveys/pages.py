"""What the questionnaire pages show, and the CSV of every response (no private data)."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import Response, StreamingResponse

from consult.accounts.models import Department, User
from consult.accounts.permissions import can_review, is_admin
from consult.comments.models import ModerationState
from consult.drafts.models import Consultation
from consult.memo import Memo
from consult.surveys.charts import question_chart
from consult.surveys.models import QuestionKind, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from consult.surveys.queries import survey_results, texts_to_moderate
from consult.surveys.services import OTHER, SurveyState, survey_state
from consult.surveys.visibility import public_surveys


async def survey_list(today: date) -> dict[str, Any]:
    surveys = await public_surveys().prefetch_related("department")
    states = {s.id: survey_state(s, today) for s in surveys}
    return {
        "open": [s for s in surveys if states[s.id] in (SurveyState.OPEN, SurveyState.UPCOMING)],
        "closed": [s for s in surveys if states[s.id] is SurveyState.CLOSED],
        "states": states,
    }


async def public_survey(survey: Survey, today: date) -> dict[str, Any]:
    state = survey_state(survey, today)
    questions = await SurveyQuestion.filter(survey_id=survey.id).prefetch_related("choices")
    return {
        "survey": survey,
        "department": await Department.get(id=survey.department_id),
        "consultation": await Consultation.get_or_none(id=survey.consultation_id).prefetch_related("draft")
        if survey.consultation_id
        else None,
        "state": state,
        "questions": questions,
        "other": OTHER,
        "results": await survey_results(survey) if state is SurveyState.CLOSED else None,
        "picked": {},
    }


CSV_HEADER = ["答卷编号", "提交时间", "题号", "题目", "回答"]


async def _csv_rows(survey: Survey, chunk: int = 5000) -> AsyncIterator[bytes]:
    """One row per answer, in response order: choices by their label, scale values, and text only once
    it is published (withheld or unread text shows as such). No contact, no receipt code."""
    questions = {q.id: q for q in await SurveyQuestion.filter(survey_id=survey.id).prefetch_related("choices")}
    labels = {c.id: c.label for q in questions.values() for c in q.choices}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield ("\ufeff" + buffer.getvalue()).encode()
    last_id = 0
    while True:
        responses = await SurveyResponse.filter(survey_id=survey.id, id__gt=last_id).order_by("id").limit(chunk)
        if not responses:
            return
        by_response: dict[int, list[SurveyAnswer]] = {}
        for a in await SurveyAnswer.filter(response_id__in=[r.id for r in responses]).order_by("id"):
            by_response.setdefault(a.response_id, []).append(a)
        buffer.seek(0)
        buffer.truncate()
        for response in responses:
            for a in by_response.get(response.id, []):
                q = questions[a.question_id]
                writer.writerow([response.id, response.submitted_at.isoformat(), q.seq, q.text, _value(a, labels)])
        yield buffer.getvalue().encode()
        last_id = responses[-1].id


def _value(answer: SurveyAnswer, labels: dict[int, str]) -> str:
    if answer.choice_id is not None:
        return labels.get(answer.choice_id, "")
    if answer.scale is not None:
        return str(answer.scale)
    shown = answer.text if answer.text_state is ModerationState.PUBLISHED else "（未公开）"
    return f"其他：{shown}" if answer.other else shown


# (survey id, question id, language) -> SVG: a closed questionnaire takes no more responses.
_charts: Memo[tuple[int, int, str], str] = Memo(seconds=3600, size=256)


async def question_chart_svg(survey: Survey, question_id: int, lang: str, today: date) -> str:
    if survey_state(survey, today) is not SurveyState.CLOSED:
        raise HTTPException(404)

    async def draw() -> str:
        results = await survey_results(survey, texts=False)
        found = next((r for r in results.questions if r.question.id == question_id), None)
        if found is None or not (found.choices or found.distribution):
            raise HTTPException(404)
        return await asyncio.to_thread(question_chart, found, lang)

    return await _charts.get_or_load((survey.id, question_id, lang), draw)


async def results_csv(survey: Survey, today: date) -> Response:
    """Public once the questionnaire has closed, like its results."""
    if survey_state(survey, today) is not SurveyState.CLOSED:
        raise HTTPException(404)
    return StreamingResponse(
        _csv_rows(survey),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="survey-{survey.id}-responses.csv"'},
    )


async def surveys_to_manage(user: User) -> dict[str, Any]:
    surveys = Survey.all() if is_admin(user) else Survey.filter(department_id=user.department_id)
    consultations = (
        Consultation.all() if is_admin(user) else Consultation.filter(decision__department_id=user.department_id)
    )
    departments = await Department.all()
    return {
        "surveys": await surveys.prefetch_related("department"),
        "consultations": await consultations.prefetch_related("draft").order_by("-id").limit(50),
        "departments": departments if is_admin(user) else [d for d in departments if d.id == user.department_id],
        "is_admin": is_admin(user),
    }


async def survey_to_manage(survey: Survey, today: date) -> dict[str, Any]:
    return {
        **(await public_survey(survey, today)),
        "kinds": list(QuestionKind),
        "responses": await SurveyResponse.filter(survey_id=survey.id).count(),
        "to_moderate": await texts_to_moderate(survey),
        "results": await survey_results(survey),
        "consultations": await Consultation.filter(decision__department_id=survey.department_id).prefetch_related(
            "draft"
        ),
    }


def reviewer_may_act(user: User, survey: Survey) -> bool:
    return can_review(user, survey.department_id) and survey.submitted_by_id != user.id
