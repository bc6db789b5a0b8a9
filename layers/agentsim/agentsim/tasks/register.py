"""Register: adopt (or create) the run record, store execution and deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agentsim.invocation import RemainingTime
from agentsim.runs.register import register
from agentsim.runs.services import Services
from agentsim.runs.settings import PacingSettings
from agentsim.tasks import RunTask, Task


class RegisterTask(RunTask):
    execution_arn: str
    started_at: datetime
    input: dict[str, Any] = {}


def _register(services: Services, task: RegisterTask, context: RemainingTime) -> dict[str, Any]:
    registered = register(
        services,
        task.run_id,
        execution_arn=task.execution_arn,
        started_at=task.started_at,
        execution_input=task.input,
    )
    return registered.payload()


REGISTER = Task(RegisterTask, PacingSettings, _register)
