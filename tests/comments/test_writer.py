"""Comments that arrive together are stored together (comments/writer.py): each citizen still gets
their own receipt, the form limits count every one of them, and a consultation that closed while the
form was being filled in refuses it."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from consult import clock
from consult.accounts.models import Role
from consult.comments import writer
from consult.comments.events import GROUP_JOB
from consult.comments.models import Comment
from consult.comments.services import CommentInput, submit_comment
from consult.comments.tally import figures
from consult.decisions.models import Decision
from consult.drafts.services import close_consultation_early
from consult.jobs.models import Job
from tests.factories import make_comment, make_consultation, make_user, post

TEXT = "建议把首次免费停车时间延长到三十分钟，方便接送孩子。"


def _comment(n: int) -> CommentInput:
    return CommentInput(body=f"{TEXT}（第{n}位）", category="citizen", name="王小明", phone=f"139{n:08d}")


async def test_comments_sent_at_once_are_stored_together_and_each_gets_its_own_receipt(monkeypatch) -> None:
    consultation = await make_consultation()
    batches = []
    store = writer._store

    async def counted(batch):
        batches.append(len(batch))
        return await store(batch)

    monkeypatch.setattr(writer, "_store", counted)
    results = await asyncio.gather(
        *(submit_comment(consultation, _comment(n), clock.now(), clock.today()) for n in range(40))
    )
    assert all(created for _, created in results)
    assert len({comment.receipt_code for comment, _ in results}) == 40
    assert sorted(c.id for c, _ in results) == sorted(await Comment.all().values_list("id", flat=True))
    assert sum(batches) == 40 and len(batches) < 40  # fewer transactions than comments
    assert (await figures(consultation.id)).received == 40
    assert await Job.filter(kind=GROUP_JOB, scope_id=consultation.id).count() == 40  # committed with them


async def test_a_consultation_closed_while_the_form_was_filled_in_refuses_the_comment(client) -> None:
    consultation = await make_consultation()
    page = await client.get(f"/consultations/{consultation.id}")  # the form, and the consultation read
    assert "您的意见" in page.text
    department = await (await Decision.get(id=consultation.decision_id)).department
    reviewer = await make_user(Role.REVIEWER, department)
    await close_consultation_early(consultation, "已形成修改方案", reviewer, clock.today(), clock.now())
    response = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {"body": TEXT, "category": "citizen", "name": "王小明", "phone": "13912345678"},
    )
    assert response.status_code == 409 and "征求意见已结束" in response.text
    assert TEXT in response.text  # what was typed is shown again
    assert await Comment.all().count() == 0


async def test_a_receipt_code_already_taken_is_replaced(monkeypatch) -> None:
    consultation = await make_consultation()
    taken = (await make_comment(consultation)).receipt_code
    monkeypatch.setattr("consult.comments.services.new_receipt_code", lambda: taken)
    comment, created = await submit_comment(consultation, _comment(1), clock.now(), clock.today())
    assert created and comment.receipt_code != taken
    assert await Comment.filter(receipt_code=comment.receipt_code).count() == 1


async def test_inside_a_callers_transaction_the_comment_commits_or_rolls_back_with_it() -> None:
    consultation = await make_consultation()
    with pytest.raises(RuntimeError):
        async with in_transaction("default"):
            await submit_comment(consultation, _comment(1), clock.now(), clock.today())
            raise RuntimeError("the import failed")
    assert await Comment.all().count() == 0 and await Job.all().count() == 0
    async with in_transaction("default"):
        comment, created = await submit_comment(consultation, _comment(2), clock.now(), clock.today())
    assert created and await Comment.filter(id=comment.id).exists()


async def test_one_contact_sending_many_at_once_gets_exactly_its_limit(settings) -> None:
    """Twenty-five submissions from one phone in the same instant: the limit (20) counts each of them in
    the transactions that store them, so no more than twenty get through, whatever the batching."""
    import httpx2 as httpx

    from consult.app import create_app

    consultation = await make_consultation()
    app = create_app(settings, connect_db=False)
    url = f"/consultations/{consultation.id}/comments"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        forms = [
            {"body": f"{TEXT}{n}", "category": "citizen", "name": "王小明", "phone": "13811112222"} for n in range(25)
        ]
        token = (await post(client, url, forms[0])).status_code  # the first, to have a cookie
        responses = await asyncio.gather(*(post(client, url, form) for form in forms[1:]))
    statuses = [token, *(r.status_code for r in responses)]
    assert statuses.count(303) == 20 and statuses.count(429) == 5
    assert await Comment.all().count() == 20
