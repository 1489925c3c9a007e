"""The transition tables a reviewer, an author or the office moves along, read as a table."""

from __future__ import annotations

import pytest

from consult.errors import Conflict
from consult.participation.models import ApplicationStatus as A
from consult.participation.models import Attendance
from consult.participation.states import check_application, check_attendance
from consult.review.models import ReviewState as R
from consult.review.states import check_review_transition

REVIEW = [
    # (from, to, allowed, why)
    (R.PENDING, R.APPROVED, True, "a reviewer approves"),
    (R.PENDING, R.RETURNED, True, "a reviewer returns it with a note"),
    (R.PENDING, R.PENDING, True, "its author revises it again before anyone reviewed it"),
    (R.RETURNED, R.PENDING, True, "its author revises it and sends it back"),
    (R.RETURNED, R.APPROVED, False, "a returned answer is not approved until revised"),
    (R.RETURNED, R.RETURNED, False, "nothing to return"),
    (R.APPROVED, R.PENDING, True, "a published answer is revised; the public copy stays up"),
    (R.APPROVED, R.RETURNED, True, "a group became concentrated: the platform returns the answer"),
    (R.APPROVED, R.APPROVED, False, "approved twice"),
]


@pytest.mark.parametrize(("current", "target", "allowed", "why"), REVIEW)
def test_review_transitions(current: R, target: R, allowed: bool, why: str) -> None:
    if allowed:
        check_review_transition(current, target)
    else:
        with pytest.raises(Conflict):
            check_review_transition(current, target)


APPLICATION = [
    (A.APPLIED, A.SELECTED, True, "selected by hand or by the lottery"),
    (A.APPLIED, A.NOT_SELECTED, True, "not selected, with the reason"),
    (A.SELECTED, A.NOT_SELECTED, False, "a decided application stays decided"),
    (A.NOT_SELECTED, A.SELECTED, False, "a decided application stays decided"),
    (A.INVITED, A.SELECTED, False, "the invited were never in the draw"),
]


@pytest.mark.parametrize(("current", "target", "allowed", "why"), APPLICATION)
def test_application_transitions(current: A, target: A, allowed: bool, why: str) -> None:
    if allowed:
        check_application(current, target)
    else:
        with pytest.raises(Conflict):
            check_application(current, target)


ATTENDANCE = [
    (A.SELECTED, True),
    (A.INVITED, True),
    (A.APPLIED, False),
    (A.NOT_SELECTED, False),
]


@pytest.mark.parametrize(("status", "may_attend"), ATTENDANCE)
def test_only_those_with_a_seat_are_marked_as_attending(status: A, may_attend: bool) -> None:
    for attendance in Attendance:
        if may_attend:
            check_attendance(status, attendance)
        else:
            with pytest.raises(Conflict):
                check_attendance(status, attendance)
