"""The report as PDF: the same content as the page, Chinese fonts embedded, built once per version."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from consult.answers.queries import answers_for
from consult.drafts.models import Article
from consult.i18n import language
from consult.reports.charts import CHART_NAMES
from consult.reports.models import AdoptionReport, ReportPdf, ReportVersion
from consult.reports.queries import chart_svg, report_comments
from consult.web import STATIC_DIR, templates

# Above this many comments the full list goes to the CSV and the PDF says so.
PDF_COMMENT_LIMIT = 2000


def _write_pdf(html: str) -> bytes:
    # WeasyPrint loads Pango and its fonts: only the processes that render a PDF pay for it.
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(STATIC_DIR)).write_pdf()


async def report_pdf(report: AdoptionReport, version: ReportVersion, context: dict[str, Any]) -> bytes:
    stored = await ReportPdf.get_or_none(version_id=version.id)
    if stored is not None:
        return bytes(stored.data)
    consultation = context["consultation"]
    comments = await report_comments(consultation.id, None).limit(PDF_COMMENT_LIMIT)
    charts = {
        name: "data:image/svg+xml;base64," + base64.b64encode((await chart_svg(version, name)).encode()).decode()
        for name in CHART_NAMES
    }
    with language("zh"):
        html = templates.env.get_template("reports/pdf.html").render(
            **context,
            comments=comments,
            answers=await answers_for(comments),
            articles_by_id={a.id: a for a in await Article.filter(draft_id=consultation.draft_id)},
            charts=charts,
            limit=PDF_COMMENT_LIMIT,
        )
    data = await asyncio.to_thread(_write_pdf, html)
    if not context["timeliness"].provisional:
        # A provisional timeliness mark changes when the office enters the year's arrangement: such a
        # PDF is rebuilt on each request until then.
        await ReportPdf.get_or_create(version_id=version.id, defaults={"data": data})
    return data
