"""Workflow task RecordFailure (catch-all): record FAILED with the caught error."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.runs import telemetry
from agentsim.runs.fail import fail
from agentsim.runs.outcome import finished_detail
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class FailTask(BaseModel):
    run_id: str
    error: dict[str, Any] | None = None
    """What the state machine's Catch put at `$.error`: `{"Error": ..., "Cause": ...}`."""


@logger.inject_lambda_context(correlation_id_path="run_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=FailTask)
def lambda_handler(task: FailTask, context: LambdaContext) -> dict[str, Any]:
    record = fail(services(), task.run_id, task.error)
    telemetry.run_finished(metrics, record.status)
    logger.error(
        "run failed",
        extra={"error": record.error.model_dump() if record.error else None},
    )
    return finished_detail(record)
