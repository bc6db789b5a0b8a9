"""The stack's Step Functions executions, each named after its run (so no ARN needs a read)."""

from __future__ import annotations

from typing import Any

from agentsim.runs.aws import execution_arn


class Executions:
    """Executions of one state machine, read through a Step Functions client."""

    def __init__(self, sfn: Any, state_machine_arn: str) -> None:
        self._sfn = sfn
        self._state_machine_arn = state_machine_arn

    def all(self) -> list[dict[str, Any]]:
        """Every execution (newest first, as the API lists them)."""
        pages = self._sfn.get_paginator("list_executions").paginate(
            stateMachineArn=self._state_machine_arn
        )
        return [e for page in pages for e in page["executions"]]

    def status(self, run_id: str) -> str | None:
        """The status of the run's execution; None when it has none."""
        try:
            described = self._sfn.describe_execution(executionArn=self._arn(run_id))
        except self._sfn.exceptions.ExecutionDoesNotExist:
            return None
        return str(described["status"])

    def transitions(self, run_id: str) -> int:
        """How many states the run's execution entered (its state transitions); 0 without one
        (an invalid scheduled request never gets one)."""
        count = 0
        try:
            pages = self._sfn.get_paginator("get_execution_history").paginate(
                executionArn=self._arn(run_id)
            )
            for page in pages:
                count += sum(1 for e in page["events"] if e["type"].endswith("StateEntered"))
        except self._sfn.exceptions.ExecutionDoesNotExist:
            return 0
        return count

    def _arn(self, run_id: str) -> str:
        return execution_arn(self._state_machine_arn, run_id)
