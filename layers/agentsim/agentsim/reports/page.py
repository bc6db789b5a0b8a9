"""The report page: one self-contained HTML document (inline CSS, no script, no outside asset;
transcripts expand with `<details>`), a pure function of the run's record, its cases and its
series' history. Its Content-Security-Policy forbids every script, so even an escaping slip
could not run third-party text; everything shown is escaped all the same.

`report_page` composes the parts (`parts`, `case_table`, `trend`); a suite page composes them
per child with `run_sections`. `refused_page` is the 401 answer to a bad share link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agentsim.reports.case_table import case_table, report_cases
from agentsim.reports.markup import element, joined, text
from agentsim.reports.parts import badge, comparison_section, gate_section
from agentsim.reports.trend import TrendPoint, trend_chart
from agentsim.runs.record import RunRecord

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src http: https:; "
    "base-uri 'none'; form-action 'none'"
)
STYLE = """
:root { color-scheme: light; --good: #1a7f37; --bad: #cf222e; --flaky: #9a6700;
  --muted: #57606a; --line: #d0d7de; font-family: system-ui, -apple-system, "Segoe UI",
  Roboto, sans-serif; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; color: #1f2328; line-height: 1.4; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; }
h1 { font-size: 1.4rem; margin: 0; word-break: break-all; }
h2 { font-size: 1.1rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: .95rem; margin: .75rem 0 .25rem; }
.badge { font-weight: 700; padding: .2rem .7rem; border-radius: 1rem; color: #fff; }
.badge.good { background: var(--good); } .badge.bad { background: var(--bad); }
.badge.neutral { background: var(--muted); }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  color: var(--muted); margin: .75rem 0; } .facts dd { margin: 0; word-break: break-all; }
.reasons li, .comparison li { margin: .15rem 0; }
table.cases { width: 100%; border-collapse: collapse; table-layout: fixed; }
.cases th, .cases td { border-bottom: 1px solid var(--line); padding: .5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
.cases th:nth-child(1) { width: 28%; } .cases th:nth-child(2) { width: 14%; }
.result { font-weight: 700; } .result.good, .tag.good { color: var(--good); }
.result.bad, .tag.bad { color: var(--bad); } .tag.flaky { color: var(--flaky); }
.tag { font-size: .8rem; font-weight: 700; text-transform: uppercase; }
.ids, .status, .attempt { color: var(--muted); font-size: .85rem; }
details.transcript summary { cursor: pointer; color: #0969da; }
ol.transcript { white-space: pre-wrap; margin: .25rem 0; padding-left: 1.25rem; }
audio { width: 100%; max-width: 24rem; margin-top: .25rem; }
.chart { width: 100%; height: auto; max-height: 14rem; }
.chart .grid { stroke: var(--line); } .chart .axis { font-size: 11px; fill: var(--muted); }
.chart .trend { fill: none; stroke: #0969da; stroke-width: 2; }
.chart .point { fill: #0969da; }
.chart .point.baseline, .key.baseline { fill: var(--flaky); color: var(--flaky); }
.chart .point.current, .key.current { fill: var(--bad); color: var(--bad); }
@media (max-width: 40rem) {
  table.cases, .cases tbody, .cases tr, .cases td { display: block; width: auto; }
  .cases thead { display: none; } .cases tr { border-bottom: 2px solid var(--line); }
  .cases td { border: 0; padding: .25rem 0; } }
"""


def document(title: str, body: str) -> str:
    return "<!DOCTYPE html>" + element(
        "html",
        element(
            "head",
            '<meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            + f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
            '<meta name="referrer" content="no-referrer">'
            # An empty icon: a browser would otherwise fetch /favicon.ico (a 403 off the API).
            '<link rel="icon" href="data:,">'
            + element("title", text(title))
            + element("style", STYLE),
        )
        + element("body", body),
        lang="en",
    )


def facts(record: RunRecord) -> str:
    """Who ran it, on what, when: the provider's ids to look the run up there."""
    rows = [
        ("Provider", record.provider.value if record.provider else None),
        ("Series", record.series),
        ("Simulation", record.simulation_id),
        ("Provider run", record.provider_run_id),
        ("Provider status", record.provider_status),
        ("Trigger", record.trigger.value),
        ("Labels", ", ".join(f"{k}={v}" for k, v in sorted(record.labels.items())) or None),
        ("Started", record.created_at.isoformat(timespec="seconds")),
        (
            "Finished",
            record.finished_at.isoformat(timespec="seconds") if record.finished_at else None,
        ),
    ]
    return element(
        "dl",
        joined(element("dt", name) + element("dd", text(v)) for name, v in rows if v),
        class_="facts",
    )


def run_sections(
    record: RunRecord, cases: Sequence[Mapping[str, Any]], trend: Sequence[TrendPoint]
) -> str:
    """Every part of one run's report, under its heading (a suite page repeats this per child)."""
    baseline = record.comparison.baseline_run_id if record.comparison else None
    header = element(
        "header", element("h1", text(f"Run {record.run_id}")) + badge(record), class_="run"
    )
    return element(
        "article",
        header
        + facts(record)
        + gate_section(record)
        + comparison_section(record.comparison)
        + trend_chart(trend, record.run_id, baseline)
        + case_table(report_cases(cases), record.comparison),
        class_="run-report",
        data_run=record.run_id,
    )


def report_page(
    record: RunRecord, cases: Sequence[Mapping[str, Any]], trend: Sequence[TrendPoint]
) -> str:
    return document(
        f"agentsim {record.verdict.value}: {record.run_id}", run_sections(record, cases, trend)
    )


def message_page(title: str, message: str) -> str:
    """A page that says one thing (a refused link, an unknown run) and nothing of any run."""
    return document(f"agentsim: {title}", element("h1", text(title)) + element("p", text(message)))


def refused_page(reason: str) -> str:
    """The 401 page: why the link does not open a report."""
    return message_page(
        "This link does not open a report",
        f"{reason}. Ask for a fresh link: agentsim status RUN_ID prints one.",
    )
