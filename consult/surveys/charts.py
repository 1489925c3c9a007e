"""A questionnaire's results as charts (matplotlib, Chinese labels in Noto CJK), each shown with its
table of numbers. Drawn once per question and language: a closed questionnaire's counts never change."""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.ticker import MaxNLocator

from consult.i18n import gettext, language
from consult.reports.charts import ACCENT, _figure, _svg, font_family
from consult.surveys.queries import QuestionResult


def question_chart(result: QuestionResult, lang: str) -> str:
    """Horizontal bars: the count of each choice (longest labels read best that way), or of each
    score from 1 to 5."""
    with language(lang):
        if result.choices:
            labels = [label for label, _, _ in result.choices]
            counts = [n for _, n, _ in result.choices]
        else:
            labels = [str(v) for v, _ in result.distribution]
            counts = [n for _, n in result.distribution]
        xlabel = gettext("Count")
    with mpl.rc_context({"font.family": font_family(), "svg.fonttype": "path"}):
        figure = _figure(height=0.45 * len(labels) + 0.8)
        axes = figure.add_subplot()
        axes.barh(range(len(labels)), counts, color=ACCENT)
        axes.set_yticks(range(len(labels)), [label[:24] for label in labels])
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        for i, n in enumerate(counts):
            axes.text(n, i, f" {n}", va="center", fontsize=9)
        return _svg(figure)
