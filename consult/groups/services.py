"""Grouping comments that say the same thing, and answering each group once.

A group's approved answer is copied to every published member that has no answer of its own, as an
Answer row pointing at the group answer. Counting, the public pages, the receipt, the report and the
CSV therefore read one table, and a member's own answer overrides simply by being its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from consult import forms
from consult.accounts.models import Department, User
from consult.accounts.permissions import can_edit_department_content
from consult.answers.events import answers_published
from consult.answers.models import Answer
from consult.answers.services import queue_answer_mail
from consult.comments.models import Comment, ModerationState
from consult.comments.search import refresh_comment_statuses
from consult.drafts.models import Consultation
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.groups.models import AnswerTemplate, CommentGroup, GroupAnswer
from consult.groups.queries import forget_suggestions
from consult.groups.rules import ConcentratedRule, contradicts
from consult.groups.similarity import MATCH_SCORE, cluster, normalise
from consult.i18n import N_, gettext, language
from consult.review.models import AnswerStatus, ReviewedAnswer, ReviewState
from consult.review.services import MAX_REASON, ReviewKind, checked_reason, returned_by_platform, review, revise
from consult.settings import active

log = logging.getLogger("consult.groups")
CHUNK = 5000  # SQLite allows at most 32,766 bound parameters in one statement
SUMMARY_LENGTH = 60


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _summary(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


async def refresh_summary(group_id: int | None) -> None:
    """An automatic group's public one-line summary comes from a published member only: the first one
    published, kept while it stays published, and taken from the next when it is withheld. A summary
    staff wrote is theirs and stays."""
    if group_id is None:
        return
    group = await CommentGroup.get_or_none(id=group_id)
    if group is None or (group.summary and group.summary_source_id is None):
        return
    if (
        group.summary_source_id is not None
        and await Comment.filter(
            id=group.summary_source_id, group_id=group_id, state=ModerationState.PUBLISHED
        ).exists()
    ):
        return
    source = await Comment.filter(group_id=group_id, state=ModerationState.PUBLISHED).order_by("id").first()
    group.summary = _summary(source.body) if source else ""
    group.summary_source_id = source.id if source else None
    await group.save(update_fields=["summary", "summary_source_id"])


async def _department_id(consultation_id: int) -> int:
    consultation = await Consultation.get(id=consultation_id).prefetch_related("decision")
    return consultation.decision.department_id


async def _require_department(actor: User, consultation_id: int) -> None:
    if not can_edit_department_content(actor, await _department_id(consultation_id)):
        raise PermissionDenied("This decision belongs to another department.")


# ---- arriving comments ----------------------------------------------------------------------------


@dataclass
class _Ungrouped:
    """Normalised texts of a consultation's ungrouped comments, kept per process and topped up."""

    upto: int = 0
    texts: dict[int, str] = field(default_factory=dict)


_indexes: dict[int, _Ungrouped] = {}


def reset_indexes() -> None:
    """Forget this process's caches (the test suite, between tests that reuse ids)."""
    _indexes.clear()
    forget_suggestions()


async def _ungrouped(consultation_id: int, before: int) -> _Ungrouped:
    index = _indexes.setdefault(consultation_id, _Ungrouped())
    rows = await Comment.filter(
        consultation_id=consultation_id, group_id__isnull=True, id__gt=index.upto, id__lt=before
    ).values_list("id", "body")
    for comment_id, body in rows:
        index.texts[comment_id] = normalise(body)
    index.upto = max(index.upto, before - 1)
    return index


