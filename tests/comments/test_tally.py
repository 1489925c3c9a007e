"""The consultation's figures are kept, not counted per visitor (comments/tally.py): after every kind of
change they are the figures a count of the comments gives, and the page shows them."""

from __future__ import annotations

from consult import clock
from consult.accounts.models import Role
from consult.answers.services import answer_comment
from consult.comments.models import Comment, ModerationState, WithholdReason
from consult.comments.services import moderate_comment
from consult.comments.tally import counted, figures, recount
from consult.decisions.models import Decision
from consult.groups.models import CommentGroup
from consult.groups.rules import ConcentratedRule
from consult.groups.services import answer_group, create_group, merge_groups, review_group_answer, split_comment
from consult.review.models import AnswerStatus
from consult.review.services import review
from tests.factories import articles_of, make_comment, make_consultation, make_user, run_jobs

CAMPAIGN = "建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药和临时办事。"
OTHER = "老旧小区应当利用周边空地增设停车位，并同步建设电动汽车充电设施。"


async def test_the_kept_figures_are_those_of_a_count_after_every_kind_of_change() -> None:
    consultation = await make_consultation()
    cid = consultation.id
    first, second = (await articles_of(consultation))[:2]
    department = await (await Decision.get(id=consultation.decision_id)).department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    steps = []

    async def check(step: str) -> None:
        steps.append(step)
        assert await figures(cid) == await counted(cid), step

    copies = [await make_comment(consultation, p + CAMPAIGN, article=first) for p in ("", "您好，", "尊敬的领导：")]
    await check("three copies arrive, are grouped and published")
    pending = await make_comment(consultation, OTHER, state=ModerationState.PENDING, article=second)
    await check("a comment arrives and waits")
    await moderate_comment(pending, ModerationState.PUBLISHED, staff, clock.now())
    await check("it is published")
    withheld = await make_comment(consultation, "无关内容：我家楼下的路灯坏了好几天了。", state=ModerationState.PENDING)
    await moderate_comment(withheld, ModerationState.WITHHELD, staff, clock.now(), WithholdReason.IRRELEVANT)
    await check("another is withheld")
    own = await answer_comment(pending, AnswerStatus.ADOPTED, "", staff, clock.now())
    await review(own, True, "", reviewer, clock.now())
    await check("an answer is approved")
    group = await CommentGroup.get()
    group_answer = await answer_group(
        group, AnswerStatus.NOT_ADOPTED, "上位法规定首次停放时长由市级统一确定，本县无权调整。", staff, clock.now()
    )
    await review_group_answer(group_answer, True, "", reviewer, clock.now(), rule=ConcentratedRule())
    await check("a group's answer is approved and its members inherit it")
    # Published before the worker came to it (moderators can be quicker than a worker behind a surge).
    late = await make_comment(consultation, "各位领导：" + CAMPAIGN, article=first, worker=False)
    await run_jobs()
    await check("a published copy joins the answered group and inherits its answer")
    assert (await Comment.get(id=late.id)).group_id == group.id
    topic = await create_group(consultation, [pending.id, withheld.id], "停车设施", staff, clock.now())
    await check("staff group two comments")
    await merge_groups(group, topic, staff, clock.now())
    await check("two groups are merged")
    await split_comment(await Comment.get(id=copies[1].id), staff)
    await check("a member is split off")
    await moderate_comment(
        await Comment.get(id=copies[0].id), ModerationState.WITHHELD, staff, clock.now(), WithholdReason.DUPLICATE
    )
    await check("a published member of a group is withheld")
    await run_jobs()
    kept = await figures(cid)
    assert (kept.received, kept.pending, kept.published, kept.withheld) == (6, 0, 4, 2)
    assert kept.per_article == {first.id: 3, second.id: 1} and sum(kept.per_group.values()) == 3


async def test_a_recount_sets_right_what_was_kept_wrong() -> None:
    consultation = await make_consultation()
    for n in range(3):
        await make_comment(consultation, f"{OTHER}第{n}条")
    from consult.comments.models import ConsultationTally

    await ConsultationTally.filter(consultation_id=consultation.id).update(published=99, received=1)
    assert (await recount(consultation.id)).published == 3
    assert await figures(consultation.id) == await counted(consultation.id)


async def test_the_page_shows_the_kept_figures(client) -> None:
    consultation = await make_consultation()
    article = (await articles_of(consultation))[0]
    for n in range(2):
        await make_comment(consultation, f"{OTHER}第{n}条", article=article)
    await make_comment(consultation, CAMPAIGN, state=ModerationState.PENDING)
    page = await client.get(f"/consultations/{consultation.id}")
    assert "共收到3条，已公开2条，已答复0条" in page.text
    assert "2条已公开意见" in page.text  # beside the article
