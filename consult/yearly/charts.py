"""The year's charts (each shown beside its table): comments by channel, answers by status."""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.ticker import MaxNLocator

from consult.i18n import language
from consult.labels import label
from consult.reports.charts import ACCENT, _figure, _svg, font_family

CHART_NAMES = ("channels", "answers")


def bar_chart(counts: list[tuple[str, int]], lang: str) -> str:
    """Horizontal bars of (stored value, count), labelled in the page's language."""
    with language(lang):
        labels = [label(value) for value, _ in counts]
    with mpl.rc_context({"font.family": font_family(), "svg.fonttype": "path"}):
        figure = _figure(height=0.45 * max(len(counts), 1) + 0.8)
        axes = figure.add_subplot()
        axes.barh(range(len(counts)), [n for _, n in counts], color=ACCENT)
        axes.set_yticks(range(len(counts)), labels)
        axes.invert_yaxis()
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        for i, (_, n) in enumerate(counts):
            axes.text(n, i, f" {n}", va="center", fontsize=9)
        return _svg(figure)
