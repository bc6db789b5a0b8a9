"""Workflow task Finish: collect results, evaluate the gate, store cases; the event detail."""

import functools
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.runs import telemetry
from agentsim.runs.finish import finish
from agentsim.runs.outcome import finished_detail
from agentsim.runs.services import Services
from agentsim.runs.settings import Settings
from agentsim.runs.wiring import build_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


class FinishTask(BaseModel):
    run_id: str


@functools.cache
def services() -> Services:
    return build_services(Settings.from_env())


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    task = FinishTask.model_validate(event)
    logger.set_correlation_id(task.run_id)
    with telemetry.provider_errors(metrics):
        record = finish(services(), task.run_id)
    telemetry.count(metrics, telemetry.RUNS_FINISHED, dimension=("status", record.status.value))
    detail = finished_detail(record)
    logger.info("run finished", extra={"status": detail["status"], "verdict": detail["verdict"]})
    return detail
