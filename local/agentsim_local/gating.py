"""Following a run to its end as a CI step does: wait (stopping it if the wait is cut), judge
it, write the reports asked for, print the final record, and return the exit status
(`outcome`: 0 passed, 1 failed, 3 not completed; 130/143 after SIGINT/SIGTERM).

Shared by `agentsim start --wait`, `agentsim status --wait` and `agentsim local run`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

from rich.table import Table

from agentsim_local.jsonout import to_json
from agentsim_local.outcome import judge
from agentsim_local.render import make_console, record_table
from agentsim_local.reports import Reports, write_outputs
from agentsim_local.runs_api import RunsApi
from agentsim_local.waiting import wait_for_run


@dataclass(frozen=True)
class WaitOptions:
    """What the waiting commands share: `--timeout`, `--json`, the reports, `--keep-running`."""

    timeout: float
    as_json: bool = False
    reports: Reports = field(default_factory=Reports)
    stop: bool = True
    one_line: bool = False
    """JSON on one line (several runs print one record per line)."""


def see_through(
    api: RunsApi,
    run_id: str,
    *,
    label: str,
    options: WaitOptions,
    known: Mapping[str, Any] | None = None,
    out: TextIO | None = None,
) -> int:
    """Wait for `run_id`, report it, print its record (on `out`, default stdout) and return
    the exit status."""
    waited = wait_for_run(
        api,
        run_id,
        label=label,
        timeout=options.timeout,
        console=make_console(stderr=True),
        known=known,
        stop=options.stop,
    )
    record = waited.record
    outcome = judge(record, unfinished=waited.unfinished)
    signalled = waited.cut.exit_status if waited.cut else None
    if signalled is None:
        options.reports.write(record, outcome, lambda: api.cases(run_id))
    elif options.reports.github_output:  # a signal asks for a quick exit: no more reads
        write_outputs(options.reports.github_output, record)
    show(record, as_json=options.as_json, out=out, one_line=options.one_line)
    if not outcome.passed:
        print(f"agentsim: run {run_id}: {outcome.reason}", file=sys.stderr)
    return signalled if signalled is not None else int(outcome.exit)


def show(
    record: Mapping[str, Any],
    *,
    as_json: bool,
    out: TextIO | None = None,
    one_line: bool = False,
    table: Callable[[Mapping[str, Any]], Table] = record_table,
) -> None:
    """The record on `out` (default stdout): as JSON alone, or as a `table`."""
    out = out or sys.stdout
    if as_json:
        out.write((to_json(record, indent=None) if one_line else to_json(record)) + "\n")
        out.flush()
    else:
        make_console(out).print(table(record))
