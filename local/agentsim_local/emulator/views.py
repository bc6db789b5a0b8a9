"""What the providers' views share: a record shown field for field, its times in ISO 8601.

For records kept in the provider's own field names (a Bluejay digital human, a Slack message), so
that the view is the record; the others have views of their own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from agentsim_local.emulator.state import iso

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def record_view(
    record: DataclassInstance, *, times: Collection[str], leave_out: Collection[str] = ()
) -> dict[str, Any]:
    """`record`'s fields in their order, but `leave_out`; the `times` (epoch seconds) as ISO."""
    shown = {f.name: getattr(record, f.name) for f in fields(record) if f.name not in leave_out}
    return shown | {name: iso(shown[name]) for name in times}
