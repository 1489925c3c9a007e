"""A published consultation's draft, article by article, in the search index."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.decisions.search import index_decision
from consult.drafts.models import Article, Consultation
from consult.drafts.visibility import public_consultations
from consult.search.index import Document, put_document


async def _article_documents(consultation: Consultation) -> list[Document]:
    await consultation.fetch_related("decision", "draft")
    return [
        Document(
            kind="article",
            ref_id=article.id,
            url=f"/consultations/{consultation.id}#article-{article.seq}",
            title=f"{consultation.draft.title} {article.label}",
            body=article.body,
            department_id=consultation.decision.department_id,
            year=consultation.starts_on.year,
            published_on=consultation.starts_on,
        )
        for article in await Article.filter(draft_id=consultation.draft_id)
    ]


async def index_consultation(consultation: Consultation) -> None:
    """The draft becomes searchable when its consultation is published."""
    consultation = await public_consultations().get_or_none(id=consultation.id)
    if consultation is None:
        return
    for doc in await _article_documents(consultation):
        await put_document(doc)
    await index_decision(consultation.decision)


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    consultations = public_consultations()
    if catalog_id is not None:
        consultations = consultations.filter(decision__catalog_id=catalog_id)
    for consultation in await consultations:
        for doc in await _article_documents(consultation):
            yield doc
