"""Workflow task Finish: collect results, evaluate the gate, store cases; the event detail."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.invocation import invocation_deadline
from agentsim.runs import telemetry
from agentsim.runs.finish import finish
from agentsim.runs.outcome import finished_detail
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class FinishTask(BaseModel):
    run_id: str


@logger.inject_lambda_context(correlation_id_path="run_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=FinishTask)
def lambda_handler(task: FinishTask, context: LambdaContext) -> dict[str, Any]:
    with telemetry.provider_errors(metrics):
        record = finish(services().within(invocation_deadline(context)), task.run_id)
    telemetry.run_finished(metrics, record.status)
    detail = finished_detail(record)
    logger.info("run finished", extra={"status": detail["status"], "verdict": detail["verdict"]})
    return detail
