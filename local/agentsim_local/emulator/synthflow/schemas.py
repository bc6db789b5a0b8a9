"""Synthflow request bodies and query words, after docs.synthflow.ai (FastAPI answers 422s)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, field_validator

StatusValue = Literal["in-progress", "completed", "failed"]
CaseType = Literal["custom", "agent_based"]
CallSuccessType = Literal["all", "any"]


@dataclass(frozen=True)
class Paging:
    """`page_number` (from 1) and `page_size` of a listing."""

    number: int = 1
    size: int = 10

    def of(self, items: list[Any]) -> list[Any]:
        """The items on this page."""
        offset = self.offset
        return items[offset : offset + self.size]

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class Period:
    """A `start_date` / `end_date` filter, both ends included; a naive date is UTC."""

    start: datetime | None = None
    end: datetime | None = None

    def __contains__(self, ts: float) -> bool:
        low, high = _ts(self.start), _ts(self.end)
        return (low is None or ts >= low) and (high is None or ts <= high)


def _ts(value: datetime | None) -> float | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


class SimulationCreateIn(BaseModel):
    simulation_case_id: UUID
    target_agent_id: str = Field(min_length=1)  # documented as uuid, but agent ids are not
    simulation_session_id: UUID | None = None
    custom_variables: dict[str, Any] | None = None


class CaseIn(BaseModel):
    name: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    type: CaseType
    success_criteria: list[str] = Field(min_length=1)
    call_success_type: CallSuccessType
    suite_id: UUID | None = None
    base_agent_id: str | None = None


class CaseUpdateIn(BaseModel):
    name: str | None = Field(default=None, min_length=1)
    prompt: str | None = Field(default=None, min_length=1)
    success_criteria: list[str] | None = Field(default=None, min_length=1)
    call_success_type: CallSuccessType | None = None
    suite_id: UUID | None = None


class SuiteIn(BaseModel):
    name: str = Field(min_length=1)
    model_id: str = Field(min_length=1)
    language: str = "en-US"

    @field_validator("language")
    @classmethod
    def _not_multi(cls, value: str) -> str:
        if value == "multi":
            raise ValueError("'multi' is not allowed for simulation suites")
        return value


class SuiteUpdateIn(BaseModel):
    name: str | None = Field(default=None, min_length=1)
    model_id: str | None = Field(default=None, min_length=1)
