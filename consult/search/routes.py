"""/search: decisions, drafts (article by article), published comments, reports and meetings."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.accounts.models import Department
from consult.errors import ValidationError
from consult.forms import UNSTORABLE, unstorable
from consult.i18n import gettext as _
from consult.labels import label
from consult.search.queries import COUNT_LIMIT, KINDS, STATUSES, highlight, search
from consult.web import int_param, page_number, render

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


async def search_page(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:100]
    if unstorable(query):
        raise ValidationError(UNSTORABLE)
    kind = request.query_params.get("type") or None
    if kind not in KINDS:
        kind = None
    status = request.query_params.get("status") or None
    if status not in STATUSES:
        status = None
    department, year, page = (
        int_param(request, "department"),
        int_param(request, "year", 2000, 2100),
        page_number(request),
    )
    results = await search(
        query, kind=kind, department=department, year=year, status=status, page=page, per_page=PER_PAGE
    )
    chosen = {"q": query, "type": kind, "department": department, "year": year, "status": status}

    def narrowed(**change: object) -> str:
        """The link of a facet: the current search with one filter set (or cleared with None)."""
        return "?" + urlencode({k: v for k, v in {**chosen, **change}.items() if v is not None})

    names = dict(await Department.all().values_list("id", "name"))
    facets = [
        Facet(_("Type"), "type", kind, results.facets.get("kind", {}), lambda v: label(f"kind_{v}")),
        Facet(_("Department"), "department", department, results.facets.get("department_id", {}), names.get),
        Facet(_("Year"), "year", year, results.facets.get("year", {}), str, newest_first=True),
        Facet(_("Answer or listing status"), "status", status, results.facets.get("status", {}), label),
    ]
    return await render(
        request,
        "search.html",
        {
            "query": query,
            "kind": kind,
            "department": department,
            "year": year,
            "status": status,
            "narrowed": narrowed,
            "facets": facets,
            "count_limit": COUNT_LIMIT,
            "results": results,
            "pieces": [highlight(r["body"] or r["title"], query) for r in results.items],
            "title_pieces": [highlight(r["title"], query, width=200) for r in results.items],
            "department_names": names,
            "page": page,
            "pages": max(1, math.ceil(results.total / PER_PAGE)),
            "too_short": bool(query) and not results.total and len(query) < 2,
            "filtered": any(v is not None for v in (kind, department, year, status)),
        },
    )


routes = [Route("/search", search_page)]
