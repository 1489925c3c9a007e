"""Read side of a decision's life after issue: its interpretations against their target, its execution
updates, and the state its status changes leave it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from consult.decisions.models import Decision, DecisionResult
from consult.implementation.models import ExecutionUpdate, Interpretation, StatusChange, StatusChangeKind
from consult.implementation.rules import (
    ExecutionState,
    InterpretationStanding,
    interpretation_target,
    interpreted_in_step,
    state_after,
)
from consult.implementation.visibility import (
    public_execution_updates,
    public_interpretations,
    public_status_changes,
)
from consult.settings import Settings


def standing(result: DecisionResult, published: list[Interpretation], settings: Settings) -> InterpretationStanding:
    """Forms count once each (five 文字解读 are one form); the first publication date decides 三同步."""
    first = min((i.published_on for i in published), default=None)
    return InterpretationStanding(
        forms=len({i.form for i in published}),
        target=interpretation_target(result.issuing_level, settings),
        in_step=interpreted_in_step(result.issued_on, first),
    )


async def execution_states(decision_ids: list[int]) -> dict[int, ExecutionState]:
    """Each issued decision's state (in force unless changed); decisions without a result are left out."""
    issued = await DecisionResult.filter(decision_id__in=decision_ids).values_list("decision_id", flat=True)
    history: dict[int, list[StatusChangeKind]] = {d: [] for d in issued}
    for decision_id, kind in (
        await StatusChange.filter(decision_id__in=list(history))
        .order_by("effective_on", "id")
        .values_list("decision_id", "kind")
    ):
        history[decision_id].append(StatusChangeKind(kind))
    return {d: state_after(kinds) for d, kinds in history.items()}


@dataclass
class AfterIssue:
    """What the topic page and the API show of an issued decision."""

    state: ExecutionState
    interpretations: list[Interpretation] = field(default_factory=list)
    standing: InterpretationStanding | None = None
    updates: list[ExecutionUpdate] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)


async def after_issue(decision: Decision, result: DecisionResult, settings: Settings) -> AfterIssue:
    interpretations = await public_interpretations().filter(decision_id=decision.id)
    changes = await public_status_changes().filter(decision_id=decision.id).order_by("effective_on", "id")
    return AfterIssue(
        state=state_after([c.kind for c in changes]),
        interpretations=interpretations,
        standing=standing(result, interpretations, settings),
        updates=await public_execution_updates().filter(decision_id=decision.id).order_by("-reported_on", "-id"),
        changes=changes,
    )


@dataclass(frozen=True)
class InterpretationGap:
    decision: Decision
    result: DecisionResult
    standing: InterpretationStanding


async def interpretation_gaps(year: int, department_ids: list[int], settings: Settings) -> list[InterpretationGap]:
    """The dashboard's list: documents of these departments issued in `year` below their interpretation
    target or not interpreted in step with their issue (三同步), the furthest behind first."""
    results = await DecisionResult.filter(
        issued_on__gte=date(year, 1, 1), issued_on__lte=date(year, 12, 31), decision__department_id__in=department_ids
    ).prefetch_related("decision__department")
    published: dict[int, list[Interpretation]] = {}
    for item in await Interpretation.filter(
        decision_id__in=[r.decision_id for r in results], published_at__isnull=False
    ):
        published.setdefault(item.decision_id, []).append(item)
    gaps = []
    for result in results:
        state = standing(result, published.get(result.decision_id, []), settings)
        if state.below_target or not state.in_step:
            gaps.append(InterpretationGap(result.decision, result, state))
    return sorted(gaps, key=lambda g: (g.standing.forms - g.standing.target, g.result.issued_on))


async def to_manage(decision: Decision) -> dict[str, Any]:
    """The staff page's part: every interpretation with its review state, every update, the changes."""
    return {
        "interpretations": await Interpretation.filter(decision_id=decision.id).prefetch_related("created_by"),
        "updates": await ExecutionUpdate.filter(decision_id=decision.id).order_by("-reported_on", "-id"),
        "changes": await StatusChange.filter(decision_id=decision.id).order_by("effective_on", "id"),
    }
