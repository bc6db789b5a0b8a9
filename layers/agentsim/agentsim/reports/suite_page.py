"""A suite's report page: the suite's verdict and why, a table of its runs (worst first), then
each run with the same parts as its own page (`page.run_sections`), read by key and index only.
"""

from __future__ import annotations

from agentsim.reports.markup import element, joined, percent, text
from agentsim.reports.page import document, run_sections
from agentsim.reports.parts import BADGE_CLASSES
from agentsim.reports.trend import TREND_RUNS, TrendPoint
from agentsim.runs.record import RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim.suites.record import SuiteRecord, SuiteStatus
from agentsim.suites.steps import runs_of

DETAILED_RUNS = 50
"""Runs shown whole on the page, worst first; the table lists every run."""
_RANK = {Verdict.FAILED: 0, Verdict.REGRESSED: 1, Verdict.PASSED: 3, Verdict.NONE: 2}


def _rank(run: RunRecord) -> int:
    return -1 if run.status is not RunStatus.COMPLETED else _RANK[run.verdict]


def suite_badge(suite: SuiteRecord) -> str:
    if suite.status is SuiteStatus.COMPLETED:
        label, tone = suite.verdict.value, BADGE_CLASSES[suite.verdict]
    else:
        label = suite.status.value
        tone = "bad" if suite.status is SuiteStatus.FAILED else "neutral"
    return element("span", text(label), class_=f"badge {tone}", data_verdict=label)


def _row(run: RunRecord) -> str:
    state = run.verdict.value if run.status is RunStatus.COMPLETED else run.status.value
    flipped = ", ".join(run.comparison.newly_failing) if run.comparison else ""
    cells = [
        element("a", text(run.run_id), href=f"#run-{run.run_id}"),
        text(run.provider.value if run.provider else ""),
        text(run.series or ""),
        element("span", text(state), class_="result", data_state=state),
        percent(run.results.pass_rate if run.results else None),
        text(flipped),
    ]
    return element("tr", joined(element("td", c) for c in cells))


def runs_table(runs: list[RunRecord]) -> str:
    heads = ["Run", "Provider", "Series", "Result", "Pass rate", "Newly failing"]
    head = element("thead", element("tr", joined(element("th", h) for h in heads)))
    body = element("tbody", joined(_row(run) for run in runs))
    return element("section", element("h2", "Runs") + element("table", head + body, class_="cases"))


def suite_page(suite: SuiteRecord, runs: list[RunRecord], sections: list[str]) -> str:
    totals = suite.totals
    facts = [
        ("Suite", suite.suite_id),
        ("Trigger", suite.trigger.value),
        ("Labels", ", ".join(f"{k}={v}" for k, v in sorted(suite.labels.items())) or None),
        ("Runs", str(len(runs))),
        ("Cases", f"{totals.passed} passed, {totals.failed} failed" if totals else None),
        ("Pass rate", percent(totals.pass_rate) if totals else None),
        ("Started", suite.created_at.isoformat(timespec="seconds")),
    ]
    header = element("header", element("h1", text(f"Suite {suite.name}")) + suite_badge(suite))
    dl = element(
        "dl",
        joined(element("dt", n) + element("dd", text(v)) for n, v in facts if v),
        class_="facts",
    )
    reasons = suite.verdict_reasons or ([suite.error.message] if suite.error else [])
    why = element("ul", joined(element("li", text(r)) for r in reasons), class_="reasons")
    more = len(runs) - len(sections)
    note = element("p", f"{more} more runs are in the table above.") if more > 0 else ""
    body = header + dl + (why if reasons else "") + runs_table(runs) + joined(sections) + note
    return document(f"agentsim {suite.verdict.value}: suite {suite.name}", body)


def suite_report_of(services: Services, suite_id: str) -> str:
    """The suite's report page; `SuiteNotFound` for an unknown suite."""
    suite = services.require_suites().get(suite_id)
    runs = sorted(runs_of(services, suite), key=_rank)
    sections = []
    for run in runs[:DETAILED_RUNS]:
        history = services.runs.series_until(run, TREND_RUNS)
        trend = [TrendPoint.of(r) for r in reversed(history)]
        section = run_sections(run, services.items.cases(run.run_id), trend)
        sections.append(element("div", section, id=f"run-{run.run_id}"))
    return suite_page(suite, runs, sections)
