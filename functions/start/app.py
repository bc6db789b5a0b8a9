"""Workflow task Start: launch the simulation on the provider, at most once per run.

Provider errors propagate with their class names (`ProviderThrottled`, ...), as does
`LaunchBusy` (another run is launching on the same simulation or suite): that is what the state
machine's Retry and Catch match on.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from agentsim.invocation import invocation_deadline
from agentsim.runs import telemetry
from agentsim.runs.start import start
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class StartTask(BaseModel):
    run_id: str


@logger.inject_lambda_context(correlation_id_path="run_id")
@tracer.capture_lambda_handler
@metrics.log_metrics
@event_parser(model=StartTask)
def lambda_handler(task: StartTask, context: LambdaContext) -> dict[str, Any]:
    with telemetry.provider_errors(metrics):
        step = start(services().within(invocation_deadline(context)), task.run_id)
    logger.info("run started", extra={"status": step.status, "wait_seconds": step.wait_seconds})
    return step.payload()
