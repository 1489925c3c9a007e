"""Read-side of reports: versions, charts rendered once, the comment list, CSV rows in chunks."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from contextlib import suppress
from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from consult.answers.models import Answer
from consult.comments.models import Channel, Comment, ModerationState, SubmitterCategory
from consult.decisions.visibility import public_results
from consult.drafts.models import Article
from consult.groups.models import CommentGroup
from consult.i18n import gettext, language
from consult.labels import label
from consult.reports import visibility
from consult.reports.charts import render_chart
from consult.reports.models import AdoptionReport, ReportChart, ReportVersion
from consult.review.models import AnswerStatus

UNANSWERED = "unanswered"


def public_reports(year: int | None = None, department_id: int | None = None) -> QuerySet[AdoptionReport]:
    """Published reports of decisions in a published catalog, newest first; `year` is the issue year."""
    queryset = visibility.public_reports()
    if year is not None:
        queryset = queryset.filter(
            decision__result__issued_on__gte=date(year, 1, 1), decision__result__issued_on__lte=date(year, 12, 31)
        )
    if department_id is not None:
        queryset = queryset.filter(decision__department_id=department_id)
    return queryset.order_by("-published_at", "-id").prefetch_related("decision__department", "consultation__draft")


async def report_years() -> list[int]:
    dates = (
        await public_results().filter(decision__reports__published_at__isnull=False).values_list("issued_on", flat=True)
    )
    return sorted({d.year for d in dates}, reverse=True)


async def report_departments() -> list[int]:
    """Departments that have a published report (the index's filter offers only these)."""
    rows = await public_reports().values_list("decision__department_id", flat=True)
    return sorted(set(rows))  # type: ignore[arg-type]


async def latest_version(report: AdoptionReport, number: int | None = None) -> ReportVersion | None:
    queryset = ReportVersion.filter(report_id=report.id)
    if number is not None:
        return await queryset.get_or_none(number=number)
    return await queryset.order_by("-number").first()


async def chart_svg(version: ReportVersion, name: str, lang: str = "zh", narrow: bool = False) -> str:
    """Rendered on first request and stored, once per language and width: a published version's figures
    never change. (The Chinese chart keeps its plain name, as stored before charts had languages.)"""
    stored_as = name + (".narrow" if narrow else "") + ("" if lang == "zh" else f".{lang}")
    stored = await ReportChart.get_or_none(version_id=version.id, name=stored_as)
    if stored is not None:
        return stored.svg
    svg = await asyncio.to_thread(render_chart, name, version.figures, lang, narrow)
    with suppress(IntegrityError):  # another request rendered it at the same moment
        await ReportChart.create(version_id=version.id, name=stored_as, svg=svg)
    return svg


def report_comments(consultation_id: int, status: str | None) -> QuerySet[Comment]:
    queryset = Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED)
    if status == UNANSWERED:
        # The join is a LEFT JOIN: no answer at all and an answer not yet approved both read as NULL.
        queryset = queryset.filter(answer__published_at__isnull=True)
    elif status:
        queryset = queryset.filter(answer__public_status=AnswerStatus(status))
    return queryset.order_by("id")


# Column names in Chinese: the export is an official record, read in Excel by Chinese-speaking staff.
CSV_HEADER = [
    "编号",
    "条款",
    "提出人类别",
    "渠道",
    "收到日期",
    "署名",
    "意见内容",
    "建议修改为",
    "答复情况",
    "答复理由",
    "答复日期",
    "意见组",
]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to Excel: neutralise it (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def csv_rows(consultation_id: int, draft_id: int, chunk: int = 2000) -> AsyncIterator[bytes]:
    """Every published comment with its public answer, streamed in id order, UTF-8 with BOM for Excel."""
    labels = dict(await Article.filter(draft_id=draft_id).values_list("id", "label"))
    with language("zh"):  # an export reads the same whoever downloads it
        names = {e.value: label(e) for enum in (SubmitterCategory, Channel, AnswerStatus) for e in enum}
        whole, unanswered = gettext("The whole draft"), gettext("Not answered yet")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield ("\ufeff" + buffer.getvalue()).encode()
    last_id = 0
    while True:
        rows = (
            await Comment.filter(consultation_id=consultation_id, state=ModerationState.PUBLISHED, id__gt=last_id)
            .order_by("id")
            .limit(chunk)
            .values_list(
                "id",
                "article_id",
                "category",
                "channel",
                "received_on",
                "public_name",
                "body",
                "proposed_text",
                "group_id",
            )
        )
        if not rows:
            return
        answers = {
            a["comment_id"]: a
            for a in await Answer.filter(comment_id__in=[r[0] for r in rows], published_at__isnull=False).values(
                "comment_id", "public_status", "public_reason", "published_at"
            )
        }
        group_ids = {r[8] for r in rows if r[8]}
        groups = (
            dict(await CommentGroup.filter(id__in=list(group_ids)).values_list("id", "summary")) if group_ids else {}
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for cid, article_id, category, channel, received_on, public_name, body, proposed, group_id in rows:
            answer = answers.get(cid)
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        cid,
                        labels.get(article_id, whole),
                        names[str(category)],
                        names[str(channel)],
                        received_on,
                        public_name,
                        body,
                        proposed,
                        names[str(answer["public_status"])] if answer else unanswered,
                        answer["public_reason"] if answer else "",
                        answer["published_at"].date() if answer else "",
                        groups.get(group_id, ""),
                    )
                ]
            )
        yield buffer.getvalue().encode()
        last_id = rows[-1][0]
