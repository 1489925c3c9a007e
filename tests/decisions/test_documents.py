"""Government rule drafts and normative documents: consulted on outside the catalog, each with its own
topic page, with the period of its kind, the same comments and answers, and the report if the local rule
says so."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from consult.accounts.models import Role
from consult.decisions.models import Decision, DecisionKind
from consult.decisions.services import DecisionInput, add_document
from consult.drafts.services import create_consultation, create_draft, publish_consultation
from consult.errors import PermissionDenied, ValidationError
from consult.reports.deadline import ReportRule
from consult.reports.models import AdoptionReport
from consult.reports.services import ResultInput, record_result
from consult.settings import Settings
from consult.workdays.services import load_calendar
from tests.factories import (
    at,
    freeze,
    log_in,
    make_catalog,
    make_comment,
    make_department,
    make_legality_review,
    make_user,
    post,
)

BODY = "第一条 为规范城区临时占道经营，制定本规定。\n第二条 本规定自发布之日起施行。"


async def _document(kind: DecisionKind = DecisionKind.NORMATIVE_DOCUMENT, market: bool = False) -> Decision:
    department = await make_department()
    staff = await make_user(Role.STAFF, department)
    data = DecisionInput(
        title="城区临时占道经营管理规定", department_id=department.id, planned_completion=date(2026, 12, 31)
    )
    return await add_document(kind.value, data, market, staff)


async def _consult(document: Decision, starts: date, ends: date, reason: str = "", publish: bool = True):
    department = await document.department
    staff = await make_user(Role.STAFF, department)
    draft = await create_draft(document, "征求意见稿", document.title, BODY, "", staff, at(starts - timedelta(days=1)))
    consultation = await create_consultation(draft, starts, ends, reason, staff, starts, at(starts, 8), Settings())
    if publish:
        await publish_consultation(consultation, await make_user(Role.REVIEWER, department), starts, at(starts, 9))
    return consultation


async def test_a_department_adds_its_own_documents_only(calendar) -> None:
    mine, other = await make_department("县市场监管局"), await make_department("县教育局")
    staff = await make_user(Role.STAFF, mine)
    data = DecisionInput(title="某规定", department_id=other.id, planned_completion=date(2026, 12, 31))
    with pytest.raises(PermissionDenied):
        await add_document("normative_document", data, False, staff)
    with pytest.raises(ValidationError) as refused:
        await add_document("major_decision", DecisionInput("", mine.id, date(2026, 12, 31)), False, staff)
    assert {"kind", "title"} <= set(refused.value.errors)  # a major decision goes into the catalog instead
    rule = await add_document("government_rule", DecisionInput("某办法", mine.id, date(2026, 12, 31)), True, staff)
    assert rule.catalog_id is None and rule.kind is DecisionKind.GOVERNMENT_RULE
    assert rule.market_related is False  # only a normative document's period depends on it


async def test_seven_working_days_across_a_weekend_and_the_holidays(calendar) -> None:
    document = await _document()
    with pytest.raises(ValidationError) as short:
        # 17 calendar days, of which the National Day holidays, a weekend: 6 working days.
        await _consult(document, date(2026, 9, 24), date(2026, 10, 11))
    assert short.value.params == {"n": 7} and "working days" in short.value.message
    consultation = await _consult(document, date(2026, 9, 24), date(2026, 10, 12))
    assert consultation.short_period_reason == ""
    market = await _document(market=True)
    with pytest.raises(ValidationError) as refused:  # 30 days for one closely tied to businesses
        await _consult(market, date(2026, 3, 6), date(2026, 3, 17))
    assert refused.value.params == {"n": 30}
    rule = await _document(DecisionKind.GOVERNMENT_RULE)
    assert (await _consult(rule, date(2026, 3, 6), date(2026, 4, 5))).short_period_reason == ""


async def test_a_document_has_its_own_topic_page_outside_the_catalog(client, calendar, monkeypatch) -> None:
    catalog = await make_catalog()
    freeze(monkeypatch, date(2026, 3, 10))
    document = await _document()
    consultation = await _consult(document, date(2026, 3, 6), date(2026, 3, 17), publish=False)
    assert (await client.get(f"/decisions/{document.id}")).status_code == 404  # not public before its consultation
    department = await document.department
    await publish_consultation(
        consultation, await make_user(Role.REVIEWER, department), date(2026, 3, 6), at(date(2026, 3, 6), 9)
    )
    topic = await client.get(f"/decisions/{document.id}")
    assert topic.status_code == 200 and "行政规范性文件" in topic.text and "城区临时占道经营管理规定" in topic.text
    assert "城区临时占道经营管理规定" not in (await client.get(f"/catalogs/{catalog.year}")).text
    listing = (await client.get("/documents/")).text
    assert f"/decisions/{document.id}" in listing and f"/consultations/{consultation.id}" in listing
    page = (await client.get(f"/consultations/{consultation.id}")).text
    assert "城区临时占道经营管理规定" in page
    api = (await client.get(f"/api/v1/decisions/{document.id}")).json()["data"]
    assert api["kind"] == "normative_document" and api["catalog_year"] is None and api["seq"] is None
    found = (await client.get("/search", params={"q": "临时占道"})).text
    assert f"/decisions/{document.id}" in found
    # Comments and their answers work as for a decision.
    comment = await make_comment(consultation, "建议明确夜市临时占道的时段和清理要求。")
    assert (await client.get(f"/receipts/{comment.receipt_code}")).status_code == 200


async def test_staff_add_a_document_and_its_period_rule_is_shown(client, calendar) -> None:
    department = await make_department("县市场监管局")
    staff = await make_user(Role.STAFF, department)
    await log_in(client, staff)
    form = {"kind": "normative_document", "title": "城区临时占道经营管理规定", "planned_completion": "2026-12-31"}
    missing = await post(client, "/manage/documents", {**form, "kind": ""})
    assert missing.status_code == 422 and 'value="城区临时占道经营管理规定"' in missing.text
    done = await post(client, "/manage/documents", form)
    assert done.status_code == 303
    document = await Decision.get(title="城区临时占道经营管理规定")
    assert document.department_id == department.id and document.catalog_id is None
    draft_page = await post(
        client,
        f"/manage/decisions/{document.id}/drafts/new",
        {"version_label": "征求意见稿", "title": "规定", "body": BODY},
    )
    assert draft_page.status_code == 303
    page = (await client.get(draft_page.headers["location"])).text
    assert "不少于7个工作日" in page


async def test_whether_the_report_applies_is_a_setting_per_kind(calendar) -> None:
    document = await _document()
    consultation = await _consult(document, date(2026, 3, 6), date(2026, 3, 17))
    await make_legality_review(document, date(2026, 3, 25))
    reviewer = await make_user(Role.REVIEWER, await document.department)
    only_decisions = ReportRule(kinds=("major_decision",))
    data = ResultInput(document_number="平市监发〔2026〕3号", issued_on=date(2026, 3, 30), text="正式文本")
    await record_result(document, data, reviewer, at(date(2026, 3, 30), 16), await load_calendar(), only_decisions)
    assert not await AdoptionReport.filter(consultation_id=consultation.id).exists()
    other = await _document(DecisionKind.GOVERNMENT_RULE)
    consultation = await _consult(other, date(2026, 3, 6), date(2026, 4, 6))
    await make_legality_review(other, date(2026, 4, 8))
    data = ResultInput(document_number="平政发〔2026〕4号", issued_on=date(2026, 4, 9), text="正式文本")
    await record_result(
        other,
        data,
        reviewer_of := await make_user(Role.REVIEWER, await other.department),
        at(date(2026, 4, 9), 16),
        await load_calendar(),
        ReportRule(),
    )
    assert reviewer_of and await AdoptionReport.filter(consultation_id=consultation.id).exists()


async def test_the_migration_keeps_catalog_numbers_unique(tmp_path) -> None:
    """0022 rebuilds the decision table on SQLite to make its catalog optional: the rows, their
    references and the unique number per catalog survive."""
    import sqlite3

    from tests.factories import migrate_sqlite_file

    path = tmp_path / "old.sqlite3"
    migrate_sqlite_file(path, "consult.0021_before_the_decision")
    with sqlite3.connect(path) as old:
        old.execute("INSERT INTO department (id, name, created_at) VALUES (1, '县住建局', '2026-01-01 00:00:00+00:00')")
        old.execute(
            "INSERT INTO catalog (id, year, title, introduction, created_at) VALUES (1, 2026, '目录', '', '2026-01-01')"
        )
        for i in (1, 2):
            old.execute(
                "INSERT INTO decision (id, catalog_id, seq, title, department_id, legal_basis, background, "
                "planned_completion, needs_hearing, created_at, updated_at) VALUES (?, 1, ?, '事项', 1, '', '', "
                "'2026-12-31', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')",
                (i, i),
            )
        # A row elsewhere that references a decision (RESTRICT): the rebuild must not trip over it.
        old.execute(
            "INSERT INTO decision_result (decision_id, document_number, issued_on, text, link, interpretation, "
            "interpretation_link, recorded_at, issuing_level) VALUES (1, '平政办发〔2026〕12号', '2026-10-09', '', '', "
            "'', '', '2026-10-09 08:00:00+00:00', 'government')"
        )
    migrate_sqlite_file(path, "")
    with sqlite3.connect(path) as new:
        assert new.execute("SELECT decision_id FROM decision_result").fetchall() == [(1,)]
        assert new.execute("PRAGMA foreign_key_check").fetchall() == []
        assert new.execute("SELECT id, seq, kind, catalog_id FROM decision ORDER BY id").fetchall() == [
            (1, 1, "major_decision", 1),
            (2, 2, "major_decision", 1),
        ]
        with pytest.raises(sqlite3.IntegrityError):
            new.execute("UPDATE decision SET seq = 1 WHERE id = 2")
        # Outside the catalog, numbers do not collide.
        new.execute("UPDATE decision SET catalog_id = NULL, seq = 0 WHERE id IN (1, 2)")
