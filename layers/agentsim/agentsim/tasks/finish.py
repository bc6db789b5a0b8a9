"""Finish: collect results, evaluate the gate, store cases; the event detail."""

from __future__ import annotations

from typing import Any

from agentsim import observability
from agentsim.invocation import RemainingTime, invocation_deadline
from agentsim.runs.events import finished_detail
from agentsim.runs.finish import finish
from agentsim.runs.record import RunStatus
from agentsim.runs.services import Services
from agentsim.runs.settings import ProviderSettings
from agentsim.tasks import RunTask, Task


def _finish(services: Services, task: RunTask, context: RemainingTime) -> dict[str, Any]:
    with observability.provider_errors():
        record = finish(services.within(invocation_deadline(context)), task.run_id)
    observability.run_finished(record.status)
    if record.status is RunStatus.COMPLETED:
        observability.run_judged(record.verdict)
    detail = finished_detail(record, services.report_url(record.run_id))
    extra = {"status": detail["status"], "verdict": detail["verdict"]}
    observability.logger().info("run finished", extra=extra)
    return detail


FINISH = Task(RunTask, ProviderSettings, _finish)