async def assign_new_comment(comment: Comment, now: datetime) -> CommentGroup | None:
    """Put a new comment in the group it copies, or pair it with an ungrouped comment it copies.

    Representatives of the groups first (few, and cheap to compare), then the ungrouped comments.
    """
    norm = normalise(comment.body)
    if not norm:
        return None
    cid = comment.consultation_id
    reps = dict(
        await CommentGroup.filter(consultation_id=cid).exclude(representative="").values_list("id", "representative")
    )
    best = process.extractOne(norm, reps, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE) if reps else None
    if best:
        group = await CommentGroup.get(id=best[2])
        await _join(group, [comment.id], now)
        await refresh_comment_statuses([comment.id])
        return group
    index = await _ungrouped(cid, comment.id)
    best = process.extractOne(norm, index.texts, scorer=fuzz.ratio, score_cutoff=MATCH_SCORE) if index.texts else None
    if best is None:
        index.texts[comment.id] = norm
        return None
    other = await Comment.get_or_none(id=best[2], consultation_id=cid)
    index.texts.pop(best[2], None)
    if other is None:  # the cache outlived its rows (another process deleted them): start again next time
        _indexes.pop(cid, None)
        return None
    if other.group_id is not None:  # grouped since this process cached it
        group = await CommentGroup.get(id=other.group_id)
        await _join(group, [comment.id], now)
        await refresh_comment_statuses([comment.id])
        return group
    group = await CommentGroup.create(
        consultation_id=cid,
        summary="",
        article_id=other.article_id or comment.article_id,
        representative=best[0],
        automatic=True,
        created_at=now,
    )
    await _join(group, [other.id, comment.id], now)
    return group


async def _join(group: CommentGroup, comment_ids: list[int], now: datetime) -> None:
    for chunk in _chunks(comment_ids):
        await Comment.filter(id__in=chunk).update(group_id=group.id)
    answer = await GroupAnswer.get_or_none(group_id=group.id, published_at__isnull=False)
    if answer is not None:
        await _inherit(answer, now, comment_ids)
    await refresh_summary(group.id)
    await recheck_group(group.id)


# ---- the batch pass ----------------------------------------------------------------------------


async def group_new_comments(consultation_id: int, now: datetime) -> int:
    """Cluster the comments that arrived since the last pass, against the existing groups and the
    comments still alone. Never moves a comment that already has a group. Returns how many joined."""
    consultation = await Consultation.get(id=consultation_id)
    rows = (
        await Comment.filter(consultation_id=consultation_id, id__gt=consultation.grouped_upto)
        .order_by("id")
        .values_list("id", "body", "group_id", "article_id")
    )
    if not rows:
        return 0
    fresh = [r for r in rows if r[2] is None]
    leaders = {
        f"g:{gid}": rep
        for gid, rep in await CommentGroup.filter(consultation_id=consultation_id).values_list("id", "representative")
        if rep
    }
    alone = await Comment.filter(
        consultation_id=consultation_id, group_id__isnull=True, id__lte=consultation.grouped_upto
    ).values_list("id", "body")
    leaders.update({f"c:{cid}": normalise(body) for cid, body in alone})
    assignment, new_clusters = await asyncio.to_thread(cluster, [r[1] for r in fresh], leaders)
    members: dict[str, list[int]] = {}
    for row, key in zip(fresh, assignment, strict=True):
        if key is not None:
            members.setdefault(key, []).append(row[0])
    articles = {r[0]: r[3] for r in fresh}
    joined = 0
    async with in_transaction():
        for key, ids in members.items():
            if key.startswith("g:"):
                group = await CommentGroup.get(id=int(key[2:]))
            else:
                first_id = int(key[2:]) if key.startswith("c:") else ids[0]
                if key.startswith("c:"):
                    ids = [first_id, *ids]
                first = await Comment.get(id=first_id)
                article = Counter(articles.get(i, first.article_id) for i in ids).most_common(1)[0][0]
                group = await CommentGroup.create(
                    consultation_id=consultation_id,
                    summary="",
                    article_id=article,
                    representative=leaders.get(key) or new_clusters.get(key) or normalise(first.body),
                    automatic=True,
                    created_at=now,
                )
            await _join(group, ids, now)
            joined += len(ids)
        consultation.grouped_upto = rows[-1][0]
        await consultation.save(update_fields=["grouped_upto"])
    _indexes.pop(consultation_id, None)
    await refresh_comment_statuses([cid for ids in members.values() for cid in ids])
    return joined


# ---- what staff do -----------------------------------------------------------------------------


async def _detach(comment_ids: Sequence[int]) -> None:
    """Members leaving a group keep the answer they had: an inherited answer becomes their own."""
    for chunk in _chunks(list(comment_ids)):
        await Answer.filter(comment_id__in=chunk, group_answer_id__isnull=False).update(group_answer_id=None)


async def _drop_if_empty(group_ids: Iterable[int]) -> None:
    for gid in set(group_ids):
        if not await Comment.filter(group_id=gid).exists():
            await CommentGroup.filter(id=gid).delete()


