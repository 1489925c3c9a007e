"""The rules after a decision is issued, each in one function with its source. Figures that local rules
set differently are settings (consult/settings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from consult.decisions.models import IssuingLevel
from consult.implementation.models import StatusChangeKind
from consult.settings import Settings


def interpretation_target(level: IssuingLevel, settings: Settings) -> int:
    """Seed 002 (政策文件不解读不运转): a document issued in the government's or its office's name is
    interpreted in at least 5 forms, one of a department or a town in at least 2 (both settings)."""
    if level is IssuingLevel.GOVERNMENT:
        return settings.interpretation_forms_government
    return settings.interpretation_forms_department


def interpreted_in_step(issued_on: date, first_published_on: date | None) -> bool:
    """三同步 (seed 000, 国办发〔2016〕80号): the first interpretation is published with the document,
    on its issue day at the latest. An interpretation dated before the issue day counts (prepared
    with it); none at all does not."""
    return first_published_on is not None and first_published_on <= issued_on


@dataclass(frozen=True)
class InterpretationStanding:
    """How an issued decision's interpretations stand against the rules."""

    forms: int
    target: int
    in_step: bool

    @property
    def below_target(self) -> bool:
        return self.forms < self.target


class ExecutionState(StrEnum):
    """What the public sees of an issued decision now (执行中/已调整/已暂停/已停止)."""

    IN_FORCE = "in_force"
    ADJUSTED = "adjusted"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


# 国务院令第713号 第三十八条: the decision-making body may stop, suspend or adjust a decision in force.
# A suspended decision may resume (as it was, or adjusted); a terminated one is over: a new policy is a
# new decision with its own procedure.
ALLOWED_CHANGES: dict[ExecutionState, frozenset[StatusChangeKind]] = {
    ExecutionState.IN_FORCE: frozenset(
        {StatusChangeKind.ADJUSTED, StatusChangeKind.SUSPENDED, StatusChangeKind.TERMINATED}
    ),
    ExecutionState.ADJUSTED: frozenset(
        {StatusChangeKind.ADJUSTED, StatusChangeKind.SUSPENDED, StatusChangeKind.TERMINATED}
    ),
    ExecutionState.SUSPENDED: frozenset(
        {StatusChangeKind.RESUMED, StatusChangeKind.ADJUSTED, StatusChangeKind.TERMINATED}
    ),
    ExecutionState.TERMINATED: frozenset(),
}
STATE_AFTER: dict[StatusChangeKind, ExecutionState] = {
    StatusChangeKind.ADJUSTED: ExecutionState.ADJUSTED,
    StatusChangeKind.SUSPENDED: ExecutionState.SUSPENDED,
    StatusChangeKind.TERMINATED: ExecutionState.TERMINATED,
}


def state_after(history: list[StatusChangeKind]) -> ExecutionState:
    """The state an issued decision is in after its changes, oldest first. Resuming returns it to
    what it was before the suspension (in force, or adjusted if it ever was)."""
    state, adjusted = ExecutionState.IN_FORCE, False
    for kind in history:
        if kind is StatusChangeKind.RESUMED:
            state = ExecutionState.ADJUSTED if adjusted else ExecutionState.IN_FORCE
        else:
            state = STATE_AFTER[kind]
            adjusted = adjusted or kind is StatusChangeKind.ADJUSTED
    return state


def change_allowed(state: ExecutionState, kind: StatusChangeKind) -> bool:
    return kind in ALLOWED_CHANGES[state]


def needs_new_document(kind: StatusChangeKind) -> bool:
    """An adjustment is made by a new or amended document, whose number or link is recorded with it
    (713号令 第三十八条: adjusted through the decision procedure); the others need only their reason."""
    return kind is StatusChangeKind.ADJUSTED
