"""The audit log: every staff action with its before and after, no private data, a hash chain that
shows any change or removal, and the office's page."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from tortoise.connection import get_connection

from consult import clock
from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.audit.services import record, verify
from tests.conftest import BACKEND
from tests.factories import log_in, make_comment, make_consultation, make_department, make_user, post


async def _moderate(client):
    consultation = await make_consultation()
    department = await (await consultation.decision).department
    comment = await make_comment(consultation, "建议在学校周边增设临时停车位。", name="隐私王五", phone="13855556666")
    staff = await make_user(Role.STAFF, department, username="moderator")
    await log_in(client, staff)
    response = await post(
        client, f"/manage/comments/{comment.id}/moderate", {"target": "withheld", "withhold_reason": "irrelevant"}
    )
    assert response.status_code == 303
    return consultation, comment, staff


async def test_an_action_is_recorded_with_who_what_and_the_state_before_and_after(client) -> None:
    _, comment, staff = await _moderate(client)
    entry = await AuditEntry.get(object_type="comment", object_id=comment.id)
    payload = json.loads(entry.payload)
    assert entry.actor_id == staff.id and payload["actor"]["username"] == "moderator"
    assert payload["action"] == f"POST /manage/comments/{comment.id}/moderate" and entry.status == 303
    assert payload["before"]["state"] == "published" and payload["after"]["state"] == "withheld"
    assert payload["submitted"] == {"target": "withheld", "withhold_reason": "irrelevant"}
    # The commenter's name and phone are in the row, never in the log.
    assert "隐私王五" not in entry.payload and "13855556666" not in entry.payload
    assert payload["before"]["submitter_name"] == "[redacted]"


async def test_offline_entry_keeps_the_submitters_details_out_of_the_log(client) -> None:
    consultation = await make_consultation()
    staff = await make_user(Role.STAFF, await (await consultation.decision).department)
    await log_in(client, staff)
    form = {
        "channel": "letter",
        "received_on": (consultation.starts_on + timedelta(days=2)).isoformat(),
        "body": "来信：建议在学校周边增设临时停车位。",
        "category": "citizen",
        "name": "韩某某",
        "phone": "0531-87654321",
        "email": "han@example.cn",
        "display_mode": "masked",
    }
    assert (await post(client, f"/manage/consultations/{consultation.id}/offline", form)).status_code == 200
    entry = await AuditEntry.get(action=f"POST /manage/consultations/{consultation.id}/offline")
    assert all(secret not in entry.payload for secret in ("韩某某", "0531-87654321", "han@example.cn"))
    assert json.loads(entry.payload)["submitted"]["body"] == form["body"]


async def test_refused_attempts_are_recorded_too_and_anonymous_posts_are_not(client) -> None:
    consultation = await make_consultation()
    comment = await make_comment(consultation)
    outsider = await make_user(Role.STAFF, await make_department("别的局"))
    await post(client, f"/manage/comments/{comment.id}/moderate", {"target": "withheld"})
    assert await AuditEntry.all().count() == 0  # sent to log in: nothing happened
    await log_in(client, outsider)
    response = await post(client, f"/manage/comments/{comment.id}/moderate", {"target": "withheld"})
    assert response.status_code == 403
    entry = await AuditEntry.get()
    assert entry.actor_id == outsider.id and entry.status == 403


async def test_a_creation_is_recorded_against_the_new_object(client) -> None:
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    response = await post(client, "/manage/departments", {"name": "县审计局"})
    assert response.status_code == 303
    entry = await AuditEntry.get()
    assert json.loads(entry.payload)["submitted"] == {"name": "[redacted]"}  # a form field called name
    users = await post(
        client,
        "/manage/users",
        {"username": "newbie", "display_name": "新人", "role": "staff", "password": "a-long-password-1"},
    )
    assert users.status_code == 422  # department staff need a department: refused, the form shown again
    created = await AuditEntry.filter(action="POST /manage/users").first()
    assert "a-long-password-1" not in created.payload


async def _record(actor, n: int) -> None:
    await record(
        at=clock.now(),
        actor=actor,
        method="POST",
        path=f"/manage/x/{n}",
        status=303,
        target=None,
        submitted={"n": n},
        before=None,
        after=None,
    )


async def test_the_chain_verifies_and_shows_a_changed_or_removed_entry() -> None:
    actor = await make_user(Role.ADMIN)
    for n in range(5):
        await _record(actor, n)
    verdict = await verify(batch=2)
    assert verdict.ok and verdict.entries == 5
    db = get_connection("default")
    third = (await AuditEntry.all().order_by("id"))[2]
    # Someone with database access rewrites history: first the guard, then the row.
    if BACKEND == "postgres":
        with pytest.raises(Exception, match="append-only"):
            await db.execute_query(f"UPDATE audit_log SET status = 200 WHERE id = {third.id}")
        await db.execute_script("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        with pytest.raises(Exception, match="append-only"):
            await db.execute_query(f"UPDATE audit_log SET status = 200 WHERE id = {third.id}")
        await db.execute_script("DROP TRIGGER audit_log_append_only")
    try:
        await db.execute_query(
            f"UPDATE audit_log SET payload = replace(payload, '\"n\":2', '\"n\":9') WHERE id = {third.id}"
        )
        tampered = await verify()
        assert not tampered.ok and tampered.entries == 2 and f"entry {third.id}" in tampered.problem
        await db.execute_query(f"DELETE FROM audit_log WHERE id = {third.id}")
        removed = await verify()
        assert not removed.ok and "changed or removed" in removed.problem
    finally:
        if BACKEND == "postgres":
            await db.execute_script("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
        else:
            await db.execute_script(
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )


async def test_concurrent_actions_extend_one_chain() -> None:
    actor = await make_user(Role.ADMIN)
    await asyncio.gather(*(_record(actor, n) for n in range(20)))
    verdict = await verify()
    assert verdict.ok and verdict.entries == 20


async def test_the_office_browses_by_person_and_object(client) -> None:
    _, comment, _ = await _moderate(client)
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    page = await client.get("/manage/audit")
    assert page.status_code == 200 and f"/manage/comments/{comment.id}/moderate" in page.text
    assert "moderator" in page.text and "withheld" in page.text and "隐私王五" not in page.text
    mine = await client.get("/manage/audit", params={"actor": admin.id})
    assert f"/manage/comments/{comment.id}/moderate" not in mine.text
    by_object = await client.get("/manage/audit", params={"object_type": "comment", "object_id": comment.id})
    assert f"/manage/comments/{comment.id}/moderate" in by_object.text


def test_submitted_fields_keep_repeated_fields_and_redact_private_ones() -> None:
    from consult.audit.services import submitted_fields

    body = b"comment_ids=3&comment_ids=4&summary=%E5%81%9C%E8%BD%A6&phone=139&password=pw&csrf_token=t"
    assert submitted_fields(body, "application/x-www-form-urlencoded") == {
        "comment_ids": ["3", "4"],
        "summary": "停车",
        "phone": "[redacted]",
        "password": "[redacted]",
    }
    upload = b'--b\r\nContent-Disposition: form-data; name="file"; filename="\xe8\x8d\x89\xe6\xa1\x88.pdf"\r\n\r\n%PDF'
    assert submitted_fields(upload, "multipart/form-data; boundary=b") == {"files": ["草案.pdf"]}


async def test_logins_failures_and_logouts_are_in_the_chain(client) -> None:
    from tests.factories import PASSWORD

    user = await make_user(Role.STAFF)
    await post(client, "/login", {"username": user.username, "password": "not-the-password", "next": "/manage/"})
    await post(client, "/login", {"username": user.username, "password": PASSWORD, "next": "/manage/"})
    await post(client, "/logout")
    entries = list(reversed(await AuditEntry.all()))
    assert [e.action for e in entries] == ["EVENT login failed", "EVENT login", "EVENT logout"]
    failed = json.loads(entries[0].payload)
    assert failed["submitted"]["username"] == user.username and failed["actor"] is None and entries[0].status == 422
    assert "not-the-password" not in entries[0].payload
    assert entries[1].actor_id == entries[2].actor_id == user.id
    assert (await verify()).ok


async def test_the_publishing_job_records_each_publication(calendar) -> None:
    from datetime import date

    from consult.reports.deadline import ReportRule
    from consult.reports.models import AdoptionReport
    from consult.reports.services import publish_due_reports
    from consult.workdays.services import load_calendar
    from tests.factories import at, make_closed_consultation, make_result

    consultation = await make_closed_consultation(date(2026, 9, 10))
    await make_comment(consultation)
    await make_result(consultation, date(2026, 9, 25))
    published = await publish_due_reports(await load_calendar(), at(date(2026, 10, 15), 18), ReportRule())
    report = await AdoptionReport.get(consultation_id=consultation.id)
    assert published == [report.id]
    entry = await AuditEntry.get(action="EVENT adoption report published automatically")
    assert entry.object_type == "report" and entry.object_id == report.id and entry.actor_id is None
    assert json.loads(entry.payload)["submitted"]["kind"] == "deadline"
