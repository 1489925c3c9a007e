"""The `consult` command on a fresh SQLite file: migrate, demo, createuser, and serve's schema check."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("CONSULT_TEST_DB") == "postgres", reason="runs in the SQLite pass")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated by `consult migrate` for the whole module, copied by each test that needs a
    migrated database rather than the migration: migrating from nothing costs over ten seconds (Tortoise
    projects its state operation by operation). test_migrate_then_demo_loads_a_realistic_county runs the
    command itself."""
    folder = tmp_path_factory.mktemp("migrated")
    done = consult(folder, "migrate")
    assert done.returncode == 0, done.stderr
    return folder / "consult.sqlite3"


def migrated(data_dir: Path, template: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy(f"{template}{suffix}", data_dir / f"consult.sqlite3{suffix}")


def consult(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONSULT_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_migrate_then_demo_loads_a_realistic_county(tmp_path: Path) -> None:
    assert consult(tmp_path, "migrate").returncode == 0
    result = consult(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    # Progress goes to standard error; standard output keeps what a script reads (the accounts).
    assert "demo: the open parking consultation and its comments…" in result.stderr
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("  ")]
    assert {line[0] for line in lines} >= {"office", "jt_staff", "jt_review", "zj_staff", "zj_review"}
    assert all(len(line[1]) >= 10 for line in lines)  # passwords printed once, never a fixed default
    db = sqlite3.connect(tmp_path / "consult.sqlite3")
    states = dict(db.execute("select state, count(*) from comment group by state").fetchall())
    assert states.get("pending") and states.get("published") and states.get("withheld")
    review_states = {row[0] for row in db.execute("select review_state from answer")}
    assert review_states >= {"approved", "pending", "returned"}
    labels = [
        row[0]
        for row in db.execute(
            "select label from article where draft_id = (select max(draft_id) from consultation join decision "
            "on decision.id = consultation.decision_id where published_at is not null and ends_on >= date('now') "
            "and decision.kind = 'major_decision')"
        )
    ]
    assert labels[0] == "第一条" and labels[-1] == "第二十条" and len(labels) == 20
    assert db.execute("select count(*) from catalog_adjustment").fetchone()[0] == 3
    again = consult(tmp_path, "demo")
    assert again.returncode != 0 and "already has data" in again.stderr
    reports = dict(db.execute("select consultation_id, publication_kind from adoption_report").fetchall())
    assert sorted(v or "waiting" for v in reports.values()) == ["complete", "waiting"]
    reindexed = consult(tmp_path, "reindex")
    assert reindexed.returncode == 0 and re.search(r"reindexing: [\d,]+ documents", reindexed.stderr)
    docs = db.execute("select count(*) from search_doc where kind = 'comment'").fetchone()[0]
    assert docs == states["published"]
    tick = consult(tmp_path, "tick")
    assert tick.returncode == 0 and "published reports: none" in tick.stdout
    tolerant = consult(tmp_path, "demo", "--if-empty")
    assert tolerant.returncode == 0 and "already has data" in tolerant.stdout
    assert db.execute("select count(*) from staff_user").fetchone()[0] == 5


def test_createuser_makes_the_first_admin_and_validates(tmp_path: Path, template: Path) -> None:
    migrated(tmp_path, template)
    ok = consult(
        tmp_path, "createuser", "--username", "admin", "--display-name", "管理员", "--password", "a-long-password"
    )
    assert ok.returncode == 0, ok.stderr
    short = consult(tmp_path, "createuser", "--username", "other", "--display-name", "某", "--password", "short")
    assert short.returncode != 0 and "password" in short.stderr
    staff = consult(
        tmp_path,
        "createuser",
        "--username",
        "jt_staff",
        "--display-name",
        "某",
        "--role",
        "staff",
        "--department",
        "县交通运输局",
        "--password",
        "a-long-password",
    )
    assert staff.returncode == 0, staff.stderr
    db = sqlite3.connect(tmp_path / "consult.sqlite3")
    assert db.execute("select count(*) from department").fetchone()[0] == 1


def test_commands_refuse_a_database_that_is_behind(tmp_path: Path) -> None:
    result = consult(tmp_path, "demo")
    assert result.returncode != 0 and "consult migrate" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_refuses_a_database_that_is_behind(tmp_path: Path) -> None:
    env = {**os.environ, "CONSULT_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "consult", "serve", "--port", str(_free_port())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert proc.returncode != 0
    assert "consult migrate" in output


def test_production_mode_refuses_the_default_secret(tmp_path: Path) -> None:
    env = {**os.environ, "CONSULT_DATA_DIR": str(tmp_path), "CONSULT_ENV": "production"}
    env.pop("SECRET_KEY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "consult", "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode != 0 and "SECRET_KEY" in proc.stdout + proc.stderr


def test_backup_and_restore_bring_back_every_comment(tmp_path: Path, template: Path) -> None:
    migrated(tmp_path, template)
    assert consult(tmp_path, "demo").returncode == 0
    db_file = tmp_path / "consult.sqlite3"

    def comments() -> list[tuple]:
        with sqlite3.connect(db_file) as db:
            return db.execute("select id, body, receipt_code, state from comment order by id").fetchall()

    before = comments()
    assert len(before) > 10
    taken = consult(tmp_path, "backup", str(tmp_path / "backups" / "nightly.sqlite3"))
    assert taken.returncode == 0 and "integrity checked" in taken.stdout, taken.stderr
    assert re.search(r"backing up: [\d,]+/[\d,]+ pages \(100%\)", taken.stderr)
    with sqlite3.connect(db_file) as db:  # the disaster
        db.execute("delete from answer")
        db.execute("delete from comment")
    assert comments() == []
    refused = consult(tmp_path, "restore", str(tmp_path / "backups" / "nightly.sqlite3"))
    assert refused.returncode != 0 and "--yes" in refused.stderr and comments() == []
    restored = consult(tmp_path, "restore", str(tmp_path / "backups" / "nightly.sqlite3"), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert comments() == before
    # A damaged backup is refused and the database is left as it was.
    (tmp_path / "broken.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    broken = consult(tmp_path, "restore", str(tmp_path / "broken.sqlite3"), "--yes")
    assert broken.returncode != 0 and "not a readable SQLite database" in broken.stderr and comments() == before


def test_backup_and_restore_on_postgresql(tmp_path: Path) -> None:
    import shutil
    import uuid

    if not (shutil.which("pg_dump") and shutil.which("psql")):
        pytest.skip("the PostgreSQL client tools are not installed")
    server = os.environ.get("CONSULT_TEST_PG", "postgres://postgres@127.0.0.1:5432")
    name = f"consult_backup_{uuid.uuid4().hex[:8]}"

    def psql(sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", f"{server}/{database}", "-Atc", sql], capture_output=True, text=True, timeout=60, check=False
        )
        if done.returncode and database == "postgres" and "CREATE" in sql:
            pytest.skip(f"PostgreSQL not reachable: {done.stderr.strip()}")
        return done.stdout.strip()

    psql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    env = {**os.environ, "DATABASE_URL": f"{server}/{name}"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "consult", *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    try:
        assert run("migrate").returncode == 0 and run("demo").returncode == 0
        before = psql("SELECT string_agg(id || receipt_code || state, ',' ORDER BY id) FROM comment", name)
        assert before
        taken = run("backup", str(tmp_path / "nightly.dump"))
        assert taken.returncode == 0, taken.stderr
        psql("DELETE FROM answer; DELETE FROM comment", name)
        assert psql("SELECT count(*) FROM comment", name) == "0"
        restored = run("restore", str(tmp_path / "nightly.dump"), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert psql("SELECT string_agg(id || receipt_code || state, ',' ORDER BY id) FROM comment", name) == before
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_audit_verify_reports_the_chain_and_fails_on_tampering(tmp_path: Path, template: Path) -> None:
    from consult.audit.services import GENESIS, canonical, chain_hash

    migrated(tmp_path, template)
    seeded = consult(tmp_path, "audit", "verify")  # the calendar seeding is the first entry
    assert seeded.returncode == 0 and "OK: 1 entries" in seeded.stdout
    with sqlite3.connect(tmp_path / "consult.sqlite3") as db:
        prev = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert prev != GENESIS
    with sqlite3.connect(tmp_path / "consult.sqlite3") as db:
        for n in (1, 2, 3):
            payload = canonical(
                {
                    "at": "2026-11-23T10:00:00+00:00",
                    "actor": None,
                    "action": f"POST /manage/x/{n}",
                    "object": None,
                    "status": 303,
                    "submitted": {},
                    "before": None,
                    "after": None,
                }
            )
            digest = chain_hash(prev, payload)
            db.execute(
                "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, status, payload, prev_hash, hash) "
                "VALUES ('2026-11-23 10:00:00+00:00', NULL, ?, '', NULL, 303, ?, ?, ?)",
                (f"POST /manage/x/{n}", payload, prev, digest),
            )
            prev = digest
    good = consult(tmp_path, "audit", "verify")
    assert good.returncode == 0 and "OK: 4 entries" in good.stdout and prev in good.stdout
    with sqlite3.connect(tmp_path / "consult.sqlite3") as db:
        db.execute("DROP TRIGGER audit_log_append_only")
        db.execute("UPDATE audit_log SET status = 200, payload = replace(payload, '303', '200') WHERE id = 3")
    bad = consult(tmp_path, "audit", "verify")
    assert bad.returncode == 1 and "TAMPERED after 2 good entries: entry 3" in bad.stderr


SETUP_DUE_REPORT = """
import asyncio, sys
from datetime import timedelta
from consult import clock
from consult.db import connect, disconnect
from tests.factories import make_closed_consultation, make_comment, make_result

async def main():
    await connect(sys.argv[1])
    today = clock.today()
    for n in range(3):  # three decisions whose reports fell due a week ago, each with one unanswered comment
        consultation = await make_closed_consultation(today - timedelta(days=60 + n))
        comment = await make_comment(consultation, f"第{n}条尚未答复的意见，内容足够长。", email=f"c{n}@example.cn")
        comment.notify_by_email = True
        await comment.save(update_fields=["notify_by_email"])
        await make_result(consultation, today - timedelta(days=30), today=today - timedelta(days=30))
    await disconnect()

asyncio.run(main())
"""


def test_due_reports_are_published_exactly_once_by_racing_and_killed_tick_processes(
    tmp_path: Path, template: Path
) -> None:
    """Two `consult tick` processes at once, one of them killed mid-run, then a third: each due report
    has exactly one published version and its notifications are queued once."""
    import signal

    migrated(tmp_path, template)
    url = f"sqlite://{tmp_path / 'consult.sqlite3'}?busy_timeout=15000&journal_mode=WAL"
    env = {**os.environ, "DATABASE_URL": url}
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", SETUP_DUE_REPORT, url], env=env, cwd=root, check=True, timeout=120)
    tick = [sys.executable, "-m", "consult", "tick"]
    racers = [subprocess.Popen(tick, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    victim = subprocess.Popen(tick, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    victim.send_signal(signal.SIGKILL)  # whatever it had done is either committed or not at all
    victim.wait()
    outputs = [p.communicate(timeout=120) for p in racers]
    assert all(p.returncode == 0 for p in racers), outputs
    assert consult(tmp_path, "tick").returncode == 0
    with sqlite3.connect(tmp_path / "consult.sqlite3") as db:
        versions = db.execute("SELECT report_id, count(*) FROM report_version GROUP BY report_id").fetchall()
        published = db.execute("SELECT count(*) FROM adoption_report WHERE published_at IS NOT NULL").fetchone()[0]
        mails = db.execute("SELECT count(*) FROM outbox_message WHERE kind = 'report_published'").fetchone()[0]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert published == 3 and sorted(n for _, n in versions) == [1, 1, 1] and mails == 3


def test_workdays_due_and_year_from_the_command_line(tmp_path: Path, template: Path) -> None:
    migrated(tmp_path, template)
    due = consult(tmp_path, "workdays", "due", "2026-09-25")
    assert due.returncode == 0 and due.stdout.strip() == "2026-10-15"  # over 国庆节 and a make-up Saturday
    assert consult(tmp_path, "workdays", "due", "2026-09-25", "--days", "1").stdout.strip() == "2026-09-28"
    # Into 2027, which has no official arrangement: weekends and the statutory 元旦 only.
    assert consult(tmp_path, "workdays", "due", "2026-12-24").stdout.strip() == "2027-01-08 provisional"
    for bad in ("2026-13-01", "20260925", "yesterday"):
        refused = consult(tmp_path, "workdays", "due", bad)
        assert refused.returncode == 2 and "YYYY-MM-DD" in refused.stderr
    official = consult(tmp_path, "workdays", "year", "2026")
    assert official.returncode == 0 and official.stdout.startswith("2026: official")
    assert "2026-10-07 国庆节" in official.stdout and "2026-10-10 国庆节调休上班" in official.stdout
    provisional = consult(tmp_path, "workdays", "year", "2027").stdout
    assert provisional.startswith("2027: provisional") and "2027-02-05 春节" in provisional
    assert "make-up workdays: none" in provisional


def _serve(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    import time

    import httpx2 as httpx

    port = _free_port()
    environ = {**os.environ, "CONSULT_DATA_DIR": str(tmp_path), "CONSULT_TICK_SECONDS": "0", **(env or {})}
    environ.pop("DATABASE_URL", None)
    environ.pop("FORWARDED_ALLOW_IPS", None)
    environ.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "consult", "serve", "--port", str(port), *args],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz", timeout=1)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("the server did not start")


def _failed_logins(base: str, forwarded: list[str]) -> list[int]:
    import httpx2 as httpx

    statuses = []
    with httpx.Client(base_url=base) as client:
        login_page = client.get("/login").text
        token = login_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        for address in forwarded:
            response = client.post(
                "/login",
                data={"username": "admin", "password": "wrong-password-1", "csrf_token": token},
                headers={"X-Forwarded-For": address},
            )
            statuses.append(response.status_code)
    return statuses


def test_a_forged_forwarded_header_cannot_rotate_past_the_login_limit(tmp_path: Path, template: Path) -> None:
    """Served without --forwarded-allow-ips, X-Forwarded-For from a local process is ignored; with the
    proxy's address listed, the header names the client, as a reverse proxy would send it."""
    migrated(tmp_path, template)
    proc, base = _serve(tmp_path)
    try:
        assert _failed_logins(base, [f"10.0.0.{i}" for i in range(6)])[-1] == 429
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, base = _serve(tmp_path, "--forwarded-allow-ips", "127.0.0.1")
    try:
        assert _failed_logins(base, [f"10.0.1.{i}" for i in range(6)]) == [422] * 6
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_command_line_changes_are_audited(tmp_path: Path, template: Path) -> None:
    migrated(tmp_path, template)
    created = consult(
        tmp_path, "createuser", "--username", "office2", "--display-name", "办公室", "--password", "long-enough-pass"
    )
    assert created.returncode == 0, created.stderr
    rows = (
        sqlite3.connect(tmp_path / "consult.sqlite3")
        .execute("SELECT action, payload FROM audit_log ORDER BY id")
        .fetchall()
    )
    actions = [action for action, _ in rows]
    assert actions[0] == "EVENT cli migrate: working-day calendar seeded" and "EVENT cli createuser" in actions
    assert "long-enough-pass" not in "".join(payload for _, payload in rows)
    assert "OK: 2 entries" in consult(tmp_path, "audit", "verify").stdout


APPEND_EVENTS = """
import asyncio, sys
from consult import clock
from consult.audit.services import record_event
from consult.db import connect, disconnect

async def main():
    await connect(sys.argv[1])
    for n in range(40):
        await record_event(f"event {sys.argv[2]}-{n}", clock.now())
    await disconnect()

asyncio.run(main())
"""


def test_processes_appending_to_the_audit_chain_at_once_wait_for_each_other(tmp_path: Path, template: Path) -> None:
    """On SQLite the chain's writer takes the write lock before reading the head: two processes
    appending at once both finish (no "database is locked"), and the chain verifies."""
    migrated(tmp_path, template)
    url = f"sqlite://{tmp_path / 'consult.sqlite3'}?busy_timeout=15000&journal_mode=WAL"
    env = {**os.environ, "DATABASE_URL": url}
    root = Path(__file__).resolve().parent.parent
    writers = [
        subprocess.Popen([sys.executable, "-c", APPEND_EVENTS, url, name], env=env, cwd=root, stderr=subprocess.PIPE)
        for name in ("a", "b", "c")
    ]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert all(w.returncode == 0 for w in writers), errors
    verified = consult(tmp_path, "audit", "verify")
    assert verified.returncode == 0 and "OK: 121 entries" in verified.stdout  # and the migration's, verified.stdout


def test_the_served_app_groups_arriving_comments_in_its_job_worker_process(tmp_path: Path, template: Path) -> None:
    """`consult serve` starts `consult worker` beside the web worker: a copy posted through the form is
    grouped by it without anyone running `consult tick`, and the worker stops with the server."""
    import time

    import httpx2 as httpx

    migrated(tmp_path, template)
    assert consult(tmp_path, "demo").returncode == 0
    db = sqlite3.connect(tmp_path / "consult.sqlite3")
    consultation = db.execute(
        "SELECT c.id FROM consultation c JOIN comment m ON m.consultation_id = c.id "
        "WHERE c.closed_early_at IS NULL AND c.ends_on >= date('now') GROUP BY c.id ORDER BY count(*) DESC"
    ).fetchone()[0]
    copied_group, copied = db.execute(
        "SELECT group_id, body FROM comment WHERE consultation_id = ? AND group_id IS NOT NULL", (consultation,)
    ).fetchone()
    proc, base = _serve(tmp_path)
    try:
        with httpx.Client(base_url=base) as client:
            page = client.get(f"/consultations/{consultation}").text
            token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            form = {"csrf_token": token, "body": "您好，" + copied, "category": "citizen", "name": "新来的"}
            posted = client.post(f"/consultations/{consultation}/comments", data={**form, "phone": "13700009999"})
            assert posted.status_code == 303
        for _ in range(100):  # the worker polls every second; the app wakes it at once only in-process
            group = db.execute("SELECT group_id FROM comment WHERE submitter_name = '新来的'").fetchone()[0]
            if group is not None:
                break
            time.sleep(0.1)
        assert group == copied_group
        assert db.execute("SELECT count(*) FROM job").fetchone()[0] == 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for _ in range(50):
        if subprocess.run(["pgrep", "-f", f"consult worker --parent {proc.pid}"], capture_output=True).returncode:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the job worker outlived its server")


def test_tick_does_the_queued_work(tmp_path: Path, template: Path) -> None:
    migrated(tmp_path, template)
    assert consult(tmp_path, "demo").returncode == 0
    db = sqlite3.connect(tmp_path / "consult.sqlite3")
    comments = db.execute("SELECT id, consultation_id FROM comment LIMIT 3").fetchall()
    with db:
        db.executemany(
            "INSERT INTO job (kind, scope_id, subject_id, created_at, run_after, claimed_by, attempts, last_error) "
            "VALUES ('index_comment', 0, ?, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', '', 0, '')",
            [(cid,) for cid, _ in comments],
        )
    ticked = consult(tmp_path, "tick")
    assert ticked.returncode == 0 and "jobs done: 3;" in ticked.stdout
    assert db.execute("SELECT count(*) FROM job").fetchone()[0] == 0
