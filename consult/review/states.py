"""Review (答复审核) transitions. Only `consult.review.services` changes a review state, and only along these."""

from __future__ import annotations

from consult.errors import Conflict
from consult.review.models import ReviewState as S

REVIEW_TRANSITIONS: dict[S, set[S]] = {
    # Approved or returned by a reviewer; or revised again by its author before anyone reviewed it.
    S.PENDING: {S.APPROVED, S.RETURNED, S.PENDING},
    # The author revises it and sends it back.
    S.RETURNED: {S.PENDING},
    # A revision of a published answer; or returned by the platform when its group became a
    # concentrated opinion that the published reason no longer answers well enough.
    S.APPROVED: {S.PENDING, S.RETURNED},
}


def check_review_transition(current: S, target: S) -> None:
    if target not in REVIEW_TRANSITIONS[current]:
        if current is not S.PENDING and target in (S.APPROVED, S.RETURNED):
            raise Conflict("This answer is not waiting for review.")
        raise Conflict("The answer cannot move to that state from its current state.")
