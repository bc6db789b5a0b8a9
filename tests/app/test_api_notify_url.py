"""`POST /simulations` refuses a `notify` URL the stack may not call, before anything is
written: a 422 naming `notify.url`."""

from __future__ import annotations

import boto3
from support.aws_fixtures import Stack
from support.handlers import LambdaContext, answer, load_handler, sample_event, with_body
from support.run_requests import bluejay_request


def test_a_notify_url_at_the_cloud_metadata_address_is_422_naming_notify_url(stack: Stack) -> None:
    api = load_handler("api")
    event = sample_event("api_start_simulation.json")
    headers = {k: v for k, v in event["headers"].items() if k != "Idempotency-Key"}
    request = bluejay_request(notify={"url": "https://169.254.169.254/x"})
    event = with_body({**event, "headers": headers}, request)

    status, _, body = answer(api.lambda_handler(event, LambdaContext()))

    assert status == 422
    assert [e["path"] for e in body["errors"]] == ["notify.url"]
    assert "metadata" in body["errors"][0]["problem"]
    sfn = boto3.client("stepfunctions")
    assert sfn.list_executions(stateMachineArn=stack.state_machine_arn)["executions"] == []
