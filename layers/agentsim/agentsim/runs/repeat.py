"""Repeats: every case of a run attempted `times` times, and passed when at least `min_passes` of
its attempts passed, so one flaky judgement does not fail a build.

Each provider repeats with its own means (the adapters' `prepare(..., attempts=n)`):
OmniDimension's `number_of_call_to_make` (1..3 calls per scenario), Bluejay's
`runs_per_digital_human`, Synthflow's case started `times` times in one session. The envelope
refuses what a provider cannot repeat (`envelope.py`), naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationInfo, field_validator

MAX_TIMES = 10
"""Most attempts per case: each is a paid call."""


class Repeat(BaseModel):
    model_config = ConfigDict(extra="forbid")

    times: StrictInt = Field(ge=1, le=MAX_TIMES, description=f"Attempts per case, 1..{MAX_TIMES}.")
    min_passes: StrictInt | None = Field(
        default=None,
        ge=1,
        validate_default=True,
        description="Attempts of a case that must pass for the case to pass, 1..times "
        "(default: times, every attempt).",
    )

    @field_validator("min_passes")
    @classmethod
    def _at_most_times(cls, value: int | None, info: ValidationInfo) -> int | None:
        times: int | None = info.data.get("times")
        if times is None:
            return value  # times was invalid and is already reported
        if value is None:
            return times
        if value > times:
            raise ValueError(f"must be at most times ({times}): a case has only {times} attempts")
        return value

    @property
    def passes_needed(self) -> int:
        return self.min_passes or self.times

    @classmethod
    def of_request(cls, request: Mapping[str, Any] | None) -> Repeat:
        """The `repeat` of a stored request (validated with it); once, 1 of 1, without one."""
        stored = (request or {}).get("repeat")
        return ONCE if stored is None else cls.model_validate(stored)


ONCE = Repeat(times=1, min_passes=1)
