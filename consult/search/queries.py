"""Searching the index: a phrase of bigrams, title hits first, then the newest; facets; snippets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tortoise.connection import get_connection

from consult.search.text import query_tokens

KINDS = ("decision", "article", "comment", "report", "meeting")
# Kinds whose title is their own: a comment's title is its consultation's, context rather than its words.
TITLED_KINDS = ("decision", "article", "report", "meeting")
STATUSES = (
    "unanswered",
    "adopted",
    "partly_adopted",
    "not_adopted",
    "already_covered",
    "out_of_scope",
    "listed",
    "removed",
)
FACETS = ("kind", "department_id", "year", "status")
# Beyond this many hits a query is counted and faceted over its newest COUNT_LIMIT hits only: exact
# totals over half a million rows cost seconds, and nobody pages that far (narrow the search instead).
COUNT_LIMIT = 1000
LOW_32_BITS = 0xFFFFFFFF
# How many of the newest documents PostgreSQL scans for a common phrase before it uses the index.
POSTGRES_WINDOW = 30_000


@dataclass
class Results:
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    # True when there are more hits than COUNT_LIMIT: total and facets then cover the newest ones.
    more: bool = False
    facets: dict[str, dict[Any, int]] = field(default_factory=dict)


class _Sql:
    """Parameters in the dialect's style (? for SQLite, $n for PostgreSQL), appended in order. Limits
    and offsets are written into the SQL as integers so that PostgreSQL plans with them."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.params: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.params.append(value)
        return "?" if self.dialect == "sqlite" else f"${len(self.params)}"


def _filters(p: _Sql, kind: str | None, department: int | None, year: int | None, status: str | None) -> str:
    wanted = (("kind", kind), ("department_id", department), ("year", year), ("status", status))
    return "".join(f" AND d.{column} = {p(value)}" for column, value in wanted if value is not None)


def _title_hit(p: _Sql, query: str) -> str:
    kinds = ", ".join(f"'{k}'" for k in TITLED_KINDS)
    position = "instr(d.title, {})" if p.dialect == "sqlite" else "strpos(d.title, {})"
    return f"d.kind IN ({kinds}) AND {position.format(p(query))} > 0"


COLUMNS = "d.kind, d.ref_id, d.url, d.title, d.body, d.published_on, d.status, d.department_id, d.year"


def _text_hits(p: _Sql, phrase: str, query: str, filters: tuple[Any, ...], window: int | None = None) -> str:
    """FROM … WHERE for the documents whose text has the phrase and that are not title hits, in an
    order each database can stream newest first (so LIMIT stops the scan early). With a window, only
    the newest `window` documents are looked at (PostgreSQL)."""
    if p.dialect == "sqlite":
        match = p('"' + phrase.replace('"', " ") + '"')
        source = f"search_fts f JOIN search_doc d ON d.id = (f.rowid & {LOW_32_BITS}) WHERE search_fts MATCH {match}"
        order = "f.rowid DESC"
    else:
        # The phrase is written into the SQL, not bound: asyncpg prepares statements, and after five runs
        # PostgreSQL may switch to a generic plan that cannot see how common the words are (a
        # bitmap scan of 430,000 rows for a common word: 1.3 s instead of 27 ms). The tokens hold
        # only letters and digits; quotes are doubled all the same.
        literal = "'" + phrase.replace("'", "''") + "'"
        order = "d.published_on DESC, d.id DESC"
        table = "search_doc d"
        if window is not None:  # the newest documents that pass the filters (btrees per filter, 0009)
            table = (
                f"(SELECT * FROM search_doc d WHERE TRUE{_filters(p, *filters)} ORDER BY {order} LIMIT {window:d}) AS d"
            )
        source = f"{table} WHERE d.tsv @@ phraseto_tsquery('simple', {literal})"
        if window is not None:
            return f"{source} AND NOT ({_title_hit(p, query)}) ORDER BY {order}"
    return f"{source}{_filters(p, *filters)} AND NOT ({_title_hit(p, query)}) ORDER BY {order}"


def _count(rows: Iterable[dict[str, Any]], facets: dict[str, dict[Any, int]]) -> None:
    for row in rows:
        for column in FACETS:
            value = row[column]
            if value not in (None, ""):
                facets[column][value] = facets[column].get(value, 0) + row["n"]


async def search(
    query: str,
    *,
    kind: str | None = None,
    department: int | None = None,
    year: int | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Results:
    """Title hits first (documents whose own title holds the words, newest first), then every other
    document whose text holds them, newest first."""
    tokens = query_tokens(query)
    if not tokens:
        return Results()
    db = get_connection("default")
    dialect = db.capabilities.dialect
    query = query.strip()
    phrase = " ".join(tokens)
    filters = (kind, department, year, status)
    grouped = ", ".join(FACETS)

    p = _Sql(dialect)
    title_where = f"search_doc d WHERE {_title_hit(p, query)}{_filters(p, *filters)}"
    title_groups = await db.execute_query_dict(
        f"SELECT {grouped}, COUNT(*) AS n FROM {title_where} GROUP BY {grouped}", p.params
    )
    # The newest hits' facet values, one more than counted, to know whether there are more.
    # PostgreSQL first looks for them among the newest documents: its planner takes the bigrams of a
    # phrase as independent and, underestimating how often they occur together, would read and sort
    # every hit of a common phrase (0.5 s for 127,000). Only a rarer phrase needs the whole index.
    window = POSTGRES_WINDOW if dialect == "postgres" else None
    while True:
        p = _Sql(dialect)
        _, newest = await db.execute_query(
            f"SELECT {', '.join('d.' + f for f in FACETS)} FROM {_text_hits(p, phrase, query, filters, window)} "
            f"LIMIT {COUNT_LIMIT + 1:d}",
            p.params,
        )
        if window is None or len(newest) > COUNT_LIMIT:
            break
        window = None
    titled = sum(r["n"] for r in title_groups)
    more = len(newest) > COUNT_LIMIT
    texts = min(len(newest), COUNT_LIMIT)
    facets: dict[str, dict[Any, int]] = {column: {} for column in FACETS}
    _count(title_groups, facets)
    _count(({**dict(zip(FACETS, row, strict=True)), "n": 1} for row in newest[:COUNT_LIMIT]), facets)

    offset = (page - 1) * per_page
    items: list[dict[str, Any]] = []
    if offset < titled:
        p = _Sql(dialect)
        where = f"search_doc d WHERE {_title_hit(p, query)}{_filters(p, *filters)}"
        items = await db.execute_query_dict(
            f"SELECT {COLUMNS} FROM {where} ORDER BY d.published_on DESC, d.id DESC "
            f"LIMIT {per_page:d} OFFSET {offset:d}",
            p.params,
        )
    wanted = per_page - len(items)
    text_offset = max(0, offset - titled)
    if wanted > 0 and text_offset < texts:
        p = _Sql(dialect)
        hits = _text_hits(p, phrase, query, filters, window)
        items += await db.execute_query_dict(
            f"SELECT {COLUMNS} FROM {hits} LIMIT {min(wanted, COUNT_LIMIT - text_offset):d} OFFSET {text_offset:d}",
            p.params,
        )
    return Results(items=[dict(r) for r in items], total=titled + texts, more=more, facets=facets)


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
