"""The consultation's figures (comments received, by state, per article, per group, answered), kept in
a row beside it: a page of a consultation with 100,000 comments reads one row instead of counting them.

`add_received` runs in the transaction that stores new comments (they are pending: nothing else
changes); `regroup` in the worker's, when published comments join groups; `recount` runs in the
transaction of every other change and counts everything again, under the row's lock, so a recount
and a concurrent arrival never lose each other's figures.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from tortoise.expressions import F
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from consult.comments.models import Comment, ConsultationTally, ModerationState


@dataclass(frozen=True)
class Figures:
    received: int = 0
    pending: int = 0
    published: int = 0
    withheld: int = 0
    answered: int = 0
    per_article: dict[int, int] = field(default_factory=dict)
    per_group: dict[int, int] = field(default_factory=dict)

    @property
    def by_state(self) -> dict[str, int]:
        """As the pages name them: one entry per moderation state, and the total."""
        return {
            ModerationState.PENDING.value: self.pending,
            ModerationState.PUBLISHED.value: self.published,
            ModerationState.WITHHELD.value: self.withheld,
            "total": self.received,
        }


def _figures(row: ConsultationTally) -> Figures:
    return Figures(
        received=row.received,
        pending=row.pending,
        published=row.published,
        withheld=row.withheld,
        answered=row.answered,
        per_article={int(k): v for k, v in row.per_article.items()},
        per_group={int(k): v for k, v in row.per_group.items()},
    )


async def add_received(consultation_id: int, pending: int) -> None:
    """New comments, all pending, in the transaction that stores them."""
    updated = await ConsultationTally.filter(consultation_id=consultation_id).update(
        received=F("received") + pending, pending=F("pending") + pending
    )
    if not updated:  # the first comments of a consultation counted before its tally existed
        await recount(consultation_id)


async def _counted(consultation_id: int) -> dict[str, object]:
    """The figures as the comments say now, counted (as stored in the row: JSON keys are strings)."""
    comments = Comment.filter(consultation_id=consultation_id)
    published = comments.filter(state=ModerationState.PUBLISHED)
    states = dict(await comments.annotate(n=Count("id")).group_by("state").values_list("state", "n"))
    per_article = published.filter(article_id__isnull=False).annotate(n=Count("id")).group_by("article_id")
    per_group = published.filter(group_id__isnull=False).annotate(n=Count("id")).group_by("group_id")
    counts = {str(state): n for state, n in states.items()}
    return {
        "received": sum(counts.values()),
        "pending": counts.get(ModerationState.PENDING.value, 0),
        "published": counts.get(ModerationState.PUBLISHED.value, 0),
        "withheld": counts.get(ModerationState.WITHHELD.value, 0),
        # Through the relation: the answers area sits above this one.
        "answered": await published.filter(answer__published_at__isnull=False).count(),
        "per_article": {str(a): n for a, n in await per_article.values_list("article_id", "n")},
        "per_group": {str(g): n for g, n in await per_group.values_list("group_id", "n")},
    }


async def recount(consultation_id: int) -> Figures:
    """Count everything again; call it inside the transaction of the change (it is its own otherwise).
    The row is written first: on PostgreSQL that locks it, so a concurrent arrival adds to the
    recounted figures instead of being overwritten; on SQLite it takes the write lock."""
    async with in_transaction("default"):
        await ConsultationTally.bulk_create([ConsultationTally(consultation_id=consultation_id)], ignore_conflicts=True)
        row = await ConsultationTally.filter(consultation_id=consultation_id).select_for_update().get()
        for name, value in (await _counted(consultation_id)).items():
            setattr(row, name, value)
        await row.save()
    return _figures(row)


async def regroup(consultation_id: int, group_ids: Collection[int], answered: int = 0) -> None:
    """Published comments joined these groups (the worker's grouping), and `answered` of them inherited
    their group's published answer; nothing else changed. Only these groups are counted again, in the
    transaction of the change and under the row's lock as in `recount`: a recount of a consultation
    of 100,000 comments for each batch of arrivals would cost more than grouping them."""
    async with in_transaction("default"):
        row = await ConsultationTally.filter(consultation_id=consultation_id).select_for_update().get_or_none()
        if row is None:
            await recount(consultation_id)
            return
        published = Comment.filter(group_id__in=list(group_ids), state=ModerationState.PUBLISHED)
        sizes = await published.annotate(n=Count("id")).group_by("group_id").values_list("group_id", "n")
        per_group = {key: n for key, n in row.per_group.items() if int(key) not in group_ids}
        per_group.update({str(group_id): n for group_id, n in sizes})
        row.per_group, row.answered = per_group, row.answered + answered
        await row.save(update_fields=["per_group", "answered"])


async def counted(consultation_id: int) -> Figures:
    """The figures counted from the comments, without keeping them: what the kept ones must equal."""
    return _figures(ConsultationTally(consultation_id=consultation_id, **await _counted(consultation_id)))


async def figures(consultation_id: int) -> Figures:
    row = await ConsultationTally.get_or_none(consultation_id=consultation_id)
    return _figures(row) if row is not None else await recount(consultation_id)


async def figures_of(consultation_ids: list[int]) -> dict[int, Figures]:
    rows = await ConsultationTally.filter(consultation_id__in=consultation_ids)
    found = {row.consultation_id: _figures(row) for row in rows}
    for missing in set(consultation_ids) - set(found):
        found[missing] = await recount(missing)
    return found
