"""/search: decisions, drafts (article by article), published comments, reports and meetings."""

from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.accounts.models import Department
from consult.search.queries import KINDS, highlight, search
from consult.web import int_param, page_number, render

PER_PAGE = 20


async def search_page(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:100]
    kind = request.query_params.get("type") or None
    if kind not in KINDS:
        kind = None
    department, year, page = int_param(request, "department"), int_param(request, "year"), page_number(request)
    results = await search(query, kind=kind, department=department, year=year, page=page, per_page=PER_PAGE)
    names = dict(await Department.all().values_list("id", "name"))
    return await render(
        request,
        "search.html",
        {
            "query": query,
            "kind": kind,
            "department": department,
            "year": year,
            "results": results,
            "pieces": [highlight(r["body"] or r["title"], query) for r in results.items],
            "title_pieces": [highlight(r["title"], query, width=200) for r in results.items],
            "department_names": names,
            "page": page,
            "pages": max(1, math.ceil(results.total / PER_PAGE)),
            "too_short": bool(query) and not results.total and len(query) < 2,
        },
    )


routes = [Route("/search", search_page)]
