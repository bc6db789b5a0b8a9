"""Bluejay request bodies, after its OpenAPI and bluejay-sdk 0.3.6 (FastAPI answers 422s)."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator


class DigitalHumansSettingsIn(BaseModel):
    default_name: str | None = "random"
    default_caller_number: str | None = "random"
    default_language: str | None = "random"
    default_background_noise: str | None = "none"
    first_message: str | None = "ai_generated"
    num_runs: int | None = Field(default=1, ge=1)


class CreateSimulationIn(BaseModel):
    agent_id: str
    name: str | None = None
    description: str | None = None
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    sequential_calling: bool | None = False
    max_concurrent: int | None = Field(default=None, gt=0, le=500)
    hangup_on_transfer: bool | None = False
    max_call_duration: int | None = Field(default=10, gt=0)
    max_call_duration_units: Literal["minutes", "seconds"] | None = "minutes"
    ringing_timeout: int | None = Field(default=300, ge=0)
    digital_humans_settings: DigitalHumansSettingsIn | None = None
    selected_custom_metrics: list[UUID] | None = None
    custom_metrics_failing_threshold: int | None = Field(default=None, ge=0, le=100)
    custom_metrics_passing_threshold: int | None = Field(default=None, ge=0, le=100)
    runs_per_digital_human: int | None = Field(default=None, ge=1)
    always_on: bool | None = False

    @field_validator("agent_id")
    @classmethod
    def _numeric(cls, value: str) -> str:
        if not value.strip().isdecimal():
            raise ValueError("agent_id must be a numeric agent id")
        return value.strip()


class UpdateSimulationIn(BaseModel):
    name: str | None = None
    description: str | None = None
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    max_concurrent: int | None = Field(default=None, gt=0, le=500)
    hangup_on_transfer: bool | None = None
    max_call_duration: int | None = Field(default=None, gt=0)
    max_call_duration_units: Literal["minutes", "seconds"] | None = None
    max_turns: int | None = Field(default=None, gt=0)
    ringing_timeout: int | None = Field(default=None, ge=0)
    digital_humans_settings: dict[str, Any] | None = None
    selected_custom_metrics: list[UUID] | None = None
    custom_metrics_failing_threshold: int | None = Field(default=None, ge=0, le=100)
    custom_metrics_passing_threshold: int | None = Field(default=None, ge=0, le=100)
    runs_per_digital_human: int | None = Field(default=None, ge=1)
    tags: list[str] | None = None
    pinned: bool | None = None
    always_on: bool | None = None


class QueueRunIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    simulation_id: str
    prompt_id: UUID | None = None
    knowledge_base_id: UUID | None = None
    digital_human_ids: list[str] | None = None
    phone_number: str | None = None
    sip_uri: str | None = None
    runs_per_digital_human: int | None = Field(default=None, ge=1)


class EndConversationsIn(BaseModel):
    test_result_ids: list[int] = Field(min_length=1)


class DigitalHumanIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    phone_number: str
    name: str | None = None
    intent: str = ""
    success_criteria: str = ""
    num_runs: int | None = Field(default=None, ge=1)


class CreateDigitalHumanIn(BaseModel):
    digital_human: DigitalHumanIn
    simulation_ids: list[int] | None = None


class DigitalHumanIdsIn(BaseModel):
    digital_human_ids: list[int] = Field(min_length=1)
