"""Similar comments: grouped automatically and by staff, answered once, shown as concentrated opinions."""

from __future__ import annotations

from datetime import date

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.answers.models import Answer
from consult.answers.services import answer_comment
from consult.comments.models import Comment, ModerationState
from consult.comments.services import moderate_comment
from consult.decisions.models import Decision
from consult.errors import PermissionDenied, ValidationError
from consult.groups.models import AnswerTemplate, CommentGroup, GroupAnswer
from consult.groups.rules import ConcentratedRule, contradicts, meaningful_length
from consult.groups.services import (
    answer_group,
    create_group,
    merge_groups,
    review_group_answer,
    split_comment,
)
from consult.groups.similarity import normalise
from consult.reports.models import ReportVersion
from consult.review.models import AnswerStatus
from consult.review.services import review
from tests.factories import (
    csrf_token,
    log_in,
    make_closed_consultation,
    make_comment,
    make_consultation,
    make_result,
    make_user,
    post,
    run_jobs,
)

CAMPAIGN = "建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药和临时办事。"
COPIES = [
    CAMPAIGN,
    "尊敬的领导：" + CAMPAIGN + "谢谢！",
    "您好，" + CAMPAIGN.replace("延长至", "延长到") + "望采纳。",
    CAMPAIGN.replace("，", ", ").replace("。", "."),
    CAMPAIGN.replace("方便群众", "便于群众") + "强烈支持！",
    "各位领导：" + CAMPAIGN.replace("建议", "希望"),
]
OTHERS = [
    "老旧小区应当利用周边空地增设停车位，并同步建设电动汽车充电设施。",
    "残疾人专用车位比例偏低，经常被占用，建议加大执法力度。",
    "停车收费标准出台前应当举行听证会，广泛听取市民意见。",
    "建议共享停车平台实时发布空余车位信息，减少绕路找车位。",
]
RULE = ConcentratedRule(min_size=10, share=0.05, floor=3, reason_min_chars=15)
LIMITS = {"rule": RULE}


async def _staff(consultation, role: Role = Role.STAFF):
    department = await (await Decision.get(id=consultation.decision_id)).department
    return await make_user(role, department)


def test_normalising_removes_what_copies_change() -> None:
    assert normalise("尊敬的县交通运输局：您好！建议延长 免费时间。谢谢！") == normalise("建议延长免费时间")


@pytest.mark.parametrize(
    ("size", "total", "concentrated"),
    [(10, 1000, True), (9, 1000, False), (3, 50, True), (3, 61, False), (2, 10, False), (12, 12, True)],
)
def test_the_concentrated_threshold(size: int, total: int, concentrated: bool) -> None:
    assert RULE.is_concentrated(size, total) is concentrated


def test_the_floor_is_a_setting() -> None:
    assert ConcentratedRule(floor=5).is_concentrated(4, 10) is False
    assert ConcentratedRule(floor=2).is_concentrated(2, 10) is True


# Seed 002 二(二): a concentrated opinion that is not (fully) adopted is answered with a public reason.
@pytest.mark.parametrize(
    ("status", "reason", "refused"),
    [
        (AnswerStatus.ADOPTED, "", False),  # adopting needs no reason
        (AnswerStatus.NOT_ADOPTED, "上位法规定首次停放时长由市级统一确定，本县无权调整。", False),
        (AnswerStatus.NOT_ADOPTED, "不采纳。", True),
        (AnswerStatus.NOT_ADOPTED, "经研究，暂不采纳。。。。。。。。。。。。。。", True),  # padding does not count
        (AnswerStatus.NOT_ADOPTED, "经研究，暂不采纳　　　　　　　　　　　　", True),  # nor full-width spaces
        (AnswerStatus.PARTLY_ADOPTED, "部分采纳。", True),  # the part not adopted needs its reason too
        (AnswerStatus.ALREADY_COVERED, "已有规定。", True),
        (AnswerStatus.OUT_OF_SCOPE, "不属于本次征求意见范围。", True),
        (AnswerStatus.OUT_OF_SCOPE, "停车收费标准由价格主管部门另行制定，不属于本办法范围。", False),
    ],
)
def test_what_a_concentrated_opinion_needs_when_it_is_not_fully_adopted(status, reason, refused) -> None:
    assert RULE.reason_is_missing(status, reason) is refused


def test_only_letters_digits_and_chinese_characters_count() -> None:
    assert meaningful_length("经研究，暂不采纳。。。") == 7
    assert meaningful_length("Art. 12 applies!") == 12


