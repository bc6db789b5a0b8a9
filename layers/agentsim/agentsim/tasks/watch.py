"""Watch: the poll queue's consumer, one poll of a run that waits in `WaitForEnd`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, Json

from agentsim import observability
from agentsim.invocation import RemainingTime, invocation_deadline
from agentsim.runs.services import Services
from agentsim.runs.settings import WatchSettings
from agentsim.runs.watch import Recheck, watch
from agentsim.tasks import Task


class RecheckRecord(BaseModel):
    """An SQS record of the poll queue: its body is one `Recheck`, as JSON text."""

    body: Json[Recheck]


class RecheckBatch(BaseModel):
    """The queue's event; its event source mapping delivers one message at a time."""

    records: list[RecheckRecord] = Field(alias="Records", min_length=1)


def _watch(services: Services, batch: RecheckBatch, context: RemainingTime) -> dict[str, Any]:
    within = services.within(invocation_deadline(context))
    for record in batch.records:
        observability.count(observability.POLLS)
        watched = watch(within, record.body, on_fault=observability.provider_fault)
        observability.logger().info("watched", extra={"watched": watched.value})
    return {}


WATCH = Task(
    RecheckBatch,
    WatchSettings,
    _watch,
    correlation_id_path="Records[0].body | powertools_json(@).run_id",
)
