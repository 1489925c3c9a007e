"""The compliance dashboard: the office sees every department, a department only its own row."""

from __future__ import annotations

import re

from consult import clock
from consult.accounts.models import Role
from consult.comments.models import ModerationState
from consult.decisions.models import Decision
from tests.factories import log_in, make_comment, make_consultation, make_decision, make_department, make_user


async def test_office_sees_every_department_and_a_department_its_own(client, calendar) -> None:
    transport = await make_department("县交通运输局")
    housing = await make_department("县住房和城乡建设局")
    open_one = await make_consultation(await make_decision(transport, title="停车办法"))
    await make_comment(open_one, state=ModerationState.PENDING)
    await make_comment(open_one)
    short = await make_consultation(await make_decision(housing, title="改造方案"), days=20)
    assert short.short_period_reason
    admin = await make_user(Role.ADMIN)
    await log_in(client, admin)
    year = clock.today().year
    page = await client.get(f"/manage/dashboard?year={year}")
    assert page.status_code == 200
    row = page.text.split("县交通运输局", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>([^<]*)<", row)  # a cell carries its column's name (data-label) for phones
    assert cells[:3] == ["1", "1", "1"]
    assert "县住房和城乡建设局" in page.text and "合计" in page.text
    for chart in ("monthly", "status"):
        svg = await client.get(f"/manage/dashboard/charts/{chart}.svg?year={year}")
        assert svg.status_code == 200 and "<svg" in svg.text
    staff = await make_user(Role.STAFF, housing)
    await log_in(client, staff)
    own = await client.get(f"/manage/dashboard?year={year}")
    assert "县住房和城乡建设局" in own.text and "县交通运输局" not in own.text
    assert (await Decision.filter(department_id=housing.id).count()) == 1


async def test_dashboard_needs_a_login(client) -> None:
    response = await client.get("/manage/dashboard")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
