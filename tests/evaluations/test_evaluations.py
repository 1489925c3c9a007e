"""Policy evaluations: opened by a unit, made public by its reviewer, the opinions heard at its
symposiums answered and reviewed like comments, its report complete and reviewed before publication, and
counted against the unit's yearly target."""

from __future__ import annotations

from datetime import date

import pytest

from consult.accounts.models import Role
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.evaluations.models import REPORT_PARTS, EvaluationOpinionAnswer
from consult.evaluations.rules import evaluation_target
from consult.evaluations.services import (
    EvaluationInput,
    answer_opinion,
    create_evaluation,
    publish_evaluation,
    record_activity,
    record_opinion,
    review_report,
    save_report,
    submit_report,
)
from consult.review.models import AnswerStatus
from consult.settings import Settings
from tests.factories import at, freeze, log_in, make_decision, make_department, make_user, post

REPORT = {
    "standard": "按照《停车管理办法》第十条执行收费标准。",
    "applicability": "城区范围内的公共停车场和路内泊位。",
    "usage": "施行一年来新增泊位1200个。",
    "effects": "高峰时段泊位周转率提高30%。",
    "problems": "老城区夜间停车仍然紧张。",
    "suggestions": "错时共享机关单位停车场。",
}


@pytest.mark.parametrize(
    ("government", "settings", "target"),
    [
        (True, Settings(), 5),  # seed 002: the county, at least 5 a year
        (False, Settings(), 2),  # each department and town, at least 2
        (True, Settings(evaluations_target_government=8), 8),
        (False, Settings(evaluations_target_department=3), 3),
    ],
)
def test_evaluation_targets(government: bool, settings: Settings, target: int) -> None:
    assert evaluation_target(government, settings) == target


def _input(department_id: int | None, **changes: object) -> EvaluationInput:
    fields: dict[str, object] = {
        "department_id": department_id,
        "policy_title": "城区停车管理办法",
        "scope": "收费标准和泊位供给",
        "evaluator": "县交通运输局",
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 11, 30),
        "methods": ["symposium", "questionnaire"],
    }
    return EvaluationInput(**{**fields, **changes})  # type: ignore[arg-type]


async def test_who_opens_which_evaluations(calendar) -> None:
    department = await make_department()
    staff = await make_user(Role.STAFF, department)
    with pytest.raises(PermissionDenied):  # the government's own: the office
        await create_evaluation(_input(None), staff, at(date(2026, 9, 1)))
    with pytest.raises(PermissionDenied):
        await create_evaluation(_input((await make_department()).id), staff, at(date(2026, 9, 1)))
    with pytest.raises(ValidationError) as refused:
        await create_evaluation(_input(department.id, methods=["astrology"], scope=""), staff, at(date(2026, 9, 1)))
    assert {"methods", "scope"} <= set(refused.value.errors)
    other = await make_decision(title="另一部门的决策")
    with pytest.raises(ValidationError) as refused:  # not issued, and another department's
        await create_evaluation(_input(department.id, decision_id=other.id), staff, at(date(2026, 9, 1)))
    assert "decision_id" in refused.value.errors
    office = await make_user(Role.ADMIN)
    county = await create_evaluation(_input(None), office, at(date(2026, 9, 1)))
    assert county.department_id is None


async def test_an_evaluation_from_its_opening_to_its_report(client, calendar, monkeypatch) -> None:
    department = await make_department()
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    evaluation = await create_evaluation(_input(department.id), staff, at(date(2026, 9, 1)))
    freeze(monkeypatch, date(2026, 12, 1))
    assert (await client.get(f"/evaluations/{evaluation.id}")).status_code == 404  # not public yet
    with pytest.raises(PermissionDenied):
        await publish_evaluation(evaluation, staff, at(date(2026, 9, 1)))
    await publish_evaluation(evaluation, reviewer, at(date(2026, 9, 1)))
    with pytest.raises(ValidationError):  # participants by category and count, not names
        await record_activity(
            evaluation, "symposium", date(2026, 10, 8), {"张三": ""}, "", staff, at(date(2026, 10, 9))
        )
    activity = await record_activity(
        evaluation, "symposium", date(2026, 10, 8), {"车主代表": "6", "商户": "4"}, "座谈收费标准", staff,
        at(date(2026, 10, 9)),
    )  # fmt: skip
    opinion = await record_opinion(activity, "建议夜间停车免费。", staff, at(date(2026, 10, 9)))
    await save_report(evaluation, {**REPORT, "problems": ""}, staff)
    with pytest.raises(ValidationError) as incomplete:
        await submit_report(evaluation, staff, at(date(2026, 11, 30)))
    assert set(incomplete.value.errors) == {"problems"}
    await save_report(evaluation, REPORT, staff)
    with pytest.raises(ValidationError) as unanswered:
        await submit_report(evaluation, staff, at(date(2026, 11, 30)))
    assert unanswered.value.params == {"n": 1}
    answer = await answer_opinion(
        opinion, AnswerStatus.PARTLY_ADOPTED, "夜间22点后免费。", staff, at(date(2026, 11, 2))
    )
    # Reviewed in the review queue like every answer, by a reviewer other than the author.
    await log_in(client, reviewer)
    assert "建议夜间停车免费。" in (await client.get("/manage/reviews")).text
    done = await post(client, f"/manage/evaluation-opinion-answers/{answer.id}/review", {"decision": "approve"})
    assert done.status_code == 303
    assert (await EvaluationOpinionAnswer.get(id=answer.id)).published_at is not None
    await submit_report(evaluation, reviewer, at(date(2026, 11, 30)))
    with pytest.raises(Conflict):  # under review: no longer changed
        await save_report(evaluation, REPORT, staff)
    with pytest.raises(PermissionDenied):  # nobody approves what they submitted
        await review_report(evaluation, True, "", reviewer, at(date(2026, 12, 1)))
    other = await make_user(Role.REVIEWER, department)
    await review_report(evaluation, True, "", other, at(date(2026, 12, 1)))
    page = (await client.get(f"/evaluations/{evaluation.id}")).text
    assert all(text in page for text in REPORT.values())
    assert "车主代表 6" in page and "夜间22点后免费。" in page and "部分采纳" in page
    listing = (await client.get("/evaluations/", params={"year": 2026})).text
    assert department.name in listing and f"/evaluations/{evaluation.id}" in listing
    rows = listing.split(department.name, 1)[1].split("</tr>", 1)[0]
    assert "还差1项" in rows  # 1 report published of the 2 a department owes
    api = (await client.get("/api/v1/evaluations", params={"year": 2026})).json()["data"]
    assert api[0]["report"]["effects"] == REPORT["effects"] and api[0]["unit"] == department.name
    assert set(api[0]["report"]) == set(REPORT_PARTS)
    found = (await client.get("/search", params={"q": "错时共享"})).text  # words of the report
    assert f"/evaluations/{evaluation.id}" in found
    feed = (await client.get("/feeds/participation.atom")).text
    assert f"/evaluations/{evaluation.id}#report" in feed and "评价报告" in feed


async def test_another_unit_cannot_manage_it(client, calendar) -> None:
    department = await make_department()
    evaluation = await create_evaluation(
        _input(department.id), await make_user(Role.STAFF, department), at(date(2026, 9, 1))
    )
    await log_in(client, await make_user(Role.STAFF))
    assert (await client.get(f"/manage/evaluations/{evaluation.id}")).status_code == 403
