"""Stop a run on request (`POST /simulations/{run_id}/stop`).

Order matters: the provider is asked first (a throttled or unavailable provider fails the
request, nothing changes, the caller retries); then the record moves to STOPPED (every later
workflow step sees a finished run); then the execution is stopped and `SimulationRunFinished`
published. A provider that refuses (no stop endpoint, already ended) is noted in `stop_error`.
"""

from __future__ import annotations

from agentsim.providers.errors import ProviderError
from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.outcome import finished_detail
from agentsim.runs.record import ACTIVE, RunRecord, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.time_out import stop_error

STOP_CAUSE = "stopped through the agentsim API"


def stop(services: Services, run_id: str) -> RunRecord:
    repository = services.repository
    record = repository.get(run_id)
    if record.terminal:
        raise RunAlreadyFinished(run_id, record.status.value, RunStatus.STOPPED.value)
    changes: dict[str, object] = {"finished_at": services.clock(), "verdict": "NONE"}
    if record.handle is not None and record.provider is not None:
        with services.providers(record.provider) as provider:
            try:
                provider.stop(record.handle)
            except ProviderError as exc:
                if exc.retryable:
                    raise
                changes["stop_error"] = stop_error(exc)
    record = repository.change(
        run_id, changes, allowed=ACTIVE, status=RunStatus.STOPPED, note=STOP_CAUSE
    )
    services.require_executions().stop(run_id, STOP_CAUSE)
    services.require_events().publish(finished_detail(record))
    return record
