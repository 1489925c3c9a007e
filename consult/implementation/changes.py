"""What changed between the consulted draft and the issued text, article by article, and within a
changed article character by character (Chinese has no spaces to diff words by)."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum

from consult.drafts.articles import ParsedArticle

# Two articles are one article changed when at least this share of their characters is in common
# (difflib's ratio); below it, the draft's article was removed and the issued one added.
SAME_ARTICLE = 0.4


class ChangeKind(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass
class Piece:
    """A run of text: kept ("equal"), only in the draft ("delete") or only in the issued text ("insert")."""

    op: str
    text: str


@dataclass
class ArticleChange:
    kind: ChangeKind
    draft: ParsedArticle | None
    issued: ParsedArticle | None
    pieces: list[Piece] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        return self.draft is not None and self.issued is not None and self.draft.label != self.issued.label

    @property
    def anchor(self) -> str:
        """Where the view shows it: the issued article's label, or the draft's for a removed one."""
        return self.issued.label if self.issued else f"removed-{self.draft.label if self.draft else ''}"


# A run this short kept between two changes reads as noise (十五 → 三十 keeps 十): it joins the change.
NOISE = 2


def text_diff(before: str, after: str) -> list[Piece]:
    """What was deleted and inserted, each changed stretch as one deletion then one insertion."""
    raw: list[Piece] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            raw.append(Piece("equal", before[a1:a2]))
            continue
        if op in ("delete", "replace"):
            raw.append(Piece("delete", before[a1:a2]))
        if op in ("insert", "replace"):
            raw.append(Piece("insert", after[b1:b2]))
    for i in range(1, len(raw) - 1):
        if raw[i].op == "equal" and len(raw[i].text) <= NOISE and raw[i - 1].op != "equal" != raw[i + 1].op:
            raw[i] = Piece("both", raw[i].text)
    pieces: list[Piece] = []
    deleted = inserted = ""
    for piece in [*raw, Piece("equal", "")]:
        if piece.op == "equal":
            pieces += [Piece(op, text) for op, text in (("delete", deleted), ("insert", inserted)) if text]
            deleted = inserted = ""
            if piece.text:
                pieces.append(piece)
        else:
            deleted += piece.text if piece.op in ("delete", "both") else ""
            inserted += piece.text if piece.op in ("insert", "both") else ""
    return pieces


def _similarity(a: ParsedArticle, b: ParsedArticle) -> float:
    return SequenceMatcher(None, a.body, b.body, autojunk=False).ratio()


def _pair_region(draft: list[ParsedArticle], issued: list[ParsedArticle]) -> list[ArticleChange]:
    """Inside a stretch where the texts differ: each draft article is paired, in order, with the most
    similar issued article not yet taken after the last pairing; what is left was removed or added."""
    changes: list[ArticleChange] = []
    start = 0
    for old in draft:
        scores = [(_similarity(old, new), j) for j, new in enumerate(issued[start:], start=start)]
        best = max(scores, default=(0.0, -1))
        if best[0] < SAME_ARTICLE:
            changes.append(ArticleChange(ChangeKind.REMOVED, old, None))
            continue
        j = best[1]
        changes += [ArticleChange(ChangeKind.ADDED, None, new) for new in issued[start:j]]
        new = issued[j]
        changes.append(ArticleChange(ChangeKind.CHANGED, old, new, text_diff(old.body, new.body)))
        start = j + 1
    changes += [ArticleChange(ChangeKind.ADDED, None, new) for new in issued[start:]]
    return changes


def compare(draft: list[ParsedArticle], issued: list[ParsedArticle]) -> list[ArticleChange]:
    """Every article of either text once, in the issued text's order (a removed article where it stood
    in the draft). Articles with the same words are unchanged even when renumbered."""
    matcher = SequenceMatcher(None, [a.body for a in draft], [a.body for a in issued], autojunk=False)
    changes: list[ArticleChange] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            same = zip(draft[a1:a2], issued[b1:b2], strict=True)
            changes += [ArticleChange(ChangeKind.UNCHANGED, old, new) for old, new in same]
        else:
            changes += _pair_region(draft[a1:a2], issued[b1:b2])
    return changes
