"""Start: launch the simulation on the provider, at most once per run.

Provider errors propagate with their class names (`ProviderThrottled`, ...), as does
`LaunchBusy` (another run is launching on the same simulation or suite): that is what the state
machine's Retry and Catch match on.
"""

from __future__ import annotations

from typing import Any

from agentsim import observability
from agentsim.invocation import RemainingTime, invocation_deadline
from agentsim.runs.services import Services
from agentsim.runs.settings import PacedProviderSettings
from agentsim.runs.start import start
from agentsim.tasks import RunTask, Task


def _start(services: Services, task: RunTask, context: RemainingTime) -> dict[str, Any]:
    with observability.provider_errors():
        step = start(services.within(invocation_deadline(context)), task.run_id)
    extra = {"status": step.status, "wait_seconds": step.wait_seconds}
    observability.logger().info("run started", extra=extra)
    return step.payload()


START = Task(RunTask, PacedProviderSettings, _start)
