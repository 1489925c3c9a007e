"""Nothing of a decision whose catalog is not published shows on any public surface."""

from __future__ import annotations

from datetime import date

from consult import clock
from consult.accounts.models import Role
from consult.drafts.models import Attachment, Draft
from consult.drafts.services import add_attachment
from consult.reports.models import AdoptionReport
from consult.review.models import AnswerStatus
from tests.factories import (
    make_answer,
    make_catalog,
    make_closed_consultation,
    make_comment,
    make_decision,
    make_result,
    make_user,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _decision_with_everything(catalog, title: str, marker: str):
    decision = await make_decision(catalog=catalog, title=title)
    consultation = await make_closed_consultation(date(2026, 9, 10), decision=decision)
    await Draft.filter(id=consultation.draft_id).update(title=f"{marker}草案")
    await make_answer(
        await make_comment(consultation, f"{marker}的意见：建议延长免费停车时间。"), AnswerStatus.ADOPTED, ""
    )
    await make_result(consultation, date(2026, 9, 25))
    staff = await make_user(Role.STAFF, await decision.department)
    draft = await Draft.get(id=consultation.draft_id)
    attachment = await add_attachment(decision, draft, "draft", f"{marker}.pdf", PDF, staff, clock.now(), 10**6)
    return decision, consultation, attachment


async def test_every_public_surface_hides_an_unpublished_catalog(client, calendar) -> None:
    hidden_catalog = await make_catalog(2027, published=False)
    hidden, hidden_consultation, hidden_file = await _decision_with_everything(hidden_catalog, "秘密事项甲", "隐藏乙")
    _shown, shown_consultation, shown_file = await _decision_with_everything(None, "公开事项丁", "公开戊")
    hidden_report = await AdoptionReport.get(consultation_id=hidden_consultation.id)
    shown_report = await AdoptionReport.get(consultation_id=shown_consultation.id)
    assert hidden_report.published_at is not None and shown_report.published_at is not None
    listings = [
        "/",
        "/catalogs/",
        "/consultations/?status=all",
        "/reports/",
        "/api/v1/catalogs",
        "/api/v1/decisions",
        "/api/v1/consultations",
        "/api/v1/reports",
        "/feeds/consultations.atom",
        "/feeds/decisions.atom",
        "/feeds/reports.atom",
        "/search?q=意见",
        "/search?q=草案",
        "/search?q=事项",
    ]
    seen = ""
    for url in listings:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert "秘密事项甲" not in response.text and "隐藏乙" not in response.text, url
        seen += response.text
    # The same surfaces do show a decision of a published catalog: the walk can see what it looks for.
    assert "公开事项丁" in seen and "公开戊" in seen
    direct = [
        f"/decisions/{hidden.id}",
        f"/consultations/{hidden_consultation.id}",
        f"/consultations/{hidden_consultation.id}/comments.csv",
        f"/consultations/{hidden_consultation.id}/comments.json",
        f"/reports/{hidden_report.id}",
        f"/reports/{hidden_report.id}.pdf",
        f"/reports/{hidden_report.id}.csv",
        "/catalogs/2027",
        "/catalogs/2027.csv",
        f"/api/v1/consultations/{hidden_consultation.id}",
        f"/api/v1/consultations/{hidden_consultation.id}/comments",
        f"/api/v1/reports/{hidden_report.id}",
        "/api/v1/catalogs/2027",
        f"/attachments/{hidden_file.id}/{hidden_file.filename}",
    ]
    for url in direct:
        assert (await client.get(url)).status_code == 404, url
    assert (await client.get(f"/attachments/{shown_file.id}/{shown_file.filename}")).status_code == 200


async def test_an_attachment_of_an_unpublished_draft_is_a_plain_404(client) -> None:
    from tests.factories import make_consultation

    consultation = await make_consultation(published=False)
    decision = await consultation.decision
    staff = await make_user(Role.STAFF, await decision.department)
    draft = await Draft.get(id=consultation.draft_id)
    attachment = await add_attachment(decision, draft, "draft", "征求意见稿.pdf", PDF, staff, clock.now(), 10**6)
    response = await client.get(f"/attachments/{attachment.id}/x.pdf", follow_redirects=False)
    assert response.status_code == 404 and "login" not in response.headers.get("location", "")
    missing = await client.get("/attachments/999999/x.pdf", follow_redirects=False)
    assert missing.status_code == 404
    assert await Attachment.filter(id=attachment.id).exists()
