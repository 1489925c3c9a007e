"""A published consultation in the search index: its page (the draft's title and explanation), and
its draft article by article (collapsed into one hit per draft when several match)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from consult.decisions.search import index_decision
from consult.drafts.models import Article, Consultation
from consult.drafts.visibility import public_consultations
from consult.search.index import Document, put_document


def consultation_document(consultation: Consultation) -> Document:
    """`consultation.decision` and `.draft` must be fetched."""
    return Document(
        kind="consultation",
        ref_id=consultation.id,
        url=f"/consultations/{consultation.id}",
        title=consultation.draft.title,
        body=consultation.draft.explanation,
        department_id=consultation.decision.department_id,
        year=consultation.starts_on.year,
        published_on=consultation.starts_on,
    )


async def _documents(consultation: Consultation) -> list[Document]:
    await consultation.fetch_related("decision", "draft")
    return [consultation_document(consultation)] + [
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
    for doc in await _documents(consultation):
        await put_document(doc)
    await index_decision(consultation.decision)


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    consultations = public_consultations()
    if catalog_id is not None:
        consultations = consultations.filter(decision__catalog_id=catalog_id)
    for consultation in await consultations:
        for doc in await _documents(consultation):
            yield doc


async def article_clusters(article_ids: list[int]) -> dict[int, str]:
    """The articles of one draft are one hit: "第三条等12处"."""
    rows = await Article.filter(id__in=article_ids).values_list("id", "draft_id")
    return {article_id: f"draft:{draft_id}" for article_id, draft_id in rows}
