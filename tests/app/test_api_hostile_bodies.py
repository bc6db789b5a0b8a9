"""Hostile request bodies: bytes that are not UTF-8, media types we do not take, JSON nested too
deep or not I-JSON, numbers and strings DynamoDB cannot store, bodies past the size limit; each
is a 4xx in our error shape naming where, with nothing written, and the largest accepted request
is stored whole. One test per finding of the fuzzing run (issue 8), then the answers around them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from support.aws_fixtures import WEBHOOK_SECRET, Stack
from support.handlers import LambdaContext, api_event, load_handler, sample_event
from support.hostile_api import Call, assert_refused, raw_start, start
from support.run_requests import bluejay_request, synthflow_request

from agentsim.runs.intake import MAX_BODY_BYTES
from agentsim.runs.signing import sign


def nested(levels: int, leaf: Any = 1, key: str = "a") -> Any:
    value = leaf
    for _ in range(levels):
        value = {key: value}
    return value


def test_body_that_is_not_utf8_is_400_naming_the_body(call: Call, stack: Stack) -> None:
    raw = b"\xff" + json.dumps(bluejay_request()).encode()

    assert_refused(stack, call(raw_start(raw)), 400, "body")


@pytest.mark.parametrize("raw", [b"--x\r\n\r\n", b""])
def test_multipart_without_a_boundary_is_415_naming_the_content_type(
    call: Call, stack: Stack, raw: bytes
) -> None:
    assert_refused(stack, call(raw_start(raw, "multipart/form-data")), 415, "headers.Content-Type")


def test_json_nested_thousands_of_levels_deep_is_400_naming_the_body(
    call: Call, stack: Stack
) -> None:
    deep = '{"provider": "bluejay", "labels": ' + "[" * 5000 + "]" * 5000 + "}"

    assert_refused(stack, call(start(deep)), 400, "body")


def test_body_whose_stored_form_could_pass_the_item_limit_is_413(call: Call, stack: Stack) -> None:
    # Given a request padded past the documented body limit (its stored form would be too)
    body = bluejay_request()
    body["simulation"]["description"] = "x" * MAX_BODY_BYTES

    assert_refused(stack, call(start(body)), 413, "body")


def test_largest_accepted_request_is_stored_and_listed(call: Call, stack: Stack) -> None:
    # Given a request just under the body limit, most of it multi-byte text
    body = bluejay_request()
    room = MAX_BODY_BYTES - len(json.dumps(body, ensure_ascii=False).encode())
    body["simulation"]["description"] = "é" * ((room - 64) // 2)
    text = json.dumps(body, ensure_ascii=False)
    assert MAX_BODY_BYTES - 64 <= len(text.encode()) <= MAX_BODY_BYTES

    status, _, accepted = call(start(text))
    listed = call(api_event("GET", "/simulations"))
    fetched = call(api_event("GET", f"/simulations/{accepted['run_id']}"))

    assert status == 202
    assert listed[0] == 200 and [r["run_id"] for r in listed[2]["runs"]] == [accepted["run_id"]]
    assert fetched[0] == 200
    assert fetched[2]["request"]["simulation"]["description"] == body["simulation"]["description"]


def test_self_similar_nesting_in_labels_is_422_naming_the_label(call: Call, stack: Stack) -> None:
    assert_refused(stack, call(start(bluejay_request(labels=nested(20)))), 422, "labels.a")


def test_self_similar_nesting_in_provider_options_is_422_naming_where(
    call: Call, stack: Stack
) -> None:
    body = bluejay_request(run={"livekit_metadata": nested(20)})

    result = call(start(body))

    assert_refused(stack, result, 422, "run.livekit_metadata.a.a", prefix=True)


def test_self_similar_nesting_past_the_parser_limit_is_400(call: Call, stack: Stack) -> None:
    body = synthflow_request(run={"custom_variables": nested(300)})

    assert_refused(stack, call(start(body)), 400, "body")


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (bluejay_request(gate={"min_pass_rate": 2.225073858507203e-309}), "gate.min_pass_rate"),
        (bluejay_request(run={"runs_per_digital_human": 10**40}), "run.runs_per_digital_human"),
        (bluejay_request(run={"livekit_metadata": {"x": 1e300}}), "run.livekit_metadata.x"),
        (bluejay_request(run={"livekit_metadata": {"x": [10**39]}}), "run.livekit_metadata.x.0"),
        (
            synthflow_request(run={"custom_variables": {"tiny": 5e-324}}),
            "run.custom_variables.tiny",
        ),
        ('{"provider":"bluejay","simulation_id":"1","gate":{"min_pass_rate":1e400}}', "gate"),
    ],
)
def test_numbers_dynamodb_cannot_store_are_422_naming_the_field(
    call: Call, stack: Stack, body: Any, path: str
) -> None:
    assert_refused(stack, call(start(body)), 422, path, prefix=True)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            '{"provider":"bluejay","simulation":{"agent_id":"1","name":"\\ud800"}}',
            "simulation.name",
        ),
        ('{"provider":"bluejay","simulation_id":"1","labels":{"\\udfff":"x"}}', "labels"),
    ],
)
def test_string_holding_a_lone_surrogate_is_400_naming_where(
    call: Call, stack: Stack, body: str, path: str
) -> None:
    assert_refused(stack, call(start(body)), 400, path)


def test_body_text_holding_a_lone_surrogate_itself_is_400_naming_the_body(
    call: Call, stack: Stack
) -> None:
    # Given an event whose body text carries the code point (not a JSON escape of it)
    text = '{"provider":"bluejay","simulation_id":"1","labels":{"a":"\ud800"}}'
    event = api_event("POST", "/simulations", signed=False)
    signed = {"Content-Type": "application/json"}
    signed.update(sign(WEBHOOK_SECRET, text.encode("utf-8", "surrogatepass")))
    event = {**event, "body": text, "headers": signed}
    event["multiValueHeaders"] = {k: [v] for k, v in signed.items()}

    assert_refused(stack, call(event), 400, "body")


def test_empty_key_in_a_free_form_map_is_422_and_listing_still_works(
    call: Call, stack: Stack
) -> None:
    body = bluejay_request(run={"livekit_metadata": {"": 1}})

    assert_refused(stack, call(start(body)), 422, "run.livekit_metadata")
    assert call(api_event("GET", "/simulations"))[:1] == (200,)


def test_refused_event_request_is_recorded_failed_and_stays_listable(
    call: Call, stack: Stack
) -> None:
    # Given a StartSimulation event whose request holds what DynamoDB cannot store
    event = sample_event("event_start_simulation.json")
    event["detail"] = {
        "provider": "bluejay",
        "simulation_id": "1",
        "labels": {"": "x", "ok": "y", "bad": "\ud800"},
        "run": {"livekit_metadata": {"": 1, "n": 1e300}},
    }

    result = load_handler("trigger").lambda_handler(event, LambdaContext())

    assert result["status"] == "FAILED"
    status, _, page = call(api_event("GET", "/simulations"))
    assert status == 200
    [run] = page["runs"]
    assert run["run_id"] == result["run_id"]
    assert run["labels"] == {"ok": "y"} and run["request"] is None


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_other_media_types_are_415_in_our_shape(
    call: Call, stack: Stack, content_type: str
) -> None:
    event = raw_start(json.dumps(bluejay_request()).encode(), content_type)

    assert_refused(stack, call(event), 415, "headers.Content-Type")


def test_json_with_a_charset_is_accepted(call: Call, stack: Stack) -> None:
    event = raw_start(json.dumps(bluejay_request()).encode(), "application/json; charset=utf-8")

    assert call(event)[0] == 202


@pytest.mark.parametrize("body", ['{"provider":"bluejay","provider":"synthflow"}', "[NaN]", " "])
def test_json_that_is_not_i_json_is_400(call: Call, stack: Stack, body: str) -> None:
    assert_refused(stack, call(start(body)), 400, "body")
