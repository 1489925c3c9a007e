"""The decisions' documents in the search index: a decision is findable once it is public (with its
catalog, or with its first consultation for a document outside the catalog)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.decisions.models import Decision
from consult.decisions.visibility import public_decisions
from consult.search.index import Document, put_document


def decision_document(decision: Decision) -> Document:
    """`decision.catalog` must be fetched; the decision must be public."""
    listed = decision.catalog.published_at if decision.catalog is not None else decision.public_from
    assert listed is not None
    return Document(
        kind="decision",
        ref_id=decision.id,
        url=f"/decisions/{decision.id}",
        title=decision.title,
        body=f"{decision.background} {decision.legal_basis}",
        department_id=decision.department_id,
        year=decision.catalog.year if decision.catalog is not None else listed.year,
        status="removed" if decision.removed_at else "listed",
        published_on=listed.date(),
    )


async def index_decision(decision: Decision) -> None:
    decision = await public_decisions().get_or_none(id=decision.id).prefetch_related("catalog")
    if decision is not None:
        await put_document(decision_document(decision))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    decisions = public_decisions()
    if catalog_id is not None:
        decisions = decisions.filter(catalog_id=catalog_id)
    for decision in await decisions.prefetch_related("catalog"):
        yield decision_document(decision)
