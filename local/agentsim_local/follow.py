"""Following runs to their end by reading their records, as a user would, with progress shown."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from agentsim_local.render import ProgressReporter
from agentsim_local.run_view import RunView

GetRun = Callable[[str], Mapping[str, Any] | None]


def follow(
    get_run: GetRun,
    labels: Mapping[str, str],
    reporter: ProgressReporter,
    *,
    timeout: float,
    interval: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    known: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Poll each run (id -> label) until all are finished or `timeout` passes; last records.

    A run whose record does not exist yet (the trigger has not written it) counts as pending.
    `known` records (already read by the caller) are shown first, so no state seen is skipped.
    """
    deadline = time.monotonic() + timeout
    records: dict[str, dict[str, Any]] = {}
    with reporter:
        for run_id, label in labels.items():
            reporter.add(run_id, label)
            if known and run_id in known:
                reporter.update(run_id, RunView.of(known[run_id]))
        pending = set(labels)
        while pending:
            for run_id in sorted(pending):
                record = get_run(run_id)
                if record is None:
                    continue
                records[run_id] = dict(record)
                view = RunView.of(record)
                reporter.update(run_id, view)
                if view.finished:
                    pending.discard(run_id)
            if not pending or time.monotonic() >= deadline:
                break
            sleep(interval)
    return records
