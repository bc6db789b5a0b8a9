"""Stop a run on request (`POST /simulations/{run_id}/stop`).

Order matters: the provider is asked first (a throttled or unavailable provider fails the
request, nothing changes, the caller retries); then the record moves to STOPPED (every later
workflow step sees a finished run); then the execution is stopped and `SimulationRunFinished`
published. A provider that refuses (no stop endpoint, already ended) is noted in `stop_error`.
`stop_simulation` is shared with the TimeOut step, where stopping is best effort.
"""

from __future__ import annotations

from agentsim.providers.errors import ProviderError
from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.events import finished_detail
from agentsim.runs.record import Change, ErrorInfo, RunRecord, RunStatus, Verdict
from agentsim.runs.services import Services

STOP_CAUSE = "stopped through the agentsim API"


def stop(services: Services, run_id: str) -> RunRecord:
    record = services.runs.get(run_id)
    if record.terminal:
        raise RunAlreadyFinished(record, RunStatus.STOPPED.value)
    change = Change.move(
        RunStatus.STOPPED,
        note=STOP_CAUSE,
        finished_at=services.clock(),
        verdict=Verdict.NONE,
        stop_error=stop_simulation(services, record, best_effort=False),
    )
    record = services.runs.change(run_id, change)
    services.require_executions().stop(run_id, STOP_CAUSE)
    services.require_events().publish(finished_detail(record, services.report_url(run_id)))
    return record


def stop_simulation(
    services: Services, record: RunRecord, *, best_effort: bool
) -> ErrorInfo | None:
    """Ask the provider to stop the run's simulation, if it was launched.

    A refusal is returned, to be kept as the run's `stop_error`; so is a retryable error when
    `best_effort`, else that propagates (the caller retries).
    """
    if record.handle is None or record.provider is None:
        return None
    with services.providers(record.provider) as provider:
        try:
            provider.stop(record.handle)
        except ProviderError as exc:
            if exc.retryable and not best_effort:
                raise
            return ErrorInfo(
                type=type(exc).__name__,
                message=exc.message,
                provider=exc.provider,
                operation=exc.operation,
                status_code=exc.status_code,
            )
    return None
