"""Dashboard charts, drawn per request from live figures (staff only, so no caching needed)."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl

from consult.labels import label
from consult.reports.charts import _figure, _svg, font_family

STATUSES = ["adopted", "partly_adopted", "not_adopted", "already_covered", "out_of_scope"]
COLOURS = ["#1f6f3f", "#5c9e6e", "#a61b1b", "#4a4a4f", "#8a8a90"]


def monthly_chart(monthly: dict[str, Any]) -> str:
    with mpl.rc_context({"font.family": font_family(), "svg.fonttype": "path"}):
        figure = _figure()
        axes = figure.add_subplot()
        for name in monthly["departments"]:
            axes.plot(
                monthly["months"],
                [monthly["counts"][name].get(m, 0) for m in monthly["months"]],
                marker="o",
                label=name,
            )
        if monthly["departments"]:
            axes.legend(fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)


def status_chart(table: dict[str, dict[str, int]]) -> str:
    with mpl.rc_context({"font.family": font_family(), "svg.fonttype": "path"}):
        figure = _figure()
        axes = figure.add_subplot()
        names = list(table)
        left = [0] * len(names)
        for status, colour in zip(STATUSES, COLOURS, strict=True):
            values = [table[n].get(status, 0) for n in names]
            axes.barh(names, values, left=left, color=colour, label=label(status))
            left = [a + b for a, b in zip(left, values, strict=True)]
        if names:
            axes.legend(fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)
