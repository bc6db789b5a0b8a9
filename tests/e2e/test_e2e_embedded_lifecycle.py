"""Starting and stopping embedded AWS leaves the process as it found it."""

from __future__ import annotations

import json
import os

import boto3
import pytest
from moto import mock_aws
from moto.awslambda.models import LambdaFunction

from agentsim_local.embedded.aws import EmbeddedAws


def test_stopping_restores_the_environment_and_moto() -> None:
    before = os.environ.get("AWS_ENDPOINT_URL")
    original = LambdaFunction._invoke_lambda

    with EmbeddedAws() as aws:
        assert os.environ["AWS_ENDPOINT_URL"] == aws.endpoint_url
        assert LambdaFunction._invoke_lambda is not original

    assert os.environ.get("AWS_ENDPOINT_URL") == before
    assert LambdaFunction._invoke_lambda is original


def test_only_one_embedded_aws_runs_at_a_time() -> None:
    with EmbeddedAws() as first:
        second = EmbeddedAws()

        with pytest.raises(RuntimeError, match="another embedded AWS"):
            second.start()
        second.stop()  # stopping the one that never started leaves the running one alone

        assert os.environ["AWS_ENDPOINT_URL"] == first.endpoint_url


def test_plain_moto_step_functions_work_again_after_a_stop() -> None:
    with EmbeddedAws() as aws:  # its server serves (and so imports) Step Functions
        embedded = boto3.client("stepfunctions", endpoint_url=aws.endpoint_url)
        assert embedded.list_state_machines()["stateMachines"] == []

    with mock_aws():
        sfn = boto3.client(
            "stepfunctions",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        machine = sfn.create_state_machine(
            name="plain",
            definition=json.dumps(
                {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}}
            ),
            roleArn="arn:aws:iam::123456789012:role/sfn",
        )["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=machine)["executionArn"]

        sfn.stop_execution(executionArn=execution)

        assert sfn.describe_execution(executionArn=execution)["status"] == "ABORTED"
