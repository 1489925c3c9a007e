"""Proposed wording: a citizen writes the article as they would have it; the page shows the change."""

from __future__ import annotations

from datetime import timedelta

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import Comment
from consult.drafts.models import Article
from consult.review.models import AnswerStatus
from tests.factories import (
    csrf_token,
    log_in,
    make_answer,
    make_closed_consultation,
    make_consultation,
    make_result,
    make_user,
    post,
)

PROPOSAL = "首次停放不超过三十分钟的，免收停车费。"


def _form(article_id: int | str, proposed: str) -> dict[str, str]:
    return {
        "article_id": str(article_id),
        "body": "十五分钟太短，接送孩子都不够，建议延长。",
        "proposed_text": proposed,
        "category": "citizen",
        "name": "隐私王五",
        "phone": "13800001111",
        "display_mode": "masked",
    }


async def test_a_proposal_needs_its_article_and_is_shown_as_a_change_to_it(client) -> None:
    consultation = await make_consultation()
    third = await Article.get(draft_id=consultation.draft_id, label="第三条")
    url = f"/consultations/{consultation.id}/comments"
    refused = await post(client, url, _form("", PROPOSAL))
    assert refused.status_code == 422 and "请先选择您建议修改的条款。" in refused.text
    assert PROPOSAL in refused.text  # what was typed stays in the form
    assert (await post(client, url, _form(third.id, PROPOSAL))).status_code == 303
    comment = await Comment.get(proposed_text=PROPOSAL)
    assert comment.article_id == third.id
    page = (await client.get(f"/consultations/{consultation.id}")).text
    assert "建议将第三条修改为：" not in page  # not public before moderation
    await Comment.filter(id=comment.id).update(state="published")
    page = (await client.get(f"/consultations/{consultation.id}")).text
    assert "建议将第三条修改为：" in page
    assert (
        '<del><span class="visually-hidden">删除：</span>十五</del><ins><span class="visually-hidden">新增：</span>三十</ins>'
        in page
    )
    api = (await client.get(f"/api/v1/consultations/{consultation.id}/comments")).json()["data"]
    assert [c["proposed_text"] for c in api] == [PROPOSAL]
    csv = (await client.get(f"/consultations/{consultation.id}/comments.csv")).content.decode("utf-8-sig")
    assert "建议修改为" in csv.splitlines()[0] and PROPOSAL in csv and "隐私王五" not in csv


async def test_staff_see_the_proposals_beside_each_article_and_where_they_went(client) -> None:
    consultation = await make_closed_consultation(clock.today() - timedelta(days=5))
    third = await Article.get(draft_id=consultation.draft_id, label="第三条")
    await csrf_token(client)
    comment = await Comment.create(
        consultation_id=consultation.id,
        article_id=third.id,
        body="建议延长免费时间。",
        proposed_text=PROPOSAL,
        channel="online",
        category="citizen",
        submitter_name="王五",
        contact_phone="13800001111",
        display_mode="masked",
        public_name="王*",
        receipt_code="ABCD-EFGH-JKLM",
        dedupe_key="k",
        state="published",
        received_on=consultation.starts_on,
        submitted_at=clock.now(),
    )
    await make_answer(comment, AnswerStatus.ADOPTED, "")
    issued = "第一条 为了规范停车管理，制定本办法。\n第二条 本办法适用于本县城区。\n第三条 " + PROPOSAL
    await make_result(consultation, clock.today() - timedelta(days=1), text=issued)
    decision = await consultation.decision
    staff = await make_user(Role.STAFF, await decision.department)
    await log_in(client, staff)
    assert (
        await post(
            client, f"/manage/decisions/{decision.id}/changes", {"article": "第三条", "comments": str(comment.id)}
        )
    ).status_code == 303
    page = (await client.get(f"/manage/consultations/{consultation.id}/proposals")).text
    assert '<section class="side-by-side"' in page and "首次停放不超过十五分钟的，免收停车费。" in page
    assert '<ins><span class="visually-hidden">新增：</span>三十</ins>' in page
    assert f'href="/decisions/{decision.id}/changes#第三条">已体现在正式文本第三条</a>' in page
    view = (await client.get(f"/decisions/{decision.id}/changes")).text
    assert "建议修改为：" in view and PROPOSAL in view
