"""Read side of a decision's life after issue: its interpretations against their target, its execution
updates, and the state its status changes leave it in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from consult.comments.models import Comment, ModerationState
from consult.decisions.models import Decision, DecisionResult
from consult.drafts.articles import ParsedArticle, split_articles
from consult.drafts.models import Article, Consultation, Draft
from consult.drafts.visibility import public_consultations
from consult.implementation.changes import ArticleChange, ChangeKind, Piece, compare, text_diff
from consult.implementation.models import (
    ChangeLink,
    ExecutionUpdate,
    Interpretation,
    InterpretationFile,
    StatusChange,
    StatusChangeKind,
)
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
    interpretations = await Interpretation.filter(decision_id=decision.id)
    files = await InterpretationFile.filter(interpretation_id__in=[i.id for i in interpretations]).values_list(
        "interpretation_id", "filename"
    )
    return {
        "interpretations": interpretations,
        "files": dict(files),
        "updates": await ExecutionUpdate.filter(decision_id=decision.id).order_by("-reported_on", "-id"),
        "changes": await StatusChange.filter(decision_id=decision.id).order_by("effective_on", "id"),
    }


@dataclass
class LinkedComment:
    link_id: int
    id: int
    consultation_id: int
    body: str
    status: str
    proposed_text: str = ""


@dataclass
class ChangesView:
    """The consulted draft against the issued text, with the comments that changed each article."""

    draft: Draft
    consultation: Consultation
    result: DecisionResult
    changes: list[ArticleChange]
    links: dict[str, list[LinkedComment]]
    counts: dict[str, int]


async def changes_view(decision: Decision) -> ChangesView | None:
    """None until the decision is issued with its text, after a public consultation on a draft."""
    result = await DecisionResult.get_or_none(decision_id=decision.id)
    consultation = await public_consultations().filter(decision_id=decision.id).order_by("-starts_on", "-id").first()
    if result is None or not result.text.strip() or consultation is None:
        return None
    draft = await Draft.get(id=consultation.draft_id)
    consulted = [ParsedArticle(a.label, a.chapter, a.body) for a in await Article.filter(draft_id=draft.id)]
    changes = compare(consulted, split_articles(result.text))
    links: dict[str, list[LinkedComment]] = {}
    rows = await ChangeLink.filter(decision_id=decision.id, comment__state=ModerationState.PUBLISHED).prefetch_related(
        "comment__answer"
    )
    for link in rows:
        comment = link.comment
        status = comment.answer.public_status.value if comment.answer and comment.answer.public_status else ""
        links.setdefault(link.article_label, []).append(
            LinkedComment(link.id, comment.id, comment.consultation_id, comment.body, status, comment.proposed_text)
        )
    counts = {kind.value: sum(1 for c in changes if c.kind is kind) for kind in ChangeKind}
    return ChangesView(draft, consultation, result, changes, links, counts)


async def articles_changed_by(comment_id: int) -> tuple[int, list[str]] | None:
    """For a comment's receipt: the decision and the issued articles its adopted answer changed."""
    links = await ChangeLink.filter(comment_id=comment_id).order_by("id")
    if not links:
        return None
    return links[0].decision_id, [link.article_label for link in links]


@dataclass
class Proposal:
    comment: Comment
    pieces: list[Piece]
    status: str
    changed: list[str]


async def proposals_by_article(consultation: Consultation) -> list[tuple[Article, list[Proposal]]]:
    """For staff: each article that received proposed wording, with every proposal not withheld as a
    diff against it, its answer, and the issued articles it was linked to."""
    articles = {a.id: a for a in await Article.filter(draft_id=consultation.draft_id)}
    comments = (
        await Comment.filter(consultation_id=consultation.id, article_id__isnull=False)
        .exclude(proposed_text="")
        .exclude(state=ModerationState.WITHHELD)
        .order_by("id")
        .prefetch_related("answer")
    )
    linked: dict[int, list[str]] = {}
    for comment_id, label in await ChangeLink.filter(comment_id__in=[c.id for c in comments]).values_list(
        "comment_id", "article_label"
    ):
        linked.setdefault(comment_id, []).append(label)
    grouped: dict[int, list[Proposal]] = {}
    for c in comments:
        answer = c.answer
        status = (answer.public_status or answer.status).value if answer else ""
        pieces = text_diff(articles[c.article_id].body, c.proposed_text)
        grouped.setdefault(c.article_id, []).append(Proposal(c, pieces, status, linked.get(c.id, [])))
    return [(articles[aid], grouped[aid]) for aid in sorted(grouped, key=lambda aid: articles[aid].seq)]


async def interpretations_to_review(user_department_id: int | None, everyone: bool) -> list[Interpretation]:
    """The review queue's part: interpretations waiting for a reviewer of their department (the office
    sees every department's)."""
    pending = Interpretation.filter(review_state="pending").prefetch_related("decision")
    if not everyone:
        pending = pending.filter(decision__department_id=user_department_id)
    return await pending.order_by("created_at", "id")
