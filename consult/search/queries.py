"""Searching the index: a phrase of bigrams, title hits first, then the newest; facets; snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.connection import get_connection

from consult.search.index import CLUSTERERS, PAGE_KINDS
from consult.search.text import query_tokens

# The pages a search should lead to first, in this order: a decision's topic page, its consultation,
# its interpretations, its report, a standing meeting. They are few (tens a year): ranked and counted
# exactly, title hits first.
PRIMARY_KINDS = PAGE_KINDS
# What mentions the words: found newest first, the articles of one draft and the copies in one group of
# similar comments collapsed into one hit each (consult.search.index.CLUSTERERS).
KINDS = (
    *PRIMARY_KINDS,
    "article",
    "comment",
    "execution_update",
    "hearing",
    "procedure_step",
    "survey",
    "evaluation",
)
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
    position = "instr(d.title, {})" if p.dialect == "sqlite" else "strpos(d.title, {})"
    return f"{position.format(p(query))} > 0"


COLUMNS = "d.id, d.kind, d.ref_id, d.url, d.title, d.body, d.published_on, d.status, d.department_id, d.year"
PRIMARY = ", ".join(f"'{k}'" for k in PRIMARY_KINDS)


def _fts_match(p: _Sql, phrase: str) -> str:
    return p('"' + phrase.replace('"', " ") + '"')


def _tsquery(phrase: str) -> str:
    # The phrase is written into the SQL, not bound: asyncpg prepares statements, and after five runs
    # PostgreSQL may switch to a generic plan that cannot see how common the words are (a bitmap scan
    # of 430,000 rows for a common word: 1.3 s instead of 27 ms). The tokens hold only letters and
    # digits; quotes are doubled all the same.
    return "phraseto_tsquery('simple', '" + phrase.replace("'", "''") + "')"


def _primary_hits(p: _Sql, phrase: str, query: str, filters: tuple[Any, ...]) -> str:
    """SELECT of the pages that have the phrase, best first. SQLite finds them in their own text index
    (a phrase checked on each page in the main one costs 0.3 s among a million comments); PostgreSQL
    reads the pages through their partial index (migration 0016) and checks each one's stored tsvector."""
    # Parameters are taken in the order they appear in the SQL (SQLite's are positional).
    titled = _title_hit(p, query)
    rank = " ".join(f"WHEN '{kind}' THEN {i}" for i, kind in enumerate(PRIMARY_KINDS))
    order = f"ORDER BY untitled, kind_rank, d.published_on DESC, d.id DESC LIMIT {COUNT_LIMIT:d}"
    ranked = f"{COLUMNS}, CASE WHEN {titled} THEN 0 ELSE 1 END AS untitled, CASE d.kind {rank} END AS kind_rank"
    if p.dialect == "sqlite":
        match = _fts_match(p, phrase)
        return (
            f"SELECT {ranked} FROM search_pages_fts pf JOIN search_doc d ON d.id = pf.rowid "
            f"WHERE search_pages_fts MATCH {match} AND d.kind IN ({PRIMARY}){_filters(p, *filters)} {order}"
        )
    # The pages' tsvectors are taken first and checked one by one: asked in one WHERE, the planner ANDs
    # the partial index with a bitmap of the GIN index over every comment that has the words (50 ms
    # for a common phrase instead of 5).
    return (
        f"WITH pages AS MATERIALIZED (SELECT d.id, d.tsv FROM search_doc d WHERE d.kind IN ({PRIMARY})"
        f"{_filters(p, *filters)}) SELECT {ranked} FROM pages JOIN search_doc d ON d.id = pages.id "
        f"WHERE pages.tsv @@ {_tsquery(phrase)} {order}"
    )


def _text_hits(p: _Sql, phrase: str, filters: tuple[Any, ...], window: int | None = None) -> str:
    """FROM … WHERE for the other documents that have the phrase, in an order each database can
    stream newest first (so LIMIT stops the scan early). With a window, only the newest `window`
    documents are looked at (PostgreSQL)."""
    if p.dialect == "sqlite":
        match = _fts_match(p, phrase)
        source = f"search_fts f JOIN search_doc d ON d.id = (f.rowid & {LOW_32_BITS}) WHERE search_fts MATCH {match}"
        order = "f.rowid DESC"
    else:
        order = "d.published_on DESC, d.id DESC"
        table = "search_doc d"
        if window is not None:  # the newest documents that pass the filters (btrees per filter, 0009)
            table = (
                f"(SELECT * FROM search_doc d WHERE TRUE{_filters(p, *filters)} ORDER BY {order} LIMIT {window:d}) AS d"
            )
        source = f"{table} WHERE d.tsv @@ {_tsquery(phrase)}"
        if window is not None:
            return f"{source} AND d.kind NOT IN ({PRIMARY}) ORDER BY {order}"
    return f"{source}{_filters(p, *filters)} AND d.kind NOT IN ({PRIMARY}) ORDER BY {order}"


