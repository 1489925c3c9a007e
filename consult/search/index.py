"""The search index: documents in, documents out. It knows no area's models.

Each area describes its public records as `Document`s (its own `search.py`) and puts them here when
they become public or change. To rebuild the index, or to index a catalog at the moment it is
published, the areas' sources are asked for their documents: they are registered in consult/wiring.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from tortoise.connection import get_connection

from consult.i18n import gettext, language
from consult.search.models import SearchDoc
from consult.search.text import bigrams

EPOCH = date(1970, 1, 1)


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
    text = bigrams(f"{title} {body}")
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


async def remove(kind: str, ref_id: int) -> None:
    doc = await SearchDoc.get_or_none(kind=kind, ref_id=ref_id)
    if doc is None:
        return
    if _dialect() == "sqlite":
        await get_connection("default").execute_query(
            "DELETE FROM search_fts WHERE rowid = ?", [fts_rowid(doc.id, doc.published_on)]
        )
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
