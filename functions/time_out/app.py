"""Workflow task TimeOut: stop the simulation past its deadline, record TIMED_OUT."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from agentsim.invocation import invocation_deadline
from agentsim.runs import telemetry
from agentsim.runs.outcome import finished_detail
from agentsim.runs.time_out import time_out
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class TimeOutTask(BaseModel):
    run_id: str
    poll_count: int = Field(default=0, ge=0)


@logger.inject_lambda_context(correlation_id_path="run_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=TimeOutTask)
def lambda_handler(task: TimeOutTask, context: LambdaContext) -> dict[str, Any]:
    bounded = services().within(invocation_deadline(context))
    record = time_out(bounded, task.run_id, task.poll_count)
    telemetry.run_finished(metrics, record.status)
    logger.warning("run timed out", extra={"error": record.error.message if record.error else None})
    return finished_detail(record)
