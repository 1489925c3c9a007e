"""Staff login, sessions, rate limiting and logout."""

from __future__ import annotations

from datetime import timedelta

import httpx2 as httpx
import pytest

from consult import clock
from consult.accounts.models import Role, StaffSession, User
from consult.accounts.services import set_user_active
from consult.app import create_app
from consult.settings import Settings
from consult.web import SESSION_COOKIE
from tests.factories import PASSWORD, log_in, make_user, post


async def _login(client, username: str, password: str = PASSWORD, next_url: str = "/manage/"):
    return await post(client, "/login", {"username": username, "password": password, "next": next_url})


async def test_login_with_the_form_sets_a_safe_session_cookie(client) -> None:
    user = await make_user(Role.STAFF)
    response = await _login(client, user.username)
    assert response.status_code == 303 and response.headers["location"] == "/manage/"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert (await client.get("/manage/")).status_code == 200


async def test_the_cookie_is_secure_behind_https(settings: Settings) -> None:
    from dataclasses import replace

    import httpx2 as httpx

    from consult.app import create_app

    app = create_app(replace(settings, https=True), connect_db=False)
    user = await make_user(Role.STAFF)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as c:
        response = await _login(c, user.username)
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "Secure" in cookie
    assert response.headers["strict-transport-security"]


async def test_wrong_password_and_unknown_user_get_the_same_answer(client) -> None:
    user = await make_user(Role.STAFF)
    wrong = await _login(client, user.username, "wrong-password!")
    unknown = await _login(client, "nobody-here", "wrong-password!")
    assert wrong.status_code == unknown.status_code == 422
    assert "用户名或密码错误" in wrong.text and "用户名或密码错误" in unknown.text
    assert "wrong-password!" not in wrong.text


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (14, 512), (15, 900), (40, 900)],
)
def test_wrong_passwords_slow_the_guesser_more_and_more(failures: int, delay: int) -> None:
    from consult.accounts.services import login_delay

    assert login_delay(failures, free=5, window_seconds=900) == delay


