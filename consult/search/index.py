"""Keeping the search index in step with what is public. Called by the services that publish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tortoise.connection import get_connection

from consult import visibility
from consult.i18n import gettext, language
from consult.search.models import SearchDoc
from consult.search.text import bigrams

EPOCH = date(1970, 1, 1)
UNANSWERED = "unanswered"


def _in_chinese(message: str, **params: Any) -> str:
    """Index titles are stored once, in the official language, whoever triggered the indexing."""
    with language("zh"):
        return gettext(message, **params)


def _dialect() -> str:
    return get_connection("default").capabilities.dialect


def fts_rowid(doc_id: int, published_on: date) -> int:
    """SQLite's FTS5 rowid for a document: newer documents get larger rowids, so FTS5 streams hits
    newest first and a search can stop after the first few thousand (migration 0007)."""
    return ((published_on - EPOCH).days << 32) | doc_id


async def put(
    kind: str,
    ref_id: int,
    *,
    url: str,
    title: str,
    body: str,
    department_id: int | None,
    year: int | None,
    status: str = "",
    published_on: date,
) -> None:
    text = bigrams(f"{title} {body}")
    values: dict[str, Any] = {
        "url": url,
        "title": title[:300],
        "body": body,
        "department_id": department_id,
        "year": year,
        "status": status,
        "published_on": published_on,
        "bigrams": text,
    }
    doc, created = await SearchDoc.get_or_create(kind=kind, ref_id=ref_id, defaults=values)
    if not created:
        await SearchDoc.filter(id=doc.id).update(**values)
    if _dialect() == "sqlite":
        db = get_connection("default")
        await db.execute_query("DELETE FROM search_fts WHERE rowid = ?", [fts_rowid(doc.id, doc.published_on)])
        await db.execute_query(
            "INSERT INTO search_fts(rowid, bigrams) VALUES (?, ?)", [fts_rowid(doc.id, published_on), text]
        )


async def remove(kind: str, ref_id: int) -> None:
    doc = await SearchDoc.get_or_none(kind=kind, ref_id=ref_id)
    if doc is None:
        return
    if _dialect() == "sqlite":
        await get_connection("default").execute_query(
            "DELETE FROM search_fts WHERE rowid = ?", [fts_rowid(doc.id, doc.published_on)]
        )
    await doc.delete()


async def refresh_comment_statuses(comment_ids: Sequence[int]) -> None:
    """A comment's search status is its public answer status: kept current when answers are published
    (the text does not change, so the text index is left alone)."""
    from consult.answers.models import Answer

    for start in range(0, len(comment_ids), 500):
        chunk = list(comment_ids[start : start + 500])
        answered = dict(
            await Answer.filter(comment_id__in=chunk, public_status__isnull=False).values_list(
                "comment_id", "public_status"
            )
        )
        by_status: dict[str, list[int]] = {}
        for cid in chunk:
            by_status.setdefault(str(answered.get(cid) or UNANSWERED), []).append(cid)
        for status, ids in by_status.items():
            await SearchDoc.filter(kind="comment", ref_id__in=ids).update(status=status)


async def index_comment(comment: Any) -> None:
    from consult.answers.models import Answer
    from consult.comments.models import ModerationState

    if comment.state is not ModerationState.PUBLISHED:
        await remove("comment", comment.id)
        return
    consultation = await visibility.public_consultations().get_or_none(id=comment.consultation_id)
    if consultation is None:  # indexed when its catalog is published (index_catalog)
        return
    await consultation.fetch_related("decision", "draft")
    answer = await Answer.get_or_none(comment_id=comment.id, public_status__isnull=False)
    await put(
        "comment",
        comment.id,
        url=f"/consultations/{consultation.id}#comment-{comment.id}",
        title=consultation.draft.title,
        body=comment.body,
        department_id=consultation.decision.department_id,
        year=comment.received_on.year,
        status=str(answer.public_status) if answer else UNANSWERED,
        published_on=comment.received_on,
    )


async def index_decision(decision: Any) -> None:
    from consult.decisions.models import Decision

    decision = await Decision.get(id=decision.id).prefetch_related("catalog")
    if decision.catalog.published_at is None:
        return
    await put(
        "decision",
        decision.id,
        url=f"/decisions/{decision.id}",
        title=decision.title,
        body=f"{decision.background} {decision.legal_basis}",
        department_id=decision.department_id,
        year=decision.catalog.year,
        status="removed" if decision.removed_at else "listed",
        published_on=decision.catalog.published_at.date(),
    )


async def index_consultation(consultation: Any) -> None:
    """The draft, article by article, becomes searchable when its consultation is published."""
    from consult.drafts.models import Article

    consultation = await visibility.public_consultations().get_or_none(id=consultation.id)
    if consultation is None:
        return
    await consultation.fetch_related("decision", "draft")
    for article in await Article.filter(draft_id=consultation.draft_id):
        await put(
            "article",
            article.id,
            url=f"/consultations/{consultation.id}#article-{article.seq}",
            title=f"{consultation.draft.title} {article.label}",
            body=article.body,
            department_id=consultation.decision.department_id,
            year=consultation.starts_on.year,
            published_on=consultation.starts_on,
        )
    await index_decision(consultation.decision)


async def index_report(report: Any) -> None:
    if not await visibility.public_reports().filter(id=report.id).exists():
        return
    consultation = await visibility.public_consultations().get(id=report.consultation_id)
    await consultation.fetch_related("decision", "draft")
    await put(
        "report",
        report.id,
        url=f"/reports/{report.id}",
        title=_in_chinese(
            "How the public's comments on “%(title)s” were collected and adopted", title=consultation.draft.title
        ),
        body=report.department_note,
        department_id=consultation.decision.department_id,
        year=report.published_at.year,
        published_on=report.published_at.date(),
    )


async def index_meeting(meeting: Any) -> None:
    from consult.meetings.models import MeetingTopic

    topics = await MeetingTopic.filter(meeting_id=meeting.id)
    await put(
        "meeting",
        meeting.id,
        url=f"/meetings/{meeting.id}",
        title=_in_chinese("Standing meeting no. %(n)s", n=meeting.number),
        body=" ".join(f"{t.title} {t.outcome}" for t in topics),
        department_id=None,
        year=meeting.held_on.year,
        published_on=meeting.held_on,
    )


async def index_catalog(catalog_id: int) -> None:
    """A catalog just published: its decisions, and what of theirs was already published, become findable."""
    from consult.comments.models import Comment, ModerationState

    for decision in await visibility.public_decisions().filter(catalog_id=catalog_id):
        await index_decision(decision)
    consultations = await visibility.public_consultations().filter(decision__catalog_id=catalog_id)
    for consultation in consultations:
        await index_consultation(consultation)
        for comment in await Comment.filter(consultation_id=consultation.id, state=ModerationState.PUBLISHED):
            await index_comment(comment)
    for report in await visibility.public_reports().filter(decision__catalog_id=catalog_id):
        await index_report(report)


async def reindex_all() -> int:
    """Rebuild from the public records (after an import, or to repair the index)."""
    from consult.comments.models import Comment, ModerationState
    from consult.meetings.models import Meeting

    count = 0
    for decision in await visibility.public_decisions():
        await index_decision(decision)
        count += 1
    for consultation in await visibility.public_consultations():
        await index_consultation(consultation)
    for comment in await Comment.filter(state=ModerationState.PUBLISHED):
        await index_comment(comment)
        count += 1
    for report in await visibility.public_reports():
        await index_report(report)
    for meeting in await Meeting.all():
        await index_meeting(meeting)
    return count
