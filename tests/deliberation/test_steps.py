"""Expert review, risk assessment, legality review and collective discussion: recorded by the
department, published by its reviewer when public, shown on the topic page in the procedure's order,
and required before the result (国务院令第713号 第十九条–第三十一条)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from consult.accounts.models import Role
from consult.decisions.models import Decision
from consult.deliberation.models import StepKind
from consult.deliberation.steps import StepInput, publish_step, record_step
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.settings import Settings
from consult.workdays.services import load_calendar
from tests.factories import (
    at,
    csrf_token,
    freeze,
    log_in,
    make_closed_consultation,
    make_decision,
    make_meeting,
    make_user,
    post,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _step(kind: StepKind, started: date, finished: date, **kw: object) -> StepInput:
    return StepInput(
        kind=kind.value,
        unit=kw.pop("unit", "县司法局"),
        started_on=started,
        finished_on=finished,
        outcome=kw.pop("outcome", "经审查，草案符合法律法规规定。"),
        **kw,  # type: ignore[arg-type]
    )


async def _record(decision: Decision, data: StepInput, today: date, role: Role = Role.STAFF, **settings: int):
    user = await make_user(role, await decision.department)
    return await record_step(decision, data, user, at(today), await load_calendar(), Settings(**settings))


async def test_a_short_legality_review_needs_a_reason(calendar) -> None:
    decision = await make_decision()
    # Sent the day before National Day, back on 12 October: 13 calendar days, 5 working days.
    short = _step(StepKind.LEGALITY_REVIEW, date(2026, 9, 29), date(2026, 10, 12))
    with pytest.raises(ValidationError) as refused:
        await _record(decision, short, date(2026, 10, 12))
    assert "short_period_reason" in refused.value.errors and refused.value.params == {"days": 5, "n": 7}
    recorded = await _record(
        decision,
        replace(short, short_period_reason="上级督办，限期出台"),
        date(2026, 10, 12),
    )
    assert recorded.short_period_reason == "上级督办，限期出台"
    # A local rule of 5 working days accepts the same dates without a reason.
    other = await make_decision(title="另一事项")
    assert (
        await _record(other, short, date(2026, 10, 12), legality_review_min_working_days=5)
    ).short_period_reason == ""


async def test_steps_are_checked_and_kept_to_their_department(calendar) -> None:
    decision = await make_decision()
    future = _step(StepKind.EXPERT_REVIEW, date(2026, 5, 1), date(2026, 5, 20), unit="县住建局", outcome="专家一致同意")
    with pytest.raises(ValidationError) as refused:
        await _record(decision, future, date(2026, 5, 10))
    assert "finished_on" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        await _record(decision, StepInput("", "", None, None, ""), date(2026, 5, 10))
    assert {"kind", "unit", "outcome", "started_on", "finished_on"} <= set(refused.value.errors)
    with pytest.raises(ValidationError) as refused:
        await _record(
            decision,
            _step(StepKind.EXPERT_REVIEW, date(2026, 5, 1), date(2026, 5, 2), risk_level="low"),
            date(2026, 5, 10),
        )
    assert "risk_level" in refused.value.errors  # a risk level belongs to a risk assessment only
    stranger = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await record_step(decision, future, stranger, at(date(2026, 6, 1)), await load_calendar(), Settings())


async def test_collective_discussion_follows_the_legality_review_at_a_meeting_on_the_decision(calendar) -> None:
    decision = await make_decision()
    meeting = await make_meeting(date(2026, 11, 20), decision=decision)
    unrelated = await make_meeting(date(2026, 11, 27))
    discussed = _step(
        StepKind.COLLECTIVE_DISCUSSION,
        date(2026, 11, 20),
        date(2026, 11, 20),
        unit="县人民政府",
        outcome="原则通过",
        meeting_id=meeting.id,
    )
    with pytest.raises(ValidationError) as refused:
        await _record(decision, discussed, date(2026, 11, 30))
    assert "合法性审查" not in str(refused.value)  # message is the msgid; the page translates it
    assert "kind" in refused.value.errors
    await _record(decision, _step(StepKind.LEGALITY_REVIEW, date(2026, 11, 2), date(2026, 11, 13)), date(2026, 11, 30))
    with pytest.raises(ValidationError) as refused:
        await _record(
            decision,
            replace(discussed, meeting_id=unrelated.id),
            date(2026, 11, 30),
        )
    assert "meeting_id" in refused.value.errors
    step = await _record(decision, discussed, date(2026, 11, 30))
    assert step.meeting_id == meeting.id


async def test_the_topic_page_shows_public_steps_in_order_after_review(client, calendar, monkeypatch) -> None:
    freeze(monkeypatch, date(2026, 11, 30))
    decision = await make_decision()
    decision.participation_methods = "网上征求意见；召开听证会听取车主代表意见"
    await decision.save()
    risk = await _record(
        decision,
        _step(
            StepKind.RISK_ASSESSMENT,
            date(2026, 8, 1),
            date(2026, 8, 20),
            unit="县委政法委",
            outcome="社会稳定风险可控",
            risk_level="low",
        ),
        date(2026, 11, 30),
    )
    expert = await _record(
        decision,
        _step(
            StepKind.EXPERT_REVIEW,
            date(2026, 7, 1),
            date(2026, 7, 3),
            unit="县住建局",
            outcome="专家一致认为收费标准合理",
        ),
        date(2026, 11, 30),
    )
    await _record(
        decision, _step(StepKind.LEGALITY_REVIEW, date(2026, 9, 1), date(2026, 9, 11), public=False), date(2026, 11, 30)
    )
    page = (await client.get(f"/decisions/{decision.id}")).text
    assert "专家一致认为" not in page and "社会稳定风险可控" not in page  # not yet reviewed
    assert "网上征求意见；召开听证会听取车主代表意见" in page
    assert "内容不公开" in page  # the internal legality review: done, content not public
    staff = await make_user(Role.STAFF, await decision.department)
    with pytest.raises(PermissionDenied):
        await publish_step(risk, staff, at(date(2026, 11, 30)))
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await publish_step(risk, reviewer, at(date(2026, 11, 30)))
    await log_in(client, reviewer)
    assert (await post(client, f"/manage/steps/{expert.id}/publish")).status_code == 303
    with pytest.raises(Conflict):
        await publish_step(risk, reviewer, at(date(2026, 11, 30)))
    page = (await client.get(f"/decisions/{decision.id}")).text
    assert page.index("专家一致认为收费标准合理") < page.index("社会稳定风险可控") < page.index("内容不公开")
    assert "风险等级：低" in page
    api = (await client.get(f"/api/v1/decisions/{decision.id}")).json()["data"]
    steps = {step["kind"]: step for step in api["procedure_steps"]}
    assert [step["kind"] for step in api["procedure_steps"]] == [k.value for k in StepKind]
    assert steps["risk_assessment"]["records"][0]["risk_level"] == "low"
    assert steps["legality_review"] == {
        "kind": "legality_review",
        "done": True,
        "internal_on": "2026-09-11",
        "records": [],
    }
    assert api["participation_methods"] == "网上征求意见；召开听证会听取车主代表意见"
    found = (await client.get("/search", params={"q": "收费标准合理"})).text
    assert f"/decisions/{decision.id}#step-{expert.id}" in found


async def test_step_documents_are_public_with_their_step_only(client, calendar) -> None:
    decision = await make_decision()
    step = await _record(decision, _step(StepKind.EXPERT_REVIEW, date(2026, 7, 1), date(2026, 7, 3)), date(2026, 8, 1))
    staff = await make_user(Role.STAFF, await decision.department)
    await log_in(client, staff)
    token = {"csrf_token": await csrf_token(client)}
    bad = await client.post(
        f"/manage/steps/{step.id}/documents", data=token, files={"file": ("报告.png", b"MZ\x90\x00evil", "image/png")}
    )
    assert bad.status_code == 422 and "仅接受" in bad.text
    ok = await client.post(
        f"/manage/steps/{step.id}/documents",
        data={"csrf_token": await csrf_token(client)},
        files={"file": ("论证报告.png", PNG, "image/png")},
    )
    assert ok.status_code == 303
    from consult.deliberation.models import StepDocument

    doc = await StepDocument.get(step_id=step.id)
    url = f"/decisions/{decision.id}/steps/{step.id}/documents/{doc.id}"
    assert (await client.get(url)).status_code == 200  # the department sees it before publication
    await client.post("/logout", data={"csrf_token": await csrf_token(client)})
    client.cookies.clear()
    assert (await client.get(url)).status_code == 404
    await publish_step(step, await make_user(Role.REVIEWER, await decision.department), at(date(2026, 8, 2)))
    assert (await client.get(url)).status_code == 200


async def test_no_result_without_a_legality_review(client, calendar, monkeypatch) -> None:
    consultation = await make_closed_consultation(date(2026, 9, 10))
    decision = await Decision.get(id=consultation.decision_id)
    reviewer = await make_user(Role.REVIEWER, await decision.department)
    await log_in(client, reviewer)
    page = (await client.get(f"/manage/decisions/{decision.id}")).text
    assert "尚未记录合法性审查" in page  # said before anyone tries
    form = {"document_number": "平政办发〔2026〕9号", "issued_on": "2026-09-25", "text": "正式文本"}
    refused = await post(client, f"/manage/decisions/{decision.id}/result", form)
    assert (
        refused.status_code == 422
        and "尚未记录合法性审查" in refused.text
        and 'value="平政办发〔2026〕9号"' in refused.text
    )
