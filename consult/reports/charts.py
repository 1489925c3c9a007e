"""Report charts with matplotlib's object API (no pyplot global state), Chinese labels in Noto CJK.

The SVG keeps glyphs as paths, so a reader's browser needs no Chinese font to show it.
"""

from __future__ import annotations

import io
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from consult.i18n import gettext, language
from consult.labels import label

CHART_NAMES = ("status", "per_day", "per_article", "channels")
CJK_FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
ACCENT = "#a61b1b"


@cache
def font_family() -> str:
    """Register the first CJK font found; DejaVu alone would draw boxes instead of characters."""
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    raise RuntimeError("No CJK font found: install Debian's fonts-noto-cjk")


# A chart drawn for a page column (720 px) shrinks to half on a phone, its labels to 6 px. The narrow
# version is drawn for a phone's width (360 px) with larger type, and served there by <picture>.
WIDE, NARROW = 7.2, 3.6


def _figure(height: float = 3.2, width: float = WIDE) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100)
    figure.patch.set_facecolor("white")
    return figure


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue()


def day_label(day: date, lang: str) -> str:
    """A day on a chart's axis as people write it: 9月29日, or Sep 29."""
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day:%b} {day.day}"


def render_chart(name: str, figures: dict[str, Any], lang: str = "zh", narrow: bool = False) -> str:
    """One chart of a report version as SVG text, its labels in `lang` (the page's language; the PDF,
    an official record, is Chinese); `narrow` for a phone. Called in a worker thread."""
    # matplotlib takes a second to import: only when a chart is drawn (in a worker thread).
    import matplotlib as mpl

    with (
        language(lang),
        mpl.rc_context(
            {
                "font.family": font_family(),
                "font.size": 12 if narrow else 10,
                "svg.fonttype": "path",
                "axes.unicode_minus": False,
            }
        ),
    ):
        height = 4.0 if name == "per_article" else 3.2
        figure = _figure(height * (1.1 if narrow else 1), NARROW if narrow else WIDE)
        axes = figure.add_subplot()
        if name == "status":
            keys = list(figures["by_status"])
            values = [figures["by_status"][k] for k in keys]
            names = [label(k) for k in keys]
            if figures["unanswered"]:
                names.append(gettext("Not answered yet"))
                values.append(figures["unanswered"])
            axes.barh(names, values, color=ACCENT)
            axes.invert_yaxis()
        elif name == "per_day":
            days = [date.fromisoformat(d) for d in figures["per_day"]]
            axes.bar(range(len(days)), list(figures["per_day"].values()), color=ACCENT)
            # At most eight labelled days (four on a phone), evenly spaced: a month of daily labels
            # would overlap.
            step = max(1, -(-len(days) // (4 if narrow else 8)))
            ticks = list(range(0, len(days), step))
            axes.set_xticks(ticks, [day_label(days[i], lang) for i in ticks])
        elif name == "per_article":
            rows = [r for r in figures["by_article"] if r["count"]]
            axes.barh(
                [r["label"] or gettext("The whole draft") for r in rows], [r["count"] for r in rows], color=ACCENT
            )
            axes.invert_yaxis()
        elif name == "channels":
            keys = list(figures["by_channel"])
            axes.bar([label(k) for k in keys], [figures["by_channel"][k] for k in keys], color=ACCENT)
        else:
            raise ValueError(name)
        # Counts of comments: whole numbers on the value axis.
        value_axis = axes.xaxis if name in ("status", "per_article") else axes.yaxis
        value_axis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        return _svg(figure)
