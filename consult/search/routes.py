"""/search: decisions, drafts (article by article), published comments, reports and meetings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.search.pages import Query, results_page
from consult.web import page_number, render


async def search_page(request: Request) -> Response:
    return await render(request, "search.html", await results_page(Query.of(request), page_number(request)))


routes = [Route("/search", search_page)]
