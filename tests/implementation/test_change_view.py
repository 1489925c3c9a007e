"""The consulted draft against the issued text on the site: the public view, the comments staff link to
the articles they changed, the commenter's receipt, and the API."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

from consult import clock
from consult.accounts.models import Role
from consult.implementation.models import ChangeLink
from consult.review.models import AnswerStatus
from tests.factories import (
    DRAFT_TEXT,
    log_in,
    make_answer,
    make_closed_consultation,
    make_comment,
    make_department,
    make_result,
    make_user,
    post,
)

ISSUED = """示例管理办法
第一章 总则
第一条 为了规范停车管理，制定本办法。
第二条 本办法适用于本县城区。
第三条 首次停放不超过三十分钟的，免收停车费。
第四条 县交通运输局负责组织实施。
第二章 附则
第五条 本办法自2027年1月1日起施行。
"""


async def _issued_with_comments():
    consultation = await make_closed_consultation(clock.today() - timedelta(days=10))
    adopted = await make_comment(consultation, "建议把首次免费停放时间延长到三十分钟。", name="隐私李四")
    refused = await make_comment(consultation, "建议取消停车收费，全部免费停放。")
    await make_answer(adopted, AnswerStatus.ADOPTED, "")
    await make_answer(refused, AnswerStatus.NOT_ADOPTED, "收费用于泊位管理，不宜取消。")
    await make_result(consultation, clock.today() - timedelta(days=2), text=ISSUED)
    decision = await consultation.decision
    return consultation, decision, adopted, refused


async def test_the_public_sees_what_changed_and_which_comments_changed_it(client) -> None:
    consultation, decision, adopted, refused = await _issued_with_comments()
    assert "第四条 本办法自2027年1月1日起施行。" in DRAFT_TEXT  # the draft had four articles
    staff = await make_user(Role.STAFF, await decision.department)
    await log_in(client, staff)
    page = await client.get(f"/manage/decisions/{decision.id}/changes")
    # A form for each changed or added article only.
    assert (
        page.status_code == 200 and "促成第三条修改的意见编号" in page.text and "促成第四条修改的意见编号" in page.text
    )
    assert "促成第一条修改的意见编号" not in page.text
    refused_link = await post(
        client, f"/manage/decisions/{decision.id}/changes", {"article": "第三条", "comments": f"#{refused.id}"}
    )
    assert refused_link.status_code == 422 and f"#{refused.id}" in refused_link.text
    wrong_article = await post(
        client, f"/manage/decisions/{decision.id}/changes", {"article": "第九条", "comments": str(adopted.id)}
    )
    assert wrong_article.status_code == 422
    linked = await post(
        client, f"/manage/decisions/{decision.id}/changes", {"article": "第三条", "comments": f"＃{adopted.id}"}
    )
    assert linked.status_code == 303 and unquote(linked.headers["location"]).endswith("#第三条")
    client.cookies.clear()

    view = (await client.get(f"/decisions/{decision.id}/changes")).text
    assert '<del><span class="visually-hidden">删除：</span>十五</del>' in view
    assert '<ins><span class="visually-hidden">新增：</span>三十</ins>' in view
    assert "征求意见稿第四条，现为第五条" in view  # unchanged but renumbered
    assert view.count('class="badge added"') == 1 and "县交通运输局负责组织实施。" in view
    assert f'href="/consultations/{consultation.id}#comment-{adopted.id}">#{adopted.id}</a>' in view
    assert "隐私李四" not in view
    receipt = (await client.get(f"/receipts/{adopted.receipt_code}")).text
    assert "您的意见已体现在正式文本第三条。" in receipt and f"/decisions/{decision.id}/changes#第三条" in receipt
    assert "已体现在" not in (await client.get(f"/receipts/{refused.receipt_code}")).text
    topic = (await client.get(f"/decisions/{decision.id}")).text
    assert f'href="/decisions/{decision.id}/changes"' in topic
    api = (await client.get(f"/api/v1/decisions/{decision.id}/changes")).json()["data"]
    third = next(a for a in api["articles"] if a["issued_label"] == "第三条")
    assert third["change"] == "changed" and third["comments"] == [{"id": adopted.id, "answer": "adopted"}]
    assert {"op": "insert", "text": "三十"} in third["pieces"]
    assert api["counts"] == {"unchanged": 3, "changed": 1, "added": 1, "removed": 0}


async def test_only_the_department_links_and_a_link_can_be_taken_back(client) -> None:
    _, decision, adopted, _ = await _issued_with_comments()
    await log_in(client, await make_user(Role.STAFF, await make_department("县财政局")))
    form = {"article": "第三条", "comments": str(adopted.id)}
    assert (await post(client, f"/manage/decisions/{decision.id}/changes", form)).status_code == 403
    await log_in(client, await make_user(Role.STAFF, await decision.department))
    assert (await post(client, f"/manage/decisions/{decision.id}/changes", form)).status_code == 303
    assert (await post(client, f"/manage/decisions/{decision.id}/changes", form)).status_code == 303  # once
    link = await ChangeLink.get(comment_id=adopted.id)
    assert await ChangeLink.filter(comment_id=adopted.id).count() == 1
    assert (await post(client, f"/manage/change-links/{link.id}/delete")).status_code == 303
    assert not await ChangeLink.filter(comment_id=adopted.id).exists()


async def test_no_view_before_the_text_is_issued(client) -> None:
    consultation = await make_closed_consultation(clock.today() - timedelta(days=3))
    decision = await consultation.decision
    assert (await client.get(f"/decisions/{decision.id}/changes")).status_code == 404
    assert (await client.get(f"/api/v1/decisions/{decision.id}/changes")).status_code == 404