async def create_group(
    consultation: Consultation, comment_ids: list[int], summary: str, actor: User, now: datetime
) -> CommentGroup:
    """Staff group comments that say the same thing in different words (a topic group)."""
    await _require_department(actor, consultation.id)
    summary = summary.strip()
    if not summary:
        raise ValidationError({"summary": N_("Write one line saying what these comments ask for.")})
    comments = await Comment.filter(id__in=comment_ids[:CHUNK], consultation_id=consultation.id)
    if len(comments) < 2:
        raise ValidationError({"comment_ids": N_("Select at least two comments of this consultation.")})
    async with in_transaction():
        old_groups = [c.group_id for c in comments if c.group_id]
        await _detach([c.id for c in comments])
        group = await CommentGroup.create(
            consultation_id=consultation.id,
            summary=summary[:200],
            article_id=Counter(c.article_id for c in comments).most_common(1)[0][0],
            representative=normalise(comments[0].body),
            automatic=False,
            created_by=actor,
            created_at=now,
        )
        await Comment.filter(id__in=[c.id for c in comments]).update(group_id=group.id)
        await _drop_if_empty(old_groups)
    return group


async def merge_groups(target: CommentGroup, source: CommentGroup, actor: User, now: datetime) -> None:
    """Members gained keep an answer of their own; the answer they inherited from the old group goes
    with it, and they inherit the target's approved answer instead, or wait for one as unanswered."""
    if target.id == source.id or target.consultation_id != source.consultation_id:
        raise ValidationError({"target_id": N_("Choose another group of this consultation.")})
    await _require_department(actor, target.consultation_id)
    async with in_transaction():
        ids = await Comment.filter(group_id=source.id).values_list("id", flat=True)
        for chunk in _chunks(ids):
            await Answer.filter(comment_id__in=chunk, group_answer_id__isnull=False).delete()
        await Comment.filter(group_id=source.id).update(group_id=target.id)
        await source.delete()
        await refresh_summary(target.id)
        answer = await GroupAnswer.get_or_none(group_id=target.id, published_at__isnull=False)
        if answer is not None:
            await _inherit(answer, now, ids)
        await recheck_group(target.id)
    await refresh_comment_statuses(ids)


async def split_comment(comment: Comment, actor: User) -> None:
    """Take one comment out of its group; it keeps its receipt, text and answer."""
    if comment.group_id is None:
        raise Conflict("This comment is not in a group.")
    await _require_department(actor, comment.consultation_id)
    async with in_transaction():
        group_id = comment.group_id
        await _detach([comment.id])
        await Comment.filter(id=comment.id).update(group_id=None)
        await _drop_if_empty([group_id])
        await refresh_summary(group_id)
        await recheck_group(group_id)


async def rename_group(group: CommentGroup, summary: str, actor: User) -> None:
    await _require_department(actor, group.consultation_id)
    if not summary.strip():
        raise ValidationError({"summary": N_("Write one line saying what these comments ask for.")})
    group.summary, group.summary_source_id = summary.strip()[:200], None
    await group.save(update_fields=["summary", "summary_source_id"])


# ---- answering a group ---------------------------------------------------------------------------


async def answer_group(
    group: CommentGroup,
    status: AnswerStatus,
    reason: str,
    actor: User,
    now: datetime,
    template: AnswerTemplate | None = None,
) -> GroupAnswer:
    await _require_department(actor, group.consultation_id)
    reason = reason.strip() or (template.text if template else "")
    answer = await GroupAnswer.get_or_none(group_id=group.id)
    if answer is None:
        reason = checked_reason(status, reason)
        return await GroupAnswer.create(group=group, status=status, reason=reason, answered_by=actor, answered_at=now)
    revise(answer, status, reason, actor, now)
    await answer.save()
    return answer


async def group_size(group_id: int) -> int:
    return await Comment.filter(group_id=group_id, state=ModerationState.PUBLISHED).count()


async def group_sizes(group_ids: Sequence[int]) -> dict[int, int]:
    """Published members of each group, in one query (a page of groups must not count row by row)."""
    rows = (
        await Comment.filter(group_id__in=list(group_ids), state=ModerationState.PUBLISHED)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values_list("group_id", "n")
    )
    return dict(rows)


