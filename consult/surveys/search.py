"""Questionnaires in the search index: findable once approved, by their title, introduction and questions."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.clock import local_date
from consult.search.index import Document, put_document
from consult.surveys.models import Survey, SurveyQuestion
from consult.surveys.visibility import public_surveys


async def survey_document(survey: Survey) -> Document:
    assert survey.published_at is not None
    questions = await SurveyQuestion.filter(survey_id=survey.id).values_list("text", flat=True)
    return Document(
        kind="survey",
        ref_id=survey.id,
        url=f"/surveys/{survey.id}",
        title=survey.title,
        body=" ".join([survey.introduction, *questions]),
        department_id=survey.department_id,
        year=survey.opens_on.year,
        published_on=local_date(survey.published_at),
    )


async def index_survey(survey: Survey) -> None:
    if survey.published_at is not None:
        await put_document(await survey_document(survey))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    if catalog_id is not None:  # questionnaires belong to no catalog: indexed when approved
        return
    for survey in await public_surveys():
        yield await survey_document(survey)
