"""Moderation (留言审看) transitions. Only services change a comment's state, and only along these."""

from __future__ import annotations

from consult.comments.models import ModerationState as S
from consult.errors import Conflict

MODERATION_TRANSITIONS: dict[S, set[S]] = {
    S.PENDING: {S.PUBLISHED, S.WITHHELD},
    # Personal data found after publication; or a withheld comment reconsidered.
    S.PUBLISHED: {S.WITHHELD},
    S.WITHHELD: {S.PUBLISHED},
}


def check_moderation(current: S, target: S) -> None:
    if target not in MODERATION_TRANSITIONS[current]:
        raise Conflict("The comment is already in that state, or cannot move to it from its current state.")