@pytest.mark.parametrize(
    ("own", "group", "contradiction"),
    [
        (AnswerStatus.ADOPTED, AnswerStatus.NOT_ADOPTED, True),
        (AnswerStatus.NOT_ADOPTED, AnswerStatus.PARTLY_ADOPTED, True),
        (AnswerStatus.OUT_OF_SCOPE, AnswerStatus.ADOPTED, True),
        (AnswerStatus.ALREADY_COVERED, AnswerStatus.NOT_ADOPTED, False),  # two refusals
        (AnswerStatus.ADOPTED, AnswerStatus.PARTLY_ADOPTED, False),  # a matter of degree
        (AnswerStatus.NOT_ADOPTED, AnswerStatus.NOT_ADOPTED, False),
    ],
)
def test_which_member_answers_contradict_their_group(own, group, contradiction) -> None:
    assert contradicts(own, group) is contradiction


async def test_a_campaign_with_edits_becomes_one_group_and_unrelated_comments_stay_apart() -> None:
    consultation = await make_consultation()
    for text in OTHERS[:2] + COPIES[:3] + OTHERS[2:] + COPIES[3:]:
        await make_comment(consultation, text, state=ModerationState.PENDING, worker=False)
    assert await CommentGroup.all().count() == 0
    # The worker takes them as one batch: each is compared with those before it in the batch too.
    assert await run_jobs() == len(OTHERS) + len(COPIES)
    groups = await CommentGroup.all()
    assert len(groups) == 1
    members = set(await Comment.filter(group_id=groups[0].id).values_list("body", flat=True))
    assert members == set(COPIES)
    assert await Comment.filter(group_id__isnull=True).count() == len(OTHERS)


async def test_a_new_comment_joins_the_right_group_on_arrival(client) -> None:
    consultation = await make_consultation()
    for text in COPIES[:2]:
        await make_comment(consultation, text)
    other = await make_comment(consultation, OTHERS[0])
    await make_comment(consultation, OTHERS[0].replace("应当", "应该") + "谢谢！")
    assert await CommentGroup.all().count() == 2  # two pairs formed as they arrived
    parking = await CommentGroup.get(summary__startswith="建议将首次")
    response = await post(
        client,
        f"/consultations/{consultation.id}/comments",
        {"body": "你好！" + COPIES[4], "category": "citizen", "name": "新来的", "phone": "13700001111"},
    )
    assert response.status_code == 303
    assert (await Comment.get(submitter_name="新来的")).group_id is None  # the worker has not run yet
    await run_jobs()
    newcomer = await Comment.get(submitter_name="新来的")
    assert newcomer.group_id == parking.id
    assert (await Comment.get(id=other.id)).group_id not in (None, parking.id)
    alone = await make_comment(consultation, OTHERS[1])
    assert (await Comment.get(id=alone.id)).group_id is None


async def test_one_answer_serves_the_group_and_a_member_can_override_it(client) -> None:
    consultation = await make_consultation()
    members = [await make_comment(consultation, text) for text in COPIES[:4]]
    group = await CommentGroup.get()
    staff, reviewer = await _staff(consultation), await _staff(consultation, Role.REVIEWER)
    answer = await answer_group(
        group, AnswerStatus.PARTLY_ADOPTED, "拟调整为二十分钟，兼顾接送需要和车位周转率。", staff, clock.now()
    )
    assert await Answer.all().count() == 0  # nothing public before review
    await review_group_answer(answer, True, "", reviewer, clock.now(), **LIMITS)
    assert await Answer.filter(group_answer_id=answer.id).count() == 4
    page = await client.get(f"/consultations/{consultation.id}")
    # Four members, plus the group itself among the concentrated opinions (4 of 4 comments).
    assert page.text.count("拟调整为二十分钟") == 5
    assert "每一项未完全采纳的集中意见都公开说明理由" in page.text
    receipt = await client.get(f"/receipts/{members[0].receipt_code}")
    assert "与其他3条相似意见一并答复" in receipt.text
    # One member gets its own answer; it keeps it when the group's answer is revised.
    own = await answer_comment(members[1], AnswerStatus.ADOPTED, "", staff, clock.now())
    await review(own, True, "", reviewer, clock.now())
    await answer_group(
        group, AnswerStatus.NOT_ADOPTED, "经研究，维持十五分钟，理由是保障车位周转。", staff, clock.now()
    )
    await review_group_answer(await GroupAnswer.get(id=answer.id), True, "", reviewer, clock.now(), **LIMITS)
    statuses = {a.comment_id: a.public_status for a in await Answer.all()}
    assert statuses[members[1].id] is AnswerStatus.ADOPTED
    assert [statuses[m.id] for m in (members[0], members[2], members[3])] == [AnswerStatus.NOT_ADOPTED] * 3


