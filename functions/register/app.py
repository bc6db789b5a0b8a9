"""Workflow task Register: adopt (or create) the run record, store execution and deadline."""

from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.runs.register import register
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class RegisterTask(BaseModel):
    run_id: str
    execution_arn: str
    started_at: datetime
    input: dict[str, Any] = {}


@logger.inject_lambda_context(correlation_id_path="run_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=RegisterTask)
def lambda_handler(task: RegisterTask, context: LambdaContext) -> dict[str, Any]:
    registered = register(
        services(),
        task.run_id,
        execution_arn=task.execution_arn,
        started_at=task.started_at,
        execution_input=task.input,
    )
    return registered.payload()
