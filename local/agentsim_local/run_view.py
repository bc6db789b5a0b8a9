"""What the CLI shows of a run record read back from DynamoDB."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from agentsim.runs.record import RunStatus

TERMINAL = frozenset(status.value for status in RunStatus if status.terminal)


@dataclass(frozen=True)
class RunView:
    run_id: str
    provider: str
    trigger: str
    status: str
    verdict: str | None
    passed: int | None
    failed: int | None
    polls: int | None
    progress: int
    duration_seconds: float | None
    error: str | None
    transitions: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL

    @property
    def score(self) -> str:
        if self.passed is None and self.failed is None:
            return "-"
        return f"{self.passed or 0}/{self.failed or 0}"

    @classmethod
    def of(cls, record: Mapping[str, Any], *, transitions: int | None = None) -> RunView:
        results = record.get("results") if isinstance(record.get("results"), Mapping) else {}
        assert isinstance(results, Mapping)
        return cls(
            run_id=str(record.get("run_id", "?")),
            provider=str(record.get("provider", "?")),
            trigger=str(record.get("trigger", "?")),
            status=str(record.get("status", "?")),
            verdict=_str(record.get("verdict")),
            passed=_int(record.get("passed", results.get("passed"))),
            failed=_int(record.get("failed", results.get("failed"))),
            polls=_int(record.get("polls", record.get("poll_count"))),
            progress=_int(record.get("progress")) or 0,
            duration_seconds=_duration(record),
            error=_error(record.get("error")),
            transitions=transitions,
        )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        return int(value)
    return None


def _time(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _duration(record: Mapping[str, Any]) -> float | None:
    explicit = record.get("duration_seconds")
    if isinstance(explicit, int | float | Decimal) and not isinstance(explicit, bool):
        return float(explicit)
    start = _time(record.get("created_at") or record.get("started_at"))
    end = _time(record.get("finished_at") or record.get("ended_at") or record.get("updated_at"))
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def _error(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return str(value.get("message") or value.get("type") or value)
    return str(value)
