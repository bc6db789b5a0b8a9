"""Hostile input to the API: every request that used to escape as a 502 now gets a 4xx in our
error shape naming the part at fault, and nothing is written. One test per finding of the
fuzzing run (issue 8), then the answers around them: 404, 500, the OpenAPI document.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from support.aws_fixtures import WEBHOOK_SECRET, Stack
from support.handlers import LambdaContext, answer, api_event, load_handler, sample_event
from support.run_requests import bluejay_request, synthflow_request

from agentsim.providers.base import CaseResult, CaseVerdict
from agentsim.runs.envelope import parse_request
from agentsim.runs.errors import InvalidPageToken
from agentsim.runs.intake import MAX_BODY_BYTES
from agentsim.runs.item_store import MAX_PAGE_BYTES
from agentsim.runs.record import Origin
from agentsim.runs.secrets import AgentsimSecrets
from agentsim.runs.services import Services
from agentsim.runs.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from agentsim.runs.submit import submit
from agentsim.runs.tokens import decode_token, encode_token

Answer = tuple[int, dict[str, str], Any]
Call = Callable[[dict[str, Any]], Answer]


@pytest.fixture
def call(stack: Stack) -> Call:
    api = load_handler("api")
    return lambda event: answer(api.lambda_handler(event, LambdaContext()))


def start(body: Any, **headers: str) -> dict[str, Any]:
    return api_event("POST", "/simulations", body=body, headers=headers)


def raw_start(raw: bytes, content_type: str = "application/json") -> dict[str, Any]:
    """POST /simulations carrying `raw` bytes, signed, base64-encoded as API Gateway sends them."""
    event = api_event("POST", "/simulations", headers={"Content-Type": content_type})
    signed = {"Content-Type": content_type, **sign(WEBHOOK_SECRET, raw)}
    return {
        **event,
        "headers": signed,
        "multiValueHeaders": {k: [v] for k, v in signed.items()},
        "body": base64.b64encode(raw).decode(),
        "isBase64Encoded": True,
    }


def with_header(event: dict[str, Any], name: str, *values: str) -> dict[str, Any]:
    """`event` with header `name` replaced by `values` (several: sent several times)."""
    headers = {**event["headers"], name: values[-1]}
    multi = {**event["multiValueHeaders"], name: list(values)}
    return {**event, "headers": headers, "multiValueHeaders": multi}


def nested(levels: int, leaf: Any = 1, key: str = "a") -> Any:
    value = leaf
    for _ in range(levels):
        value = {key: value}
    return value


def paths(body: dict[str, Any]) -> list[str]:
    return [e["path"] for e in body["errors"]]


def assert_refused(
    stack: Stack, result: Answer, status: int, path: str, *, prefix: bool = False
) -> None:
    """A `status` answer in our error shape naming `path`, with nothing written."""
    got, headers, body = result
    assert got == status, body
    assert headers["Content-Type"] == "application/json"
    assert set(body) <= {"message", "errors", "correlation_id"} and body["message"]
    named = paths(body)
    assert any(p.startswith(path) for p in named) if prefix else path in named, named
    assert all(e["problem"] for e in body["errors"])
    assert stack.stored_items() == 0


# -- one test per finding --------------------------------------------------------------------


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


def test_signature_with_a_non_ascii_byte_is_401_naming_the_header(call: Call, stack: Stack) -> None:
    event = start(bluejay_request())
    event = with_header(event, SIGNATURE_HEADER, event["headers"][SIGNATURE_HEADER][:-1] + "é")

    assert_refused(stack, call(event), 401, f"headers.{SIGNATURE_HEADER}")


@pytest.mark.parametrize("stamp", ["1767225600²", "²", "\uff11" * 10, "-1", "1e9", " "])
def test_timestamp_that_is_not_ascii_digits_is_401_naming_the_header(
    call: Call, stack: Stack, stamp: str
) -> None:
    event = with_header(start(bluejay_request()), TIMESTAMP_HEADER, stamp)

    assert_refused(stack, call(event), 401, f"headers.{TIMESTAMP_HEADER}")


def test_five_thousand_digit_timestamp_is_401_naming_the_header(call: Call, stack: Stack) -> None:
    event = with_header(start(bluejay_request()), TIMESTAMP_HEADER, "1" * 5000)

    assert_refused(stack, call(event), 401, f"headers.{TIMESTAMP_HEADER}")


@pytest.mark.parametrize("name", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_signature_header_sent_twice_is_401_naming_it(call: Call, stack: Stack, name: str) -> None:
    event = start(bluejay_request())
    event = with_header(event, name, event["headers"][name], event["headers"][name])

    assert_refused(stack, call(event), 401, f"headers.{name}")


def test_overlong_signature_is_401_naming_the_header(call: Call, stack: Stack) -> None:
    event = start(bluejay_request())
    event = with_header(event, SIGNATURE_HEADER, event["headers"][SIGNATURE_HEADER] + "," * 2000)

    assert_refused(stack, call(event), 401, f"headers.{SIGNATURE_HEADER}")


def cases_event(run_id: str, **query: str) -> dict[str, Any]:
    return api_event(
        "GET",
        f"/simulations/{run_id}/cases",
        query={k: [v] for k, v in query.items()},
        path_parameters={"run_id": run_id},
        resource="/simulations/{run_id}/cases",
    )


def run_with_cases(services: Services, run_id: str, count: int) -> None:
    submit(services, run_id, parse_request(bluejay_request()), Origin.WEBHOOK)
    services.items.put_cases(
        run_id,
        [CaseResult(case_id=f"call-{n}", verdict=CaseVerdict.PASSED) for n in range(1, count + 1)],
    )


def test_hand_made_page_token_is_422_naming_next_token(call: Call, services: Services) -> None:
    run_with_cases(services, "run-t", 3)
    before_first = {"pk": {"S": "RUN#run-t"}, "sk": {"S": "CASE#00000"}}
    unsigned = base64.urlsafe_b64encode(json.dumps(before_first).encode()).decode().rstrip("=")
    foreign = encode_token(before_first, scope="cases:run-t", token_key=b"not-our-key")
    genuine = call(cases_event("run-t", limit="1"))[2]["next_token"]
    altered = genuine[:-1] + ("0" if genuine[-1] != "0" else "1")

    for token in (unsigned, foreign, altered, "é" * 10):
        status, _, body = call(cases_event("run-t", next_token=token))
        assert status == 422, token
        assert paths(body) == ["query.next_token"]


def test_cases_and_history_never_show_storage_keys(call: Call, services: Services) -> None:
    run_with_cases(services, "run-k", 3)

    first = call(cases_event("run-k", limit="2"))[2]
    rest = call(cases_event("run-k", next_token=first["next_token"]))[2]
    history = call(
        api_event(
            "GET",
            "/simulations/run-k/history",
            path_parameters={"run_id": "run-k"},
            resource="/simulations/{run_id}/history",
        )
    )[2]

    cases = first["cases"] + rest["cases"]
    assert [c["case_id"] for c in cases] == ["call-1", "call-2", "call-3"]
    for item in [*cases, *history["history"]]:
        assert not {"pk", "sk", "list_pk", "list_sk"} & set(item), item


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


def test_a_page_of_large_runs_stops_early_and_the_next_pages_follow(
    call: Call, services: Services
) -> None:
    # Given 24 runs each storing a request of about 60 KB (1.4 MB in all)
    for n in range(24):
        body = bluejay_request(simulation={"agent_id": "12", "description": "d" * 60_000})
        submit(services, f"big-{n:02d}", parse_request(body), Origin.WEBHOOK)

    seen: list[str] = []
    pages = 0
    token: str | None = None
    while True:
        query = {"limit": ["100"], **({"next_token": [token]} if token else {})}
        event = api_event("GET", "/simulations", query=query)
        status, _, page = call(event)
        assert status == 200
        assert len(json.dumps(page)) < MAX_PAGE_BYTES + 70_000  # one run past the budget at most
        seen += [r["run_id"] for r in page["runs"]]
        pages += 1
        token = page.get("next_token")
        if not token:
            break

    assert pages > 1
    assert sorted(seen) == [f"big-{n:02d}" for n in range(24)]


def test_page_tokens_are_signed_with_a_key_derived_from_the_stack_secret(
    call: Call, services: Services
) -> None:
    for n in range(3):
        submit(services, f"run-{n}", parse_request(bluejay_request()), Origin.WEBHOOK)

    status, _, page = call(api_event("GET", "/simulations", query={"limit": ["1"]}))

    assert status == 200
    key = AgentsimSecrets.model_validate({"webhook_secret": WEBHOOK_SECRET}).page_token_key()
    assert decode_token(page["next_token"], token_key=key)["run_id"]["S"]
    with pytest.raises(InvalidPageToken):
        decode_token(page["next_token"], token_key=WEBHOOK_SECRET.encode())
    with pytest.raises(InvalidPageToken):  # a runs token is no cases token
        decode_token(page["next_token"], scope="cases:run-1", token_key=key)
    answered = json.dumps(page)
    assert WEBHOOK_SECRET not in answered and key.hex() not in answered


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


# -- around them ------------------------------------------------------------------------------


def test_unsigned_request_is_401_whatever_its_body(call: Call, stack: Stack) -> None:
    for raw in (b"\xff", b"[" * 10_000, b"x" * (MAX_BODY_BYTES + 1)):
        event = raw_start(raw, "multipart/form-data")
        del event["headers"][SIGNATURE_HEADER]
        assert_refused(stack, call(event), 401, f"headers.{SIGNATURE_HEADER}")


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


def test_run_id_longer_than_a_key_is_422_naming_it(call: Call, stack: Stack) -> None:
    run_id = "r" * 3000
    event = api_event(
        "GET",
        f"/simulations/{run_id}",
        path_parameters={"run_id": run_id},
        resource="/simulations/{run_id}",
    )

    assert_refused(stack, call(event), 422, "path.run_id", prefix=True)


@pytest.mark.parametrize(
    "labels", [["bad key:x"], ["k:" + "v" * 300], [f"k{n}:v" for n in range(21)]]
)
def test_label_filters_beyond_what_labels_can_be_are_422(
    call: Call, stack: Stack, labels: list[str]
) -> None:
    event = api_event("GET", "/simulations", query={"label": labels})

    assert_refused(stack, call(event), 422, "query.label")


def test_since_before_year_one_in_utc_is_422(call: Call, stack: Stack) -> None:
    event = api_event("GET", "/simulations", query={"since": ["0001-01-01T00:00:00+01:00"]})

    assert_refused(stack, call(event), 422, "query.since")


def test_unknown_route_is_404_in_our_shape(call: Call, stack: Stack) -> None:
    status, _, body = call(api_event("DELETE", "/simulations"))

    assert status == 404
    assert body["message"] and body["errors"] == []


def test_unexpected_error_is_500_with_a_correlation_id_and_no_body_in_the_log(
    call: Call, stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    # Given the runs table gone (a real failure of the store, not a caller's mistake)
    boto3.client("dynamodb").delete_table(TableName=stack.tables["RunsTable"])
    sentinel = "BODY-SENTINEL-5f1c"

    status, _, body = call(start(bluejay_request(labels={"team": sentinel})))

    assert status == 500
    assert body["message"] == "internal error" and body["correlation_id"]
    [record] = [r for r in caplog.records if r.getMessage() == "unexpected error"]
    # the line as the function's logger writes it (Powertools' JSON formatter)
    handler = next(h for h in logging.getLogger(record.name).handlers if h.formatter)
    assert handler.formatter is not None
    line = json.loads(handler.formatter.format(record))
    assert line["correlation_id"] == body["correlation_id"]
    assert "Traceback" in line["exception"] and "ResourceNotFoundException" in line["exception"]
    assert sentinel not in caplog.text and sentinel not in json.dumps(line)


def test_openapi_declares_every_status_with_the_error_schema(call: Call, stack: Stack) -> None:
    status, _, document = call(api_event("GET", "/openapi.json", signed=False))

    assert status == 200
    expected = {
        ("post", "/simulations"): {202, 400, 401, 409, 413, 415, 422, 500},
        ("get", "/simulations"): {200, 400, 401, 413, 415, 422, 500},
        ("get", "/simulations/{run_id}"): {200, 400, 401, 404, 413, 415, 422, 500},
        ("post", "/simulations/{run_id}/stop"): {
            *(200, 400, 401, 404, 409, 413, 415, 422, 500, 502, 503)
        },
    }
    for (method, path), statuses in expected.items():
        responses = document["paths"][path][method]["responses"]
        assert {int(s) for s in responses} == statuses, (method, path)
        for code, response in responses.items():
            if int(code) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ApiError"}, (path, code)
