"""Workflow step 1: adopt the run record (or create it for a direct execution), set the deadline.

Triggers store the record before starting the execution. An execution started on the state
machine directly carries the request in its input (`{"request": {...}}`); it is validated here
and an invalid one fails the run through the workflow's catch-all, recorded, not dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agentsim.runs.answers import StepAnswer
from agentsim.runs.record import ACTIVE, DEFAULT_TIMEOUT_MINUTES, Change, Origin, RunRecord
from agentsim.runs.services import Services


@dataclass(frozen=True)
class Registered(StepAnswer):
    run_id: str
    provider: str
    max_polls: int


def register(
    services: Services,
    run_id: str,
    *,
    execution_arn: str,
    started_at: datetime,
    execution_input: Mapping[str, Any],
) -> Registered:
    record = services.runs.find(run_id) or _direct(services, run_id, execution_input)
    minutes = record.timeout_minutes or DEFAULT_TIMEOUT_MINUTES
    # Conditional on an active run: a finished one raises RunAlreadyFinished.
    change = Change.within(
        ACTIVE,
        execution_arn=execution_arn,
        deadline=started_at + timedelta(minutes=minutes),
    )
    record = services.runs.change(run_id, change)
    return Registered(run_id, record.expect_provider().value, services.pacing.max_polls)


def _direct(services: Services, run_id: str, execution_input: Mapping[str, Any]) -> RunRecord:
    """The record of an execution started with its request in its input."""
    from agentsim.runs.envelope import parse_request  # noqa: PLC0415 (every provider's models)

    request = parse_request(execution_input.get("request"))
    record = RunRecord.new(run_id, Origin.DIRECT, services.clock(), request=request)
    return services.runs.create_or_get(record)[0]
