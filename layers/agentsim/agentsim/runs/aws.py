"""AWS implementations of the ports: Step Functions executions and EventBridge events."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from agentsim.runs.pacing import MAX_DELAY_SECONDS

if TYPE_CHECKING:
    from mypy_boto3_events.client import EventBridgeClient
    from mypy_boto3_sqs.client import SQSClient
    from mypy_boto3_stepfunctions.client import SFNClient

EVENT_SOURCE = "agentsim"
FINISHED_DETAIL_TYPE = "SimulationRunFinished"
START_DETAIL_TYPE = "StartSimulation"
"""What other systems put on the bus to start a run (the template's rule matches it)."""


def execution_arn(state_machine_arn: str, run_id: str) -> str:
    """The ARN of the execution named `run_id` (a Standard machine's execution ARN shape)."""
    return state_machine_arn.replace(":stateMachine:", ":execution:", 1) + ":" + run_id


@dataclass
class StepFunctionsExecutions:
    client: SFNClient
    state_machine_arn: str

    def start(self, run_id: str, payload: Mapping[str, Any]) -> None:
        try:
            self.client.start_execution(
                stateMachineArn=self.state_machine_arn,
                name=run_id,
                input=json.dumps(payload, sort_keys=True),
            )
        except ClientError as exc:
            # Execution names are unique for 90 days: a duplicate trigger finds the first one.
            if exc.response.get("Error", {}).get("Code") != "ExecutionAlreadyExists":
                raise

    def stop(self, run_id: str, cause: str) -> None:
        try:
            self.client.stop_execution(
                executionArn=execution_arn(self.state_machine_arn, run_id), cause=cause
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in {"ExecutionDoesNotExist", "ExecutionNotRunning"}:
                raise


@dataclass
class EventBridgeEvents:
    client: EventBridgeClient
    bus_name: str

    def publish(self, detail: Mapping[str, Any]) -> None:
        answer = self.client.put_events(
            Entries=[
                {
                    "EventBusName": self.bus_name,
                    "Source": EVENT_SOURCE,
                    "DetailType": FINISHED_DETAIL_TYPE,
                    "Detail": json.dumps(detail),
                }
            ]
        )
        if answer.get("FailedEntryCount"):
            entry = answer["Entries"][0]
            reason = f"{entry.get('ErrorCode')} {entry.get('ErrorMessage')}"
            raise RuntimeError(f"EventBridge refused the event: {reason}")


ENDED_WAITS = frozenset({"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"})
"""What Step Functions answers about a task token whose wait had ended already."""


@dataclass
class StepFunctionsWakes:
    """`Wakes` through SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat. A woken callback
    wait goes on to Finish, so its output says only why."""

    client: Callable[[], SFNClient]

    def wake(self, token: str) -> bool:
        return self.resume(token, {"woken": True})

    def resume(self, token: str, output: Mapping[str, Any]) -> bool:
        return self._answer(
            lambda: self.client().send_task_success(taskToken=token, output=json.dumps(output))
        )

    def fail(self, token: str, error: str, cause: str) -> bool:
        return self._answer(
            lambda: self.client().send_task_failure(taskToken=token, error=error, cause=cause)
        )

    def beat(self, token: str) -> bool:
        return self._answer(lambda: self.client().send_task_heartbeat(taskToken=token))

    @staticmethod
    def _answer(call: Callable[[], object]) -> bool:
        try:
            call()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ENDED_WAITS:
                return False
            raise
        return True


@dataclass
class SqsRechecks:
    """`Rechecks` as delayed messages on the stack's poll queue (SQS delays 15 minutes at most)."""

    client: SQSClient
    queue_url: str

    def send(self, body: str, delay_seconds: int) -> None:
        delay = min(delay_seconds, MAX_DELAY_SECONDS)
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=body, DelaySeconds=delay)
