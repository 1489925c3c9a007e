"""Submitter names, phones and e-mails never reach a public page or the logs."""

from __future__ import annotations

import logging

from consult.comments.models import Comment, ModerationState
from consult.review.models import AnswerStatus
from tests.factories import articles_of, make_answer, make_comment, make_consultation, post

MARKERS = {"name": "隐私标记甲乙丙", "phone": "13987654321", "email": "secret.marker@example.cn"}


async def test_private_fields_are_absent_from_every_public_page(client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    consultation = await make_consultation()
    article = (await articles_of(consultation))[0]
    comment = await make_comment(
        consultation,
        "公开的意见正文，用于检查隐私。",
        name=MARKERS["name"],
        phone=MARKERS["phone"],
        email=MARKERS["email"],
        article=article,
    )
    await make_answer(comment, AnswerStatus.PARTLY_ADOPTED, "部分采纳。")
    withheld = await make_comment(
        consultation,
        "不予公开的意见正文。",
        name=MARKERS["name"] + "2",
        phone="13987654322",
        state=ModerationState.WITHHELD,
    )
    # And one submitted through the real form, so the request path and its logging are covered.
    response = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {
            "body": "通过表单提交的意见，用于检查日志。",
            "category": "citizen",
            "name": MARKERS["name"] + "3",
            "phone": "13987654323",
            "email": "form.marker@example.cn",
        },
    )
    assert response.status_code == 303
    submitted = await Comment.get(body="通过表单提交的意见，用于检查日志。")
    pages = [
        "/",
        "/catalogs/",
        "/catalogs/2026",
        f"/decisions/{consultation.decision_id}",
        "/consultations/",
        "/consultations/?status=all",
        f"/consultations/{consultation.id}",
        f"/consultations/{consultation.id}?article={article.id}",
        f"/consultations/{consultation.id}?answer=partly_adopted",
        f"/receipts/{comment.receipt_code}",
        f"/receipts/{withheld.receipt_code}",
        f"/receipts/{submitted.receipt_code}",
        f"/receipts/{submitted.receipt_code}?new=1",
        "/api/v1/consultations",
        f"/api/v1/consultations/{consultation.id}",
        f"/api/v1/consultations/{consultation.id}/comments",
        f"/api/v1/receipts/{comment.receipt_code}",
        f"/api/v1/receipts/{withheld.receipt_code}",
        f"/api/v1/decisions/{consultation.decision_id}",
        "/api/v1/catalogs/2026",
    ]
    secrets = [*MARKERS.values(), "13987654322", "13987654323", "form.marker@example.cn", MARKERS["name"][:3]]
    for path in pages:
        page = await client.get(path)
        assert page.status_code == 200, path
        for secret in secrets:
            assert secret not in page.text, (path, secret)
    assert "隐**" in (await client.get(f"/consultations/{consultation.id}")).text
    for record in caplog.records:
        message = record.getMessage()
        for secret in secrets:
            assert secret not in message
