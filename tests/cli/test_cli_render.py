"""Run tables and progress stay readable without a terminal (CI)."""

from __future__ import annotations

import io

from agentsim_local.render import LineProgress, make_console, progress_for, runs_table
from agentsim_local.run_view import RunView


def view(**fields: object) -> RunView:
    record = {"run_id": "run-1", "provider": "bluejay", "trigger": "webhook", **fields}
    return RunView.of(record, transitions=12)


def test_table_shows_every_column_without_a_terminal() -> None:
    out = io.StringIO()
    console = make_console(out)
    finished = view(
        status="COMPLETED",
        verdict="PASSED",
        passed=2,
        failed=1,
        polls=5,
        duration_seconds=7.25,
    )

    console.print(runs_table([finished], title="Runs"))

    text = out.getvalue()
    for expected in (
        "run-1",
        "bluejay",
        "webhook",
        "COMPLETED",
        "PASSED",
        "2/1",
        "5",
        "12",
        "7.2s",
    ):
        assert expected in text
    assert "\x1b[" not in text  # no escape codes in logs
    header = next(line for line in text.splitlines() if "passed/failed" in line)
    for column in ("run", "provider", "trigger", "status", "verdict", "polls", "transitions"):
        assert column in header


def test_progress_without_a_terminal_prints_a_line_per_change() -> None:
    out = io.StringIO()
    console = make_console(out)
    reporter = progress_for(console)
    assert isinstance(reporter, LineProgress)

    with reporter:
        reporter.add("run-1", "bluejay (webhook)")
        reporter.update("run-1", view(status="RUNNING", progress=10))
        reporter.update("run-1", view(status="RUNNING", progress=10))
        reporter.update("run-1", view(status="RUNNING", progress=60))
        reporter.update("run-1", view(status="COMPLETED", verdict="PASSED", passed=2, failed=1))

    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("bluejay (webhook)            RUNNING 10%")
    assert lines[2].endswith("COMPLETED PASSED 2/1")
