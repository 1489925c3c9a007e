"""The public pages a search engine may index, read from each area's own visibility rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from consult.clock import local_date
from consult.decisions.visibility import public_catalogs, public_decisions
from consult.drafts.visibility import public_consultations
from consult.meetings.models import Meeting
from consult.reports.visibility import public_reports

# The sitemap protocol's limit for one file.
MAX_URLS = 50_000
SECTIONS = ("/", "/catalogs/", "/consultations/", "/reports/", "/meetings/", "/sitemap", "/privacy", "/help")


@dataclass(frozen=True)
class Entry:
    path: str
    changed_on: date | None = None


async def public_pages() -> list[Entry]:
    """Every public page with content of its own, newest first within each kind; never a staff page,
    a receipt (private to whoever holds its code) or a search."""
    entries = [Entry(path) for path in SECTIONS]
    for year, published in await public_catalogs().order_by("-year").values_list("year", "published_at"):
        entries.append(Entry(f"/catalogs/{year}", local_date(published)))
    for decision_id in await public_decisions().order_by("-id").limit(MAX_URLS).values_list("id", flat=True):
        entries.append(Entry(f"/decisions/{decision_id}"))
    consultations = public_consultations().order_by("-published_at").limit(MAX_URLS)
    for consultation_id, published in await consultations.values_list("id", "published_at"):
        entries.append(Entry(f"/consultations/{consultation_id}", local_date(published)))
    reports = public_reports().order_by("-published_at").limit(MAX_URLS)
    for report_id, published in await reports.values_list("id", "published_at"):
        entries.append(Entry(f"/reports/{report_id}", local_date(published)))
    for meeting_id in await Meeting.all().order_by("-held_on").limit(MAX_URLS).values_list("id", flat=True):
        entries.append(Entry(f"/meetings/{meeting_id}"))
    return entries[:MAX_URLS]
