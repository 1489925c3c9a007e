"""The rules after issue, as a lawyer would read them: one row per case."""

from __future__ import annotations

from datetime import date

import pytest

from consult.decisions.models import IssuingLevel
from consult.implementation.models import StatusChangeKind as K
from consult.implementation.rules import (
    ExecutionState as S,
)
from consult.implementation.rules import (
    change_allowed,
    interpretation_target,
    interpreted_in_step,
    needs_new_document,
    state_after,
)
from consult.settings import Settings

ISSUED = date(2026, 9, 25)


@pytest.mark.parametrize(
    ("level", "settings", "forms"),
    [
        # Seed 002: 以政府或政府办公室名义印发的，不少于5种形式解读；部门或乡镇的，不少于2种.
        (IssuingLevel.GOVERNMENT, Settings(), 5),
        (IssuingLevel.DEPARTMENT, Settings(), 2),
        # A county whose rules ask more sets its own figures.
        (IssuingLevel.GOVERNMENT, Settings(interpretation_forms_government=6), 6),
        (IssuingLevel.DEPARTMENT, Settings(interpretation_forms_department=3), 3),
    ],
)
def test_how_many_forms_of_interpretation_a_document_needs(level, settings, forms) -> None:
    assert interpretation_target(level, settings) == forms


@pytest.mark.parametrize(
    ("first_published_on", "in_step"),
    [
        (ISSUED, True),  # 三同步: published the day the document is issued
        (date(2026, 9, 24), True),  # prepared and published with it the day before
        (date(2026, 9, 26), False),  # a day late
        (None, False),  # not interpreted at all
    ],
)
def test_interpretation_published_with_the_document(first_published_on, in_step) -> None:
    assert interpreted_in_step(ISSUED, first_published_on) is in_step


@pytest.mark.parametrize(
    ("history", "state"),
    [
        ([], S.IN_FORCE),
        ([K.ADJUSTED], S.ADJUSTED),
        ([K.SUSPENDED], S.SUSPENDED),
        ([K.SUSPENDED, K.RESUMED], S.IN_FORCE),
        ([K.ADJUSTED, K.SUSPENDED, K.RESUMED], S.ADJUSTED),  # resumes as adjusted
        ([K.SUSPENDED, K.RESUMED, K.SUSPENDED, K.RESUMED], S.IN_FORCE),
        ([K.ADJUSTED, K.TERMINATED], S.TERMINATED),
    ],
)
def test_the_state_a_decision_is_left_in(history, state) -> None:
    assert state_after(history) is state


@pytest.mark.parametrize(
    ("state", "change", "allowed"),
    [
        # 国务院令第713号 第三十八条: a decision in force may be adjusted, suspended or stopped.
        (S.IN_FORCE, K.ADJUSTED, True),
        (S.IN_FORCE, K.SUSPENDED, True),
        (S.IN_FORCE, K.TERMINATED, True),
        (S.IN_FORCE, K.RESUMED, False),  # nothing to resume
        (S.ADJUSTED, K.ADJUSTED, True),
        (S.SUSPENDED, K.RESUMED, True),
        (S.SUSPENDED, K.SUSPENDED, False),
        (S.SUSPENDED, K.ADJUSTED, True),  # resumes in a new form
        (S.TERMINATED, K.RESUMED, False),  # over: a new policy is a new decision
        (S.TERMINATED, K.ADJUSTED, False),
    ],
)
def test_which_changes_a_decision_may_undergo(state, change, allowed) -> None:
    assert change_allowed(state, change) is allowed


@pytest.mark.parametrize(("change", "needs"), [(K.ADJUSTED, True), (K.SUSPENDED, False), (K.TERMINATED, False)])
def test_only_an_adjustment_names_a_new_document(change, needs) -> None:
    assert needs_new_document(change) is needs
