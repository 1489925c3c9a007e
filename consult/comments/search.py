"""Published comments in the search index, faceted by the status of their public answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from consult.comments.models import Comment, ModerationState
from consult.drafts.models import Consultation
from consult.drafts.visibility import public_consultations
from consult.search.index import Document, put_document, remove, set_statuses

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


async def refresh_comment_statuses(comment_ids: Sequence[int]) -> None:
    """After answers were published: the comments' status facet follows their public answers."""
    await set_statuses("comment", await public_answer_statuses(comment_ids))


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


async def index_comment(comment: Comment) -> None:
    if comment.state is not ModerationState.PUBLISHED:
        await remove("comment", comment.id)
        return
    consultation = await public_consultations().get_or_none(id=comment.consultation_id)
    if consultation is None:  # indexed when its catalog is published (index_catalog)
        return
    await consultation.fetch_related("decision", "draft")
    status = (await public_answer_statuses([comment.id]))[comment.id]
    await put_document(_document(comment, consultation, status))


async def documents(catalog_id: int | None) -> AsyncIterator[Document]:
    consultations = public_consultations().prefetch_related("decision", "draft")
    if catalog_id is not None:
        consultations = consultations.filter(decision__catalog_id=catalog_id)
    for consultation in await consultations:
        comments = await Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED)
        statuses = await public_answer_statuses([c.id for c in comments])
        for comment in comments:
            yield _document(comment, consultation, statuses[comment.id])
