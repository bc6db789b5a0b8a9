"""Workflow task Register: adopt (or create) the run record, store execution and deadline."""

import functools
from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.runs.register import register
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.wiring import build_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class RegisterTask(BaseModel):
    run_id: str
    execution_arn: str
    started_at: datetime
    input: dict[str, Any] = {}


@functools.cache
def services() -> Services:
    return build_services(Settings.from_env())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = RegisterTask.model_validate(event)
    logger.set_correlation_id(task.run_id)
    registered = register(
        services(),
        task.run_id,
        execution_arn=task.execution_arn,
        started_at=task.started_at,
        execution_input=task.input,
    )
    return registered.payload()