async def test_a_concentrated_group_is_not_refused_without_a_real_reason() -> None:
    consultation = await make_consultation()
    for i in range(10):
        await make_comment(consultation, COPIES[i % len(COPIES)] + "！" * (i // len(COPIES)))
    group = await CommentGroup.get()
    assert await Comment.filter(group_id=group.id).count() == 10
    staff, reviewer = await _staff(consultation), await _staff(consultation, Role.REVIEWER)
    answer = await answer_group(group, AnswerStatus.NOT_ADOPTED, "不采纳。", staff, clock.now())
    with pytest.raises(ValidationError) as info:
        await review_group_answer(answer, True, "", reviewer, clock.now(), **LIMITS)
    assert "note" in info.value.errors
    await answer_group(
        group, AnswerStatus.NOT_ADOPTED, "上位法规定首次停放时长由市级统一确定，本县无权调整。", staff, clock.now()
    )
    await review_group_answer(await GroupAnswer.get(id=answer.id), True, "", reviewer, clock.now(), **LIMITS)
    with pytest.raises(ValidationError):
        await answer_group(group, AnswerStatus.NOT_ADOPTED, "", staff, clock.now())


async def test_regrouping_keeps_receipts_and_own_answers_and_gained_members_follow_their_new_group(client) -> None:
    consultation = await make_consultation()
    first = [await make_comment(consultation, text) for text in COPIES[:3]]
    second = [await make_comment(consultation, text) for text in (OTHERS[0], OTHERS[0] + "谢谢！")]
    for text in OTHERS[1:]:
        await make_comment(consultation, text)
    group_a = await CommentGroup.get(id=(await Comment.get(id=first[0].id)).group_id)
    group_b = await CommentGroup.get(id=(await Comment.get(id=second[0].id)).group_id)
    staff, reviewer = await _staff(consultation), await _staff(consultation, Role.REVIEWER)
    answer = await answer_group(group_a, AnswerStatus.ADOPTED, "", staff, clock.now())
    await review_group_answer(answer, True, "", reviewer, clock.now(), **LIMITS)
    own = await answer_comment(
        first[2], AnswerStatus.PARTLY_ADOPTED, "其中接送孩子的部分予以采纳。", staff, clock.now()
    )
    await review(own, True, "", reviewer, clock.now())
    codes = {c.id: c.receipt_code for c in await Comment.all()}
    # Merged into a group with no answer yet: what they inherited goes, their own answer stays.
    await merge_groups(group_b, group_a, staff, clock.now())
    assert await CommentGroup.all().count() == 1
    assert await Comment.filter(group_id=group_b.id).count() == 5
    assert not await Answer.filter(comment_id__in=[first[0].id, first[1].id]).exists()
    assert (await Answer.get(comment_id=first[2].id)).public_status is AnswerStatus.PARTLY_ADOPTED
    receipt = await client.get(f"/receipts/{first[0].receipt_code}")
    assert "尚未答复" in receipt.text and "采纳" not in receipt.text.split("尚未答复")[0].split("<main")[-1]
    # The group is answered: every member without an answer of its own inherits it.
    b_answer = await answer_group(group_b, AnswerStatus.ADOPTED, "", staff, clock.now())
    await review_group_answer(b_answer, True, "", reviewer, clock.now(), **LIMITS)
    assert await Answer.filter(group_answer_id=b_answer.id).count() == 4
    await split_comment(await Comment.get(id=first[0].id), staff)
    assert (await Comment.get(id=first[0].id)).group_id is None
    assert (await Answer.get(comment_id=first[0].id)).public_status is AnswerStatus.ADOPTED
    assert {c.id: c.receipt_code for c in await Comment.all()} == codes


async def test_a_merge_that_makes_a_group_concentrated_sends_a_thin_refusal_back() -> None:
    consultation = await make_consultation()
    small = [await make_comment(consultation, text) for text in COPIES[:2]]
    other = [await make_comment(consultation, text) for text in (OTHERS[0], OTHERS[0] + "谢谢！")]
    for text in OTHERS[1:]:
        await make_comment(consultation, text)
    group_a = await CommentGroup.get(id=(await Comment.get(id=small[0].id)).group_id)
    group_b = await CommentGroup.get(id=(await Comment.get(id=other[0].id)).group_id)
    staff, reviewer = await _staff(consultation), await _staff(consultation, Role.REVIEWER)
    answer = await answer_group(group_a, AnswerStatus.NOT_ADOPTED, "不采纳。", staff, clock.now())
    await review_group_answer(answer, True, "", reviewer, clock.now(), **LIMITS)  # two of seven: below the floor
    await merge_groups(group_a, group_b, staff, clock.now())  # four of seven: concentrated
    answer = await GroupAnswer.get(id=answer.id)
    assert answer.review_state == "returned" and "集中" in answer.review_note
    # Gained members inherit the group's approved answer (still public until the revision is approved).
    gained = await Answer.filter(comment_id__in=[c.id for c in other])
    assert len(gained) == 2 and all(a.group_answer_id == answer.id for a in gained)


async def test_staff_group_comments_that_say_the_same_in_other_words(client) -> None:
    consultation = await make_consultation()
    a = await make_comment(consultation, "夜间停车应当免费，鼓励居民晚上使用路边车位。")
    b = await make_comment(consultation, "晚上八点以后路边停车不要收费，缓解小区停车难。")
    staff = await _staff(consultation)
    await log_in(client, staff)
    missing = await post(
        client, f"/manage/consultations/{consultation.id}/groups/new", {"comment_ids": str(a.id), "summary": "x"}
    )
    assert missing.status_code == 422 and "请至少选择" in missing.text
    response = await client.post(
        f"/manage/consultations/{consultation.id}/groups/new",
        data={
            "csrf_token": await csrf_token(client),
            "comment_ids": [str(a.id), str(b.id)],
            "summary": "夜间停车免费",
        },
    )
    assert response.status_code == 303
    group = await CommentGroup.get(summary="夜间停车免费")
    assert not group.automatic and await Comment.filter(group_id=group.id).count() == 2
    page = await client.get(f"/manage/consultations/{consultation.id}/groups")
    assert "夜间停车免费" in page.text and "人工归组" in page.text
    outsider = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await create_group(consultation, [a.id, b.id], "越权", outsider, clock.now())


async def test_suggestions_and_templates(client) -> None:
    consultation = await make_consultation()
    # Alike, but each pair below the automatic cut: staff are offered the group, not given it.
    for text in (
        "学校周边应当设置临时接送车位，方便家长",
        "建议在学校周边设置临时接送车位",
        "希望学校周边多设置临时接送车位方便接孩子",
        "学校门口请设置一些临时接送车位",
    ):
        await make_comment(consultation, text)
    assert not await CommentGroup.exists()
    staff = await _staff(consultation)
    await AnswerTemplate.create(
        department_id=staff.department_id, title="已有规定", text="第十一条已有规定。", created_at=clock.now()
    )
    await log_in(client, staff)
    page = await client.get(f"/manage/consultations/{consultation.id}/groups")
    assert "以下4条" in page.text and "内容相近" in page.text
    ids = [str(c.id) for c in await Comment.all()]
    response = await client.post(
        f"/manage/consultations/{consultation.id}/groups/new",
        data={"csrf_token": await csrf_token(client), "comment_ids": ids, "summary": "学校周边设置接送车位"},
    )
    assert response.status_code == 303
    group = await CommentGroup.get()
    template = await AnswerTemplate.get()
    page = await client.get(f"/manage/consultations/{consultation.id}/groups")
    assert "已有规定" in page.text  # offered in the group's answer form
    answered = await post(
        client,
        f"/manage/groups/{group.id}/answer",
        {"status": "already_covered", "reason": "", "template_id": str(template.id)},
    )
    assert answered.status_code == 303
    assert (await GroupAnswer.get(group_id=group.id)).reason == "第十一条已有规定。"


async def test_a_member_published_after_the_answer_inherits_it() -> None:
    consultation = await make_consultation()
    for text in COPIES[:2]:
        await make_comment(consultation, text)
    late = await make_comment(consultation, COPIES[2], state=ModerationState.PENDING)
    group = await CommentGroup.get()
    assert late.id and (await Comment.get(id=late.id)).group_id == group.id
    staff, reviewer = await _staff(consultation), await _staff(consultation, Role.REVIEWER)
    await review_group_answer(
        await answer_group(group, AnswerStatus.ADOPTED, "", staff, clock.now()),
        True,
        "",
        reviewer,
        clock.now(),
        **LIMITS,
    )
    assert not await Answer.filter(comment_id=late.id).exists()
    await moderate_comment(await Comment.get(id=late.id), ModerationState.PUBLISHED, staff, clock.now())
    assert (await Answer.get(comment_id=late.id)).public_status is AnswerStatus.ADOPTED


async def test_the_report_and_the_consultation_show_concentrated_opinions_first(client, calendar) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    for i in range(10):
        await make_comment(consultation, COPIES[i % len(COPIES)] + "。" * (i // len(COPIES)))
    await make_comment(consultation, OTHERS[0])
    group = await CommentGroup.get()
    staff, reviewer = await _staff(consultation), await _staff(consultation, Role.REVIEWER)
    await answer_group(
        group, AnswerStatus.NOT_ADOPTED, "首次免费时长由市级统一规定，本办法不作调整。", staff, clock.now()
    )
    await review_group_answer(await GroupAnswer.get(group_id=group.id), True, "", reviewer, clock.now(), **LIMITS)
    page = await client.get(f"/consultations/{consultation.id}")
    assert page.text.index("意见较为集中的问题") < page.text.index("公开的意见及答复")
    assert "10条意见" in page.text and "首次免费时长由市级统一规定" in page.text
    members = await client.get(f"/consultations/{consultation.id}?group={group.id}")
    assert "老旧小区应当" not in members.text.split("公开的意见及答复", 1)[1]
    await make_result(consultation, date(2026, 9, 25))
    from tests.reports.test_reports import _tick

    await _tick(date(2026, 10, 15))
    version = await ReportVersion.get()
    assert version.figures["concentrated"]["groups"][0]["size"] == 10
    report = await client.get(f"/reports/{version.report_id}")
    assert "意见较为集中的问题" in report.text and "首次免费时长由市级统一规定" in report.text


async def test_templates_belong_to_their_department() -> None:
    from consult.groups.services import add_answer_template, delete_answer_template
    from tests.factories import make_department

    own, other = await make_department("甲局"), await make_department("乙局")
    staff, outsider = await make_user(Role.STAFF, own), await make_user(Role.STAFF, other)
    office = await make_user(Role.ADMIN)
    template = await add_answer_template(own.id, "已有规定", "上位法已有规定。", staff, clock.now())
    with pytest.raises(PermissionDenied):
        await add_answer_template(own.id, "冒名", "别的单位的模板。", outsider, clock.now())
    with pytest.raises(PermissionDenied):
        await delete_answer_template(template, outsider)
    await delete_answer_template(template, office)
    assert await AnswerTemplate.all().count() == 0


async def test_suggestions_are_computed_once_until_the_ungrouped_comments_change(monkeypatch) -> None:
    """The quadratic comparison runs in a worker thread and only when a comment was published, grouped
    or split off since: two page views in a row compare once."""
    from consult.groups import queries

    calls = []
    real = queries.suggest

    def counted(rows):
        calls.append(len(rows))
        return real(rows)

    monkeypatch.setattr(queries, "suggest", counted)
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    texts = ["停车位太少，建议在学校附近多设车位", "学校附近停车位太少，建议多设车位", "建议学校附近多设一些停车位"]
    comments = [await make_comment(consultation, text) for text in texts]
    first = await queries.suggestions(consultation.id)
    assert await queries.suggestions(consultation.id) == first and calls == [3]
    assert [sorted(s.comment_ids) for s in first] == [sorted(c.id for c in comments)]
    await create_group(consultation, [c.id for c in comments[:2]], "多设车位", staff, clock.now())
    assert await queries.suggestions(consultation.id) == [] and calls == [3, 1]


async def test_staff_can_have_waiting_comments_grouped_at_once(client) -> None:
    consultation = await make_consultation()
    for text in COPIES[:3]:
        await make_comment(consultation, text, state=ModerationState.PENDING, worker=False)  # the worker is behind
    staff = await _staff(consultation)
    await log_in(client, staff)
    response = await post(client, f"/manage/consultations/{consultation.id}/groups/detect")
    assert response.status_code == 303
    group = await CommentGroup.get()
    assert await Comment.filter(group_id=group.id).count() == 3
    page = await client.get(response.headers["location"])
    assert f'id="group-{group.id}"' in page.text
