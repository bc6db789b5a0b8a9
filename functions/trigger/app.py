"""Starts runs from the nightly schedule (EventBridge Scheduler) and `StartSimulation` events.

Both carry the same request envelope and end in the same validation and workflow as the
webhook. Run ids are deterministic (schedule name + scheduled time; event id), so a repeated
delivery finds the first run instead of starting a second. An invalid request has nobody to
answer: it is recorded as a FAILED run and counted (`InvalidRequests`), and the function
returns normally so it is not retried.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from agentsim.runs import ids, telemetry
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.record import Trigger
from agentsim.runs.submit import record_rejected, submit
from agentsim.runs.wiring import lazy_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore and httpx only: telemetry.trace_clients
metrics = Metrics()
services = lazy_services()


class UnknownTriggerEvent(Exception):
    """Neither a StartSimulation event nor a schedule's input: nothing names the run."""


def identify(event: dict[str, Any]) -> tuple[Trigger, str, Any]:
    """(trigger, run id, raw request) of an EventBridge event or a schedule's input."""
    if "detail-type" in event and event.get("id"):
        return Trigger.EVENT, ids.run_id_for_event(str(event["id"])), event.get("detail")
    if event.get("scheduled_time"):
        arn = str(event.get("schedule_arn") or event.get("schedule") or "schedule")
        schedule = arn.rsplit("/", 1)[-1]
        run_id = ids.run_id_for_schedule(schedule, str(event["scheduled_time"]))
        return Trigger.SCHEDULE, run_id, event.get("request")
    raise UnknownTriggerEvent(
        "expected an EventBridge event (detail-type, id, detail) or a schedule input "
        "(schedule_arn, scheduled_time, request)"
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    trigger, run_id, raw = identify(event)
    logger.set_correlation_id(run_id)
    try:
        request = parse_request(raw)
    except RequestInvalid as exc:
        rejected = record_rejected(services(), run_id, trigger, exc, raw)
        if rejected.created:
            telemetry.count(metrics, telemetry.INVALID_REQUESTS)
        logger.warning(
            "invalid request recorded as a FAILED run",
            extra={"trigger": trigger.value, "problems": [p.to_dict() for p in exc.problems]},
        )
        return {**rejected.payload(), "error": str(exc)}
    submitted = submit(services(), run_id, request, trigger)
    if submitted.created:
        telemetry.count(metrics, telemetry.RUNS_STARTED, dimension=("trigger", trigger.value))
    logger.info(
        "run submitted",
        extra={"trigger": trigger.value, "status": submitted.status, "new_run": submitted.created},
    )
    return submitted.payload()
