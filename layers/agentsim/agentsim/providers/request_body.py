"""The base of the providers' request models: what they refuse and what they send.

A request model refuses unknown fields (a typo must not be dropped silently) and sends only some
of its fields, so the provider applies its own defaults to the rest: either the fields the
caller set (Bluejay: an explicit null is sent) or the fields that have a value (OmniDimension).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, JsonValue


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sends: ClassVar[Literal["set", "valued"]] = "set"
    """Which fields `body` sends: the ones the caller set, or the ones not None."""

    def body(self) -> dict[str, Any]:
        """The JSON body (uuids and dates as strings)."""
        if self.sends == "valued":
            return self.model_dump(mode="json", exclude_none=True)
        return self.model_dump(mode="json", exclude_unset=True)


def with_examples(*examples: JsonValue) -> ConfigDict:
    """The config of a request model that the API's OpenAPI document shows with `examples`:
    unknown fields refused, as in every request model."""
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(examples)})
