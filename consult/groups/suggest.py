"""Suggestions for topic groups: ungrouped comments on one article that say much the same thing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy.sparse.csgraph import connected_components

from consult.groups.similarity import normalise

SUGGEST_SCORE = 60  # token-set similarity: same words, different order and padding
MIN_SUGGESTION = 3
MAX_PER_ARTICLE = 2000


@dataclass
class Suggestion:
    article_id: int | None
    comment_ids: list[int]
    sample: str


def suggest(rows: list[tuple[int, int | None, str]]) -> list[Suggestion]:
    """rows: (comment id, article id, body) of ungrouped published comments. Pure and bounded."""
    by_article: dict[int | None, list[tuple[int, str]]] = {}
    for comment_id, article_id, body in rows:
        bucket = by_article.setdefault(article_id, [])
        if len(bucket) < MAX_PER_ARTICLE:
            bucket.append((comment_id, body))
    suggestions = []
    for article_id, items in by_article.items():
        if len(items) < MIN_SUGGESTION:
            continue
        norms = [normalise(body) for _, body in items]
        scores = process.cdist(norms, norms, scorer=fuzz.token_set_ratio, score_cutoff=SUGGEST_SCORE, workers=1)
        count, labels = connected_components(scores > 0, directed=False)
        for label in range(count):
            members = np.flatnonzero(labels == label)
            if len(members) >= MIN_SUGGESTION:
                suggestions.append(
                    Suggestion(article_id, [items[i][0] for i in members], items[int(members[0])][1][:60])
                )
    return sorted(suggestions, key=lambda s: -len(s.comment_ids))
