"""Starts runs from the nightly schedule (EventBridge Scheduler) and `StartSimulation` events.

Both carry the same request envelope and end in the same validation and workflow as the
webhook. Run ids are deterministic (schedule name + scheduled time; event id), so a repeated
delivery finds the first run instead of starting a second. An invalid request has nobody to
answer: it is recorded as a FAILED run and counted (`InvalidRequests`), and the function
returns normally so it is not retried.
"""

import functools
from typing import Any

from agentsim import observability
from agentsim.observability import logger
from agentsim.runs import ids
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.record import Origin
from agentsim.runs.settings import WorkflowSettings
from agentsim.runs.submit import record_rejected, submit
from agentsim.runs.wiring import build_services

settings = WorkflowSettings.from_env()
services = functools.cache(lambda: build_services(settings))


class UnknownTriggerEvent(Exception):
    """Neither a StartSimulation event nor a schedule's input: nothing names the run."""


def identify(event: dict[str, Any]) -> tuple[Origin, str, Any]:
    """(origin, run id, raw request) of an EventBridge event or a schedule's input."""
    if "detail-type" in event and event.get("id"):
        return Origin.EVENT, ids.run_id_for_event(str(event["id"])), event.get("detail")
    if event.get("scheduled_time"):
        arn = str(event.get("schedule_arn") or event.get("schedule") or "schedule")
        schedule = arn.rsplit("/", 1)[-1]
        run_id = ids.run_id_for_schedule(schedule, str(event["scheduled_time"]))
        return Origin.SCHEDULE, run_id, event.get("request")
    raise UnknownTriggerEvent(
        "expected an EventBridge event (detail-type, id, detail) or a schedule input "
        "(schedule_arn, scheduled_time, request)"
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from agentsim.runs.envelope import parse_request  # noqa: PLC0415 (every provider's models)

    origin, run_id, raw = identify(event)
    logger().set_correlation_id(run_id)
    try:
        request = parse_request(raw)
        submitted = submit(services(), run_id, request, origin)
    except RequestInvalid as exc:
        rejected = record_rejected(services(), run_id, origin, exc, raw)
        if rejected.created:
            observability.count(observability.INVALID_REQUESTS)
        logger().warning(
            "invalid request recorded as a FAILED run",
            extra={"trigger": origin.value, "problems": [p.to_dict() for p in exc.problems]},
        )
        return {**rejected.payload(), "error": str(exc)}
    if submitted.created:
        observability.count(observability.RUNS_STARTED, dimension=("trigger", origin.value))
    logger().info(
        "run submitted",
        extra={"trigger": origin.value, "status": submitted.status, "new_run": submitted.created},
    )
    return submitted.payload()


lambda_handler = observability.observed(handle)
