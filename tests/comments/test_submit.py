"""A citizen comments on a draft or one article, without an account, and gets a receipt."""

from __future__ import annotations

from datetime import timedelta

from consult import clock
from consult.comments.models import Comment, ModerationState
from consult.errors import Conflict, ValidationError
from tests.factories import articles_of, make_comment, make_consultation, post

GOOD = {
    "body": "建议把首次免费停车时间延长到三十分钟，方便接送孩子。",
    "category": "citizen",
    "name": "王小明",
    "phone": "13912345678",
    "email": "",
    "display_mode": "masked",
}


async def test_comment_on_an_article_gives_a_receipt_and_waits_for_moderation(client) -> None:
    consultation = await make_consultation()
    article = (await articles_of(consultation))[2]
    response = await post(client, f"/consultations/{consultation.id}/comments", {**GOOD, "article_id": str(article.id)})
    assert response.status_code == 303
    code = response.headers["location"].split("/receipts/")[1].split("?")[0]
    comment = await Comment.get(receipt_code=code)
    assert comment.article_id == article.id
    assert comment.state is ModerationState.PENDING
    assert comment.public_name == "王**"
    receipt = await client.get(response.headers["location"])
    assert receipt.status_code == 200
    assert code in receipt.text and "感谢您的参与" in receipt.text and "待审看" in receipt.text
    assert "13912345678" not in receipt.text and "王小明" not in receipt.text


async def test_htmx_submission_returns_only_the_receipt_fragment(client) -> None:
    consultation = await make_consultation()
    response = await post(client, f"/consultations/{consultation.id}/comments", GOOD, htmx=True)
    assert response.status_code == 200
    assert "<html" not in response.text and 'class="receipt-code"' in response.text
    assert "HX-Request" in response.headers["vary"]
    # The address bar shows the receipt's own page, which a reload or a bookmark keeps.
    code = (await Comment.get()).receipt_code
    assert response.headers["hx-push-url"] == f"/receipts/{code}"
    assert code in (await client.get(response.headers["hx-push-url"])).text


async def test_validation_errors_reshow_the_form_with_the_text_kept(client) -> None:
    consultation = await make_consultation()
    bad = {**GOOD, "body": "太短", "phone": "12345", "category": "alien"}
    response = await post(client, f"/consultations/{consultation.id}/comments", bad)
    assert response.status_code == 422
    assert "意见内容至少10个字" in response.text
    assert "请填写11位手机号码" in response.text
    assert "请从选项中选择" in response.text
    assert 'value="王小明"' in response.text and "太短</textarea>" in response.text
    assert await Comment.all().count() == 0


async def test_contact_is_required_but_either_phone_or_email_will_do(client) -> None:
    consultation = await make_consultation()
    response = await post(client, f"/consultations/{consultation.id}/comments", {**GOOD, "phone": ""})
    assert response.status_code == 422 and "请填写电话号码或电子邮箱" in response.text
    response = await post(
        client, f"/consultations/{consultation.id}/comments", {**GOOD, "phone": "", "email": "wang@example.cn"}
    )
    assert response.status_code == 303


async def test_htmx_validation_error_returns_the_form_fragment_with_422(client) -> None:
    consultation = await make_consultation()
    response = await post(client, f"/consultations/{consultation.id}/comments", {**GOOD, "body": ""}, htmx=True)
    assert response.status_code == 422
    assert response.text.lstrip().startswith("<form") and "意见内容至少10个字" in response.text


async def test_an_article_of_another_draft_is_refused(client) -> None:
    consultation = await make_consultation()
    other = await make_consultation()
    foreign = (await articles_of(other))[0]
    response = await post(client, f"/consultations/{consultation.id}/comments", {**GOOD, "article_id": str(foreign.id)})
    assert response.status_code == 422 and "请选择本草案中的条款" in response.text


async def test_body_length_limits(client) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    assert (await post(client, url, {**GOOD, "body": "字" * 9})).status_code == 422
    assert (await post(client, url, {**GOOD, "body": "字" * 5001})).status_code == 422
    assert (await post(client, url, {**GOOD, "body": "字" * 5000})).status_code == 303


async def test_closed_consultation_refuses_comments_with_a_clear_message(client) -> None:
    today = clock.today()
    consultation = await make_consultation(starts_on=today - timedelta(days=40), days=30)
    response = await post(client, f"/consultations/{consultation.id}/comments", GOOD)
    assert response.status_code == 409
    assert "本次征求意见已结束" in response.text
    assert await Comment.all().count() == 0


async def test_upcoming_consultation_refuses_comments(client) -> None:
    consultation = await make_consultation(starts_on=clock.today() + timedelta(days=3))
    response = await post(client, f"/consultations/{consultation.id}/comments", GOOD)
    assert response.status_code == 409


async def test_unpublished_consultation_is_not_found(client) -> None:
    consultation = await make_consultation(published=False)
    assert (await client.get(f"/consultations/{consultation.id}")).status_code == 404
    assert (await post(client, f"/consultations/{consultation.id}/comments", GOOD)).status_code == 404


