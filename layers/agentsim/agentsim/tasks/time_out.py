"""TimeOut: stop the simulation past its deadline, record TIMED_OUT."""

from __future__ import annotations

from typing import Any

from agentsim import observability
from agentsim.invocation import RemainingTime, invocation_deadline
from agentsim.runs.events import finished_detail
from agentsim.runs.services import Services
from agentsim.runs.settings import ProviderSettings
from agentsim.runs.time_out import time_out
from agentsim.tasks import PolledTask, Task


def _time_out(services: Services, task: PolledTask, context: RemainingTime) -> dict[str, Any]:
    bounded = services.within(invocation_deadline(context))
    record = time_out(bounded, task.run_id, task.poll_count)
    observability.run_finished(record.status)
    reason = record.error.message if record.error else None
    observability.logger().warning("run timed out", extra={"error": reason})
    return finished_detail(record, services.report_url(record.run_id))


TIME_OUT = Task(PolledTask, ProviderSettings, _time_out)
