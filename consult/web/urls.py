"""URL convertors: ids in URLs are bounded like the database's integers."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException

# Ids are 32-bit integers in the database: anything longer in a URL is a 404, not an overflow error.
MAX_ID = 2_147_483_647


class BoundedIntConvertor(Convertor[int]):
    regex = "[0-9]{1,10}"

    def convert(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise HTTPException(404)
        return number

    def to_string(self, value: int) -> str:
        return str(value)


# Replaces Starlette's unbounded "int" before any route module builds its routes (they import this one).
register_url_convertor("int", BoundedIntConvertor())
