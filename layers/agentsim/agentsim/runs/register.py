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

from agentsim.runs.envelope import DEFAULT_TIMEOUT_MINUTES, parse_request
from agentsim.runs.record import ACTIVE, RunRecord, Trigger
from agentsim.runs.services import Services


@dataclass(frozen=True)
class Registered:
    run_id: str
    provider: str
    max_polls: int

    def payload(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "provider": self.provider, "max_polls": self.max_polls}


def register(
    services: Services,
    run_id: str,
    *,
    execution_arn: str,
    started_at: datetime,
    execution_input: Mapping[str, Any],
) -> Registered:
    repository = services.repository
    record = repository.find(run_id)
    if record is None:
        request = parse_request(execution_input.get("request"))
        now = services.clock()
        record, _ = repository.create_or_get(
            RunRecord(
                run_id=run_id,
                provider=request.provider,
                trigger=Trigger.DIRECT,
                labels=dict(request.labels),
                request=request.stored(),
                timeout_minutes=request.timeout_minutes,
                created_at=now,
                updated_at=now,
            )
        )
    minutes = record.timeout_minutes or DEFAULT_TIMEOUT_MINUTES
    # Conditional on an active run: a finished one raises RunAlreadyFinished.
    record = repository.change(
        run_id,
        {
            "execution_arn": execution_arn,
            "deadline": started_at + timedelta(minutes=minutes),
        },
        allowed=ACTIVE,
    )
    return Registered(run_id, record.expect_provider().value, services.settings.max_polls)
