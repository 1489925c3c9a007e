"""A group's public summary never carries text that moderation has not published."""

from __future__ import annotations

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import Comment, ModerationState, WithholdReason
from consult.comments.services import moderate_comment
from consult.decisions.models import Decision
from consult.groups.models import CommentGroup
from tests.factories import make_comment, make_consultation, make_user

CAMPAIGN = "建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药和临时办事。"
PRIVATE = "我叫李四住幸福小区3号楼电话13912345678，" + CAMPAIGN


async def _public_texts(client, consultation) -> str:
    urls = [
        f"/consultations/{consultation.id}",
        f"/api/v1/consultations/{consultation.id}/comments",
        f"/consultations/{consultation.id}/comments.csv",
        f"/consultations/{consultation.id}/comments.json",
        "/search?q=免费停车",
    ]
    return "".join([(await client.get(url)).text for url in urls])


async def test_an_unmoderated_first_comment_never_becomes_the_public_summary(client) -> None:
    consultation = await make_consultation()
    first = await make_comment(consultation, PRIVATE, state=ModerationState.PENDING)
    copies = [await make_comment(consultation, prefix + CAMPAIGN) for prefix in ("您好，", "尊敬的领导：", "")]
    group = await CommentGroup.get()
    assert await Comment.filter(group_id=group.id).count() == 4
    assert "幸福小区" not in group.summary and group.summary  # from the first published copy
    assert (await CommentGroup.get()).summary_source_id == copies[0].id
    assert "13912345678" not in await _public_texts(client, consultation)
    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    await moderate_comment(
        await Comment.get(id=first.id), ModerationState.WITHHELD, staff, clock.now(), WithholdReason.PERSONAL_DATA
    )
    texts = await _public_texts(client, consultation)
    assert "13912345678" not in texts and "幸福小区" not in texts


async def test_the_summary_moves_on_when_its_source_is_withheld(client) -> None:
    consultation = await make_consultation()
    source = await make_comment(consultation, "您好，" + CAMPAIGN)
    other = await make_comment(consultation, "尊敬的领导：" + CAMPAIGN)
    group = await CommentGroup.get()
    assert group.summary_source_id == source.id
    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    # A published comment found to hold private data is withdrawn (published → withheld).
    await moderate_comment(
        await Comment.get(id=source.id), ModerationState.WITHHELD, staff, clock.now(), WithholdReason.PERSONAL_DATA
    )
    group = await CommentGroup.get()
    assert group.summary_source_id == other.id and group.summary.startswith("尊敬的领导")


async def test_a_group_with_no_published_member_has_no_summary_and_staff_summaries_stay(client) -> None:
    consultation = await make_consultation()
    await make_comment(consultation, PRIVATE, state=ModerationState.PENDING)
    await make_comment(consultation, "您好，" + PRIVATE, state=ModerationState.PENDING)
    group = await CommentGroup.get()
    assert group.summary == "" and group.summary_source_id is None
    from consult.groups.services import rename_group

    staff = await make_user(Role.STAFF, await (await Decision.get(id=consultation.decision_id)).department)
    await rename_group(group, "延长首次免费停车时间", staff)
    await make_comment(consultation, "尊敬的领导：" + CAMPAIGN)
    assert (await CommentGroup.get()).summary == "延长首次免费停车时间"
