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
from agentsim.runs.record import Change, ErrorInfo, Origin, RunRecord, RunStatus, Verdict
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
    error = error_from_catch(caught)
    now = services.clock()
    record = services.runs.find(run_id)
    if record is None:
        failed = RunRecord.new(run_id, Origin.DIRECT, now, error=error)
        return services.runs.create_or_get(failed)[0]
    if record.terminal:
        return record
    change = Change.move(
        RunStatus.FAILED, note=error.type, error=error, finished_at=now, verdict=Verdict.NONE
    )
    try:
        return services.runs.change(run_id, change)
    except RunAlreadyFinished as ended:
        return ended.record
