"""Hostile text in every field people and staff type into comes out as text: escaped on every page a
crawl reaches (public, and staff as the office), in the feeds and in the report PDF; the JSON API
and downloads carry it as data, typed so that no browser renders it."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

from consult import clock
from consult.accounts.models import Role, User
from consult.decisions.models import Decision
from consult.drafts.models import Article, Draft
from consult.groups.services import create_group
from consult.meetings.models import MeetingTopic
from consult.meetings.services import answer_opinion, record_opinion, set_outcome
from consult.reports.models import AdoptionReport
from consult.reports.services import publish_report_now, set_department_note
from consult.review.models import AnswerStatus
from tests.factories import (
    csrf_token,
    log_in,
    make_answer,
    make_attendee,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_decision,
    make_department,
    make_meeting,
    make_result,
    make_user,
    post,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>{{7*7}}"
# What must never reach a page as markup.
RAW = ("<script>alert(", "<img src=x onerror", "<svg onload")
SKIP = re.compile(r"\.(pdf|png|svg|csv|js|css)$|^/(static|logout)")


async def _hostile_world(client) -> dict[str, int]:
    department = await make_department("县<b>住建</b>局<script>alert(9)</script>")
    decision = await make_decision(department, title="制定" + PAYLOAD)
    await Decision.filter(id=decision.id).update(background=PAYLOAD, legal_basis=PAYLOAD)
    consultation = await make_consultation(decision)
    await Draft.filter(id=consultation.draft_id).update(title="办法" + PAYLOAD, explanation=PAYLOAD)
    first = await Article.filter(draft_id=consultation.draft_id).order_by("seq").first()
    await Article.filter(id=first.id).update(body=PAYLOAD)
    # A citizen through the real form: the body and the name (shown masked) are hostile.
    response = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {
            "body": "意见：" + PAYLOAD,
            "category": "citizen",
            "name": "<img src=x onerror=alert(5)>",
            "phone": "13800001111",
        },
    )
    assert response.status_code == 303, re.findall(r"class=\"error[^>]*>([^<]*)", response.text)
    comment = await make_comment(consultation, "另一条意见" + PAYLOAD)
    await make_answer(comment, AnswerStatus.NOT_ADOPTED, "理由：" + PAYLOAD)
    staff = await make_user(Role.STAFF, department)
    members = [await make_comment(consultation, f"第{i}位：{PAYLOAD}") for i in range(2)]
    await create_group(consultation, [m.id for m in members], "归纳" + PAYLOAD, staff, clock.now())
    # An attachment whose file name is hostile.
    await log_in(client, staff)
    token = await csrf_token(client)
    uploaded = await client.post(
        f"/manage/drafts/{consultation.draft_id}/attachments",
        data={"csrf_token": token, "kind": "other"},
        files={"file": (PAYLOAD[:60] + ".pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 303, uploaded.status_code
    # A report with a hostile note, published.
    closed = await make_closed_consultation(
        clock.today() - timedelta(days=20), await make_decision(department, title="另一" + PAYLOAD)
    )
    answered = await make_comment(closed, "已答复" + PAYLOAD)
    await make_answer(answered, AnswerStatus.ADOPTED, "采纳" + PAYLOAD)
    await make_comment(closed, "尚未答复" + PAYLOAD)  # so the report waits for the department's note
    await make_result(closed, clock.today() - timedelta(days=3))
    report = await AdoptionReport.get(consultation_id=closed.id)
    reviewer = await make_user(Role.REVIEWER, department)
    await set_department_note(report, PAYLOAD, reviewer)
    await publish_report_now(await AdoptionReport.get(id=report.id), reviewer, clock.now())
    # A meeting with a hostile outcome, attendee, opinion and answer.
    meeting = await make_meeting(clock.today() - timedelta(days=2), decision=decision)
    admin = await User.filter(role=Role.ADMIN).first()
    topic = await MeetingTopic.get(meeting_id=meeting.id)
    await set_outcome(topic, PAYLOAD, admin)
    attendee = await make_attendee(meeting, name="<b>代表</b>")
    opinion = await record_opinion(attendee, topic, PAYLOAD, admin, clock.now())
    await answer_opinion(opinion, AnswerStatus.NOT_ADOPTED, PAYLOAD, staff, clock.now())
    client.cookies.delete("consult_session")
    return {"report": report.id, "consultation": consultation.id}


async def _crawl(client, starts: list[str], limit: int = 120) -> dict[str, str]:
    pages, seen, queue = {}, set(), list(starts)
    while queue and len(pages) < limit:
        url = queue.pop(0).split("#", 1)[0]
        shape = re.sub(r"\d+", "N", url)
        if shape in seen or SKIP.search(urlsplit(url).path):
            continue
        seen.add(shape)
        response = await client.get(url)
        if response.status_code != 200:
            continue
        kind = response.headers.get("content-type", "")
        if "json" in kind:  # data, not markup: what matters is that no browser takes it for HTML
            assert kind.startswith("application/json") and response.headers["x-content-type-options"] == "nosniff"
            continue
        pages[url] = response.text
        if "html" in kind:
            queue += [h.replace("&amp;", "&") for h in re.findall(r'href="(/[^"]*)"', response.text)]
    return pages


def _unsafe(pages: dict[str, str]) -> list[str]:
    return [f"{url}: {raw}" for url, text in pages.items() for raw in RAW if raw in text]


async def test_hostile_text_is_escaped_everywhere(client) -> None:
    ids = await _hostile_world(client)
    public = await _crawl(
        client,
        [
            "/",
            "/search?q=alert",
            f"/consultations/{ids['consultation']}",
            "/feeds/consultations.atom",
            "/feeds/decisions.atom",
            "/feeds/reports.atom",
            f"/api/v1/consultations/{ids['consultation']}/comments",
            f"/api/v1/reports/{ids['report']}",
            f"/consultations/{ids['consultation']}/comments.json",
        ],
    )
    assert len(public) >= 20, sorted(public)
    assert not _unsafe(public), "\n".join(_unsafe(public))
    shown = [url for url, text in public.items() if "&lt;script&gt;alert(" in text or "&lt;script>alert(" in text]
    assert len(shown) >= 8, shown  # the text is there, as text
    page = public[f"/consultations/{ids['consultation']}"]
    assert "{{7*7}}" in page and "&lt;img src=x onerror=alert(5)&gt;" not in page  # names are masked

    await log_in(client, await User.filter(role=Role.ADMIN).first())
    staff = await _crawl(client, ["/manage/", f"/manage/consultations/{ids['consultation']}/answers"])
    assert len(staff) >= 20, sorted(staff)
    assert not _unsafe(staff), "\n".join(_unsafe(staff))


async def test_the_report_pdf_prints_hostile_text_as_text(client) -> None:
    from pypdf import PdfReader

    ids = await _hostile_world(client)
    response = await client.get(f"/reports/{ids['report']}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # Markup would have been swallowed by the HTML renderer; escaped, it is printed.
    assert "alert('x')" in text.replace("\n", "") and "<script>" in text.replace("\n", "")
