"""The evaluation targets (seed 002 二(三)): the county at least 5 topical policy evaluations a year,
each department and town at least 2. Both figures are settings."""

from __future__ import annotations

from consult.settings import Settings


def evaluation_target(government: bool, settings: Settings) -> int:
    """`government`: the county government's own evaluations (by its office); else a department's or
    a town's. An evaluation counts in the year its report is published (结果公开)."""
    return settings.evaluations_target_government if government else settings.evaluations_target_department
