"""Start a run from any trigger: store the record once, start its execution once.

The run id is chosen by the trigger (see `ids.py`); the conditional put makes the first request
for an id the only one that creates the record, and the execution is named after the run, so
duplicates, even concurrent ones, end with one record and one execution. An execution is
(re)started only while the run is PENDING without one, which also repairs a first attempt that
died between the two writes.

An invalid request from a schedule or an event has no caller to answer: it is stored as a
FAILED run carrying the validation problems, never dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentsim.providers.base import ProviderName
from agentsim.providers.storable import has_lone_surrogate, storable_problem
from agentsim.runs.envelope import LABEL_KEY_PATTERN, MAX_LABEL_VALUE, MAX_LABELS, RunRequest
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.record import ErrorInfo, RunRecord, RunStatus, Trigger
from agentsim.runs.services import Services

MAX_STORED_INVALID_REQUEST = 16_384
"""An invalid request is kept in its FAILED record (for debugging) up to this many bytes."""


@dataclass(frozen=True)
class Submitted:
    run_id: str
    status: RunStatus
    created: bool
    """False when the run already existed (a duplicate trigger)."""

    def payload(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "status": self.status.value, "created": self.created}


def submit(services: Services, run_id: str, request: RunRequest, trigger: Trigger) -> Submitted:
    now = services.clock()
    record = RunRecord(
        run_id=run_id,
        provider=request.provider,
        trigger=trigger,
        labels=dict(request.labels),
        request=request.stored(),
        timeout_minutes=request.timeout_minutes,
        created_at=now,
        updated_at=now,
    )
    current, created = services.repository.create_or_get(record)
    if current.status is RunStatus.PENDING and current.execution_arn is None:
        services.require_executions().start(run_id, {"run_id": run_id})
    return Submitted(run_id, current.status, created)


def record_rejected(
    services: Services, run_id: str, trigger: Trigger, error: RequestInvalid, raw: Any
) -> Submitted:
    """Store an invalid request as a FAILED run (once per run id)."""
    now = services.clock()
    record = RunRecord(
        run_id=run_id,
        provider=_provider_of(raw),
        status=RunStatus.FAILED,
        trigger=trigger,
        labels=_labels_of(raw),
        request=_storable(raw),
        error=ErrorInfo(
            type=type(error).__name__,
            message=str(error),
            problems=[p.to_dict() for p in error.problems],
        ),
        created_at=now,
        updated_at=now,
        finished_at=now,
    )
    current, created = services.repository.create_or_get(record)
    return Submitted(run_id, current.status, created)


def _provider_of(raw: Any) -> ProviderName | None:
    value = raw.get("provider") if isinstance(raw, Mapping) else None
    try:
        return ProviderName(str(value))
    except ValueError:
        return None


def _labels_of(raw: Any) -> dict[str, str]:
    labels = raw.get("labels") if isinstance(raw, Mapping) else None
    if not isinstance(labels, Mapping):
        return {}
    kept = [
        (k, v)
        for k, v in labels.items()
        if isinstance(k, str)
        and re.fullmatch(LABEL_KEY_PATTERN, k)
        and isinstance(v, str)
        and not has_lone_surrogate(v)
    ]
    return {k: v[:MAX_LABEL_VALUE] for k, v in kept[:MAX_LABELS]}


def _storable(raw: Any) -> dict[str, Any] | None:
    # An invalid request may hold what DynamoDB refuses (an empty key, a number out of range):
    # then it is not kept, so the FAILED record itself can always be stored and listed.
    if not isinstance(raw, dict) or storable_problem(raw) is not None:
        return None
    try:
        size = len(json.dumps(raw))
    except (TypeError, ValueError):
        return None
    return raw if size <= MAX_STORED_INVALID_REQUEST else None
