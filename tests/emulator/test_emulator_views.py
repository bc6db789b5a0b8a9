"""The view the providers share: a record shown field for field, its times in ISO 8601."""

from __future__ import annotations

from dataclasses import dataclass

from agentsim_local.emulator.views import record_view


@dataclass
class Note:
    id: int
    text: str
    written_at: float
    private: str = "hidden"


def test_a_record_shows_its_fields_in_order_with_its_times_in_iso_8601() -> None:
    shown = record_view(Note(3, "hi", 0.0), times=["written_at"], leave_out=["private"])

    assert list(shown.items()) == [
        ("id", 3),
        ("text", "hi"),
        ("written_at", "1970-01-01T00:00:00+00:00"),
    ]
