"""Deliver: tell a run's targets of its start (from the run workflow) or its end (from the
delivery workflow, started by the finished event); answers whether to come back, and when."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agentsim import observability
from agentsim.delivery.attempts import Moment
from agentsim.delivery.deliver import deliver
from agentsim.invocation import RemainingTime
from agentsim.runs.services import Services
from agentsim.runs.settings import DeliverySettings
from agentsim.tasks import Task

STARTED_EVENT = "SimulationRunStarted"
"""What the run workflow's AnnounceStart step sends (no bus event of that name exists)."""


class RunNamed(BaseModel):
    model_config = ConfigDict(extra="ignore")

    run_id: str


class DeliverEvent(BaseModel):
    """An EventBridge event (the delivery workflow's input) or the run workflow's start."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    detail_type: str = Field(alias="detail-type")
    detail: dict[str, Any]


def _deliver(services: Services, event: DeliverEvent, context: RemainingTime) -> dict[str, Any]:
    run_id = RunNamed.model_validate(event.detail).run_id
    started = event.detail_type == STARTED_EVENT
    moment = Moment.STARTED if started else Moment.FINISHED
    detail = None if started else event.detail
    pending = deliver(
        services.require_deliverer(),
        event.detail_type,
        moment,
        run_id,
        detail,
        time_left=lambda: context.get_remaining_time_in_millis() / 1000,
    )
    observability.logger().info("delivered", extra={"moment": moment.value, **pending.payload()})
    return pending.payload()


DELIVER = Task(DeliverEvent, DeliverySettings, _deliver, correlation_id_path="detail.run_id")
