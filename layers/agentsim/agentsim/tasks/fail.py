"""RecordFailure (the workflow's catch-all): record FAILED with the caught error."""

from __future__ import annotations

from typing import Any

from agentsim import observability
from agentsim.invocation import RemainingTime
from agentsim.runs.events import finished_detail
from agentsim.runs.fail import fail
from agentsim.runs.services import Services
from agentsim.runs.settings import StorageSettings
from agentsim.tasks import RunTask, Task


class FailTask(RunTask):
    error: dict[str, Any] | None = None
    """What the state machine's Catch put at `$.error`: `{"Error": ..., "Cause": ...}`."""


def _fail(services: Services, task: FailTask, context: RemainingTime) -> dict[str, Any]:
    record = fail(services, task.run_id, task.error)
    observability.run_finished(record.status)
    error = record.error.model_dump() if record.error else None
    observability.logger().error("run failed", extra={"error": error})
    return finished_detail(record, services.report_url(record.run_id))


FAIL = Task(FailTask, StorageSettings, _fail)
