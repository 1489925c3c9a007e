"""After the decision: interpretations reviewed before they are public, execution updates, and the
government's adjustments, on the topic page, the catalog, the API, the feeds, search and the dashboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.decisions.models import DecisionResult, IssuingLevel
from consult.errors import Conflict, PermissionDenied, ValidationError
from consult.implementation.models import Interpretation
from consult.implementation.services import (
    InterpretationInput,
    StatusChangeInput,
    add_interpretation,
    record_status_change,
    review_interpretation,
)
from consult.search.queries import search
from tests.factories import (
    csrf_token,
    log_in,
    make_closed_consultation,
    make_decision,
    make_department,
    make_execution_update,
    make_interpretation,
    make_legality_review,
    make_result,
    make_user,
    post,
)

FORMS = ["text", "graphic", "qa", "press_conference", "expert"]


async def _issued(title: str = "制定城区停车收费管理办法"):
    closed = await make_closed_consultation(clock.today() - timedelta(days=10), await make_decision(title=title))
    await make_result(closed, clock.today() - timedelta(days=5))
    decision = await closed.decision
    department = await decision.department
    return decision, department


def _input(form: str = "qa", **change: object) -> InterpretationInput:
    values = {
        "form": form,
        "title": "停车收费十问十答",
        "interpreter": "县交通运输局",
        "published_on": clock.today() - timedelta(days=5),
        "body": "问：首次停放多久免费？答：十五分钟。",
        "link": "",
    }
    return InterpretationInput(**{**values, **change})


async def test_an_interpretation_is_public_only_once_another_reviewer_approves_it(client) -> None:
    decision, department = await _issued()
    staff, reviewer = await make_user(Role.STAFF, department), await make_user(Role.REVIEWER, department)
    item = await add_interpretation(decision, _input(), reviewer, clock.now())
    url = f"/decisions/{decision.id}/interpretations/{item.id}"
    other_reviewer = await make_user(Role.REVIEWER, department)
    await log_in(client, other_reviewer)  # it waits in the department's review queue
    assert f"/manage/decisions/{decision.id}#interpretation-{item.id}" in (await client.get("/manage/reviews")).text
    await log_in(client, await make_user(Role.REVIEWER, await make_department("县财政局")))
    assert "停车收费十问十答" not in (await client.get("/manage/reviews")).text
    client.cookies.clear()
    assert (await client.get(url)).status_code == 404
    assert "停车收费十问十答" not in (await client.get(f"/decisions/{decision.id}")).text
    with pytest.raises(PermissionDenied):  # four eyes: never one's own
        await review_interpretation(item, True, "", reviewer, clock.now())
    with pytest.raises(PermissionDenied):  # staff write, reviewers approve
        await review_interpretation(item, True, "", staff, clock.now())
    with pytest.raises(ValidationError):  # returning needs a note
        await review_interpretation(item, False, "", other_reviewer, clock.now())
    await review_interpretation(item, True, "", other_reviewer, clock.now())

    page = await client.get(url)
    assert page.status_code == 200 and "问：首次停放多久免费？" in page.text and "问答解读" in page.text
    topic = (await client.get(f"/decisions/{decision.id}")).text
    assert "停车收费十问十答" in topic and "已采用1种形式解读" in topic and "须至少5种" in topic
    assert "与文件同步发布" in topic  # dated on the issue day (三同步)
    api = (await client.get(f"/api/v1/decisions/{decision.id}")).json()["data"]
    assert [i["title"] for i in api["interpretations"]] == ["停车收费十问十答"]
    assert api["interpretation_standing"] == {"forms": 1, "target": 5, "published_with_the_document": True}
    assert reviewer.username not in str(api)  # who wrote and approved it is not public
    feed = (await client.get("/feeds/interpretations.atom")).text
    assert "停车收费十问十答" in feed and url in feed
    found = await search("十问十答")
    assert [(r["kind"], r["url"]) for r in found.items] == [("interpretation", url)]


async def test_what_an_interpretation_must_carry_and_who_may_write_it() -> None:
    decision, department = await _issued()
    staff = await make_user(Role.STAFF, department)
    cases = [
        (_input(form="poem"), "form"),
        (_input(title=" "), "title"),
        (_input(interpreter=""), "interpreter"),
        (_input(published_on=None), "published_on"),
        (_input(body="", link=""), "body"),
        (_input(link="javascript:alert(1)"), "link"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as refused:
            await add_interpretation(decision, data, staff, clock.now())
        assert field in refused.value.errors, field
    # A video is a link and a summary; a graphic may be a link alone.
    await add_interpretation(
        decision, _input(form="graphic", body="", link="https://example.gov.cn/a.png"), staff, clock.now()
    )
    other = await make_user(Role.STAFF, await make_department("县财政局"))
    with pytest.raises(PermissionDenied):
        await add_interpretation(decision, _input(), other, clock.now())
    not_issued = await make_decision(department=department, title="尚未出台的事项")
    with pytest.raises(Conflict):
        await add_interpretation(not_issued, _input(), staff, clock.now())


async def test_forms_count_once_each_against_the_target_of_the_documents_level(client, settings) -> None:
    decision, _ = await _issued()
    await make_interpretation(decision, "text")
    await make_interpretation(decision, "text")  # a second text is not a second form
    office = await make_user(Role.ADMIN)
    await log_in(client, office)
    board = (await client.get("/manage/dashboard")).text
    assert decision.title in board and "1 / 5" in board
    for form in FORMS[1:]:
        await make_interpretation(decision, form)
    board = (await client.get("/manage/dashboard")).text
    assert f"/manage/decisions/{decision.id}#interpretations" not in board
    # A department's document needs two.
    departmental, _ = await _issued("制定出租汽车服务规范")
    await DecisionResult.filter(decision_id=departmental.id).update(issuing_level=IssuingLevel.DEPARTMENT)
    await make_interpretation(departmental, "text", published_on=clock.today())  # after the issue day
    board = (await client.get("/manage/dashboard")).text
    assert "1 / 2" in board
    row = board.split(f"/manage/decisions/{departmental.id}#interpretations", 1)[1].split("</tr>", 1)[0]
    assert "否" in row  # not in step: the first came after the document
    await make_interpretation(departmental, "qa", published_on=clock.today())
    again = (await client.get("/manage/dashboard")).text
    row = again.split(f"/manage/decisions/{departmental.id}#interpretations", 1)[1].split("</tr>", 1)[0]
    assert "2 / 2" in row and "否" in row


async def test_the_office_adjusts_suspends_and_terminates_with_reasons(client) -> None:
    decision, department = await _issued()
    office, reviewer = await make_user(Role.ADMIN), await make_user(Role.REVIEWER, department)
    today = clock.today()
    adjust = StatusChangeInput("adjusted", today, "收费时段由全天调整为白天。", "平政办发〔2026〕20号")
    with pytest.raises(PermissionDenied):
        await record_status_change(decision, adjust, reviewer, clock.now())
    for data, field in (
        (StatusChangeInput("adjusted", today, "调整收费时段。"), "document_number"),
        (StatusChangeInput("suspended", today, " "), "reason"),
        (StatusChangeInput("suspended", today - timedelta(days=30), "暂停。"), "effective_on"),
        (StatusChangeInput("resumed", today, "恢复。"), None),
    ):
        with pytest.raises(ValidationError if field else Conflict) as refused:
            await record_status_change(decision, data, office, clock.now())
        if field:
            assert field in refused.value.errors
    await record_status_change(decision, adjust, office, clock.now())
    with pytest.raises(ValidationError) as back_dated:  # a change dated before the last one
        await record_status_change(
            decision, StatusChangeInput("suspended", today - timedelta(days=1), "暂停。"), office, clock.now()
        )
    assert "effective_on" in back_dated.value.errors
    topic = (await client.get(f"/decisions/{decision.id}")).text
    assert "已调整" in topic and "收费时段由全天调整为白天。" in topic and "平政办发〔2026〕20号" in topic
    catalog = (await client.get(f"/catalogs/{(await decision.catalog).year}")).text
    assert f'href="/decisions/{decision.id}#status" class="badge adjusted"' in catalog
    feed = (await client.get("/feeds/decisions.atom")).text
    assert f"{decision.title}（已调整）" in feed
    api = (await client.get(f"/api/v1/decisions/{decision.id}")).json()["data"]
    assert api["execution_state"] == "adjusted" and api["status_changes"][0]["kind"] == "adjusted"
    await record_status_change(
        decision, StatusChangeInput("terminated", today, "上位法修订，停止执行。"), office, clock.now()
    )
    with pytest.raises(Conflict):
        await record_status_change(decision, StatusChangeInput("resumed", today, "恢复。"), office, clock.now())
    assert "停止执行" in (await client.get(f"/decisions/{decision.id}")).text


async def test_execution_updates_are_public_once_a_reviewer_publishes_them(client) -> None:
    decision, department = await _issued()
    update = await make_execution_update(decision, "已在城区施划收费泊位1200个。")
    assert "施划收费泊位" not in (await client.get(f"/decisions/{decision.id}")).text
    reviewer = await make_user(Role.REVIEWER, department)
    await log_in(client, reviewer)
    response = await post(client, f"/manage/execution-updates/{update.id}/publish")
    assert response.status_code == 303
    topic = (await client.get(f"/decisions/{decision.id}")).text
    assert "已在城区施划收费泊位1200个。" in topic
    api = (await client.get(f"/api/v1/decisions/{decision.id}")).json()["data"]
    assert [u["body"] for u in api["execution_updates"]] == ["已在城区施划收费泊位1200个。"]
    feed = (await client.get("/feeds/decisions.atom")).text
    assert f"{decision.title}（执行情况）" in feed and "已在城区施划收费泊位1200个。" in feed
    found = await search("施划收费泊位")
    assert [(r["kind"], r["url"]) for r in found.items] == [
        ("execution_update", f"/decisions/{decision.id}#update-{update.id}")
    ]


async def test_the_staff_forms_show_their_errors_under_their_own_fields(client) -> None:
    decision, department = await _issued()
    await log_in(client, await make_user(Role.STAFF, department))
    page = await client.get(f"/manage/decisions/{decision.id}")
    assert f'action="/manage/decisions/{decision.id}/interpretations"' in page.text
    assert "/status" not in page.text.split('id="status"', 1)[1].split("</section>", 1)[0].split("<ul>", 1)[1]
    refused = await post(
        client, f"/manage/decisions/{decision.id}/interpretations", {"i_form": "qa", "i_title": "停车十问"}
    )
    assert refused.status_code == 422
    assert 'id="f-i_interpreter"' in refused.text and 'id="i_interpreter-error"' in refused.text
    assert 'value="停车十问"' in refused.text  # what was typed is kept
    done = await post(
        client,
        f"/manage/decisions/{decision.id}/interpretations",
        {
            "i_form": "qa",
            "i_title": "停车十问",
            "i_interpreter": "县交通运输局",
            "i_published_on": date.today().isoformat(),
            "i_body": "问答正文。",
        },
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#interpretations")
    assert await Interpretation.filter(decision_id=decision.id, title="停车十问").exists()
    refused = await post(client, f"/manage/decisions/{decision.id}/execution", {"u_reported_on": "2020-01-01"})
    assert (
        refused.status_code == 422
        and 'id="u_reported_on-error"' in refused.text
        and 'id="u_body-error"' in refused.text
    )


async def test_the_result_records_in_whose_name_it_is_issued(client) -> None:
    consultation = await make_closed_consultation(clock.today() - timedelta(days=3))
    decision = await consultation.decision
    await log_in(client, await make_user(Role.REVIEWER, await decision.department))
    await make_legality_review(decision, clock.today())
    form = {"document_number": "平交发〔2026〕3号", "issued_on": clock.today().isoformat(), "text": "正式文本"}
    refused = await post(client, f"/manage/decisions/{decision.id}/result", {**form, "issuing_level": "county"})
    assert refused.status_code == 422
    done = await post(client, f"/manage/decisions/{decision.id}/result", {**form, "issuing_level": "department"})
    assert done.status_code == 303
    assert (await DecisionResult.get(decision_id=decision.id)).issuing_level is IssuingLevel.DEPARTMENT
    assert "部门或乡镇" in (await client.get(f"/decisions/{decision.id}")).text


async def test_migration_0017_keeps_an_interpretation_written_on_a_result() -> None:
    import importlib
    from types import SimpleNamespace

    from tortoise.connection import get_connection

    migration = importlib.import_module("migrations.0017_after_issue")
    consultation = await make_closed_consultation(clock.today() - timedelta(days=3))
    await make_result(consultation, clock.today())
    result = await DecisionResult.get(decision_id=consultation.decision_id)
    await DecisionResult.filter(id=result.id).update(
        interpretation="一图读懂：三年完成86个小区改造。", interpretation_link="https://example.gov.cn/x"
    )
    await migration._interpretations_of_results(None, SimpleNamespace(client=get_connection("default")))
    item = await Interpretation.get(decision_id=consultation.decision_id)
    assert (item.form.value, item.body, item.link, item.published_on, item.review_state.value) == (
        "text",
        "一图读懂：三年完成86个小区改造。",
        "https://example.gov.cn/x",
        result.issued_on,
        "approved",
    )
    assert item.published_at is not None


def test_upgrading_a_database_with_results_and_comments_to_the_after_issue_tables(tmp_path) -> None:
    """Columns added to tables that already have rows get their defaults (a NOT NULL column without a
    database default is refused on both databases), and a result's interpretation becomes a record."""
    import sqlite3

    from tests.factories import migrate_sqlite_file

    path = tmp_path / "old.sqlite3"
    migrate_sqlite_file(path, "consult.0016_search_pages_first")
    with sqlite3.connect(path) as old:  # foreign keys are not enforced on this connection
        old.execute("INSERT INTO department (id, name, created_at) VALUES (1, '县住建局', '2026-01-01 00:00:00+00:00')")
        old.execute(
            "INSERT INTO decision (id, catalog_id, seq, title, department_id, legal_basis, background, "
            "planned_completion, needs_hearing, created_at, updated_at) VALUES (1, 1, 1, '老旧小区改造方案', 1, '', '', "
            "'2026-12-31', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')"
        )
        old.execute(
            "INSERT INTO decision_result (decision_id, document_number, issued_on, text, link, interpretation, "
            "interpretation_link, recorded_at) VALUES (1, '平政办发〔2026〕12号', '2026-10-09', '', '', '一图读懂。', '', "
            "'2026-10-09 08:00:00+00:00')"
        )
        old.execute(
            "INSERT INTO comment (id, consultation_id, body, channel, category, submitter_name, contact_phone, "
            "contact_email, display_mode, public_name, receipt_code, dedupe_key, state, moderation_note, "
            "received_on, submitted_at, notify_by_email) VALUES (1, 1, '意见正文内容。', 'online', 'citizen', '张三', "
            "'', '', 'masked', '张*', 'AAAA-AAAA-AAAA', 'k1', 'published', '', '2026-01-01', "
            "'2026-01-01 00:00:00+00:00', 0)"
        )
    migrate_sqlite_file(path, "")
    with sqlite3.connect(path) as new:
        assert new.execute("SELECT proposed_text FROM comment").fetchall() == [("",)]
        assert new.execute("SELECT issuing_level FROM decision_result").fetchall() == [("government",)]
        assert new.execute("SELECT form, body, review_state FROM interpretation").fetchall() == [
            ("text", "一图读懂。", "approved")
        ]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_a_graphic_is_uploaded_checked_by_its_bytes_and_public_with_its_interpretation(client) -> None:
    decision, department = await _issued()
    await log_in(client, await make_user(Role.STAFF, department))
    form = {
        "i_form": "graphic",
        "i_title": "一图读懂停车收费",
        "i_interpreter": "县交通运输局",
        "i_published_on": (clock.today() - timedelta(days=5)).isoformat(),
    }
    url = f"/manage/decisions/{decision.id}/interpretations"
    token = {"csrf_token": await csrf_token(client)}
    disguised = await client.post(
        url, data={**form, **token}, files={"i_file": ("图解.png", b"MZ\x90\x00evil", "image/png")}
    )
    assert disguised.status_code == 422 and 'id="i_file-error"' in disguised.text
    done = await client.post(url, data={**form, **token}, files={"i_file": ("图解.png", PNG, "image/png")})
    assert done.status_code == 303
    item = await Interpretation.get(title="一图读懂停车收费")
    file_url = f"/decisions/{decision.id}/interpretations/{item.id}/file"
    assert (await client.get(file_url)).status_code == 200  # the department sees it before approval
    client.cookies.clear()
    assert (await client.get(file_url)).status_code == 404  # the public does not
    await review_interpretation(item, True, "", await make_user(Role.REVIEWER, department), clock.now())
    served = await client.get(file_url)
    assert served.status_code == 200 and served.headers["content-type"] == "image/png" and served.content == PNG
    page = (await client.get(f"/decisions/{decision.id}/interpretations/{item.id}")).text
    assert f'<img src="{file_url}" alt="一图读懂停车收费">' in page
