"""Workflow step: the run passed its deadline (or the poll limit). Stop it, record TIMED_OUT.

Stopping is best effort: a provider that cannot stop (Synthflow has no stop endpoint) or fails
to is noted in `stop_error`; the run is TIMED_OUT either way.
"""

from __future__ import annotations

from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.record import Change, ErrorInfo, RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services
from agentsim.runs.stop import stop_simulation


def time_out(services: Services, run_id: str, poll_count: int) -> RunRecord:
    record = services.runs.get(run_id)
    if record.terminal:
        return record
    stop_error = stop_simulation(services, record, best_effort=True)
    now = services.clock()
    if record.deadline is not None and now >= record.deadline:
        reason = f"no end by the deadline {record.deadline:%Y-%m-%d %H:%M:%S} UTC"
        reason += f" ({record.timeout_minutes} minutes)"
    else:
        reason = f"no end after {poll_count} polls (the MaxPolls limit)"
    change = Change.move(
        RunStatus.TIMED_OUT,
        note=reason,
        finished_at=now,
        verdict=Verdict.NONE,
        stop_error=stop_error,
        error=ErrorInfo(type="RunTimedOut", message=reason),
    )
    try:
        return services.runs.change(run_id, change)
    except RunAlreadyFinished as ended:
        return ended.record
