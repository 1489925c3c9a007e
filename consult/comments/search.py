"""Published comments in the search index, faceted by the status of their public answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from consult.comments.events import INDEX_JOB
from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Consultation
from consult.drafts.visibility import public_consultations
from consult.jobs.queue import Batch, JobKind, enqueue
from consult.search.index import Document, indexed_refs, put_document, remove, set_statuses

UNANSWERED = "unanswered"


async def public_answer_statuses(comment_ids: Sequence[int]) -> dict[int, str]:
    """Each comment's public answer status, or "unanswered" (the answer is read through the relation:
    the answers area sits above this one)."""
    statuses = {cid: UNANSWERED for cid in comment_ids}
    for start in range(0, len(comment_ids), 500):
        chunk = list(comment_ids[start : start + 500])
        rows = await Comment.filter(id__in=chunk, answer__public_status__isnull=False).values_list(
            "id", "answer__public_status"
        )
        statuses.update({cid: str(status) for cid, status in rows})
    return statuses


async def queue_index(comments: Sequence[Comment | int]) -> None:
    """Queue the comments' search entries to follow their state and public answers; call it in the
    transaction of the change (it commits with it, and the worker does it soon after)."""
    ids = [c.id if isinstance(c, Comment) else c for c in comments]
    await enqueue(INDEX_JOB, [(0, cid) for cid in ids])


def _document(comment: Comment, consultation: Consultation, status: str) -> Document:
    return Document(
        kind="comment",
        ref_id=comment.id,
        url=f"/consultations/{consultation.id}#comment-{comment.id}",
        title=consultation.draft.title,
        body=comment.body,
        department_id=consultation.decision.department_id,
        year=comment.received_on.year,
        status=status,
        published_on=comment.received_on,
    )


async def index_jobs(batch: Batch) -> None:
    """The index follows each comment: a published one of a public consultation is in it with its
    answer's status (only the status is written when the entry exists: a text never changes), any
    other is not. Comments of a catalog not yet public are indexed when it is published."""
    ids = sorted(set(batch.subject_ids))
    comments = await Comment.filter(id__in=ids)
    published = [c for c in comments if c.state is ModerationState.PUBLISHED]
    consultations = {
        c.id: c
        for c in await public_consultations()
        .filter(id__in={c.consultation_id for c in published})
        .prefetch_related("decision", "draft")
    }
    shown = [c for c in published if c.consultation_id in consultations]
    statuses = await public_answer_statuses([c.id for c in shown])
    indexed = set(await indexed_refs("comment", ids))
    async with batch.completing():
        for comment in comments:
            if comment.state is not ModerationState.PUBLISHED and comment.id in indexed:
                await remove("comment", comment.id)
        for comment in shown:
            if comment.id not in indexed:
                await put_document(_document(comment, consultations[comment.consultation_id], statuses[comment.id]))
        await set_statuses("comment", {c.id: statuses[c.id] for c in shown if c.id in indexed})


async def group_clusters(comment_ids: list[int]) -> dict[int, str]:
    """The comments of one group of similar comments (a campaign's copies) are one hit."""
    rows = await Comment.filter(id__in=comment_ids, group_id__isnull=False).values_list("id", "group_id")
    return {comment_id: f"group:{group_id}" for comment_id, group_id in rows}


INDEXING = JobKind(name=INDEX_JOB, handler=index_jobs, batch_size=500)


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    consultations = public_consultations().prefetch_related("decision", "draft")
    if catalog_id is not None:
        consultations = consultations.filter(decision__catalog_id=catalog_id)
    for consultation in await consultations:
        comments = await Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED)
        statuses = await public_answer_statuses([c.id for c in comments])
        for comment in comments:
            yield _document(comment, consultation, statuses[comment.id])
