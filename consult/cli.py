"""The `consult` command: serve, worker, migrate, demo, createuser, tick, reindex, backup, restore, audit.

Each command imports what it works with inside its own function: `consult --help`, and the process
`consult serve` starts before uvicorn imports the app, must not load every area, matplotlib and
WeasyPrint. These are the only imports inside functions besides the heavy libraries' own.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click

from consult import db
from consult.settings import Settings


def _run(settings: Settings, work: Callable[[], Awaitable[Any]], *, check_schema: bool = True) -> Any:
    async def main() -> Any:
        from consult import wiring

        wiring.wire()
        await db.connect(settings.database_url, check_schema=check_schema)
        try:
            return await work()
        finally:
            await db.disconnect()

    try:
        return asyncio.run(main())
    except db.DatabaseBehind as exc:
        raise click.ClickException(str(exc)) from exc


async def _audit(action: str, details: dict[str, Any]) -> None:
    from consult import clock
    from consult.audit.services import record_event

    await record_event(action, clock.now(), details=details)


@click.group()
def main() -> None:
    """consult: major-decision pre-disclosure and public consultation."""
    from consult.app import quiet_sql_loggers

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_sql_loggers()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Use 1 on SQLite; more on PostgreSQL.")
@click.option(
    "--job-workers",
    default=1,
    show_default=True,
    type=int,
    help="Processes doing the queued work (grouping, search updates) beside the web workers; 0: the web "
    "workers do it themselves.",
)
@click.option(
    "--forwarded-allow-ips",
    envvar="FORWARDED_ALLOW_IPS",
    default="",
    help="Addresses of the reverse proxies whose X-Forwarded-For is believed (comma-separated). "
    "Empty (the default): the client's address is the connection's, and the header is ignored.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log every request (a reverse proxy that logs them already makes this a second copy).",
)
def serve(host: str, port: int, workers: int, job_workers: int, forwarded_allow_ips: str, access_log: bool) -> None:
    """Serve the app (refuses a database that is behind its migrations), with its job workers."""
    import os
    import signal
    import subprocess

    import uvicorn

    settings = Settings.from_env()
    settings.check()
    if workers > 1 and settings.database_url.startswith("sqlite"):
        raise click.ClickException("SQLite must be served by one worker; use PostgreSQL to scale out.")
    # The queued work runs in processes of its own: a surge's grouping then uses another core instead
    # of taking turns with the requests for this process's one (Python runs one thread at a time).
    command = [sys.executable, "-m", "consult", "worker", "--parent", str(os.getpid())]
    helpers = [subprocess.Popen(command) for _ in range(max(job_workers, 0))]  # noqa: S603 - our own command
    if helpers:
        os.environ["CONSULT_JOBS_IN_APP"] = "0"
    try:
        uvicorn.run(
            "consult.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            # The limits on logins and forms count per client address: only a known proxy may state it.
            proxy_headers=bool(forwarded_allow_ips),
            forwarded_allow_ips=forwarded_allow_ips or None,
            log_level="info",
            access_log=access_log,
        )
    finally:
        # Reached when uvicorn returns; when it ends the process by a signal instead, the helpers see
        # their parent gone and stop by themselves (`consult worker --parent`).
        for helper in helpers:
            helper.send_signal(signal.SIGTERM)
        for helper in helpers:
            helper.wait(timeout=30)


@main.command()
@click.option("--parent", type=int, default=0, help="Stop when this process (the one that started it) is gone.")
def worker(parent: int) -> None:
    """Do the queued work (grouping new comments, search updates) until stopped (SIGTERM or Ctrl-C).
    `consult serve` starts one; more may run, on any host: each batch is claimed by one of them."""
    import os
    import signal

    from consult import clock
    from consult.jobs.queue import run_worker

    settings = Settings.from_env()

    async def orphaned(task: asyncio.Task[Any]) -> None:
        while os.getppid() == parent:  # noqa: ASYNC110 - a parent's exit gives no event to wait on
            await asyncio.sleep(1)
        task.cancel()

    async def work() -> None:
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        watch = asyncio.create_task(orphaned(task)) if parent else None
        try:
            await run_worker(max(settings.jobs_poll_seconds, 0.1), clock.now)
        except asyncio.CancelledError:
            logging.getLogger("consult.jobs").info("job worker stopped")
        finally:
            if watch is not None:
                watch.cancel()

    _run(settings, work)


@main.command()
def migrate() -> None:
    """Apply pending migrations and seed the working-day calendar."""
    settings = Settings.from_env()
    seeded = asyncio.run(db.apply_migrations(settings.database_url))
    if seeded:
        _run(settings, lambda: _audit("cli migrate: working-day calendar seeded", {"years": seeded}))
        click.echo(f"Working-day calendar seeded for {seeded[0]}–{seeded[-1]}.")
    click.echo("Database is up to date.")


class _Progress:
    """A progress line on standard error (standard output stays for what scripts read): rewritten in
    place on a terminal, else a line at most every few seconds."""

    def __init__(self, label: str, unit: str = "") -> None:
        self.label, self.unit, self.last = label, unit, 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        share = f" ({done / total:.0%})" if total else ""
        of = f"/{total:,}" if total else ""
        start = "\r" if self.tty else ""
        click.echo(f"{start}{self.label}: {done:,}{of} {self.unit}{share}", err=True, nl=not self.tty)

    def step(self, what: str) -> None:
        click.echo(f"{self.label}: {what}…", err=True)

    def done(self) -> None:
        if self.tty:
            click.echo("", err=True)


@main.command()
def reindex() -> None:
    """Rebuild the search index from the public records (after an import, or to repair it)."""
    from consult.search.index import reindex_all

    progress = _Progress("reindexing", "documents")
    count = _run(Settings.from_env(), lambda: reindex_all(progress))
    progress.done()
    click.echo(f"Search index rebuilt ({count} decisions and comments, plus drafts, reports and meetings).")


@main.command()
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def backup(destination: Path) -> None:
    """Back the database up to DESTINATION while the app runs (SQLite online backup, or pg_dump)."""
    from consult.backup import BackupError
    from consult.backup import backup as take

    progress = _Progress("backing up", "pages")
    try:
        size = take(Settings.from_env().database_url, destination, progress)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    progress.done()
    click.echo(f"Backup written to {destination} ({size:,} bytes), integrity checked.")


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the database's content is to be replaced.")
def restore(source: Path, yes: bool) -> None:
    """Replace the database's content with the backup SOURCE (stop the app first)."""
    from consult.backup import BackupError
    from consult.backup import restore as put_back

    if not yes:
        raise click.ClickException("This replaces everything in the database: stop the app, then add --yes.")
    settings = Settings.from_env()
    progress = _Progress("restoring", "pages")
    try:
        put_back(settings.database_url, source, progress)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    progress.done()
    # Written into the restored chain: the log then says when it was put back, and from what.
    _run(settings, lambda: _audit("cli restore", {"source": source.name}), check_schema=False)
    click.echo(f"Restored from {source}. Run `consult migrate` if it was taken by an older version.")


