"""Suite records for tests that store them directly, created around `records.START`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from support.records import START

from agentsim.providers.base import ProviderName
from agentsim.runs.record import Origin
from agentsim.suites.record import Child, SuiteRecord


def suite_record(suite_id: str, *, minutes: int = 0, **fields: Any) -> SuiteRecord:
    """A PENDING webhook suite of one Bluejay run, created `minutes` after START."""
    at = START + timedelta(minutes=minutes)
    values: dict[str, Any] = {
        "suite_id": suite_id,
        "name": "nightly",
        "trigger": Origin.WEBHOOK,
        "children": [Child(run_id=f"{suite_id}-run-0", provider=ProviderName.BLUEJAY)],
        "created_at": at,
        "updated_at": at,
        **fields,
    }
    return SuiteRecord.model_validate(values)
