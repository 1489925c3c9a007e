"""The url-encoded form reader (web/csrf.py) reads what the standard library reads, faster."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlencode

import pytest

from consult.web.csrf import MAX_FIELDS, parse_urlencoded


def _reference(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode("latin-1"), keep_blank_values=True, errors="replace")


@pytest.mark.parametrize(
    "body",
    [
        urlencode({"body": "建议将首次免费停车时间延长至三十分钟，方便群众！a+b=c&d%", "name": "王小明", "x": ""}),
        "a=1&&b=2&c&=d",  # empty fields, a name alone, a value alone
        "e=%E5%BB%BAa%E8&f=%zz%4&g=%E5%BB",  # broken escapes and cut characters
        "h=+%2B+&i=%E4%B8%AD%E6%96%87",
        "raw=\u00e9\u00e8".encode().decode("latin-1"),  # bytes sent unescaped
    ],
)
def test_tricky_bodies_read_as_the_standard_library_reads_them(body: str) -> None:
    assert parse_urlencoded(body.encode("latin-1")) == _reference(body.encode("latin-1"))


def test_random_bodies_read_as_the_standard_library_reads_them() -> None:
    pieces = ["%", "+", "=", "&", "a", "Z", "0", "%E5", "%BB", "%BA", "%e4", "%4", "é", "中", " "]
    rng = random.Random(7)
    for _ in range(3000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24))).encode()
        assert parse_urlencoded(body) == _reference(body), body


def test_too_many_fields_are_refused() -> None:
    assert len(parse_urlencoded(b"&".join([b"a=1"] * MAX_FIELDS))) == MAX_FIELDS
    with pytest.raises(ValueError):
        parse_urlencoded(b"&".join([b"a=1"] * (MAX_FIELDS + 1)))
