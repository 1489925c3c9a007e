"""The annual catalog, its public adjustments, and each decision's topic page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from consult import clock
from consult.accounts.models import Role
from consult.decisions.models import AdjustmentKind, Catalog, CatalogAdjustment, Decision
from consult.decisions.services import DecisionInput, add_decision, create_catalog, remove_decision, update_decision
from consult.errors import Conflict, PermissionDenied, ValidationError
from tests.factories import at, log_in, make_consultation, make_decision, make_department, make_draft, make_user, post


async def test_office_creates_and_publishes_a_catalog_over_http(client) -> None:
    admin = await make_user(Role.ADMIN)
    department = await make_department("县交通运输局")
    await log_in(client, admin)
    response = await post(client, "/manage/catalogs/", {"year": "2027", "title": "", "introduction": "应入尽入"})
    assert response.status_code == 303
    assert (await Catalog.get(year=2027)).title == "2027年度重大行政决策事项目录"
    assert (await client.get("/catalogs/2027")).status_code == 404  # not yet published
    bad = await post(client, "/manage/catalogs/2027/decisions", {"title": "", "department_id": "x"})
    assert bad.status_code == 422 and "此项为必填项" in bad.text
    form = {"title": "制定停车管理办法", "department_id": str(department.id), "planned_completion": "2027-12-31"}
    assert (await post(client, "/manage/catalogs/2027/decisions", form)).status_code == 303
    assert (await post(client, "/manage/catalogs/2027/publish")).status_code == 303
    page = await client.get("/catalogs/2027")
    assert page.status_code == 200 and "制定停车管理办法" in page.text and "县交通运输局" in page.text
    assert "计划中" in page.text


async def test_one_catalog_a_year() -> None:
    admin = await make_user(Role.ADMIN)
    await create_catalog(2026, "", "", admin)
    with pytest.raises(ValidationError):
        await create_catalog(2026, "", "", admin)


async def test_only_the_office_manages_the_catalog() -> None:
    staff = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await create_catalog(2026, "", "", staff)


async def test_changes_after_publication_are_public_adjustments_with_reasons(client) -> None:
    decision = await make_decision(title="制定《停车管理办法》")
    admin = await make_user(Role.ADMIN)
    data = DecisionInput(
        title="制定《城区停车管理办法》",
        department_id=decision.department_id,
        planned_completion=date(2027, 6, 30),
    )
    with pytest.raises(ValidationError):
        await update_decision(decision, data, admin, clock.now(), reason="")
    await update_decision(decision, data, admin, clock.now(), reason="根据上级要求调整名称和完成时间。")
    adjustment = await CatalogAdjustment.get(decision_id=decision.id, kind=AdjustmentKind.CHANGED)
    assert {c["field"] for c in adjustment.changes} == {"title", "planned_completion"}
    page = await client.get("/catalogs/2026")
    assert "根据上级要求调整名称和完成时间" in page.text
    assert "制定《停车管理办法》 → 制定《城区停车管理办法》" in page.text
    assert "2026年12月31日 → 2027年6月30日" in page.text


async def test_removal_from_a_published_catalog_keeps_the_record(client) -> None:
    decision = await make_decision(title="出租汽车改革方案")
    admin = await make_user(Role.ADMIN)
    with pytest.raises(ValidationError):
        await remove_decision(decision, admin, clock.now(), reason="")
    await remove_decision(decision, admin, clock.now(), reason="政策调整，暂缓实施。")
    with pytest.raises(Conflict):
        await remove_decision(await Decision.get(id=decision.id), admin, clock.now(), reason="again")
    page = await client.get("/catalogs/2026")
    assert "出租汽车改革方案" in page.text and "已调出目录" in page.text and "政策调整，暂缓实施" in page.text


async def test_an_unpublished_catalog_entry_is_simply_deleted() -> None:
    admin = await make_user(Role.ADMIN)
    catalog = await create_catalog(2028, "", "", admin)
    department = await make_department()
    decision = await add_decision(
        catalog,
        DecisionInput(title="草拟事项", department_id=department.id, planned_completion=date(2028, 1, 1)),
        admin,
        clock.now(),
    )
    await remove_decision(decision, admin, clock.now(), reason="")
    assert not await Decision.filter(id=decision.id).exists()
    assert not await CatalogAdjustment.exists()


async def test_department_edits_background_but_not_catalog_fields() -> None:
    decision = await make_decision()
    staff = await make_user(Role.STAFF, await decision.department)
    data = DecisionInput(
        title="被篡改的名称",
        department_id=decision.department_id,
        planned_completion=date(2030, 1, 1),
        background="新的背景",
    )
    await update_decision(decision, data, staff, clock.now())
    fresh = await Decision.get(id=decision.id)
    assert fresh.background == "新的背景" and fresh.title == "制定《停车管理办法》"
    assert not await CatalogAdjustment.filter(kind=AdjustmentKind.CHANGED).exists()
    outsider = await make_user(Role.STAFF)
    with pytest.raises(PermissionDenied):
        await update_decision(fresh, data, outsider, clock.now())


async def test_topic_page_gathers_the_procedure(client) -> None:
    consultation = await make_consultation()
    decision = await Decision.get(id=consultation.decision_id)
    page = await client.get(f"/decisions/{decision.id}")
    assert page.status_code == 200
    assert "背景说明" in page.text  # background
    assert "列入目录" in page.text and "草案公开征求意见" in page.text
    assert f'href="/consultations/{consultation.id}"' in page.text
    assert "草案正在公开征求意见" in page.text


async def test_stage_follows_the_records(client) -> None:
    planned = await make_decision(title="计划事项")
    drafted = await make_decision(title="起草事项")
    await make_draft(drafted)
    closed = await make_consultation(starts_on=clock.today() - timedelta(days=40))
    page = await client.get("/catalogs/2026")
    row = lambda title: page.text.split(title, 1)[1].split("</tr>", 1)[0]  # noqa: E731
    assert "计划中" in row("计划事项") and "草案起草" in row("起草事项")
    closed_title = (await Decision.get(id=closed.decision_id)).title
    assert closed_title and "意见征集结束" in page.text
    assert planned.id and drafted.id


async def test_decisions_of_unpublished_catalogs_are_not_public(client) -> None:
    admin = await make_user(Role.ADMIN)
    catalog = await create_catalog(2029, "", "", admin)
    department = await make_department()
    decision = await add_decision(
        catalog,
        DecisionInput(title="未公开事项", department_id=department.id, planned_completion=date(2029, 1, 1)),
        admin,
        at(date(2026, 5, 1)),
    )
    assert (await client.get(f"/decisions/{decision.id}")).status_code == 404
    assert "未公开事项" not in (await client.get("/catalogs/")).text


async def test_decisions_added_at_once_get_distinct_numbers_and_a_deleted_number_is_not_reused() -> None:
    """序号 are unique in a catalog: concurrent additions retry with the next number, and after an
    unpublished entry is deleted the next one follows the last number, not the count."""
    import asyncio

    admin = await make_user(Role.ADMIN)
    catalog = await create_catalog(2028, "", "", admin)
    department = await make_department()

    def entry(title: str) -> DecisionInput:
        return DecisionInput(title=title, department_id=department.id, planned_completion=date(2028, 6, 1))

    added = await asyncio.gather(*(add_decision(catalog, entry(f"事项{n}"), admin, clock.now()) for n in range(4)))
    assert sorted(d.seq for d in added) == [1, 2, 3, 4]
    await remove_decision(min(added, key=lambda d: d.seq), admin, clock.now(), reason="")
    later = await add_decision(catalog, entry("后加事项"), admin, clock.now())
    assert later.seq == 5
    assert sorted(await Decision.filter(catalog_id=catalog.id).values_list("seq", flat=True)) == [2, 3, 4, 5]
