"""The suite workflow's Lambda steps (statemachine/run_suite.asl.yaml), one function for the
four: `prepare`, `child` (whether to start one run), `finish` and `fail`. Each is a use case of
`agentsim.suites.steps`; the event's `step` names it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from agentsim import observability
from agentsim.invocation import RemainingTime
from agentsim.runs.services import Services
from agentsim.runs.settings import SuiteSettings
from agentsim.suites import steps
from agentsim.tasks import Task


class SuiteStepTask(BaseModel):
    step: Literal["prepare", "child", "finish", "fail"]
    suite_id: str
    run_id: str | None = None
    """`child`: the run to decide on."""
    execution_arn: str | None = None
    """`prepare`: the suite's execution."""
    error: dict[str, Any] | None = None
    """`fail`: what the workflow's Catch caught (`{"Error": ..., "Cause": ...}`)."""


def _suite_step(services: Services, task: SuiteStepTask, context: RemainingTime) -> dict[str, Any]:
    del context
    if task.step == "prepare":
        return steps.prepare(
            services, task.suite_id, task.execution_arn or "", services.suite_concurrency
        )
    if task.step == "child":
        return steps.child_state(services, task.run_id or "")
    if task.step == "finish":
        detail = steps.finish(services, task.suite_id)
    else:
        detail = steps.fail(services, task.suite_id, task.error or {})
    extra = {"status": detail["status"], "verdict": detail["verdict"]}
    observability.logger().info("suite finished", extra=extra)
    return detail


SUITE_STEP = Task(SuiteStepTask, SuiteSettings, _suite_step, correlation_id_path="suite_id")
