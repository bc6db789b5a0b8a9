"""Poll: ask the provider how the run is doing and choose the next wait."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agentsim import observability
from agentsim.invocation import RemainingTime, invocation_deadline
from agentsim.runs.poll import poll
from agentsim.runs.schedule import ProgressPoint
from agentsim.runs.services import Services
from agentsim.runs.settings import PacedProviderSettings
from agentsim.tasks import PolledTask, Task


class PollTask(PolledTask):
    """Poll also gets back the progress the previous poll saw (`PollStep.history`)."""

    history: list[ProgressPoint] = Field(default_factory=list)


def _poll(services: Services, task: PollTask, context: RemainingTime) -> dict[str, Any]:
    observability.count(observability.POLLS)
    with observability.provider_errors():
        within = services.within(invocation_deadline(context))
        step = poll(within, task.run_id, task.poll_count, task.history)
    observability.logger().info("polled", extra=step.payload())
    return step.payload()


POLL = Task(PollTask, PacedProviderSettings, _poll)
