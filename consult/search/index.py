"""The search index: documents in, documents out. It knows no area's models.

Each area describes its public records as `Document`s (its own `search.py`) and puts them here when
they become public or change. To rebuild the index, or to index a catalog at the moment it is
published, the areas' sources are asked for their documents: they are registered in consult/wiring.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from tortoise.connection import get_connection

from consult.i18n import gettext, language
from consult.search.models import SearchDoc
from consult.search.text import bigrams

EPOCH = date(1970, 1, 1)
# Pages: what a search leads to first (consult.search.queries), in this order. They are few beside the
# comments, so on SQLite their words are also in a text index of their own (search_pages_fts, rowid =
# search_doc.id, migration 0016): a phrase checked on 2,000 pages in the main index cost 0.3 s.
PAGE_KINDS = ("decision", "consultation", "interpretation", "report", "meeting")
# Kinds whose title names where they sit (a comment's consultation, an article's draft): only their own
# words are indexed, or every comment of the parking consultation would be a hit for 停车.
CONTEXT_TITLED = ("article", "comment", "execution_update", "procedure_step")


@dataclass(frozen=True)
class Document:
    kind: str
    ref_id: int
    url: str
    title: str
    body: str
    department_id: int | None
    year: int | None
    published_on: date
    status: str = ""


# A source yields the public documents of one catalog (by its id), or of every catalog (None).
Source = Callable[[int | None], AsyncIterator[Document]]
SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


# A clusterer says which of a kind's documents stand for one thing to a reader (the articles of one
# draft, the copies in one group of similar comments): {ref_id: cluster key}; others stand alone.
# Asked at search time, so a comment that joins a group is collapsed from then on.
Clusterer = Callable[[list[int]], Awaitable[dict[int, str]]]
CLUSTERERS: dict[str, Clusterer] = {}


def register_clusterer(kind: str, clusterer: Clusterer) -> None:
    CLUSTERERS[kind] = clusterer


def indexed_text(kind: str, title: str, body: str) -> str:
    """The words a document is found by, as bigrams."""
    return bigrams(body if kind in CONTEXT_TITLED else f"{title} {body}")


def in_chinese(message: str, **params: Any) -> str:
    """Index titles are stored once, in the official language, whoever triggered the indexing."""
    with language("zh"):
        return gettext(message, **params)


def _dialect() -> str:
    return get_connection("default").capabilities.dialect


def fts_rowid(doc_id: int, published_on: date) -> int:
    """SQLite's FTS5 rowid for a document: newer documents get larger rowids, so FTS5 streams hits
    newest first and a search can stop after the first few thousand (migration 0007)."""
    return ((published_on - EPOCH).days << 32) | doc_id


async def put(
    kind: str,
    ref_id: int,
    *,
    url: str,
    title: str,
    body: str,
    department_id: int | None,
    year: int | None,
    status: str = "",
    published_on: date,
) -> None:
    text = indexed_text(kind, title, body)
    values: dict[str, Any] = {
        "url": url,
        "title": title[:300],
        "body": body,
        "department_id": department_id,
        "year": year,
        "status": status,
        "published_on": published_on,
        "bigrams": text,
    }
    doc, created = await SearchDoc.get_or_create(kind=kind, ref_id=ref_id, defaults=values)
    if not created:
        await SearchDoc.filter(id=doc.id).update(**values)
    if _dialect() == "sqlite":
        db = get_connection("default")
        await db.execute_query("DELETE FROM search_fts WHERE rowid = ?", [fts_rowid(doc.id, doc.published_on)])
        await db.execute_query(
            "INSERT INTO search_fts(rowid, bigrams) VALUES (?, ?)", [fts_rowid(doc.id, published_on), text]
        )
        if kind in PAGE_KINDS:
            await db.execute_query("DELETE FROM search_pages_fts WHERE rowid = ?", [doc.id])
            await db.execute_query("INSERT INTO search_pages_fts(rowid, bigrams) VALUES (?, ?)", [doc.id, text])


async def remove(kind: str, ref_id: int) -> None:
    doc = await SearchDoc.get_or_none(kind=kind, ref_id=ref_id)
    if doc is None:
        return
    if _dialect() == "sqlite":
        db = get_connection("default")
        await db.execute_query("DELETE FROM search_fts WHERE rowid = ?", [fts_rowid(doc.id, doc.published_on)])
        await db.execute_query("DELETE FROM search_pages_fts WHERE rowid = ?", [doc.id])
    await doc.delete()


async def indexed_refs(kind: str, ref_ids: list[int]) -> list[int]:
    """Which of these records are in the index."""
    found: list[int] = []
    for start in range(0, len(ref_ids), 500):
        chunk = ref_ids[start : start + 500]
        found += await SearchDoc.filter(kind=kind, ref_id__in=chunk).values_list("ref_id", flat=True)
    return found


async def put_document(doc: Document) -> None:
    fields = asdict(doc)
    await put(fields.pop("kind"), fields.pop("ref_id"), **fields)


async def set_statuses(kind: str, statuses: dict[int, str]) -> None:
    """Change only the status facet (an answer published): the text index is left alone."""
    by_status: dict[str, list[int]] = {}
    for ref_id, status in statuses.items():
        by_status.setdefault(status, []).append(ref_id)
    for status, ids in by_status.items():
        for start in range(0, len(ids), 500):
            await SearchDoc.filter(kind=kind, ref_id__in=ids[start : start + 500]).update(status=status)


async def index_catalog(catalog_id: int) -> None:
    """A catalog just published: its decisions, and what of theirs was already published, become findable."""
    for source in SOURCES:
        async for doc in source(catalog_id):
            await put_document(doc)


async def reindex_all(progress: Callable[[int, int | None], None] = lambda done, total: None) -> int:
    """Rebuild from the public records (after an import, or to repair the index). Returns how many
    documents were written; `progress` hears the count as it grows."""
    count = 0
    for source in SOURCES:
        async for doc in source(None):
            await put_document(doc)
            count += 1
            if count % 1000 == 0:
                progress(count, None)
    progress(count, None)
    return count
