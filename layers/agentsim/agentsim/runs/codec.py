"""DynamoDB's attribute values to plain Python and back, for every store of the layer.

Numbers are read back as int or float (never Decimal), written from floats through Decimal;
models are written as their JSON (`None` fields left out), times as ISO 8601. boto3's codec is
imported on first use: `boto3.dynamodb.types` imports boto3 and botocore's session, which a
client needs anyway, but importing a store module does not.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
    from botocore.exceptions import ClientError


@functools.cache
def _codec() -> tuple[TypeSerializer, TypeDeserializer]:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer  # noqa: PLC0415

    return TypeSerializer(), TypeDeserializer()


def sortable_time(moment: datetime) -> str:
    """Fixed-width UTC time, so string order is time order (sort keys)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def jsonable(value: Any) -> Any:
    """A model as its JSON (None fields left out), a list of them as their list, a time as
    ISO 8601, anything else as it is."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def attribute(value: Any) -> Any:
    """One attribute value: JSON-like Python (floats as Decimal) through boto3's serializer."""
    plain = json.loads(json.dumps(jsonable(value)), parse_float=Decimal)
    return _codec()[0].serialize(plain)


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """An item of attribute values; None values are left out."""
    return {key: attribute(value) for key, value in values.items() if value is not None}


def _undecimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _undecimal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_undecimal(v) for v in value]
    return value


def plain_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A low-level DynamoDB item as plain Python (numbers as int or float, not Decimal)."""
    deserializer = _codec()[1]
    return {key: _undecimal(deserializer.deserialize(value)) for key, value in item.items()}


def condition_failed(exc: ClientError) -> bool:
    """Whether a write was refused by its condition (rather than failing)."""
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"
