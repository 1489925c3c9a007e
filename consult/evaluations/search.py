"""Policy evaluations in the search index: findable once public, their report's words once published."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.clock import local_date
from consult.evaluations.models import REPORT_PARTS, Evaluation
from consult.evaluations.visibility import public_evaluations
from consult.search.index import Document, put_document


def evaluation_document(evaluation: Evaluation) -> Document:
    assert evaluation.published_at is not None
    report = [getattr(evaluation, part) for part in REPORT_PARTS] if evaluation.report_published_at else []
    return Document(
        kind="evaluation",
        ref_id=evaluation.id,
        url=f"/evaluations/{evaluation.id}",
        title=evaluation.policy_title,
        body=" ".join([evaluation.scope, evaluation.evaluator, *report]),
        department_id=evaluation.department_id,
        year=evaluation.starts_on.year,
        published_on=local_date(evaluation.published_at),
    )


async def index_evaluation(evaluation: Evaluation) -> None:
    if evaluation.published_at is not None:
        await put_document(evaluation_document(evaluation))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    if catalog_id is not None:  # evaluations belong to no catalog: indexed when published
        return
    for evaluation in await public_evaluations():
        yield evaluation_document(evaluation)
