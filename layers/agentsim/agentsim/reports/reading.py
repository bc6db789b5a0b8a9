"""The report of one run, read by key and index only: its record, its cases and its series'
latest completed runs (the `by-series` index), rendered by `page.report_page`."""

from __future__ import annotations

from agentsim.reports.page import report_page
from agentsim.reports.trend import TREND_RUNS, TrendPoint
from agentsim.runs.services import Services


def report_of(services: Services, run_id: str) -> str:
    """The run's report page; `RunNotFound` for an unknown run."""
    record = services.runs.get(run_id)
    cases = services.items.cases(run_id)
    history = services.runs.series_until(record, TREND_RUNS)
    trend = [TrendPoint.of(run) for run in reversed(history)]
    return report_page(record, cases, trend)
