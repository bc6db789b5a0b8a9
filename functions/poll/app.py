"""Workflow task Poll: ask the provider how the run is doing and choose the next wait."""

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from agentsim.runs import telemetry
from agentsim.runs.poll import poll
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.wiring import build_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class PollTask(BaseModel):
    run_id: str
    poll_count: int = Field(default=0, ge=0)


@functools.cache
def services() -> Services:
    return build_services(Settings.from_env())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = PollTask.model_validate(event)
    logger.set_correlation_id(task.run_id)
    telemetry.count(metrics, telemetry.POLLS)
    with telemetry.provider_errors(metrics):
        step = poll(services(), task.run_id, task.poll_count)
    logger.info("polled", extra=step.payload())
    return step.payload()
