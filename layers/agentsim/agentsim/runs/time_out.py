"""Workflow step: the run passed its deadline (or the poll limit). Stop it, record TIMED_OUT.

Stopping is best effort: a provider that cannot stop (Synthflow has no stop endpoint) or fails
to is noted in `stop_error`; the run is TIMED_OUT either way.
"""

from __future__ import annotations

from agentsim.providers.errors import ProviderError
from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.record import ACTIVE, ErrorInfo, RunRecord, RunStatus
from agentsim.runs.services import Services


def stop_error(error: ProviderError) -> ErrorInfo:
    return ErrorInfo(
        type=type(error).__name__,
        message=error.message,
        provider=error.provider,
        operation=error.operation,
        status_code=error.status_code,
    )


def time_out(services: Services, run_id: str, poll_count: int) -> RunRecord:
    repository = services.repository
    record = repository.get(run_id)
    if record.terminal:
        return record
    changes: dict[str, object] = {"finished_at": services.clock(), "verdict": "NONE"}
    if record.handle is not None and record.provider is not None:
        with services.providers(record.provider) as provider:
            try:
                provider.stop(record.handle)
            except ProviderError as exc:
                changes["stop_error"] = stop_error(exc)
    past = record.deadline is not None and services.clock() >= record.deadline
    if past and record.deadline is not None:
        reason = f"no end by the deadline {record.deadline:%Y-%m-%d %H:%M:%S} UTC"
        reason += f" ({record.timeout_minutes} minutes)"
    else:
        reason = f"no end after {poll_count} polls (the MaxPolls limit)"
    changes["error"] = ErrorInfo(type="RunTimedOut", message=reason)
    try:
        return repository.change(
            run_id, changes, allowed=ACTIVE, status=RunStatus.TIMED_OUT, note=reason
        )
    except RunAlreadyFinished:
        return repository.get(run_id)