async def test_the_same_form_sent_twice_is_stored_once(client) -> None:
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    form = {**GOOD, "form_token": "form-token-of-one-page-view"}
    first = await post(client, url, form)
    again = await post(client, url, {**form, "body": "  " + GOOD["body"] + "\n"})  # double click, back button
    assert first.headers["location"].split("?")[0] == again.headers["location"].split("?")[0]
    assert "repeat=1" in again.headers["location"]
    assert await Comment.all().count() == 1
    page = await client.get(again.headers["location"])
    assert "您已提交过相同的意见" in page.text
    # The same form with another article, category or display mode is another comment, never merged.
    for change in ({"category": "expert"}, {"display_mode": "anonymous"}):
        assert "new=1" in (await post(client, url, {**form, **change})).headers["location"]
    assert await Comment.all().count() == 3
    # Another person saying the same thing is a separate comment (campaigns count).
    await post(client, url, {**GOOD, "phone": "13800000000", "form_token": "another-visitors-form-token"})
    assert await Comment.all().count() == 4


async def test_a_guessed_contact_never_reveals_who_wrote_a_comment(client) -> None:
    """Submitting a published comment's text with the author's phone number, from another form, stores a
    new comment with a new receipt: the answer says nothing about the first one."""
    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    author = await post(client, url, {**GOOD, "form_token": "the-authors-own-form-token"})
    original = author.headers["location"].split("?")[0]
    for token in ("an-attackers-form-token-1", ""):
        probe = await post(client, url, {**GOOD, "form_token": token})
        assert probe.status_code == 303 and "new=1" in probe.headers["location"]
        assert probe.headers["location"].split("?")[0] != original
    htmx = await post(client, url, {**GOOD, "form_token": "an-attackers-form-token-2"}, htmx=True)
    assert original.rsplit("/", 1)[1] not in htmx.text and "已提交过" not in htmx.text
    api = await client.post(
        f"/api/v1/consultations/{consultation.id}/comments",
        json={"body": GOOD["body"], "category": "citizen", "name": "王小明", "phone": GOOD["phone"]},
    )
    assert api.status_code == 201 and api.json()["data"]["url"] != original


async def test_the_api_stores_one_comment_per_idempotency_key(client) -> None:
    consultation = await make_consultation()
    url = f"/api/v1/consultations/{consultation.id}/comments"
    body = {"body": GOOD["body"], "category": "citizen", "name": "王小明", "phone": GOOD["phone"]}
    key = {"Idempotency-Key": "client-chosen-key-0001"}
    first = await client.post(url, json=body, headers=key)
    again = await client.post(url, json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["data"]["receipt_code"] == again.json()["data"]["receipt_code"]
    assert (await client.post(url, json=body)).status_code == 201
    assert await Comment.all().count() == 2


async def test_service_refuses_closed_and_validates_without_http() -> None:
    today = clock.today()
    closed = await make_consultation(starts_on=today - timedelta(days=40), days=30)
    from consult.comments.services import CommentInput, submit_comment

    data = CommentInput(body=GOOD["body"], category="citizen", name="王小明", phone="13912345678")
    try:
        await submit_comment(closed, data, clock.now(), today)
        raise AssertionError("a closed consultation accepted a comment")
    except Conflict:
        pass
    open_one = await make_consultation()
    try:
        await submit_comment(open_one, CommentInput(body="短", category="x", name="", phone=""), clock.now(), today)
        raise AssertionError("invalid input accepted")
    except ValidationError as exc:
        assert set(exc.errors) >= {"body", "category", "name", "contact"}


async def test_receipt_lookup_accepts_sloppy_typing_and_reports_unknown_codes(client) -> None:
    consultation = await make_consultation()
    comment = await make_comment(consultation)
    typed = comment.receipt_code.lower().replace("-", " ")
    response = await client.get("/receipts", params={"code": typed})
    assert response.status_code == 303 and response.headers["location"] == f"/receipts/{comment.receipt_code}"
    missing = await client.get("/receipts", params={"code": "0000-0000-0000"})
    assert missing.status_code == 404 and "未找到回执编号" in missing.text
    # A code that cannot be one says what is wrong with it, not that nobody has it.
    short = await client.get("/receipts/not-a-code")
    assert short.status_code == 422 and "回执码由12位字母和数字组成，您输入的有8位" in short.text
    chinese = await client.get("/receipts", params={"code": "回执码7K3Q9XMD2HF"})
    assert chinese.status_code == 422 and "不会出现“回”" in chinese.text and 'aria-invalid="true"' in chinese.text


async def test_identical_submissions_racing_each_other_store_one_comment() -> None:
    import asyncio

    from consult.comments.services import CommentInput, submit_comment

    consultation = await make_consultation()
    data = CommentInput(
        body=GOOD["body"], category="citizen", name="王小明", phone="13912345678", form_token="one-form-many-clicks"
    )
    results = await asyncio.gather(*(submit_comment(consultation, data, clock.now(), clock.today()) for _ in range(5)))
    assert len({comment.receipt_code for comment, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert await Comment.all().count() == 1


async def test_two_visitors_served_the_same_form_token_store_two_comments(settings) -> None:
    """Should a cache ever hand one rendered form to two people, the second never gets the first's receipt."""
    import httpx2 as httpx

    from consult.app import create_app

    consultation = await make_consultation()
    url = f"/consultations/{consultation.id}/comments"
    form = {**GOOD, "form_token": "one-token-served-to-two"}
    app = create_app(settings, connect_db=False)
    locations = []
    for _ in range(2):  # two browsers: two cookies
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
            locations.append((await post(c, url, form)).headers["location"])
    assert all("new=1" in loc for loc in locations) and locations[0] != locations[1]
    assert await Comment.all().count() == 2
