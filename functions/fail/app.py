"""Workflow task RecordFailure (catch-all): record FAILED with the caught error."""

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.runs import telemetry
from agentsim.runs.fail import fail
from agentsim.runs.outcome import finished_detail
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.wiring import build_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class FailTask(BaseModel):
    run_id: str
    error: dict[str, Any] | None = None
    """What the state machine's Catch put at `$.error`: `{"Error": ..., "Cause": ...}`."""


@functools.cache
def services() -> Services:
    return build_services(Settings.from_env())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = FailTask.model_validate(event)
    logger.set_correlation_id(task.run_id)
    record = fail(services(), task.run_id, task.error)
    telemetry.count(metrics, telemetry.RUNS_FINISHED, dimension=("status", record.status.value))
    logger.error(
        "run failed",
        extra={"error": record.error.model_dump() if record.error else None},
    )
    return finished_detail(record)
