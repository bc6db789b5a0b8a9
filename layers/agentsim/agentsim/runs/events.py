"""The `SimulationRunFinished` event detail: what other systems learn when a run ends.

Built from the record only (ids, status, verdict, counts, labels, series and what changed since
its baseline, the error class and message) and the report's share link: never the request body
or provider payloads, and never a secret. A REGRESSED run's detail is also sent as
`RegressionDetected`.
"""

from __future__ import annotations

from typing import Any

from agentsim.runs.record import RunRecord


def finished_detail(record: RunRecord, report_url: str | None = None) -> dict[str, Any]:
    """The event detail of a finished run; `report_url` is its share link, when one is made."""
    duration = None
    if record.finished_at is not None:
        duration = round((record.finished_at - record.created_at).total_seconds(), 3)
    detail: dict[str, Any] = {
        "run_id": record.run_id,
        "provider": record.provider.value if record.provider else None,
        "status": record.status.value,
        "verdict": record.verdict.value,
        "trigger": record.trigger.value,
        "labels": dict(record.labels),
        "simulation_id": record.simulation_id,
        "provider_run_id": record.provider_run_id,
        "provider_status": record.provider_status,
        "results": record.results.model_dump(mode="json") if record.results else None,
        "series": record.series,
        "comparison": _comparison(record),
        "verdict_reasons": record.verdict_reasons,
        "error": (
            {"type": record.error.type, "message": record.error.message} if record.error else None
        ),
        "poll_count": record.poll_count,
        "created_at": record.created_at.isoformat(),
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
        "duration_seconds": duration,
        "report_url": report_url,
    }
    return detail


def _comparison(record: RunRecord) -> dict[str, Any] | None:
    """What changed since the baseline, in brief (the record has the whole comparison)."""
    found = record.comparison
    if found is None:
        return None
    return {
        "baseline_run_id": found.baseline_run_id,
        "pass_rate": found.pass_rate,
        "baseline_pass_rate": found.baseline_pass_rate,
        "pass_rate_delta": found.pass_rate_delta,
        "newly_failing": found.newly_failing,
        "newly_passing": found.newly_passing,
        "flaky": [f.case_key for f in found.flaky],
    }
