"""Applications to attend and attendance: the transitions, written once for meetings and hearings.
Services change an applicant's status and attendance only along these (国务院令第713号 Art.29; the
selection rules in DOMAIN.md)."""

from __future__ import annotations

from consult.errors import Conflict
from consult.participation.models import ApplicationStatus as A
from consult.participation.models import Attendance

APPLICATION_TRANSITIONS: dict[A, set[A]] = {
    # Decided once, by hand with a recorded reason or by the public lottery.
    A.APPLIED: {A.SELECTED, A.NOT_SELECTED},
    A.SELECTED: set(),
    A.NOT_SELECTED: set(),
    # Invited by the office (experts, media): never applied, never drawn.
    A.INVITED: set(),
}

# Who can be marked as having attended (or not): the selected and the invited, only.
MAY_ATTEND: frozenset[A] = frozenset({A.SELECTED, A.INVITED})


def check_application(current: A, target: A) -> None:
    if target not in APPLICATION_TRANSITIONS[current]:
        raise Conflict("This application has already been decided.")


def check_attendance(status: A, attendance: Attendance) -> None:
    """Attendance may be corrected either way once recorded, but only for someone with a seat."""
    if status not in MAY_ATTEND:
        raise Conflict("Only selected or invited attendees can attend.")
