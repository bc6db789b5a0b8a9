"""Configuration from the environment, validated once per cold start.

Every variable is set by template.yaml (Globals or the function); local runs set the same
variables, so there is no code path for "local".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class SettingsInvalid(RuntimeError):
    """A required environment variable is missing or malformed (a deployment error)."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    runs_table: str = Field(min_length=1)
    run_items_table: str = Field(min_length=1)
    secret_arn: str | None = None
    idempotency_table: str | None = None
    state_machine_arn: str | None = None
    event_bus_name: str | None = None
    poll_min_seconds: int = Field(default=15, ge=1, le=3600)
    poll_max_seconds: int = Field(default=300, ge=1, le=3600)
    max_polls: int = Field(default=600, ge=1, le=680)  # template.yaml MaxPolls
    secret_max_age_seconds: int = Field(default=300, ge=0)
    idempotency_expires_seconds: int = Field(default=86400, ge=60)

    @model_validator(mode="after")
    def _poll_bounds(self) -> Self:
        if self.poll_max_seconds < self.poll_min_seconds:
            raise ValueError("POLL_MAX_SECONDS must be >= POLL_MIN_SECONDS")
        return self

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        source = os.environ if env is None else env
        values = {
            name: source[name.upper()]
            for name in cls.model_fields
            if source.get(name.upper()) not in (None, "")
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            wrong = ", ".join(
                f"{str(e['loc'][0]).upper() if e['loc'] else '(settings)'}: {e['msg']}"
                for e in exc.errors()
            )
            raise SettingsInvalid(f"invalid environment: {wrong}") from None

    def require(self, name: str) -> str:
        """A setting this function needs although others may go without it."""
        value = getattr(self, name)
        if not value:
            raise SettingsInvalid(f"{name.upper()} is not set for this function")
        return str(value)
