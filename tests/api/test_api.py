"""The public JSON API: public fields only, stable pagination, ETags, JSON errors, comment submission."""

from __future__ import annotations

from datetime import timedelta

from consult import clock
from consult.comments.models import Comment, ModerationState
from consult.review.models import AnswerStatus
from tests.factories import make_answer, make_comment, make_consultation, make_decision, make_department

GOOD = {
    "body": "建议把首次免费停车时间延长到三十分钟。",
    "category": "citizen",
    "name": "王小明",
    "phone": "13912345678",
}


async def test_consultations_with_filters_and_page_links(client) -> None:
    transport, housing = await make_department("县交通运输局"), await make_department("县住建局")
    open_one = await make_consultation(await make_decision(transport, title="停车"))
    closed = await make_consultation(
        await make_decision(housing, title="改造"), starts_on=clock.today() - timedelta(days=40)
    )
    everything = (await client.get("/api/v1/consultations")).json()
    assert {c["id"] for c in everything["data"]} == {open_one.id, closed.id} and everything["total"] == 2
    opened = (await client.get("/api/v1/consultations?status=open")).json()["data"]
    assert [c["id"] for c in opened] == [open_one.id] and opened[0]["state"] == "open"
    by_department = (await client.get(f"/api/v1/consultations?department={housing.id}")).json()["data"]
    assert [c["id"] for c in by_department] == [closed.id]
    first = await client.get("/api/v1/consultations?per_page=1")
    assert first.json()["next"] and 'rel="next"' in first.headers["link"]
    second = (await client.get(first.json()["next"])).json()
    assert second["next"] is None and len(second["data"]) == 1


async def test_comment_cursor_is_stable_while_comments_arrive(client) -> None:
    consultation = await make_consultation()
    for i in range(5):
        await make_comment(consultation, f"第{i}条公开的意见内容，关于停车。")
    page = (await client.get(f"/api/v1/consultations/{consultation.id}/comments?limit=2")).json()
    seen = [c["id"] for c in page["data"]]
    await make_comment(consultation, "翻页期间新到的意见，应当出现在最后。")
    while page["next"]:
        page = (await client.get(page["next"])).json()
        seen += [c["id"] for c in page["data"]]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 6


async def test_comments_carry_their_answer_and_filters_work(client) -> None:
    consultation = await make_consultation()
    adopted = await make_comment(consultation, "这条意见被采纳了，内容关于收费。")
    await make_answer(adopted, AnswerStatus.ADOPTED, "")
    await make_comment(consultation, "这条意见还没有答复，内容关于夜间。")
    await make_comment(consultation, "这条还在审看，不会出现在接口里。", state=ModerationState.PENDING)
    data = (await client.get(f"/api/v1/consultations/{consultation.id}/comments")).json()["data"]
    assert len(data) == 2
    assert data[0]["answer"]["status"] == "adopted" and data[1]["answer"] is None
    only = (await client.get(f"/api/v1/consultations/{consultation.id}/comments?answer=adopted")).json()["data"]
    assert [c["id"] for c in only] == [adopted.id]


async def test_etag_lets_clients_poll_cheaply(client) -> None:
    consultation = await make_consultation()
    first = await client.get(f"/api/v1/consultations/{consultation.id}")
    etag = first.headers["etag"]
    again = await client.get(f"/api/v1/consultations/{consultation.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    await make_comment(consultation)
    changed = await client.get(f"/api/v1/consultations/{consultation.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["data"]["comments_received"] == 1


async def test_errors_are_json_with_a_code_in_both_languages(client) -> None:
    for path, status, code in (
        ("/api/v1/consultations/999999", 404, "not_found"),
        ("/api/v1/consultations?page=abc", 422, "invalid"),
        ("/api/v1/consultations?status=maybe", 422, "invalid"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ):
        response = await client.get(path)
        assert response.status_code == status and response.headers["content-type"] == "application/json"
        error = response.json()["error"]
        assert error["code"] == code and error["message"]["zh"] and error["message"]["en"]
    wrong_method = await client.delete("/api/v1/catalogs")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"


async def test_submitting_a_comment_as_json(client) -> None:
    consultation = await make_consultation()
    url = f"/api/v1/consultations/{consultation.id}/comments"
    key = {"Idempotency-Key": "a-retry-of-one-request"}
    created = await client.post(url, json=GOOD, headers=key)
    assert created.status_code == 201
    code = created.json()["data"]["receipt_code"]
    again = await client.post(url, json={**GOOD, "body": "  " + GOOD["body"]}, headers=key)
    assert again.status_code == 200 and again.json()["data"]["receipt_code"] == code
    invalid = await client.post(url, json={"body": "短", "category": "x"})
    assert invalid.status_code == 422
    assert set(invalid.json()["error"]["fields"]) >= {"body", "category", "name", "contact"}
    assert (await client.post(url, content=b"{not json")).status_code == 400
    assert (await client.post(url, json=["a list"])).status_code == 400
    receipt = (await client.get(f"/api/v1/receipts/{code.lower()}")).json()["data"]
    assert receipt["state"] == "pending" and receipt["body"] == GOOD["body"]
    closed = await make_consultation(starts_on=clock.today() - timedelta(days=40))
    refused = await client.post(f"/api/v1/consultations/{closed.id}/comments", json=GOOD)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "closed"


async def test_submission_is_rate_limited_per_client_with_retry_after(client, monkeypatch) -> None:
    moment = clock.now()  # one fixed window: the test must not straddle the end of a minute
    monkeypatch.setattr(clock, "now", lambda: moment)
    consultation = await make_consultation()
    url = f"/api/v1/consultations/{consultation.id}/comments"
    statuses = [
        (await client.post(url, json={**GOOD, "body": f"第{i}条通过接口提交的意见内容。"})).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [201] * 10 and statuses[10] == 429
    limited = await client.post(url, json={**GOOD, "body": "再提交一条。再提交一条。"})
    assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    assert await Comment.all().count() == 10


async def test_catalogs_decisions_reports_and_meetings_are_served(client, calendar) -> None:
    from datetime import date

    from tests.factories import make_attendee, make_closed_consultation, make_meeting, make_result
    from tests.reports.test_reports import _tick

    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)
    await make_result(consultation, date(2026, 9, 25))
    await _tick(date(2026, 10, 15))
    meeting = await make_meeting(clock.today() - timedelta(days=1))
    await make_attendee(meeting, name="列席代表")
    catalogs = (await client.get("/api/v1/catalogs")).json()["data"]
    assert catalogs[0]["year"] == 2026
    year = (await client.get("/api/v1/catalogs/2026")).json()["data"]
    assert any(d["result"] and d["result"]["document_number"] == "平政办发〔2026〕5号" for d in year["decisions"])
    decision = (await client.get(f"/api/v1/decisions/{consultation.decision_id}")).json()["data"]
    assert decision["stage"] == "decided"
    reports = (await client.get("/api/v1/reports")).json()["data"]
    assert reports[0]["figures"]["received"] == 1 and reports[0]["overdue"] is True
    meetings = (await client.get("/api/v1/meetings")).json()["data"]
    assert meetings[0]["attendees"][0]["name"] == "列席代表"
    articles = (await client.get(f"/api/v1/consultations/{consultation.id}/articles")).json()["data"]
    assert articles[0]["label"] == "第一条"
