"""Workflow catch-all: record FAILED with the cause Step Functions caught.

The cause of a Lambda error is its JSON error payload; only the error class and message are
kept (no stack trace). A run that already ended is left as it is; a run without a record (an
execution started directly with an invalid request) gets a FAILED record, so nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.record import ErrorInfo, RunRecord, RunStatus, Trigger, Verdict
from agentsim.runs.services import Services

MAX_MESSAGE = 1000


def error_from_catch(caught: Mapping[str, Any] | None) -> ErrorInfo:
    """`{"Error": name, "Cause": text}` from a Catch as ErrorInfo."""
    caught = caught or {}
    name = str(caught.get("Error") or "States.Unknown")
    cause = caught.get("Cause")
    message = str(cause or name)
    if isinstance(cause, str):
        try:
            payload = json.loads(cause)
        except ValueError:
            payload = None
        if isinstance(payload, Mapping) and "errorMessage" in payload:
            message = str(payload.get("errorMessage") or name)
            name = str(payload.get("errorType") or name)
    return ErrorInfo(type=name, message=message[:MAX_MESSAGE])


def fail(services: Services, run_id: str, caught: Mapping[str, Any] | None) -> RunRecord:
    repository = services.repository
    error = error_from_catch(caught)
    now = services.clock()
    record = repository.find(run_id)
    if record is None:
        failed = RunRecord(
            run_id=run_id,
            status=RunStatus.FAILED,
            trigger=Trigger.DIRECT,
            error=error,
            created_at=now,
            updated_at=now,
            finished_at=now,
        )
        return repository.create_or_get(failed)[0]
    if record.terminal:
        return record
    try:
        return repository.change(
            run_id,
            {"error": error, "finished_at": now, "verdict": Verdict.NONE},
            status=RunStatus.FAILED,
            note=error.type,
        )
    except RunAlreadyFinished as ended:
        return ended.record
