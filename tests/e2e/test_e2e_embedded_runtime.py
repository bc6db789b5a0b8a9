"""The embedded AWS runtime itself, on a small SAM app of its own (tests/e2e/fixtures/mini).

These pin what the agentsim end-to-end tests rely on: the template deploys through moto's
CloudFormation, handlers run in-process with their function's environment, layer and context,
a raised exception reaches Step Functions under its class name (Retry/Catch), and EventBridge,
Scheduler and Secrets Manager resources exist as declared.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from support.waiting import wait_until

from agentsim_local.embedded.aws import EmbeddedAws
from agentsim_local.embedded.deploy import Deployment, deploy

MINI = Path(__file__).parent / "fixtures" / "mini" / "template.yaml"


@pytest.fixture(scope="module")
def mini() -> Iterator[tuple[EmbeddedAws, Deployment]]:
    with EmbeddedAws() as aws:
        yield aws, deploy(aws, MINI, stack_name="mini", parameters={"Greeting": "hi"})


def _invoke(function_name: str, payload: dict[str, Any]) -> tuple[str | None, Any]:
    answer = boto3.client("lambda").invoke(
        FunctionName=function_name, Payload=json.dumps(payload).encode()
    )
    return answer.get("FunctionError"), json.loads(answer["Payload"].read())


def _finished(execution_arn: str, timeout: float = 30) -> Any:
    sfn = boto3.client("stepfunctions")
    return wait_until(
        lambda: sfn.describe_execution(executionArn=execution_arn),
        lambda described: described["status"] != "RUNNING",
        timeout,
    )


def _execution_arn(deployment: Deployment, name: str) -> str:
    return deployment.outputs["StateMachineArn"].replace(":stateMachine:", ":execution:") + (
        f":{name}"
    )


def test_handler_runs_with_its_function_environment_layer_and_context(mini: Any) -> None:
    _, deployment = mini
    echo = deployment.resources["EchoFunction"]

    error, answer = _invoke(echo, {"ping": 1})

    assert error is None
    assert answer["event"] == {"ping": 1}
    assert answer["greeting"] == "hi"  # the parameter override reached the env var
    assert answer["table"] == deployment.outputs["TableName"]
    assert answer["layer"] == "from-the-layer"
    assert answer["function_name"] == echo
    assert answer["memory"] == 256
    assert 0 < answer["remaining_ms"] <= 20_000


def test_function_environment_does_not_leak_into_the_process(mini: Any) -> None:
    _, deployment = mini

    _invoke(deployment.resources["EchoFunction"], {})

    assert "GREETING" not in os.environ
    assert "AWS_LAMBDA_FUNCTION_NAME" not in os.environ


def test_raised_exception_is_a_lambda_function_error_named_after_its_class(mini: Any) -> None:
    _, deployment = mini

    error, answer = _invoke(
        deployment.resources["FlakyFunction"], {"key": "direct", "fail_times": 1}
    )

    assert error is not None
    assert answer["errorType"] == "FlakyError"
    assert answer["errorMessage"] == "attempt 1 of direct fails"


def test_state_machine_retries_and_catches_on_exception_class_names(mini: Any) -> None:
    # Given the trigger function, which starts the state machine
    _, deployment = mini
    _, started = _invoke(deployment.resources["TriggerFunction"], {"from": "test"})

    # When the execution finishes
    result = _finished(_execution_arn(deployment, started["execution"]))

    # Then FlakyError was retried twice, BoomError caught, and the item saved to DynamoDB
    assert result["status"] == "SUCCEEDED", result.get("cause")
    output = json.loads(result["output"])
    assert output["flaky"] == {"attempts": 3}
    assert output["caught"]["Error"] == "BoomError"
    assert output["echo"]["echo"]["event"]["execution"] == started["execution"]
    item = boto3.client("dynamodb").get_item(
        TableName=deployment.outputs["TableName"], Key={"pk": {"S": started["execution"]}}
    )["Item"]
    assert item["attempts"] == {"N": "3"}
    assert item["caught"] == {"S": "BoomError"}


def test_eventbridge_rule_delivers_matching_events_to_its_lambda_target(mini: Any) -> None:
    aws, deployment = mini

    entry = boto3.client("events").put_events(
        Entries=[
            {
                "Source": "agentsim",
                "DetailType": "Thing",
                "Detail": json.dumps({"n": 7}),
                "EventBusName": deployment.outputs["EventBusName"],
            }
        ]
    )["Entries"][0]

    deliveries = aws.deliveries.wait(entry["EventId"], timeout=10)
    assert len(deliveries) == 1
    assert not deliveries[0].errored
    trigger_event = deliveries[0].payload
    execution = _finished(_execution_arn(deployment, trigger_event["execution"]))
    delivered = json.loads(execution["input"])["trigger"]
    assert delivered["detail"] == {"n": 7}
    assert delivered["source"] == "agentsim"
    assert delivered["time"].endswith("Z")


def test_event_matching_no_rule_is_delivered_nowhere(mini: Any) -> None:
    aws, deployment = mini

    entry = boto3.client("events").put_events(
        Entries=[
            {
                "Source": "somebody.else",
                "DetailType": "Thing",
                "Detail": "{}",
                "EventBusName": deployment.outputs["EventBusName"],
            }
        ]
    )["Entries"][0]

    assert aws.deliveries.wait(entry["EventId"], timeout=5) == []


def test_schedule_is_created_as_declared(mini: Any) -> None:
    _, deployment = mini

    schedule = boto3.client("scheduler").get_schedule(
        Name=deployment.outputs["NightlyScheduleName"]
    )

    assert schedule["State"] == "DISABLED"
    assert schedule["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert schedule["Target"]["Arn"].endswith(
        f":function:{deployment.resources['TriggerFunction']}"
    )
    assert "<aws.scheduler.scheduled-time>" in schedule["Target"]["Input"]


def test_secret_is_generated_from_its_template(mini: Any) -> None:
    _, deployment = mini

    secret = boto3.client("secretsmanager").get_secret_value(
        SecretId=deployment.outputs["SecretArn"]
    )

    value = json.loads(secret["SecretString"])
    assert value["api_key"] == ""
    assert len(value["webhook_secret"]) == 40
    assert value["webhook_secret"].isalnum()


def test_resources_moto_cannot_create_are_dropped_and_the_rest_deployed(mini: Any) -> None:
    _, deployment = mini

    dropped = deployment.template.dropped

    assert sorted(dropped.values()) == [
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Stage",
        "AWS::CloudWatch::Alarm",
    ]
    assert "ServerlessRestApi" in deployment.resources
    assert deployment.outputs["ApiUrl"].startswith("https://")


def test_functions_keep_architectures_and_layers_moto_would_drop(mini: Any) -> None:
    _, deployment = mini

    config = boto3.client("lambda").get_function(FunctionName=deployment.resources["EchoFunction"])[
        "Configuration"
    ]

    assert config["Architectures"] == ["arm64"]
    assert [":layer:MiniLib:" in layer["Arn"] for layer in config["Layers"]] == [True]
