"""Where a server's time goes: py-spy (pip) samples every process of a running `consult serve` (its
uvicorn workers and its job worker), and the samples are summed per process kind and per function.

    .venv/bin/python bench/hot.py --profile        # the submission run, profiled

Used by bench/hot.py; `summarise` reads py-spy's raw (collapsed stack) output.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

PY_SPY = shutil.which("py-spy") or str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "py-spy")

# py-spy's frame: "function (path/to/file.py:123)", or "process 123:\"command line\"" with --subprocesses.
_FRAME = re.compile(r"^(?P<function>.+?) \((?P<file>[^()]+?)(?::\d+)?\)$")
_PROCESS = re.compile(r'^process \d+:"(?P<command>.*)"$')


def record(pid: int, seconds: int, output: Path) -> subprocess.Popen:
    """Start sampling `pid` and its children for `seconds` (100 samples a second, without pausing them)."""
    command = [PY_SPY, "record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--format", "raw"]
    command += ["--rate", "100", "--duration", str(seconds), "--output", str(output)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kind(command: str) -> str:
    if " worker" in command and "uvicorn" not in command and "multiprocessing" not in command:
        return "job worker"
    if "multiprocessing" in command or "spawn_main" in command:
        return "web worker"
    return "web worker" if "serve" in command else "other"


def _name(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    file = match["file"]
    for marker in ("/consult/", "/site-packages/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{match['function']} ({file})"


def summarise(raw: Path, top: int = 15) -> list[str]:
    """Per process kind: its share of the samples, then the functions it spends the most time in
    (inclusive: the function and what it calls), idle frames (waiting for the event loop) left out, and
    the frames every request passes through (the server, the event loop, the middleware) skipped down
    to a quarter of the samples, where the work itself starts to show."""
    samples: Counter[str] = Counter()
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        kind = "other"
        while frames and (process := _PROCESS.match(frames[0])):  # the innermost process is the one sampled
            kind, frames = _kind(process["command"]), frames[1:]
        if frames and frames[0].startswith("thread "):
            frames = frames[1:]
        if not frames or any(idle in frames[-1] for idle in ("select (selectors.py", "run_forever", "_run_once")):
            continue
        samples[kind] += int(count)
        for name in {_name(f) for f in frames}:
            inclusive[kind][name] += int(count)
    total = sum(samples.values()) or 1
    lines = []
    for kind, n in samples.most_common():
        lines.append(f"{kind}: {n / total:.0%} of the busy samples ({n:,})")
        ranked = [(name, c) for name, c in inclusive[kind].most_common() if "(" in name and c <= n * 0.25]
        for name, c in ranked[:top]:
            lines.append(f"  {c / n:>5.0%}  {name}")
    return lines
