"""Workflow task Start: launch the simulation on the provider, at most once per run.

Provider errors propagate with their class names (`ProviderThrottled`, ...), which is what the
state machine's Retry and Catch match on.
"""

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.runs import telemetry
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.start import start
from agentsim.runs.wiring import build_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class StartTask(BaseModel):
    run_id: str


@functools.cache
def services() -> Services:
    return build_services(Settings.from_env())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = StartTask.model_validate(event)
    logger.set_correlation_id(task.run_id)
    with telemetry.provider_errors(metrics):
        step = start(services(), task.run_id)
    logger.info("run started", extra={"status": step.status, "wait_seconds": step.wait_seconds})
    return step.payload()
