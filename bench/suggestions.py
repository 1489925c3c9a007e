"""What the grouping suggestions cost to compute once (they are cached until the ungrouped comments
change, and computed in a worker thread): synthetic comments, spread over articles or on one.

    .venv/bin/python bench/suggestions.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from consult.groups.suggest import suggest

PHRASES = [
    "停车收费太高",
    "免费时长应延长",
    "学校周边停车难",
    "老旧小区车位不足",
    "充电桩太少",
    "夜间停车收费",
    "执法力度不够",
]


def rows(n: int, articles: int) -> list[tuple[int, int | None, str]]:
    rng = random.Random(1)
    return [
        (i, rng.randrange(articles), f"建议{rng.choice(PHRASES)}，同时{rng.choice(PHRASES)}，希望认真研究。第{i}条")
        for i in range(n)
    ]


def main() -> None:
    print("| ungrouped comments | articles | suggest(), median of 3 |")
    print("|---|---|---|")
    for n, articles in ((500, 6), (1000, 6), (2000, 6), (2000, 1)):
        data = rows(n, articles)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            suggest(data)
            times.append(time.perf_counter() - start)
        print(f"| {n} | {articles} | {statistics.median(times) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
