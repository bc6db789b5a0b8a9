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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agentsim.delivery.addresses import AddressRefused
from agentsim.providers.base import JsonObject, ProviderName
from agentsim.providers.storable import storable_problem
from agentsim.runs import labels
from agentsim.runs.answers import StepAnswer
from agentsim.runs.errors import Problem, RequestInvalid
from agentsim.runs.record import ErrorInfo, Origin, Requested, RunRecord, RunStatus
from agentsim.runs.services import Services

MAX_STORED_INVALID_REQUEST = 16_384
"""An invalid request is kept in its FAILED record (for debugging) up to this many bytes."""


@dataclass(frozen=True)
class Submitted(StepAnswer):
    run_id: str
    status: RunStatus
    created: bool
    """False when the run already existed (a duplicate trigger)."""


def submit(services: Services, run_id: str, request: Requested, trigger: Origin) -> Submitted:
    check_called_urls(services, request)
    return submit_checked(services, run_id, request, trigger)


def submit_checked(
    services: Services, run_id: str, request: Requested, trigger: Origin
) -> Submitted:
    """`submit` for a request whose URLs `check_called_urls` has passed."""
    record = RunRecord.new(run_id, trigger, services.clock(), request=request)
    current, created = services.runs.create_or_get(record)
    start_execution(services, current)
    return Submitted(run_id, current.status, created)


def check_called_urls(services: Services, request: Requested) -> None:
    """RequestInvalid naming each URL of the request this stack may not call (before anything
    is written): see `agentsim.delivery.urls`."""
    check_urls(services, request.called_urls().items())


def check_urls(services: Services, urls: Iterable[tuple[str, str]]) -> None:
    """RequestInvalid naming (by its path) each of the `(path, url)` this stack may not call."""
    problems = []
    for path, url in urls:
        try:
            services.urls.check(url)
        except AddressRefused as exc:
            problems.append(Problem(path, str(exc)))
    if problems:
        raise RequestInvalid(problems)


def start_execution(services: Services, record: RunRecord) -> None:
    """Start the run's execution unless it has one (or has ended)."""
    if record.status is RunStatus.PENDING and record.execution_arn is None:
        services.require_executions().start(record.run_id, {"run_id": record.run_id})


def record_rejected(
    services: Services, run_id: str, trigger: Origin, error: RequestInvalid, raw: Any
) -> Submitted:
    """Store an invalid request as a FAILED run (once per run id)."""
    record = RunRecord.new(
        run_id,
        trigger,
        services.clock(),
        error=ErrorInfo(
            type=type(error).__name__,
            message=str(error),
            problems=[p.to_dict() for p in error.problems],
        ),
        provider=_provider_of(raw),
        labels=labels.salvaged(raw),
        kept_request=_storable(raw),
    )
    current, created = services.runs.create_or_get(record)
    return Submitted(run_id, current.status, created)


def _provider_of(raw: Any) -> ProviderName | None:
    value = raw.get("provider") if isinstance(raw, Mapping) else None
    try:
        return ProviderName(str(value))
    except ValueError:
        return None


def _storable(raw: Any) -> JsonObject | None:
    # An invalid request may hold what DynamoDB refuses (an empty key, a number out of range):
    # then it is not kept, so the FAILED record itself can always be stored and listed.
    if not isinstance(raw, dict) or storable_problem(raw) is not None:
        return None
    try:
        size = len(json.dumps(raw))
    except (TypeError, ValueError):
        return None
    return raw if size <= MAX_STORED_INVALID_REQUEST else None
