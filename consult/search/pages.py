"""The search page's view: the query read from the URL, the results with their facets and snippets."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from consult.accounts.models import Department
from consult.comments.models import Comment
from consult.drafts.models import Article
from consult.errors import ValidationError
from consult.forms import UNSTORABLE, unstorable
from consult.i18n import gettext as _
from consult.i18n import ngettext
from consult.labels import label
from consult.search.queries import COUNT_LIMIT, KINDS, STATUSES, highlight, search
from consult.web import int_param

PER_PAGE = 20


class Facet:
    """One way to narrow the results: its choices as (value, name, count), most frequent first."""

    def __init__(
        self,
        title: str,
        param: str,
        current: object,
        counts: dict[Any, int],
        name: Callable[[Any], str | None],
        *,
        newest_first: bool = False,
    ) -> None:
        self.title, self.param, self.current = title, param, current
        ordered = sorted(counts.items(), reverse=True) if newest_first else sorted(counts.items(), key=lambda c: -c[1])
        self.choices = [(value, name(value) or str(value), n) for value, n in ordered]


@dataclass(frozen=True)
class Query:
    q: str
    type: str | None
    department: int | None
    year: int | None
    status: str | None

    @classmethod
    def of(cls, request: Request) -> Query:
        """Unknown filters are dropped rather than refused: links to the search are shared and edited."""
        q = request.query_params.get("q", "").strip()[:100]
        if unstorable(q):
            raise ValidationError(UNSTORABLE)
        kind = request.query_params.get("type") or None
        status = request.query_params.get("status") or None
        return cls(
            q=q,
            type=kind if kind in KINDS else None,
            department=int_param(request, "department"),
            year=int_param(request, "year", 2000, 2100),
            status=status if status in STATUSES else None,
        )

    def narrowed(self, **change: object) -> str:
        """The link of a facet: the current search with one filter set (or cleared with None)."""
        return "?" + urlencode({k: v for k, v in {**asdict(self), **change}.items() if v is not None})

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.type, self.department, self.year, self.status))


@dataclass(frozen=True)
class Collapsed:
    """What one hit stands for when it stands for several: a sentence, and where to read them all."""

    title: str
    text: str
    url: str
    link: str


async def _collapsed(items: list[dict[str, Any]]) -> list[Collapsed | None]:
    articles = {
        row["id"]: row
        for row in await Article.filter(id__in=[r["ref_id"] for r in items if r["kind"] == "article"]).values(
            "id", "label", "draft__title"
        )
    }
    consultations = dict(
        await Comment.filter(id__in=[r["ref_id"] for r in items if r["kind"] == "comment"]).values_list(
            "id", "consultation_id"
        )
    )
    lines: list[Collapsed | None] = []
    for r in items:
        if r["copies"] < 2 or r["cluster"] is None:
            lines.append(None)
        elif r["kind"] == "article" and r["ref_id"] in articles:
            article = articles[r["ref_id"]]
            text = _("%(first)s and more: %(total)s articles mention it", first=article["label"], total=r["copies"])
            lines.append(Collapsed(article["draft__title"], text, r["url"], _("Read the draft")))
        elif r["kind"] == "comment" and r["ref_id"] in consultations:
            group = r["cluster"].removeprefix("group:")
            url = f"/consultations/{consultations[r['ref_id']]}?group={group}#comments"
            text = ngettext(
                "%(num)s comment of one group of similar comments, shown once",
                "%(num)s comments of one group of similar comments, shown once",
                r["copies"],
            )
            lines.append(Collapsed(r["title"], text, url, _("Read the group")))
        else:
            lines.append(None)
    return lines


async def results_page(query: Query, page: int) -> dict[str, Any]:
    results = await search(
        query.q,
        kind=query.type,
        department=query.department,
        year=query.year,
        status=query.status,
        page=page,
        per_page=PER_PAGE,
    )
    names = dict(await Department.all().values_list("id", "name"))
    facets = [
        Facet(_("Type"), "type", query.type, results.facets.get("kind", {}), lambda v: label(f"kind_{v}")),
        Facet(_("Department"), "department", query.department, results.facets.get("department_id", {}), names.get),
        Facet(_("Year"), "year", query.year, results.facets.get("year", {}), str, newest_first=True),
        Facet(_("Answer or listing status"), "status", query.status, results.facets.get("status", {}), label),
    ]
    return {
        "query": query.q,
        "kind": query.type,
        "department": query.department,
        "year": query.year,
        "status": query.status,
        "narrowed": query.narrowed,
        "facets": facets,
        "count_limit": COUNT_LIMIT,
        "results": results,
        "pieces": [highlight(r["body"] or r["title"], query.q) for r in results.items],
        "title_pieces": [highlight(r["title"], query.q, width=200) for r in results.items],
        "collapsed": await _collapsed(results.items),
        "department_names": names,
        "page": page,
        "pages": max(1, math.ceil(results.total / PER_PAGE)),
        "too_short": bool(query.q) and not results.total and len(query.q) < 2,
        "filtered": query.filtered,
    }
