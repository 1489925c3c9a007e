"""One review workflow for every reviewed kind: the same queue, the same refusal, the same publication."""

from __future__ import annotations

from datetime import timedelta

from consult import clock
from consult.accounts.models import Role
from consult.answers.models import Answer
from consult.answers.services import answer_comment
from consult.groups.models import GroupAnswer
from consult.groups.services import answer_group, create_group
from consult.meetings.models import MeetingTopic, OpinionAnswer
from consult.meetings.services import answer_opinion, record_opinion
from consult.review.models import AnswerStatus
from tests.factories import log_in, make_attendee, make_comment, make_consultation, make_meeting, make_user, post


async def _one_of_each():
    """A pending answer of each kind, written by the department's staff, for its reviewer."""
    consultation = await make_consultation()
    decision = await consultation.decision
    department = await decision.department
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    single = await make_comment(consultation, "建议在学校门口设置临时停车区。")
    members = [await make_comment(consultation, f"第{i}位：希望延长免费停车时间。") for i in range(2)]
    group = await create_group(consultation, [m.id for m in members], "延长免费停车时间", staff, clock.now())
    meeting = await make_meeting(clock.today() - timedelta(days=1), decision=decision)
    topic = await MeetingTopic.get(meeting_id=meeting.id)
    admin = await make_user(Role.ADMIN)
    opinion = await record_opinion(await make_attendee(meeting), topic, "建议分时段收费。", admin, clock.now())
    answers = {
        "answers": await answer_comment(single, AnswerStatus.NOT_ADOPTED, "另行研究。", staff, clock.now()),
        "group-answers": await answer_group(group, AnswerStatus.ADOPTED, "", staff, clock.now()),
        "opinion-answers": await answer_opinion(opinion, AnswerStatus.ADOPTED, "", staff, clock.now()),
    }
    return reviewer, answers


async def test_every_kind_waits_in_one_queue_and_is_published_the_same_way(client) -> None:
    reviewer, answers = await _one_of_each()
    await log_in(client, reviewer)
    queue = (await client.get("/manage/reviews")).text
    for text in ("建议在学校门口设置临时停车区", "延长免费停车时间", "建议分时段收费"):
        assert text in queue
    for segment, answer in answers.items():
        response = await post(client, f"/manage/{segment}/{answer.id}/review", {"decision": "approve"})
        assert response.status_code == 303, segment
    for model, answer in zip((Answer, GroupAnswer, OpinionAnswer), answers.values(), strict=True):
        assert (await model.get(id=answer.id)).published_at is not None
    assert "暂无待审核答复" in (await client.get("/manage/reviews")).text


async def test_returning_without_a_note_shows_the_row_again_for_every_kind(client) -> None:
    """With htmx the row comes back in place; without JavaScript the row alone, with its form."""
    reviewer, answers = await _one_of_each()
    await log_in(client, reviewer)
    for segment, answer in answers.items():
        url = f"/manage/{segment}/{answer.id}/review"
        plain = await post(client, url, {"decision": "return"})
        assert plain.status_code == 422 and "请写明需要修改的内容" in plain.text, segment
        assert f'action="{url}"' in plain.text and "返回列表" in plain.text
        swapped = await post(client, url, {"decision": "return"}, htmx=True)
        assert swapped.status_code == 422 and "请写明需要修改的内容" in swapped.text
        assert "<html" not in swapped.text
        returned = await post(client, url, {"decision": "return", "note": "请补充法律依据。"}, htmx=True)
        assert returned.status_code == 200 and "请补充法律依据" in returned.text
