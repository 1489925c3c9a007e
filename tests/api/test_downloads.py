"""Downloads (CSV for Excel, JSON) and Atom feeds: complete, public fields only, well formed."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from xml.etree import ElementTree

from consult import clock
from consult.review.models import AnswerStatus
from tests.factories import make_answer, make_comment, make_consultation, make_decision, make_department

MARKERS = ("隐私名字甲", "13977770000", "private.marker@example.cn")
ATOM = "{http://www.w3.org/2005/Atom}"


async def _seed():
    consultation = await make_consultation()
    answered = await make_comment(
        consultation, "=1+2 公式开头的意见，以及收费建议。", name=MARKERS[0], phone=MARKERS[1], email=MARKERS[2]
    )
    await make_answer(answered, AnswerStatus.NOT_ADOPTED, "收费标准另行制定。")
    for i in range(3):
        await make_comment(consultation, f"第{i}条普通意见，关于停车泊位。")
    return consultation


async def test_comments_csv_opens_in_excel_and_json_is_complete(client) -> None:
    consultation = await _seed()
    response = await client.get(f"/consultations/{consultation.id}/comments.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "条款", "提出人类别"] and len(rows) == 5
    assert rows[1][6].startswith("'=1+2") and rows[1][7] == "" and rows[1][8] == "不予采纳"  # no proposed wording
    data = (await client.get(f"/consultations/{consultation.id}/comments.json")).json()["data"]
    assert len(data) == 4 and data[0]["answer"]["reason"] == "收费标准另行制定。"
    for body in (response.text, json.dumps(data, ensure_ascii=False)):
        assert not any(marker in body for marker in MARKERS)


async def test_catalog_csv(client) -> None:
    await make_decision(await make_department("县交通运输局"), title="制定停车管理办法")
    response = await client.get("/catalogs/2026.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "决策事项" and any(r[1] == "制定停车管理办法" and r[2] == "县交通运输局" for r in rows)
    assert (await client.get("/catalogs/1999.csv")).status_code == 404


async def test_feeds_are_valid_atom_per_department_and_private_free(client, calendar, settings) -> None:
    transport = await make_department("县交通运输局")
    housing = await make_department("县住建局")
    closing = await make_consultation(
        await make_decision(transport, title="停车"), starts_on=clock.today() - timedelta(days=25)
    )
    await make_consultation(await make_decision(housing, title="改造"))
    await _seed()
    for feed in ("consultations", "closing", "decisions", "reports"):
        response = await client.get(f"/feeds/{feed}.atom")
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
        root = ElementTree.fromstring(response.content)
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text
        assert not any(marker in response.text for marker in MARKERS)
    everything = ElementTree.fromstring((await client.get("/feeds/consultations.atom")).content)
    assert len(everything.findall(f"{ATOM}entry")) == 3
    mine = ElementTree.fromstring((await client.get(f"/feeds/consultations.atom?department={housing.id}")).content)
    assert len(mine.findall(f"{ATOM}entry")) == 1
    soon = ElementTree.fromstring((await client.get("/feeds/closing.atom")).content)
    links = [e.find(f"{ATOM}link").get("href") for e in soon.findall(f"{ATOM}entry")]
    # Links come from CONSULT_BASE_URL (here the default), never from the request's Host header.
    assert links == [f"{settings.base_url}/consultations/{closing.id}"]
    page = await client.get("/")
    assert 'type="application/atom+xml"' in page.text and "/feeds/reports.atom" in page.text
