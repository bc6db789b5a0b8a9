"""Workflow task TimeOut: stop the simulation past its deadline, record TIMED_OUT."""

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from agentsim.runs import telemetry
from agentsim.runs.outcome import finished_detail
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.time_out import time_out
from agentsim.runs.wiring import build_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class TimeOutTask(BaseModel):
    run_id: str
    poll_count: int = Field(default=0, ge=0)


@functools.cache
def services() -> Services:
    return build_services(Settings.from_env())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = TimeOutTask.model_validate(event)
    logger.set_correlation_id(task.run_id)
    record = time_out(services(), task.run_id, task.poll_count)
    telemetry.count(metrics, telemetry.RUNS_FINISHED, dimension=("status", record.status.value))
    logger.warning("run timed out", extra={"error": record.error.message if record.error else None})
    return finished_detail(record)