@dataclass
class _Hit:
    """One result line: a document, or the newest of a cluster standing for the rest (`copies` in all)."""

    id: int
    kind: str
    ref_id: int
    facets: dict[str, Any]
    cluster: str | None = None
    copies: int = 1


async def _collapsed(rows: list[tuple[Any, ...]]) -> list[_Hit]:
    """Newest first, each cluster in the place of its newest member."""
    hits = [_Hit(row[0], row[1], row[2], dict(zip(FACETS, row[3:], strict=True))) for row in rows]
    keys: dict[tuple[str, int], str] = {}
    for kind, clusterer in CLUSTERERS.items():
        refs = [hit.ref_id for hit in hits if hit.kind == kind]
        for start in range(0, len(refs), 500):
            found = await clusterer(refs[start : start + 500])
            keys.update({(kind, ref): key for ref, key in found.items()})
    collapsed: list[_Hit] = []
    first: dict[tuple[str, str], _Hit] = {}
    for hit in hits:
        key = keys.get((hit.kind, hit.ref_id))
        if key is None:
            collapsed.append(hit)
        elif (hit.kind, key) in first:
            # The cluster keeps the place of its newest member and shows its first (the lowest article,
            # the original of the copies): "第一条等3处".
            shown = first[(hit.kind, key)]
            shown.copies += 1
            if hit.ref_id < shown.ref_id:
                shown.id, shown.ref_id = hit.id, hit.ref_id
        else:
            hit.cluster = key
            first[(hit.kind, key)] = hit
            collapsed.append(hit)
    return collapsed


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
    """The primary documents that have the words (title hits first, then by kind: decision,
    consultation, interpretation, report, meeting; newest first within each), then whatever else mentions them,
    newest first, with the articles of a draft and the copies in a group collapsed. Every item carries
    `copies` (how many documents it stands for) and `cluster` (its cluster's key, or None)."""
    tokens = query_tokens(query)
    if not tokens:
        return Results()
    db = get_connection("default")
    dialect = db.capabilities.dialect
    query = query.strip()
    phrase = " ".join(tokens)
    filters = (kind, department, year, status)

    p = _Sql(dialect)
    primary = [dict(row) for row in await db.execute_query_dict(_primary_hits(p, phrase, query, filters), p.params)]
    # The newest other hits' facet values, one more than counted, to know whether there are more.
    # PostgreSQL first looks for them among the newest documents: its planner takes the bigrams of a
    # phrase as independent and, underestimating how often they occur together, would read and sort
    # every hit of a common phrase (0.5 s for 127,000). Only a rarer phrase needs the whole index.
    window = POSTGRES_WINDOW if dialect == "postgres" else None
    columns = ", ".join(f"d.{column}" for column in ("id", "kind", "ref_id", *FACETS))
    while True:
        p = _Sql(dialect)
        _, newest = await db.execute_query(
            f"SELECT {columns} FROM {_text_hits(p, phrase, filters, window)} LIMIT {COUNT_LIMIT + 1:d}", p.params
        )
        if window is None or len(newest) > COUNT_LIMIT:
            break
        window = None
    more = len(newest) > COUNT_LIMIT
    others = await _collapsed([tuple(row) for row in newest[:COUNT_LIMIT]])

    facets: dict[str, dict[Any, int]] = {column: {} for column in FACETS}
    for values in [*primary, *(hit.facets for hit in others)]:
        for column in FACETS:
            if values[column] not in (None, ""):
                facets[column][values[column]] = facets[column].get(values[column], 0) + 1

    offset = (page - 1) * per_page
    items = [{**row, "copies": 1, "cluster": None} for row in primary[offset : offset + per_page]]
    shown = others[max(0, offset - len(primary)) : max(0, offset + per_page - len(primary))]
    if shown:
        p = _Sql(dialect)
        marks = ", ".join(p(hit.id) for hit in shown)
        rows = {
            row["id"]: dict(row)
            for row in await db.execute_query_dict(
                f"SELECT {COLUMNS} FROM search_doc d WHERE d.id IN ({marks})", p.params
            )
        }
        items += [{**rows[hit.id], "copies": hit.copies, "cluster": hit.cluster} for hit in shown if hit.id in rows]
    return Results(items=items, total=len(primary) + len(others), more=more, facets=facets)


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
