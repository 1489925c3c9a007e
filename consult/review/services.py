"""Propose an answer → review → approve (publish) or return. Written once for every reviewed item.

An area makes its items reviewable by describing them as a `ReviewKind` (how to find the department,
any extra rule before approval, what must commit with the approval, what follows it) and registering
it in `consult/wiring.py`. A new kind (a policy interpretation, an evaluation report) costs a model
that extends `ReviewedAnswer` and one `ReviewKind`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from consult.accounts.models import User
from consult.accounts.permissions import can_approve_answer, can_review, is_admin
from consult.errors import PermissionDenied, ValidationError
from consult.i18n import N_
from consult.review.models import AnswerStatus, ReviewedAnswer, ReviewState
from consult.review.states import check_review_transition

# Published reasons are read on a phone and printed in the report: a few pages at most.
MAX_REASON = 5000
REASON_REQUIRED = N_("Give the reason: it is required unless the comment is adopted.")

ItemHook = Callable[[ReviewedAnswer, datetime], Awaitable[None]]
R = TypeVar("R", bound=ReviewedAnswer)


@dataclass(frozen=True)
class ReviewKind:
    name: str
    model: type[ReviewedAnswer]
    # The relation path from the item to the department that answers it; none means the office.
    department_path: str
    # What a reviewer sees with the item (prefetched for the review queue).
    related: tuple[str, ...] = ()
    # Rules beyond the common ones, checked before approval; raises ValidationError on the note.
    check_approval: Callable[[ReviewedAnswer], Awaitable[None]] | None = None
    # In the approval's transaction: what must not exist without it (inherited copies, outbox mail).
    # Receives whether this is the item's first publication.
    on_approved: Callable[[ReviewedAnswer, bool, datetime], Awaitable[None]] | None = None
    # After the commit: index refreshes and signals to other areas.
    after_approved: ItemHook | None = None


KINDS: dict[str, ReviewKind] = {}


def register(kind: ReviewKind) -> None:
    KINDS[kind.name] = kind


def kind_of(item: ReviewedAnswer) -> ReviewKind:
    for kind in KINDS.values():
        if isinstance(item, kind.model):
            return kind
    raise LookupError(f"{type(item).__name__} is not registered as a reviewed item")


async def department_of(item: ReviewedAnswer) -> int:
    """The department whose reviewers decide (-1: none, so only the government office)."""
    kind = kind_of(item)
    values = await kind.model.filter(id=item.id).values_list(kind.department_path, flat=True)
    return values[0] if values and values[0] is not None else -1


def pending_for(kind: ReviewKind, user: User) -> QuerySet[ReviewedAnswer]:
    """What waits for this reviewer: every department's for the office, else their own department's."""
    queryset = kind.model.filter(review_state=ReviewState.PENDING)
    if not is_admin(user):
        queryset = queryset.filter(**{kind.department_path: user.department_id})
    return queryset.order_by("answered_at", "id").prefetch_related("answered_by", *kind.related)


def checked_reason(status: AnswerStatus, reason: str) -> str:
    """Every answer but "adopted" gives its reason (DOMAIN: the department answers every comment)."""
    reason = reason.strip()
    if status is not AnswerStatus.ADOPTED and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": N_("Too long.")})
    return reason


def revise(item: ReviewedAnswer, status: AnswerStatus, reason: str, actor: User, now: datetime) -> None:
    """A new proposal on an existing item goes back to the reviewers (the caller saves). The public
    copy, if any, stays up until this revision is approved."""
    check_review_transition(item.review_state, ReviewState.PENDING)
    item.status, item.reason = status, checked_reason(status, reason)
    item.answered_by, item.answered_at = actor, now
    item.review_state, item.review_note = ReviewState.PENDING, ""


def returned_by_platform(item: ReviewedAnswer, note: str) -> None:
    """A published answer that a rule no longer accepts goes back to its author (the caller saves)."""
    check_review_transition(item.review_state, ReviewState.RETURNED)
    item.review_state, item.review_note = ReviewState.RETURNED, note


async def propose(
    model: type[R], owner: dict[str, object], status: AnswerStatus, reason: str, actor: User, now: datetime
) -> R:
    """The answer to one item (`owner`: the field naming it, e.g. {"opinion": opinion}): a new proposal,
    or a revision of the existing one; either waits for a reviewer."""
    key = {f"{name}_id": value.pk for name, value in owner.items()}  # type: ignore[attr-defined]
    answer = await model.get_or_none(**key)
    if answer is None:
        reason = checked_reason(status, reason)
        return await model.create(**owner, status=status, reason=reason, answered_by=actor, answered_at=now)
    revise(answer, status, reason, actor, now)
    await answer.save()
    return answer


async def review(
    item: ReviewedAnswer,
    approve: bool,
    note: str,
    actor: User,
    now: datetime,
    *,
    check_approval: Callable[[ReviewedAnswer], Awaitable[None]] | None = None,
) -> None:
    """A reviewer of the department, never the author, decides on a pending answer. Approval copies
    the proposal to what the public sees; returning it needs a note telling the author what to change.
    `check_approval` replaces the kind's own extra rule (a rule with other figures)."""
    kind = kind_of(item)
    check_approval = check_approval or kind.check_approval
    department_id = await department_of(item)
    if not can_review(actor, department_id):
        raise PermissionDenied("Only a reviewer of the department can approve answers.")
    if not can_approve_answer(actor, department_id, item.answered_by_id):
        raise PermissionDenied("You cannot approve an answer you wrote yourself.")
    check_review_transition(item.review_state, ReviewState.APPROVED if approve else ReviewState.RETURNED)
    item.reviewed_by, item.reviewed_at = actor, now
    if not approve:
        if not note.strip():
            raise ValidationError({"note": N_("Tell the author what to change.")})
        item.review_state, item.review_note = ReviewState.RETURNED, note.strip()
        await item.save()
        return
    if check_approval is not None:
        await check_approval(item)
    first_publication = item.published_at is None
    item.review_state = ReviewState.APPROVED
    item.public_status, item.public_reason = item.status, item.reason
    item.published_at = now
    item.review_note = note.strip()
    async with in_transaction("default"):
        await item.save()
        if kind.on_approved is not None:
            await kind.on_approved(item, first_publication, now)
    if kind.after_approved is not None:
        await kind.after_approved(item, now)
