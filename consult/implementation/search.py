"""Published interpretations (pages of their own, found first like a topic page) and execution updates
(found by their words) in the search index."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.decisions.models import Decision
from consult.decisions.visibility import public_decisions
from consult.implementation.models import ExecutionUpdate, Interpretation
from consult.search.index import Document, put_document


def interpretation_document(item: Interpretation, decision: Decision) -> Document:
    return Document(
        kind="interpretation",
        ref_id=item.id,
        url=f"/decisions/{decision.id}/interpretations/{item.id}",
        title=item.title,
        body=f"{item.interpreter} {item.body}",
        department_id=decision.department_id,
        year=item.published_on.year,
        published_on=item.published_on,
    )


def execution_document(update: ExecutionUpdate, decision: Decision) -> Document:
    """An execution update is found by its own words, under its decision's title."""
    return Document(
        kind="execution_update",
        ref_id=update.id,
        url=f"/decisions/{decision.id}#update-{update.id}",
        title=decision.title,
        body=update.body,
        department_id=decision.department_id,
        year=update.reported_on.year,
        published_on=update.reported_on,
    )


async def index_execution_update(update: ExecutionUpdate) -> None:
    decision = await public_decisions().get_or_none(id=update.decision_id)
    if decision is not None:
        await put_document(execution_document(update, decision))


async def index_interpretation(item: Interpretation) -> None:
    """On approval: findable once its decision's catalog is public (always, for an issued decision)."""
    decision = await public_decisions().get_or_none(id=item.decision_id)
    if decision is not None:
        await put_document(interpretation_document(item, decision))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    decisions = public_decisions()
    if catalog_id is not None:
        decisions = decisions.filter(catalog_id=catalog_id)
    by_id = {d.id: d for d in await decisions}
    published = Interpretation.filter(published_at__isnull=False, decision_id__in=list(by_id))
    for item in await published:
        yield interpretation_document(item, by_id[item.decision_id])
    updates = ExecutionUpdate.filter(published_at__isnull=False, decision_id__in=list(by_id))
    for update in await updates:
        yield execution_document(update, by_id[update.decision_id])
