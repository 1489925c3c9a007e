"""Pages of a query: never more rows loaded than shown."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from tortoise.queryset import QuerySet

from consult.forms import bounded_int
from consult.web.urls import MAX_ID


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(request: Request) -> int:
    return bounded_int(request.query_params.get("page", "1"), 1, 100_000) or 1


async def paginate(queryset: QuerySet[Any], number: int, per_page: int, total: int | None = None) -> Page:
    if total is None:
        total = await queryset.count()
    items = await queryset.offset((number - 1) * per_page).limit(per_page)
    return Page(items=list(items), number=number, per_page=per_page, total=total)


def int_param(request: Request, name: str, low: int = 0, high: int = MAX_ID) -> int | None:
    return bounded_int(request.query_params.get(name, ""), low, high)
