"""The local API turns real HTTP requests into API Gateway REST proxy events."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from agentsim_local.embedded.api_events import Route, proxy_event
from agentsim_local.local_api import LocalApi

ROUTES = [
    Route("POST", "/simulations"),
    Route("GET", "/simulations"),
    Route("GET", "/runs/{run_id}"),
    Route("ANY", "/files/{path+}"),
]


class Recorder:
    """A stand-in API handler: keeps each event and answers with a fixed response."""

    def __init__(self, response: Mapping[str, Any] | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.response = response or {"statusCode": 200, "body": "{}"}

    def __call__(self, event: dict[str, Any]) -> Mapping[str, Any]:
        self.events.append(event)
        return self.response


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def api(recorder: Recorder) -> Iterator[LocalApi]:
    with LocalApi(recorder, port=0, routes=ROUTES) as server:
        yield server


def test_post_body_reaches_the_handler_as_the_exact_text(api: LocalApi, recorder: Recorder) -> None:
    body = b'{"provider": "bluejay",  "labels": {"a": "b"}}'

    httpx.post(f"{api.url}/simulations", content=body, headers={"Content-Type": "application/json"})

    event = recorder.events[0]
    assert event["httpMethod"] == "POST"
    assert event["path"] == "/simulations"
    assert event["resource"] == "/simulations"
    assert event["body"] == body.decode()
    assert event["isBase64Encoded"] is False
    assert event["pathParameters"] is None


def test_headers_arrive_single_and_multi_valued(api: LocalApi, recorder: Recorder) -> None:
    httpx.get(
        f"{api.url}/simulations",
        headers=[("X-Agentsim-Timestamp", "1700000000"), ("X-Tag", "a"), ("X-Tag", "b")],
    )

    event = recorder.events[0]
    assert event["headers"]["X-Agentsim-Timestamp"] == "1700000000"
    assert event["multiValueHeaders"]["X-Tag"] == ["a", "b"]
    assert event["headers"]["X-Tag"] == "b"
    assert event["body"] is None


def test_query_string_becomes_query_parameters(api: LocalApi, recorder: Recorder) -> None:
    httpx.get(f"{api.url}/simulations?status=RUNNING&label=a&label=b&empty=")

    event = recorder.events[0]
    assert event["queryStringParameters"] == {"status": "RUNNING", "label": "b", "empty": ""}
    assert event["multiValueQueryStringParameters"]["label"] == ["a", "b"]
    assert event["path"] == "/simulations"


def test_templated_resource_fills_path_parameters(api: LocalApi, recorder: Recorder) -> None:
    httpx.get(f"{api.url}/runs/run-123")
    httpx.get(f"{api.url}/files/a/b.json")

    assert recorder.events[0]["resource"] == "/runs/{run_id}"
    assert recorder.events[0]["pathParameters"] == {"run_id": "run-123"}
    assert recorder.events[1]["pathParameters"] == {"path": "a/b.json"}


def test_undeclared_route_answers_403_without_calling_the_handler(
    api: LocalApi, recorder: Recorder
) -> None:
    response = httpx.delete(f"{api.url}/runs/run-123")

    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
    assert recorder.events == []


def test_without_routes_everything_goes_to_a_greedy_proxy_resource(recorder: Recorder) -> None:
    with LocalApi(recorder, port=0) as api:
        httpx.delete(f"{api.url}/nothing/here")

    assert recorder.events[0]["resource"] == "/{proxy+}"
    assert recorder.events[0]["pathParameters"] == {"proxy": "nothing/here"}
    assert recorder.events[0]["httpMethod"] == "DELETE"
    assert recorder.events[0]["requestContext"]["stage"] == "Prod"  # SAM's implicit API


def test_request_context_carries_stage_and_caller(recorder: Recorder) -> None:
    with LocalApi(recorder, port=0, routes=ROUTES, stage="v1") as api:
        httpx.get(f"{api.url}/simulations", headers={"User-Agent": "curl/8"})

    context = recorder.events[0]["requestContext"]
    assert context["stage"] == "v1"
    assert context["path"] == "/v1/simulations"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["identity"]["userAgent"] == "curl/8"
    assert context["requestId"]


def test_binary_body_is_base64_encoded() -> None:
    event = proxy_event(
        "PUT", "/files/x", [("Content-Type", "application/octet-stream")], b"\x00\xff"
    )

    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\xff"


def test_handler_response_becomes_the_http_response() -> None:
    handler = Recorder(
        {
            "statusCode": 201,
            "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
            "body": json.dumps({"run_id": "r-1"}),
        }
    )
    with LocalApi(handler, port=0) as api:
        response = httpx.post(f"{api.url}/simulations", content=b"{}")

    assert response.status_code == 201
    assert response.json() == {"run_id": "r-1"}
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]


def test_base64_response_body_is_decoded() -> None:
    handler = Recorder(
        {"statusCode": 200, "body": base64.b64encode(b"\x01\x02").decode(), "isBase64Encoded": True}
    )
    with LocalApi(handler, port=0) as api:
        response = httpx.get(f"{api.url}/blob")

    assert response.content == b"\x01\x02"


def test_a_failing_handler_answers_502_like_api_gateway() -> None:
    def broken(event: dict[str, Any]) -> Mapping[str, Any]:
        raise RuntimeError("boom")

    with LocalApi(broken, port=0) as api:
        response = httpx.get(f"{api.url}/simulations")

    assert response.status_code == 502
    assert "boom" in response.json()["message"]
