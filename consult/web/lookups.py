"""Finding the object a URL names."""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.exceptions import HTTPException
from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)


async def get_or_404(query: type[M] | QuerySet[M], **filters: Any) -> M:
    """The one row the filters name (within `query`, which may already narrow what is visible), or 404."""
    found = await query.get_or_none(**filters)
    if found is None:
        raise HTTPException(404)
    return found
