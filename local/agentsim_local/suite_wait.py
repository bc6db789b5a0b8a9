"""Following a suite to its end as a CI step does: a progress line per run of the suite, the
suite's verdict once its workflow has aggregated them, its reports, and the exit status.

The exit rules are the runs' (`outcome`), for the suite as a whole: 0 PASSED (or NONE: no run
had a verdict), 1 FAILED or REGRESSED, 3 not finished within `--timeout` or the suite workflow
itself FAILED. A cut wait (timeout, Ctrl-C, SIGTERM) stops every run of the suite that has not
ended, each bounded as `waiting.stop_run` bounds one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from rich.table import Table

from agentsim_local.errors import CliError, Terminated
from agentsim_local.follow import follow
from agentsim_local.gating import WaitOptions, show
from agentsim_local.outcome import Exit, Outcome, judge
from agentsim_local.render import STATUS_STYLE, VERDICT_STYLE, make_console, progress_for, styled
from agentsim_local.reports import cases_of, summary_markdown
from agentsim_local.run_view import TERMINAL
from agentsim_local.runs_api import DeadlineReached, RunsApi
from agentsim_local.waiting import cut_by, signals_raise, stop_run

SUITE_ENDED = frozenset({"COMPLETED", "FAILED"})
AGGREGATION_SECONDS = 60.0
"""After its last run ends, how long the suite's own last step may take to be read."""


def judge_suite(record: Mapping[str, Any], *, unfinished: str | None = None) -> Outcome:
    status = str(record.get("status") or "PENDING")
    verdict = str(record.get("verdict") or "NONE")
    if status not in SUITE_ENDED:
        return Outcome(Exit.UNFINISHED, unfinished or f"the suite is still {status}")
    if status == "FAILED":
        error = record.get("error")
        message = error.get("message") if isinstance(error, Mapping) else None
        return Outcome(Exit.UNFINISHED, f"the suite ended FAILED: {message or 'see its record'}")
    runs = len(record.get("runs") or [])
    if verdict == "PASSED":
        return Outcome(Exit.PASSED, f"PASSED: {runs} runs")
    if verdict == "NONE":
        return Outcome(Exit.PASSED, f"completed: none of its {runs} runs had a verdict")
    reasons = record.get("verdict_reasons") or []
    return Outcome(Exit.FAILED, f"{verdict}: " + "; ".join(str(r) for r in reasons))


def suite_table(record: Mapping[str, Any]) -> Table:
    """The suite on its title line, then one row per run: its series, result and flips."""
    title = (
        f"Suite {record.get('name')} ({record.get('suite_id')}): "
        f"{record.get('status')} {record.get('verdict') or ''}"
    )
    table = Table(title=title, title_justify="left")
    for name in ("run", "provider", "series", "status", "verdict", "pass rate", "newly failing"):
        table.add_column(name, no_wrap=name == "run")
    for run in record.get("runs") or []:
        rate = run.get("pass_rate")
        table.add_row(
            str(run.get("run_id")),
            str(run.get("provider")),
            str(run.get("series") or "-"),
            styled(str(run.get("status")), STATUS_STYLE),
            styled(str(run.get("verdict") or "-"), VERDICT_STYLE),
            "-" if rate is None else f"{rate * 100:.0f} %",
            ", ".join(run.get("newly_failing") or []) or "-",
        )
    return table


def see_suite_through(
    api: RunsApi,
    suite_id: str,
    run_ids: Sequence[str],
    *,
    label: str,
    options: WaitOptions,
    out: TextIO | None = None,
) -> int:
    """Wait for the suite, report it, print it (on `out`) and return the exit status."""
    deadline = time.monotonic() + options.timeout
    labels = {run_id: f"{label} #{index}" for index, run_id in enumerate(run_ids)}
    records: dict[str, dict[str, Any]] = {}
    cut: str | None = None
    signalled: int | None = None
    try:
        with signals_raise():
            records = follow(
                lambda run_id: api.get(run_id, deadline=deadline),
                labels,
                progress_for(make_console(stderr=True)),
                timeout=options.timeout,
            )
            suite = _suite_when_ended(api, suite_id, deadline)
    except DeadlineReached:
        cut = f"not finished within --timeout {options.timeout:g}s"
    except (KeyboardInterrupt, Terminated) as exc:
        signalled = cut_by(exc).exit_status
        cut = f"{cut_by(exc).value} received"
    except CliError as exc:
        cut = f"the suite could not be read: {exc}"
    if cut is not None or suite.get("status") not in SUITE_ENDED:
        cut = cut or f"not finished within --timeout {options.timeout:g}s"
        suite = _stop_unfinished(api, suite_id, run_ids, records, cut, options.stop)
    outcome = judge_suite(suite, unfinished=cut)
    if signalled is None:
        write_suite_reports(api, suite, outcome, options)
    show(suite, as_json=options.as_json, out=out, one_line=options.one_line, table=suite_table)
    if not outcome.passed:
        print(f"agentsim: suite {suite_id}: {outcome.reason}", file=sys.stderr)
    return signalled if signalled is not None else int(outcome.exit)


def _suite_when_ended(api: RunsApi, suite_id: str, deadline: float) -> dict[str, Any]:
    """The suite once its workflow has aggregated its runs (or as it stands at the deadline)."""
    until = min(deadline, time.monotonic() + AGGREGATION_SECONDS)
    while True:
        suite = api.suite(suite_id, deadline=deadline) or {"suite_id": suite_id}
        if suite.get("status") in SUITE_ENDED or time.monotonic() >= until:
            return suite
        time.sleep(0.5)


def _stop_unfinished(
    api: RunsApi,
    suite_id: str,
    run_ids: Sequence[str],
    records: Mapping[str, Mapping[str, Any]],
    cause: str,
    stop: bool,
) -> dict[str, Any]:
    open_runs = [r for r in run_ids if records.get(r, {}).get("status") not in TERMINAL]
    if stop:
        print(f"agentsim: {cause}: stopping {len(open_runs)} runs of the suite", file=sys.stderr)
        for run_id in open_runs:
            stop_run(api, run_id, records.get(run_id, {"run_id": run_id}))
    else:
        print(f"agentsim: {cause}; suite {suite_id} left running", file=sys.stderr)
    try:
        return api.suite(suite_id, deadline=time.monotonic() + 5) or {"suite_id": suite_id}
    except (DeadlineReached, CliError):
        return {"suite_id": suite_id, "status": "RUNNING"}


def write_suite_reports(
    api: RunsApi, suite: Mapping[str, Any], outcome: Outcome, options: WaitOptions
) -> None:
    """JUnit (one testsuite per run) and the Markdown summary (the suite, then each run)."""
    reports = options.reports
    if not reports.need_cases:
        return
    runs = []
    for child in suite.get("runs") or []:
        record = api.get(str(child["run_id"])) or dict(child)
        runs.append((record, cases_of(api.cases(str(child["run_id"]))), judge(record)))
    heading = f"## agentsim suite {suite.get('name')}: {suite.get('verdict')}\n\n{outcome.reason}\n"
    link = suite.get("report_url")
    if link:
        heading += f"\n[Suite report]({link})\n"
    markdown = "\n".join([heading, *(summary_markdown(r, c, o) for r, c, o in runs)])
    reports.write_documents(runs, markdown)
