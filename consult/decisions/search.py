"""The decisions' documents in the search index: a decision is findable once its catalog is public."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.decisions.models import Decision
from consult.decisions.visibility import public_decisions
from consult.search.index import Document, put_document


def decision_document(decision: Decision) -> Document:
    """`decision.catalog` must be fetched and published."""
    return Document(
        kind="decision",
        ref_id=decision.id,
        url=f"/decisions/{decision.id}",
        title=decision.title,
        body=f"{decision.background} {decision.legal_basis}",
        department_id=decision.department_id,
        year=decision.catalog.year,
        status="removed" if decision.removed_at else "listed",
        published_on=decision.catalog.published_at.date(),
    )


async def index_decision(decision: Decision) -> None:
    decision = await Decision.get(id=decision.id).prefetch_related("catalog")
    if decision.catalog.published_at is not None:
        await put_document(decision_document(decision))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    decisions = public_decisions()
    if catalog_id is not None:
        decisions = decisions.filter(catalog_id=catalog_id)
    for decision in await decisions.prefetch_related("catalog"):
        yield decision_document(decision)
