"""OmniDimension request bodies and query parameters, refused as OmniDimension refuses them.

Bodies are parsed and validated here (not by FastAPI), so a bad one is a 400
`{error: "invalid_<field>", error_description: "<field>: <problem>"}`, not a 422.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from agentsim_local.emulator import bodies
from agentsim_local.emulator.errors import InvalidRequest


class Voice(BaseModel):
    id: str
    provider: str  # the OpenAPI and SDK enums disagree: accept any string


class ScenarioIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: StrictInt | None = None
    name: str
    description: str
    expected_result: str
    selected_voices: list[Voice] | None = None


class CreateIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    agent_id: StrictInt
    number_of_call_to_make: StrictInt = Field(default=1, ge=1, le=3)
    concurrent_call_count: StrictInt = Field(default=3, ge=1, le=3)
    max_call_duration_in_minutes: StrictInt = Field(default=3, ge=1, le=10)
    scenarios: list[ScenarioIn] | None = None


class UpdateIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str | None = Field(default=None, min_length=1)
    agent_id: StrictInt | None = None
    number_of_call_to_make: StrictInt | None = Field(default=None, ge=1, le=3)
    concurrent_call_count: StrictInt | None = Field(default=None, ge=1, le=3)
    max_call_duration_in_minutes: StrictInt | None = Field(default=None, ge=1, le=10)
    scenarios: list[ScenarioIn] | None = None


class StartIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    scenarios: list[ScenarioIn] | None = None


def parse_body[M: BaseModel](model: type[M], raw: bytes, *, required: bool) -> M:
    """Validate a JSON body; `InvalidRequest` naming the first field at fault."""
    try:
        return model.model_validate(json_object(raw, required=required))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        slug = f"invalid_{first['loc'][0]}" if first["loc"] else "invalid_request"
        raise InvalidRequest(f"{where}: {first['msg']}", slug=slug) from None


def json_object(raw: bytes, *, required: bool) -> dict[str, Any]:
    """The JSON object a body holds; an empty body stands for `{}` where none is required."""
    if not raw.strip():
        if required:
            raise InvalidRequest("Body must be a JSON object")
        return {}
    try:
        return bodies.json_object(raw)
    except bodies.NotJSON:
        raise InvalidRequest("Body is not valid JSON") from None
    except bodies.NotAnObject:
        raise InvalidRequest("Body must be a JSON object") from None


def page_param(value: str | None, name: str, default: int, high: int) -> int:
    """A `pageno` / `pagesize` query parameter: an integer from 1 to `high`."""
    if value is None:
        return default
    if not value.isdecimal() or not 1 <= int(value) <= high:
        raise InvalidRequest(f"{name} must be between 1 and {high}")
    return int(value)