@main.group()
def audit() -> None:
    """The staff audit log."""


@audit.command()
def verify() -> None:
    """Check the audit log's hash chain from the first entry; exit 1 at the first broken link."""
    from consult.audit.services import verify as check

    verdict = _run(Settings.from_env(), check)
    if not verdict.ok:
        raise click.ClickException(f"TAMPERED after {verdict.entries} good entries: {verdict.problem}")
    click.echo(f"OK: {verdict.entries} entries, chain head {verdict.head}")


@main.group()
def workdays() -> None:
    """The working-day calendar: due dates and a year's rest days."""


def _iso_date(value: str) -> date:
    """YYYY-MM-DD only (date.fromisoformat also takes 20260925 and week dates, which a typo could hit)."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"“{value}” is not a date: write YYYY-MM-DD, e.g. 2026-09-25.") from None


@workdays.command("due")
@click.argument("issued_on")
@click.option("--days", type=click.IntRange(1, 200), default=None, help="Working days (default: the report setting).")
def workdays_due(issued_on: str, days: int | None) -> None:
    """The due date for a decision issued on ISSUED_ON (YYYY-MM-DD), and whether it is provisional."""
    from consult.workdays.calc import add_working_days
    from consult.workdays.services import load_calendar

    start = _iso_date(issued_on)
    settings = Settings.from_env()
    calendar = _run(settings, load_calendar)
    deadline = add_working_days(calendar, start, days or settings.report_working_days)
    click.echo(deadline.on.isoformat() + (" provisional" if deadline.provisional else ""))


@workdays.command("year")
@click.argument("year", type=click.IntRange(2000, 2100))
def workdays_year(year: int) -> None:
    """YEAR's rest days on weekdays, its make-up workdays, and whether its arrangement is official."""
    from consult.workdays.services import load_calendar

    calendar = _run(Settings.from_env(), load_calendar)
    official = year in calendar.official_years
    click.echo(f"{year}: {'official' if official else 'provisional (weekends and statutory holidays only)'}")
    day, rest, makeup = date(year, 1, 1), [], []
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_workday(day):
            rest.append(day)
        elif day.weekday() >= 5 and calendar.is_workday(day):
            makeup.append(day)
        day += timedelta(days=1)
    click.echo("rest days (besides weekends):")
    for d in rest:
        click.echo(f"  {d.isoformat()} {calendar.day_name(d)}")
    click.echo("make-up workdays:" + ("" if makeup else " none"))
    for d in makeup:
        click.echo(f"  {d.isoformat()} {calendar.day_name(d)}")


