"""Workflow task Poll: ask the provider how the run is doing and choose the next wait."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from agentsim.invocation import invocation_deadline
from agentsim.runs import telemetry
from agentsim.runs.poll import poll
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class PollTask(BaseModel):
    run_id: str
    poll_count: int = Field(default=0, ge=0)


@logger.inject_lambda_context(correlation_id_path="run_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=PollTask)
def lambda_handler(task: PollTask, context: LambdaContext) -> dict[str, Any]:
    telemetry.count(metrics, telemetry.POLLS)
    with telemetry.provider_errors(metrics):
        bounded = services().within(invocation_deadline(context))
        step = poll(bounded, task.run_id, task.poll_count)
    logger.info("polled", extra=step.payload())
    return step.payload()
