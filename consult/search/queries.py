"""Searching the index: a phrase of bigrams, title hits first, then the newest; facets; snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.connection import get_connection

from consult.search.text import query_tokens

KINDS = ("decision", "article", "comment", "report", "meeting")


@dataclass
class Results:
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[Any, int]] = field(default_factory=dict)


def _filters(dialect: str, kind: str | None, department: int | None, year: int | None, params: list[Any]) -> str:
    clauses = []
    for column, value in (("kind", kind), ("department_id", department), ("year", year)):
        if value is not None:
            params.append(value)
            clauses.append(f"d.{column} = " + ("?" if dialect == "sqlite" else f"${len(params)}"))
    return "".join(f" AND {c}" for c in clauses)


async def search(
    query: str,
    *,
    kind: str | None = None,
    department: int | None = None,
    year: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Results:
    tokens = query_tokens(query)
    if not tokens:
        return Results()
    db = get_connection("default")
    dialect = db.capabilities.dialect
    phrase = " ".join(tokens)
    if dialect == "sqlite":
        params: list[Any] = ['"' + phrase.replace('"', " ") + '"']
        source = "search_fts f JOIN search_doc d ON d.id = f.rowid WHERE search_fts MATCH ?"
    else:
        params = [phrase]
        source = "search_doc d WHERE to_tsvector('simple', d.bigrams) @@ phraseto_tsquery('simple', $1)"
    where = source + _filters(dialect, kind, department, year, params)
    facets: dict[str, dict[Any, int]] = {}
    for column in ("kind", "department_id", "year"):
        rows = await db.execute_query_dict(
            f"SELECT d.{column} AS v, COUNT(*) AS n FROM {where} GROUP BY d.{column}", params
        )
        facets[column] = {r["v"]: r["n"] for r in rows}
    total = sum(facets["kind"].values())
    marker = "?" if dialect == "sqlite" else f"${len(params) + 1}"
    title_first = "instr(d.title, ?)" if dialect == "sqlite" else f"strpos(d.title, {marker})"
    limit = "? OFFSET ?" if dialect == "sqlite" else f"${len(params) + 2} OFFSET ${len(params) + 3}"
    rows = await db.execute_query_dict(
        f"SELECT d.kind, d.ref_id, d.url, d.title, d.body, d.published_on, d.status FROM {where} "
        # A comment's title is its consultation's, context rather than its own words: it never ranks as a title hit.
        f"ORDER BY CASE WHEN d.kind <> 'comment' AND {title_first} > 0 THEN 0 ELSE 1 END, "
        f"d.published_on DESC, d.id DESC LIMIT {limit}",
        [*params, query.strip(), per_page, (page - 1) * per_page],
    )
    return Results(items=[dict(r) for r in rows], total=total, facets=facets)


def highlight(text: str, query: str, width: int = 60) -> list[tuple[str, bool]]:
    """A snippet around the first hit, as (text, is_hit) pieces for the template to mark up safely."""
    needle = query.strip()
    position = text.find(needle) if needle else -1
    if position < 0:
        snippet = text[: width * 2]
        return [(snippet + ("…" if len(text) > len(snippet) else ""), False)]
    start = max(0, position - width)
    snippet = (
        ("…" if start else "")
        + text[start : position + len(needle) + width]
        + ("…" if position + len(needle) + width < len(text) else "")
    )
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(snippet.split(needle)):
        if i:
            pieces.append((needle, True))
        if part:
            pieces.append((part, False))
    return pieces
