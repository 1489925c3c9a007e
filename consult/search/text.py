"""Text as character bigrams: the unit both databases can index for Chinese."""

from __future__ import annotations

import re
import unicodedata

_RUN = re.compile(r"[0-9a-z]+|[^\W\d_a-z]+", re.UNICODE)
_ASCII = re.compile(r"[0-9a-z]+")


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for run in _RUN.findall(unicodedata.normalize("NFKC", text).lower()):
        if _ASCII.fullmatch(run) or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def bigrams(text: str) -> str:
    return " ".join(_tokens(text))


def query_tokens(query: str) -> list[str]:
    """The phrase to look for; empty when the query has nothing searchable (or one Chinese character)."""
    tokens = _tokens(query)
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return []
    return tokens
