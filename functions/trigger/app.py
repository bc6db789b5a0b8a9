"""Starts runs and suites from the nightly schedule (EventBridge Scheduler) and from
`StartSimulation` and `StartSuite` events.

Both carry a request envelope, or a suite request (one with `suite`), and end in the same
validation and workflows as the webhooks. Ids are deterministic (schedule name + scheduled
time; event id), so a repeated delivery finds the first run or suite instead of starting a
second. An invalid request has nobody to answer: it is recorded as a FAILED run (or suite) and
counted (`InvalidRequests`), and the function returns normally so it is not retried.
"""

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from agentsim import observability
from agentsim.observability import logger
from agentsim.runs import ids
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.record import Origin
from agentsim.runs.services import Services
from agentsim.runs.settings import WorkflowSettings
from agentsim.runs.submit import Submitted, record_rejected, submit
from agentsim.runs.wiring import build_services

if TYPE_CHECKING:
    from agentsim.suites.submit import SubmittedSuite

SUITE_EVENT = "StartSuite"
settings = WorkflowSettings.from_env()
services = functools.cache(lambda: build_services(settings))


class UnknownTriggerEvent(Exception):
    """Neither an EventBridge event nor a schedule's input: nothing names the run."""


def identify(event: dict[str, Any]) -> tuple[Origin, tuple[str, ...], Any]:
    """(origin, what identifies this trigger, raw request) of an event or a schedule's input."""
    if "detail-type" in event and event.get("id"):
        return Origin.EVENT, (str(event["id"]),), event.get("detail")
    if event.get("scheduled_time"):
        arn = str(event.get("schedule_arn") or event.get("schedule") or "schedule")
        schedule = arn.rsplit("/", 1)[-1]
        return Origin.SCHEDULE, (schedule, str(event["scheduled_time"])), event.get("request")
    raise UnknownTriggerEvent(
        "expected an EventBridge event (detail-type, id, detail) or a schedule input "
        "(schedule_arn, scheduled_time, request)"
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    origin, parts, raw = identify(event)
    # a suite request (`agentsim.suites.request`); a StartSuite event is a suite even when its
    # detail is not one (then a FAILED suite)
    is_suite = isinstance(raw, dict) and "suite" in raw
    if is_suite or event.get("detail-type") == SUITE_EVENT:
        key, (start, reject) = ids.suite_id_for(origin.value, *parts), _suite()
    elif origin is Origin.EVENT:
        key, (start, reject) = ids.run_id_for_event(*parts), _run()
    else:
        key, (start, reject) = ids.run_id_for_schedule(*parts), _run()
    logger().set_correlation_id(key)
    try:
        return start(origin, key, raw)
    except RequestInvalid as exc:
        rejected = reject(services(), key, origin, exc, raw)
        return _rejected(exc, rejected.created, origin) | rejected.payload()


Start = Callable[[Origin, str, Any], dict[str, Any]]
"""Validate and submit a raw request under its id (raising `RequestInvalid`), answering the
payload."""
Reject = Callable[[Services, str, Origin, RequestInvalid, Any], "Submitted | SubmittedSuite"]
"""Record an invalid request as a FAILED run or suite under its id."""


def _run() -> tuple[Start, Reject]:
    from agentsim.runs.envelope import parse_request  # noqa: PLC0415 (every provider's models)

    def start(origin: Origin, run_id: str, raw: Any) -> dict[str, Any]:
        submitted = submit(services(), run_id, parse_request(raw), origin)
        if submitted.created:
            observability.count(observability.RUNS_STARTED, dimension=("trigger", origin.value))
        logger().info(
            "run submitted",
            extra={
                "trigger": origin.value,
                "status": submitted.status,
                "new_run": submitted.created,
            },
        )
        return submitted.payload()

    return start, record_rejected


def _suite() -> tuple[Start, Reject]:
    from agentsim.suites.request import parse_suite  # noqa: PLC0415 (every provider's models)
    from agentsim.suites.submit import record_rejected_suite, submit_suite  # noqa: PLC0415

    def start(origin: Origin, suite_id: str, raw: Any) -> dict[str, Any]:
        submitted = submit_suite(services(), suite_id, parse_suite(raw), origin)
        logger().info(
            "suite submitted",
            extra={"trigger": origin.value, "runs": len(submitted.runs), "new": submitted.created},
        )
        return submitted.payload()

    return start, record_rejected_suite


def _rejected(error: RequestInvalid, created: bool, origin: Origin) -> dict[str, Any]:
    if created:
        observability.count(observability.INVALID_REQUESTS)
    logger().warning(
        "invalid request recorded as FAILED",
        extra={"trigger": origin.value, "problems": [p.to_dict() for p in error.problems]},
    )
    return {"error": str(error)}


lambda_handler = observability.observed(handle)