async def is_group_concentrated(group: CommentGroup, rule: ConcentratedRule) -> bool:
    total = await Comment.filter(consultation_id=group.consultation_id, state=ModerationState.PUBLISHED).count()
    return rule.is_concentrated(await group_size(group.id), total)


async def recheck_group(group_id: int | None) -> bool:
    """After members joined, were published, merged in or split off: an approved answer that no longer
    meets the concentrated-opinion rule goes back to the department with the reason. Its public copy
    stays up until the revision is approved, like any revised answer."""
    answer = await GroupAnswer.get_or_none(group_id=group_id, review_state=ReviewState.APPROVED) if group_id else None
    if answer is None or answer.public_status is None:
        return False
    rule = ConcentratedRule.of(active())
    group = await CommentGroup.get(id=group_id)
    if not rule.reason_is_missing(answer.public_status, answer.public_reason):
        return False
    if not await is_group_concentrated(group, rule):
        return False
    with language("zh"):  # the note is read by the department's staff, like a reviewer's note
        note = gettext(
            "The group has become a concentrated opinion: an answer that does not adopt it needs a published "
            "reason of at least %(n)s characters. Revise the reason and send it for review again.",
            n=rule.reason_min_chars,
        )
    returned_by_platform(answer, note)
    await answer.save(update_fields=["review_state", "review_note"])
    return True


async def _reason_for_concentrated(answer: GroupAnswer, rule: ConcentratedRule) -> None:
    """A concentrated group cannot be refused without a real reason (DOMAIN: concentrated opinions)."""
    group = await CommentGroup.get(id=answer.group_id)
    if rule.reason_is_missing(answer.status, answer.reason) and await is_group_concentrated(group, rule):
        raise ValidationError(
            {
                "note": N_(
                    "Many people asked for this: an answer that does not fully adopt it needs a published reason "
                    "of at least %(n)s characters (letters, digits and Chinese characters; punctuation does not "
                    "count)."
                )
            },
            n=rule.reason_min_chars,
        )


async def _check_group_answer(answer: ReviewedAnswer) -> None:
    assert isinstance(answer, GroupAnswer)
    await _reason_for_concentrated(answer, ConcentratedRule.of(active()))


async def _members_inherit(answer: ReviewedAnswer, first_publication: bool, now: datetime) -> None:
    assert isinstance(answer, GroupAnswer)
    await _inherit(answer, now)


async def _group_answer_public(answer: ReviewedAnswer, now: datetime) -> None:
    assert isinstance(answer, GroupAnswer)
    await refresh_comment_statuses(await Answer.filter(group_answer_id=answer.id).values_list("comment_id", flat=True))
    group = await CommentGroup.get(id=answer.group_id)
    await answers_published.send(consultation_id=group.consultation_id, now=now)


GROUP_ANSWER = ReviewKind(
    name="group_answer",
    model=GroupAnswer,
    department_path="group__consultation__decision__department_id",
    related=("group__consultation__draft",),
    check_approval=_check_group_answer,
    on_approved=_members_inherit,
    after_approved=_group_answer_public,
)


async def review_group_answer(
    answer: GroupAnswer, approve: bool, note: str, actor: User, now: datetime, *, rule: ConcentratedRule
) -> None:
    """The common review, with the concentrated-opinion rule given (a county's own figures, or a test's)."""

    async def check(item: ReviewedAnswer) -> None:
        assert isinstance(item, GroupAnswer)
        await _reason_for_concentrated(item, rule)

    await review(answer, approve, note, actor, now, check_approval=check)


async def _inherit(answer: GroupAnswer, now: datetime, comment_ids: Sequence[int] | None = None) -> None:
    """Give the approved group answer to published members without an answer of their own, refresh
    the members who already inherit it, and queue mail for those who asked for it. The caller updates
    the search index once its transaction has committed."""
    members = Comment.filter(group_id=answer.group_id, state=ModerationState.PUBLISHED)
    if comment_ids is not None:
        members = members.filter(id__in=list(comment_ids)[:CHUNK])
    member_ids = await members.values_list("id", flat=True)
    has_answer: set[int] = set()
    for chunk in _chunks(member_ids):
        has_answer.update(await Answer.filter(comment_id__in=chunk).values_list("comment_id", flat=True))
    fields = {
        "status": answer.public_status,
        "reason": answer.public_reason,
        "review_state": ReviewState.APPROVED,
        "public_status": answer.public_status,
        "public_reason": answer.public_reason,
    }
    await Answer.bulk_create(
        [
            Answer(
                comment_id=cid,
                answered_by_id=answer.answered_by_id,
                answered_at=answer.answered_at,
                reviewed_by_id=answer.reviewed_by_id,
                reviewed_at=answer.reviewed_at,
                published_at=now,
                group_answer_id=answer.id,
                **fields,
            )
            for cid in member_ids
            if cid not in has_answer
        ],
        batch_size=1000,
    )
    await Answer.filter(group_answer_id=answer.id).update(**fields)
    await queue_answer_mail(answer.group_id, now)


