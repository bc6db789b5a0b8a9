"""What the request models accept is what DynamoDB stores: free-form maps and numbers at their
limits, and a property (hypothesis) that any accepted free-form map round-trips through a run
item (moto) unchanged."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from agentsim.providers.storable import (
    MAX_FREE_FORM_BYTES,
    MAX_FREE_FORM_DEPTH,
    MAX_FREE_FORM_KEY,
    MAX_INT,
    FreeForm,
    StorableFloat,
)
from agentsim.runs.errors import BodyMalformed, MediaTypeUnsupported
from agentsim.runs.intake import MAX_JSON_DEPTH, read_json
from agentsim.runs.record import Origin, RunRecord
from agentsim.runs.run_store import DynamoRunStore

T0 = datetime(2026, 3, 1, tzinfo=UTC)
FREE_FORM: TypeAdapter[dict[str, Any]] = TypeAdapter(FreeForm)
FLOAT: TypeAdapter[float] = TypeAdapter(StorableFloat)


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def refusal(value: Any) -> tuple[str, list[Any]]:
    with pytest.raises(ValidationError) as caught:
        FREE_FORM.validate_python(value)
    [error] = caught.value.errors()
    return error["msg"], error["ctx"]["at"]


def test_free_form_map_may_nest_to_its_limit_and_no_further() -> None:
    assert FREE_FORM.validate_python(nested(MAX_FREE_FORM_DEPTH))

    message, at = refusal(nested(MAX_FREE_FORM_DEPTH + 1))

    assert "16 levels" in message
    assert at == ["a"] * MAX_FREE_FORM_DEPTH  # the first map past the limit


@pytest.mark.parametrize(
    ("value", "at"),
    [
        ({"": 1}, []),
        ({"k" * (MAX_FREE_FORM_KEY + 1): 1}, []),
        ({"a": {"": 1}}, ["a"]),
        ({"a": [1, {"\ud800": 1}]}, ["a", 1]),
        ({"a": ["ok", "\udfff"]}, ["a", 1]),
        ({"a": float("nan")}, ["a"]),
        ({"a": {"b": 10**38}}, ["a", "b"]),
        ({"a": 1e-131}, ["a"]),
        ({"a": -1e126}, ["a"]),
        ({"a": {1, 2}}, ["a"]),
        ({"a": "x" * MAX_FREE_FORM_BYTES}, []),
    ],
)
def test_free_form_map_refuses_what_dynamodb_cannot_store_naming_where(
    value: Any, at: list[Any]
) -> None:
    assert refusal(value)[1] == at


@pytest.mark.parametrize("number", [0.0, 1e-130, -1e-130, 9.99e125, 0.5])
def test_floats_within_dynamodb_range_are_accepted(number: float) -> None:
    assert FLOAT.validate_python(number) == number
    assert FREE_FORM.validate_python({"n": number, "i": MAX_INT, "j": -MAX_INT})


@pytest.mark.parametrize("number", [1e-131, 5e-324, 1e126, math.inf, -math.inf, math.nan])
def test_floats_outside_dynamodb_range_are_refused(number: float) -> None:
    with pytest.raises(ValidationError):
        FLOAT.validate_python(number)


def test_nesting_is_measured_outside_strings_in_linear_time() -> None:
    brackets_in_a_string = b'{"a": "' + b"[" * 50_000 + b'"}'

    assert read_json(brackets_in_a_string) == {"a": "[" * 50_000}
    with pytest.raises(BodyMalformed):
        read_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(BodyMalformed):  # unterminated: refused, and quickly
        read_json(b'"' + b'\\"' * 30_000)


@pytest.mark.parametrize("content_type", ["application/json; charset=latin-1", "text/json"])
def test_json_only_in_utf8_is_taken(content_type: str) -> None:
    with pytest.raises(MediaTypeUnsupported):
        read_json(b"{}", content_type)


def as_decimals(value: Any) -> Any:
    return json.loads(json.dumps(value), parse_float=Decimal, parse_int=Decimal)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=6), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=st.dictionaries(st.text(max_size=6), JSON, max_size=4))
def test_any_free_form_map_accepted_round_trips_through_a_run_item(
    runs: DynamoRunStore, value: dict[str, Any]
) -> None:
    try:
        accepted = FREE_FORM.validate_python(value)
    except ValidationError:
        return  # refused: nothing to store
    run_id = str(uuid.uuid4())
    request = {"provider": "bluejay", "run": {"livekit_metadata": accepted}}

    runs.create(RunRecord.new(run_id, Origin.WEBHOOK, T0, kept_request=request))

    # Numbers come back as the same decimal value (an integral float as an int)
    assert as_decimals(runs.get(run_id).request) == as_decimals(request)