async def test_a_guesser_is_slowed_but_the_office_can_still_log_in(settings, monkeypatch) -> None:
    user = await make_user(Role.STAFF)
    moment = [clock.now()]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    app = create_app(settings, connect_db=False)

    def client_at(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    async with client_at("203.0.113.9") as guesser, client_at("198.51.100.7") as office:
        for _ in range(5):
            assert (await _login(guesser, user.username, "guess-guess")).status_code == 422
        slowed = await _login(guesser, user.username)  # the same pair must wait, even with the right password
        assert slowed.status_code == 429 and "登录失败次数过多" in slowed.text
        assert slowed.headers["retry-after"] == "1"
        # The real user, from the office, is never refused.
        assert (await _login(office, user.username)).status_code == 303
        # After the wait the guesser may try again; each further failure doubles the wait.
        moment[0] += timedelta(seconds=2)
        assert (await _login(guesser, user.username, "guess-again")).status_code == 422
        moment[0] += timedelta(seconds=1)
        assert (await _login(guesser, user.username, "guess-again")).status_code == 429


async def test_a_forged_forwarded_header_does_not_change_the_address(settings) -> None:
    """Without --forwarded-allow-ips the app believes no X-Forwarded-For: rotating it changes nothing."""
    user = await make_user(Role.STAFF)
    app = create_app(settings, connect_db=False)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for i in range(6):
            client.headers["X-Forwarded-For"] = f"10.0.0.{i}"
            status = (await _login(client, user.username, "guess-guess")).status_code
        assert status == 429


async def test_login_replaces_any_planted_session(client) -> None:
    user = await make_user(Role.STAFF)
    client.cookies.set(SESSION_COOKIE, "attacker-chosen-value")
    response = await _login(client, user.username)
    assert response.cookies[SESSION_COOKIE] != "attacker-chosen-value"
    assert await StaffSession.filter(user_id=user.id).count() == 1


async def test_logout_ends_the_session_on_the_server(client) -> None:
    user = await make_user(Role.STAFF)
    await _login(client, user.username)
    token = client.cookies[SESSION_COOKIE]
    assert (await post(client, "/logout")).status_code == 303
    assert await StaffSession.filter(user_id=user.id).count() == 0
    client.cookies.set(SESSION_COOKIE, token)  # a copied cookie is worthless now
    assert (await client.get("/manage/")).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example"])
async def test_next_never_leaves_the_site(client, target: str) -> None:
    user = await make_user(Role.STAFF)
    response = await _login(client, user.username, next_url=target)
    assert response.headers["location"] == "/manage/"


async def test_anonymous_staff_pages_redirect_to_login_and_back(client) -> None:
    response = await client.get("/manage/reviews?page=2")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/manage/reviews%3Fpage%3D2"


async def test_deactivated_users_lose_their_sessions_and_cannot_log_in(client) -> None:
    admin = await make_user(Role.ADMIN)
    user = await make_user(Role.STAFF)
    await _login(client, user.username)
    await set_user_active(await User.get(id=user.id), False, admin)
    assert (await client.get("/manage/")).status_code == 303
    assert (await _login(client, user.username)).status_code == 422


async def test_admin_manages_departments_and_users(client) -> None:
    admin = await make_user(Role.ADMIN)
    from tests.factories import log_in

    await log_in(client, admin)
    assert (await post(client, "/manage/departments", {"name": "县水务局"})).status_code == 303
    again = await post(client, "/manage/departments", {"name": "县水务局"})
    assert again.status_code == 422 and "已有同名单位" in again.text
    from consult.accounts.models import Department

    water = await Department.get(name="县水务局")
    no_dept = await post(
        client,
        "/manage/users",
        {"username": "sw_staff", "display_name": "水务 张", "role": "staff", "password": "long-enough-pw"},
    )
    assert no_dept.status_code == 422 and "须属于一个单位" in no_dept.text
    short = await post(
        client,
        "/manage/users",
        {
            "username": "sw_staff",
            "display_name": "水务 张",
            "role": "staff",
            "department_id": str(water.id),
            "password": "short",
        },
    )
    assert short.status_code == 422 and "密码至少10个字符" in short.text
    assert 'value="sw_staff"' in short.text
    ok = await post(
        client,
        "/manage/users",
        {
            "username": "sw_staff",
            "display_name": "水务 张",
            "role": "staff",
            "department_id": str(water.id),
            "password": "long-enough-pw",
        },
    )
    assert ok.status_code == 303
    created = await User.get(username="sw_staff")
    assert created.department_id == water.id and created.password_hash.startswith("$argon2id$")
    assert created.last_login_at is None and clock.now()


async def test_admin_resets_a_password_and_old_sessions_end(client) -> None:
    from tests.factories import log_in

    admin = await make_user(Role.ADMIN)
    user = await make_user(Role.STAFF)
    await log_in(client, admin)
    short = await post(client, f"/manage/users/{user.id}", {"action": "password", "password": "short"})
    assert short.status_code == 422 and "密码至少10个字符" in short.text
    from consult.accounts.services import start_session

    await start_session(user, clock.now(), 1)
    ok = await post(client, f"/manage/users/{user.id}", {"action": "password", "password": "a-brand-new-password"})
    assert ok.status_code == 303
    assert await StaffSession.filter(user_id=user.id).count() == 0
    client.cookies.clear()
    assert (await _login(client, user.username, "a-brand-new-password")).status_code == 303


async def test_a_refused_password_reset_shows_the_list_again_with_the_message_on_that_row(client) -> None:
    admin = await make_user(Role.ADMIN)
    staff = await make_user(Role.STAFF, username="short_pw_user")
    await log_in(client, admin)
    response = await post(client, f"/manage/users/{staff.id}", {"action": "password", "password": "short"})
    assert response.status_code == 422
    assert f'id="pw-error-{staff.id}"' in response.text and 'aria-invalid="true"' in response.text
    assert "至少" in response.text and 'value="short"' not in response.text  # the password is never sent back
    ok = await post(client, f"/manage/users/{staff.id}", {"action": "password", "password": "a-much-longer-password"})
    assert ok.status_code == 303