async def inherit_group_answer(comment: Comment, now: datetime) -> None:
    """A member published after its group was answered gets the group's answer too, and the group,
    one larger, may now be concentrated."""
    answer = await GroupAnswer.get_or_none(group_id=comment.group_id, published_at__isnull=False)
    if answer is not None:
        await _inherit(answer, now, [comment.id])
    await recheck_group(comment.group_id)


async def member_moderated(comment: Comment, now: datetime) -> None:
    """After a member is published or withheld: its answer, the group's summary and the rule."""
    if comment.group_id is None:
        return
    await refresh_summary(comment.group_id)
    if comment.state is ModerationState.PUBLISHED:
        await inherit_group_answer(comment, now)


async def contradicted_group_answers(answers: Sequence[Answer]) -> dict[int, GroupAnswer]:
    """For each of these members' own answers that says the opposite of its group's answer (the approved
    one, or else the one proposed), that group answer: the reviewer sees it before approving."""
    comments = dict(
        await Comment.filter(id__in=[a.comment_id for a in answers], group_id__isnull=False).values_list(
            "id", "group_id"
        )
    )
    groups = {g.group_id: g for g in await GroupAnswer.filter(group_id__in=list(set(comments.values())))}
    found = {}
    for answer in answers:
        group_answer = groups.get(comments.get(answer.comment_id, 0))
        if group_answer is None or answer.group_answer_id is not None:
            continue
        if contradicts(answer.status, group_answer.public_status or group_answer.status):
            found[answer.id] = group_answer
    return found


async def concentrated_groups(consultation_id: int, rule: ConcentratedRule) -> list[dict]:
    """The concentrated groups, largest first, with what the public sees of their answer."""
    rows = (
        await Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED, group_id__isnull=False)
        .annotate(n=Count("id"))
        .group_by("group_id")
        .values("group_id", "n")
    )
    total = await Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED).count()
    sizes = {r["group_id"]: r["n"] for r in rows if rule.is_concentrated(r["n"], total)}
    groups = await CommentGroup.filter(id__in=list(sizes)).prefetch_related("article")
    answers = {a.group_id: a for a in await GroupAnswer.filter(group_id__in=list(sizes), published_at__isnull=False)}
    result = [
        {
            "id": g.id,
            "summary": g.summary,
            "size": sizes[g.id],
            "article": g.article.label if g.article else "",
            "status": answers[g.id].public_status.value if g.id in answers else None,
            "reason": answers[g.id].public_reason if g.id in answers else "",
        }
        for g in groups
    ]
    return sorted(result, key=lambda g: -g["size"])


# ---- answer templates --------------------------------------------------------------------------


def require_template_editor(department_id: int, actor: User) -> None:
    if not can_edit_department_content(actor, department_id):
        raise PermissionDenied("Only the department's own staff and the office manage its answer templates.")


async def add_answer_template(department_id: int, title: str, text: str, actor: User, now: datetime) -> AnswerTemplate:
    """A reusable reason of a department, offered when its staff answer."""
    if not await Department.filter(id=department_id).exists():
        raise ValidationError({"department_id": N_("Choose one of the options.")})
    require_template_editor(department_id, actor)
    errors = forms.Errors()
    title = forms.text(title, "title", errors, max_length=100)
    text = forms.text(text, "text", errors, max_length=MAX_REASON)
    errors.raise_if_any()
    return await AnswerTemplate.create(
        department_id=department_id, title=title, text=text, created_by=actor, created_at=now
    )


async def delete_answer_template(template: AnswerTemplate, actor: User) -> None:
    require_template_editor(template.department_id, actor)
    await template.delete()
