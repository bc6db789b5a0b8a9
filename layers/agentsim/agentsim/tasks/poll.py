"""Poll: ask the provider how the run is doing and choose the next wait."""

from __future__ import annotations

from typing import Any

from agentsim import observability
from agentsim.invocation import RemainingTime, invocation_deadline
from agentsim.runs.poll import poll
from agentsim.runs.services import Services
from agentsim.runs.settings import PacedProviderSettings
from agentsim.tasks import PolledTask, Task


def _poll(services: Services, task: PolledTask, context: RemainingTime) -> dict[str, Any]:
    observability.count(observability.POLLS)
    with observability.provider_errors():
        step = poll(services.within(invocation_deadline(context)), task.run_id, task.poll_count)
    observability.logger().info("polled", extra=step.payload())
    return step.payload()


POLL = Task(PolledTask, PacedProviderSettings, _poll)
