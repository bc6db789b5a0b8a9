"""Submitting a suite from any trigger: every child's record, then the suite's, then its
workflow, each written once.

The suite id comes from the trigger as a run id does (`agentsim.runs.ids`); each child's run
id is derived from the suite id and its position (`ids.child_run_id`), and every record is
created by a conditional put, so a repeated or retried submission finds what the first one
stored and starts nothing twice. Children are stored before the suite, so a suite that exists
has all its runs; a submission that died half way is completed by its retry. Nothing is
written for an invalid suite: every check (fields, sizes, the URLs a run would call) comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentsim.runs import ids, labels
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.intake import MAX_REPORTED
from agentsim.runs.record import ErrorInfo, Origin, RunRecord
from agentsim.runs.services import Services
from agentsim.runs.submit import check_urls
from agentsim.runs.webhook import IdempotencyKeyReused, checked_key
from agentsim.suites.record import Child, SuiteRecord, SuiteStatus
from agentsim.suites.request import SuiteRequest


@dataclass(frozen=True)
class SubmittedSuite:
    suite_id: str
    status: SuiteStatus
    created: bool
    runs: list[str]

    def payload(self) -> dict[str, Any]:
        return {
            "suite_id": self.suite_id,
            "status": self.status.value,
            "created": self.created,
            "runs": self.runs,
        }


def submit_suite(
    services: Services, suite_id: str, request: SuiteRequest, trigger: Origin
) -> SubmittedSuite:
    """Store the suite `request` asks for under `suite_id` (once) and start its workflow (once)."""
    check_suite_urls(services, request)
    now = services.clock()
    children: list[Child] = []
    for index, run in enumerate(request.runs):
        run_id = ids.child_run_id(suite_id, index)
        record = RunRecord.new(run_id, trigger, now, request=run)
        services.runs.create_or_get(record.model_copy(update={"suite_id": suite_id}))
        children.append(Child(run_id=run_id, provider=run.provider))
    suite = SuiteRecord(
        suite_id=suite_id,
        name=request.suite.name,
        trigger=trigger,
        labels=dict(request.labels),
        request=request.stored(),
        request_digest=digest(request),
        concurrency=dict(request.concurrency),
        children=children,
        created_at=now,
        updated_at=now,
    )
    current, created = services.require_suites().create_or_get(suite)
    if current.status is SuiteStatus.PENDING and current.execution_arn is None:
        services.require_suite_executions().start(suite_id, {"suite_id": suite_id})
    return SubmittedSuite(suite_id, current.status, created, [c.run_id for c in current.children])


def submit_suite_webhook(
    services: Services, request: SuiteRequest, *, idempotency_key: str | None, signed_at: str
) -> SubmittedSuite:
    """`POST /suites`: the suite id is the Idempotency-Key's (one suite per key; the same key
    with another suite within the idempotency window is a conflict), else the body's: within
    the idempotency window the same suite sent again (signed anew) finds the first one."""
    check_suite_urls(services, request)  # before the body's claim: nothing written for it
    if idempotency_key is None:
        # as for a run (`runs.webhook`): the body's claim names its suite for the window
        fresh = ids.suite_id_for("body", digest(request), signed_at)
        claimed = services.require_bodies().claim(
            f"suite:{digest(request)}", fresh, at=services.clock()
        )
        return submit_suite(services, claimed, request, Origin.WEBHOOK)
    suite_id = ids.suite_id_for("idempotency-key", checked_key(idempotency_key))
    existing = services.require_suites().find(suite_id)
    if existing is not None and existing.request_digest != digest(request):
        if services.clock() - existing.created_at < services.require_bodies().window:
            raise IdempotencyKeyReused()
        return SubmittedSuite(
            suite_id, existing.status, False, [c.run_id for c in existing.children]
        )
    return submit_suite(services, suite_id, request, Origin.WEBHOOK)


def digest(request: SuiteRequest) -> str:
    return ids.body_digest(request.model_dump(mode="json", exclude_unset=True))


def check_suite_urls(services: Services, request: SuiteRequest) -> None:
    """RequestInvalid naming each URL of the suite (its own, its runs') this stack may not call."""
    runs = [
        (f"suite.runs.{index}.{path}", url)
        for index, run in enumerate(request.runs)
        for path, url in run.called_urls().items()
    ]
    check_urls(services, [*request.called_urls().items(), *runs])


def record_rejected_suite(
    services: Services, suite_id: str, trigger: Origin, error: RequestInvalid, raw: Any
) -> SubmittedSuite:
    """Store an invalid suite from a schedule or an event as a FAILED suite (once per id):
    nobody waits for an answer, so the record carries the problems."""
    now = services.clock()
    suite = raw.get("suite") if isinstance(raw, dict) else None
    name = suite.get("name") if isinstance(suite, dict) else None
    record = SuiteRecord(
        suite_id=suite_id,
        name=name[:100] if isinstance(name, str) and name.strip() else "(invalid suite)",
        status=SuiteStatus.FAILED,
        trigger=trigger,
        labels=labels.salvaged(raw),
        error=ErrorInfo(
            type=type(error).__name__,
            message=str(error)[:2000],
            problems=[p.to_dict() for p in error.problems][:MAX_REPORTED],
        ),
        children=[],
        created_at=now,
        updated_at=now,
        finished_at=now,
    )
    current, created = services.require_suites().create_or_get(record)
    return SubmittedSuite(suite_id, current.status, created, [])
