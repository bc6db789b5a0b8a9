"""The workflow's Lambda tasks: the one scaffold every task handler is made with, and one module
per task (`agentsim.tasks.poll`, ...), so a handler imports only its own use case.

A task is its event model (what the state machine's `Payload` sends), its settings class
(`agentsim.runs.settings`) and its work: one use case of `agentsim.runs` and what to count and
log of it. `functions/<task>/app.py` is then one line: `lambda_handler = workflow_handler(...)`.

`workflow_handler` reads the settings when the handler module is imported (a missing variable
fails the function's init, naming it), builds the services on the first invocation (inside the
AWS that invocation runs against) and keeps them while the function is warm; each invocation is
logged with the run id as correlation id and traced (`agentsim.observability`). Errors propagate
with their class names (`ProviderThrottled`, `LaunchBusy`, ...): the state machine's Retry and
Catch match on them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.parser import parse
from pydantic import BaseModel, Field

from agentsim import observability
from agentsim.invocation import RemainingTime
from agentsim.runs.services import Services
from agentsim.runs.settings import StorageSettings
from agentsim.runs.wiring import build_services


class RunTask(BaseModel):
    """What every task's event carries: the run, named after its execution."""

    run_id: str


class PolledTask(RunTask):
    """Poll and TimeOut also get the polls done so far."""

    poll_count: int = Field(default=0, ge=0)


@dataclass(frozen=True)
class Task[E: BaseModel]:
    """One workflow task: its event, the settings of its function and its work."""

    event: type[E]
    settings: type[StorageSettings]
    work: Callable[[Services, E, RemainingTime], dict[str, Any]]
    correlation_id_path: str = "run_id"
    """Where the event names its run (the logs' correlation id)."""


class WorkflowHandler[E: BaseModel]:
    """The Lambda handler of one task: its settings (read now, at import), its services (built
    on the first invocation, then kept while the function is warm) and its scaffold."""

    def __init__(self, task: Task[E]) -> None:
        self.task = task
        settings = task.settings.from_env()
        self.services: Callable[[], Services] = functools.cache(lambda: build_services(settings))
        self._observed = observability.observed(
            self._handle, correlation_id_path=task.correlation_id_path
        )

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        answer: dict[str, Any] = self._observed(event, context)
        return answer

    def _handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        task = self.task
        return task.work(self.services(), parse(event=event, model=task.event), context)


def workflow_handler[E: BaseModel](task: Task[E]) -> WorkflowHandler[E]:
    """`functions/<task>/app.py`'s `lambda_handler`: one per cold start of the function."""
    return WorkflowHandler(task)