@main.command()
def tick() -> None:
    """Do the queued work (grouping, search updates), publish the adoption reports that are due and
    deliver queued e-mail, once (for cron)."""
    from consult import clock
    from consult.reports.jobs import tick as run_tick

    settings = Settings.from_env()
    result = _run(settings, lambda: run_tick(settings, clock.now()))
    click.echo(
        f"jobs done: {result.jobs_done}; published reports: {result.published_reports or 'none'}; "
        f"mail sent: {result.mail_sent}, failed: {result.mail_failed}"
    )


@main.command()
@click.option("--if-empty", is_flag=True, help="Do nothing (successfully) when the database already has data.")
def demo(if_empty: bool) -> None:
    """Load realistic demo data (Chinese) into a migrated, empty database; print the staff passwords."""
    from consult import demo as demo_data

    settings = Settings.from_env()
    if if_empty and _run(settings, demo_data.has_data):
        click.echo("The database already has data; demo data not loaded. Staff passwords were printed when it was.")
        return
    accounts = _run(settings, lambda: demo_data.load(_Progress("demo").step))
    click.echo("Demo data loaded. Staff accounts (username / password / role):")
    for username, password, role in accounts:
        click.echo(f"  {username:<16} {password:<20} {role}")


@main.command()
@click.option("--username", prompt=True)
@click.option("--display-name", prompt=True)
@click.option("--role", type=click.Choice(["admin", "staff", "reviewer"]), default="admin", show_default=True)
@click.option("--department", default="", help="Department name (required for staff and reviewers; created if new).")
@click.option("--password", default=None, help="Prompted for when omitted.")
def createuser(username: str, display_name: str, role: str, department: str, password: str | None) -> None:
    """Create a staff account (the first admin, typically)."""
    from consult.accounts.models import Department, Role
    from consult.accounts.services import create_user
    from consult.errors import ValidationError

    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise click.ClickException("The passwords do not match.")

    async def work() -> None:
        dept = None
        if department:
            dept, _ = await Department.get_or_create(name=department)
        try:
            user = await create_user(username, password or "", Role(role), display_name, dept, actor=None)
        except ValidationError as exc:
            raise click.ClickException("; ".join(f"{k}: {v % exc.params}" for k, v in exc.errors.items())) from exc
        await _audit("cli createuser", {"username": user.username, "role": role, "department": department})

    _run(Settings.from_env(), work)
    click.echo(f"Created {role} {username}.")


if __name__ == "__main__":
    sys.exit(main())
