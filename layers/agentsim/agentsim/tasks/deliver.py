"""Deliver: tell a run's (or a suite's) targets of its start (from the run or suite workflow)
or its end (from the delivery workflow, started by the finished event); answers whether to
come back, and when. A detail naming a run is a run's (a suite's child names its suite too);
one naming only a suite is the suite's."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from agentsim import observability
from agentsim.delivery.attempts import Moment
from agentsim.delivery.deliver import deliver, deliver_suite
from agentsim.invocation import RemainingTime
from agentsim.runs.services import Services
from agentsim.runs.settings import DeliverySettings
from agentsim.suites.steps import view_of
from agentsim.tasks import Task

STARTED_EVENT = "SimulationRunStarted"
"""What the run workflow's AnnounceStart step sends (no bus event of that name exists)."""
SUITE_STARTED_EVENT = "SuiteRunStarted"
"""What the suite workflow's AnnounceStart step sends (no bus event of that name either)."""
STARTED_EVENTS = frozenset({STARTED_EVENT, SUITE_STARTED_EVENT})


class Named(BaseModel):
    """The run, or else the suite, a detail is about."""

    model_config = ConfigDict(extra="ignore")

    run_id: str | None = None
    suite_id: str | None = None

    @model_validator(mode="after")
    def _names_one(self) -> Self:
        if self.run_id is None and self.suite_id is None:
            raise ValueError("the detail names no run_id or suite_id")
        return self


class DeliverEvent(BaseModel):
    """An EventBridge event (the delivery workflow's input) or the run workflow's start."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    detail_type: str = Field(alias="detail-type")
    detail: dict[str, Any]


def _deliver(services: Services, event: DeliverEvent, context: RemainingTime) -> dict[str, Any]:
    named = Named.model_validate(event.detail)
    started = event.detail_type in STARTED_EVENTS
    moment = Moment.STARTED if started else Moment.FINISHED

    def time_left() -> float:
        return context.get_remaining_time_in_millis() / 1000

    deliverer = services.require_deliverer()
    if named.run_id is not None:
        detail = None if started else event.detail
        pending = deliver(deliverer, event.detail_type, moment, named.run_id, detail, time_left)
    else:
        suite_id = str(named.suite_id)
        told = _suite_started(services, suite_id) if started else event.detail
        suites = services.require_suites()
        pending = deliver_suite(deliverer, suites, event.detail_type, moment, told, time_left)
    observability.logger().info("delivered", extra={"moment": moment.value, **pending.payload()})
    return pending.payload()


def _suite_started(services: Services, suite_id: str) -> dict[str, Any]:
    """The started suite as its finished event would show it (its runs not read)."""
    record = services.require_suites().get(suite_id)
    return view_of(services, record, live=False).event_detail()


DELIVER = Task(
    DeliverEvent,
    DeliverySettings,
    _deliver,
    correlation_id_path="detail.run_id || detail.suite_id",
)
