"""Run records for tests that store them directly, all created around one fixed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from agentsim.providers.base import ProviderName
from agentsim.runs.record import Origin, RunRecord

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def new_record(
    run_id: str,
    *,
    minutes: int = 0,
    provider: ProviderName = ProviderName.BLUEJAY,
    labels: dict[str, str] | None = None,
    **fields: Any,
) -> RunRecord:
    """A PENDING webhook run created `minutes` after START, with any other fields given."""
    record = RunRecord.new(run_id, Origin.WEBHOOK, START + timedelta(minutes=minutes))
    return record.model_copy(update={"provider": provider, "labels": labels or {}, **fields})


class Clock:
    """A store's or deliverer's clock, at START until a test moves it."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
