"""AwaitCallback: the Lambda behind `WaitForCallback`; stores the wait's task token on the run
(and wakes the wait at once if every result came back already)."""

from __future__ import annotations

from typing import Any

from agentsim import observability
from agentsim.invocation import RemainingTime
from agentsim.runs.callbacks import await_callback
from agentsim.runs.services import Services
from agentsim.runs.settings import StorageSettings
from agentsim.tasks import RunTask, Task


class AwaitTask(RunTask):
    task_token: str


def _await(services: Services, task: AwaitTask, context: RemainingTime) -> dict[str, Any]:
    woken = await_callback(services, task.run_id, task.task_token)
    observability.logger().info("waiting for the provider's call", extra={"woken": woken})
    return {"woken": woken}


AWAIT_CALLBACK = Task(AwaitTask, StorageSettings, _await)
