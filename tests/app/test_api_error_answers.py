"""The API's answers around hostile input: an unknown route is a 404 and an unexpected error a
500 in our error shape (with a correlation id, and no body in the log), and the OpenAPI document
declares every status with that shape."""

from __future__ import annotations

import json

import boto3
import pytest
from support.aws_fixtures import Stack
from support.handlers import api_event, logged_line
from support.hostile_api import Call, start
from support.run_requests import bluejay_request


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
    line = logged_line(record)
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
