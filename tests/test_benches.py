"""The benchmarks still run: each one, at a small size, end to end (a bench that broke when a service
changed its signature would otherwise be found only by whoever needs its figures). Their figures are
not checked here; bench/README.md keeps them. On the SQLite pass only: the benches are the same code
on both databases."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("CONSULT_TEST_DB", "sqlite") != "sqlite", reason="the benches run on the SQLite pass"
)

BENCHES = [
    ("report.py", ["--comments", "300"], "peak memory"),
    ("grouping.py", ["--comments", "2000"], "P=1.0000"),
    ("search.py", ["--docs", "3000"], "p95"),
    ("survey.py", ["--responses", "2000"], "counts agree with a direct count"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once for the module: each bench starts from a copy, not from nothing (a
    migration from nothing costs over ten seconds; the benches measure other things)."""
    folder = tmp_path_factory.mktemp("migrated")
    env = {**os.environ, "CONSULT_DATA_DIR": str(folder)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "consult", "migrate"], env=env, check=True, capture_output=True, timeout=240)
    return folder / "consult.sqlite3"


def _run(script: str, args: list[str], tmp_path: Path, template: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{template}{suffix}").exists():
            shutil.copy(f"{template}{suffix}", tmp_path / f"bench.sqlite3{suffix}")
    env = {**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'bench.sqlite3'}?journal_mode=WAL"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


@pytest.mark.parametrize(("script", "args", "expected"), BENCHES, ids=[b[0] for b in BENCHES])
def test_the_bench_runs(script: str, args: list[str], expected: str, tmp_path: Path, template: Path) -> None:
    assert expected in _run(script, args, tmp_path, template)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk (Debian package) drives bench/hot.py")
def test_the_surge_bench_runs_and_its_database_check_passes(tmp_path: Path, template: Path) -> None:
    args = ["--comments", "500", "--seconds", "1", "--submit-seconds", "2", "--clients", "20", "--paced-rate", "100"]
    out = _run("hot.py", args, tmp_path, template)
    assert out.count("every acknowledged comment stored once and grouped once") == 2, out
